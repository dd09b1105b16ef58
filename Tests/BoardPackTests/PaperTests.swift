import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackCore
@testable import BoardPackPipeline
@testable import BoardPackRender

/// The board paper's cover sheet (`[paper]`) and the governing-body paper beside each pack.
@Suite("Board paper: cover sheet and governing-body paper")
struct PaperTests {
    static let toml = """
        [paper]
        meeting = "Governing Body"
        author = "Head of Financial Planning"
        purpose = "assure"
        recommendation = "Take assurance & note <the> exceptions."
        [paper.00B]
        author = "Beta's own author"
        """

    @Test("[paper] is read: purposes in words, a commissioner's values over the shared ones")
    func reads() throws {
        let log = DiagnosticLog()
        let rules = try #require(Configuration.parse(Self.toml, file: "b.toml", log: log), "\(log.sorted)")
        let paper = try #require(rules.paper)
        #expect(paper.value("author", for: "00A") == "Head of Financial Planning")
        #expect(paper.value("author", for: "00B") == "Beta's own author")
        #expect(paper.value("purpose", for: "00B") == "assure")
        #expect(paper.tables["00B"]?.line == 6)
        #expect(paper.governingBodySections == ["summary", "exceptions", "risks"])
        // Without [paper], no cover sheet.
        #expect(Configuration.parse("[rag]\n", file: "b.toml", log: DiagnosticLog())?.paper == nil)
    }

    @Test("A bad purpose, key or section is a located configuration error")
    func badSettings() {
        let cases: [(String, String, Int)] = [
            ("[paper]\npurpose = \"decide\"\n", "not a purpose", 2),
            ("[paper]\nauthour = \"x\"\n", "unknown setting of the cover sheet", 2),
            ("[paper]\nsections = \"summary,appendix\"\n", "not a section", 2),
            ("[paper.not-a-code!]\n", "not a commissioner's code", 1),
        ]
        for (text, expected, line) in cases {
            let log = DiagnosticLog()
            #expect(Configuration.parse(text, file: "b.toml", log: log) == nil, "\(text)")
            let error = log.errors.first
            #expect(error?.message.contains(expected) == true, "\(text): \(log.sorted)")
            #expect(error?.location.line == line, "\(text)")
        }
    }

    static func build(_ toml: String) throws -> (BuildOutcome, String, DiagnosticLog) {
        let inputs = try TestSupport.temporaryFolder("paper") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        _ = try TestSupport.write(toml, as: "boardpack.toml", in: inputs)
        let out = try TestSupport.temporaryFolder("paper-out")
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: out, templates: TestSupport.templates), log: log)
        return (outcome, out, log)
    }

    @Test("Each pack opens with the cover sheet, and a governing-body paper with nothing internal is beside it")
    func packsAndPaper() throws {
        let (outcome, out, log) = try Self.build(Self.toml)
        #expect(outcome.status == .success, "\(log.sorted)")
        let pack = try #require(String(data: TestSupport.read(out + "/00A/board-pack.html")!, encoding: .utf8))
        #expect(pack.contains("<th scope=\"row\">Purpose</th><td>For assurance</td>"))
        #expect(pack.contains("Take assurance &amp; note &lt;the&gt; exceptions."))
        #expect(pack.contains("<td>Head of Financial Planning</td>"))
        let beta = try #require(String(data: TestSupport.read(out + "/00B/board-paper.html")!, encoding: .utf8))
        #expect(beta.contains("<td>Beta&#39;s own author</td>") || beta.contains("<td>Beta&#x27;s own author</td>"))
        // The governing-body paper: the summary and exceptions, no appendix, no file names.
        let paper = try #require(String(data: TestSupport.read(out + "/00A/board-paper.html")!, encoding: .utf8))
        #expect(paper.contains("id=\"summary\"") && paper.contains("id=\"exceptions\""))
        #expect(!paper.contains("id=\"appendix\"") && !paper.contains("id=\"contract\""))
        #expect(!paper.contains(".csv") && !paper.contains("activity/"))
        let md = try #require(String(data: TestSupport.read(out + "/00A/board-paper.md")!, encoding: .utf8))
        #expect(md.contains("| Purpose | For assurance |"))
        #expect(md.contains("Take assurance & note \\<the\\> exceptions."))
    }

    @Test("governing_body = false writes the committee pack only; no [paper], no cover sheet")
    func choices() throws {
        let (outcome, out, _) = try Self.build("[paper]\ngoverning_body = false\nauthor = \"A\"\n")
        #expect(outcome.status == .success)
        #expect(TestSupport.read(out + "/00A/board-paper.html") == nil)
        #expect(String(data: TestSupport.read(out + "/00A/board-pack.html")!, encoding: .utf8)!.contains("Cover sheet"))
        let (plain, plainOut, _) = try Self.build("[rag]\n")
        #expect(plain.status == .success)
        #expect(TestSupport.read(plainOut + "/00A/board-paper.html") == nil)
        #expect(
            !String(data: TestSupport.read(plainOut + "/00A/board-pack.html")!, encoding: .utf8)!.contains(
                "Cover sheet"))
    }

    @Test("A [paper.ORG_CODE] for no commissioner is a configuration error at its line, exit 2")
    func unknownCommissioner() throws {
        let (outcome, _, log) = try Self.build("[paper]\nauthor = \"A\"\n\n[paper.ZZZ]\nauthor = \"B\"\n")
        #expect(outcome.status == .usage)
        let error = try #require(log.errors.first)
        #expect(error.location.line == 4 && error.message.contains("ZZZ"))
    }
}

@Suite("Board paper: boardpack init")
struct PaperInitTests {
    @Test("boardpack init writes the [paper] table commented out; uncommented, it reads as written")
    func initText() throws {
        let text = Configuration.defaultText
        let start = try #require(text.range(of: "# [paper]\n"))
        let end = try #require(text.range(of: "\n[spc]"))
        // Every commented setting of the block, uncommented; its explanations stay comments.
        let block = text[start.lowerBound..<end.lowerBound].split(separator: "\n").map { line -> String in
            let body = line.dropFirst(2)
            return line.hasPrefix("# ") && (body.hasPrefix("[") || body.contains(" = ")) ? String(body) : String(line)
        }
        let uncommented =
            String(text[..<start.lowerBound]) + block.joined(separator: "\n") + String(text[end.lowerBound...])
        let log = DiagnosticLog()
        let rules = try #require(Configuration.parse(uncommented, file: "b.toml", log: log), "\(log.sorted)")
        let paper = try #require(rules.paper)
        #expect(paper.value("purpose", for: "00C") == "assure")
        #expect(paper.value("author", for: "00C") == "Finance Business Partner, Northdale")
        #expect(paper.value("author", for: "03Q") == "Head of Financial Planning")
        #expect(paper.governingBodySections == ["summary", "exceptions", "risks"])
        #expect(Paper.keys.allSatisfy { key in text.contains("# \(key.key) = ") })
    }
}
