import BoardPackCore
import BoardPackPipeline
import Foundation
import Testing

/// commentary.csv: shown beside its subject in every format, escaped, flagged when stale or overdue,
/// and a located error when its subject does not exist.
@Suite("Commentary")
struct CommentaryTests {
    static let header =
        "org_code,subject_type,subject_id,financial_year,financial_month,author,text,reason,action,action_owner,action_due\n"

    static func build(_ commentary: String) throws -> (BuildOutcome, DiagnosticLog, [String: String]) {
        let inputs = try TestSupport.temporaryFolder("commentary") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        try commentary.write(toFile: inputs + "/commentary.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        let files = Dictionary(
            uniqueKeysWithValues: outcome.files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
        return (outcome, log, files)
    }

    @Test("Hostile text stays inert text in HTML, Markdown and figures.json")
    func hostile() throws {
        let big = String(repeating: "long ", count: 200_000)  // 1 MB
        let text = "<script>alert(1)</script> {{secret}} a | b\n\n- <b>bold</b>\n- {{> cover}}\n\n" + big
        let csv =
            Self.header
            + "00A,SECTION,summary,202627,2,\"Ann <i>Author</i>\",\"\(text)\",,\"Fix | it\",Bob,2026-01-31\n"
        let (outcome, log, files) = try Self.build(csv)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        let html = try #require(files["00A/board-pack.html"])
        #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("{{secret}}") && html.contains("<li>&lt;b&gt;bold&lt;/b&gt;</li>"))
        #expect(html.contains("{{&gt; cover}}") && html.contains("Ann &lt;i&gt;Author&lt;/i&gt;"))
        // The action was due before the reporting month: flagged.
        #expect(html.contains("class=\"commentary overdue\"") && html.contains("overdue</strong>"))
        let md = try #require(files["00A/board-pack.md"])
        #expect(!md.contains("<script>") && md.contains("\\<script\\>") && md.contains("a \\| b"))
        #expect(md.contains("- \\<b\\>bold\\</b\\>") && md.contains("**overdue**"))
        let json = try #require(files["00A/figures.json"])
        #expect(json.contains("\"text\": \"<script>alert(1)</script> {{secret}} a | b\\n\\n- <b>bold</b>"))
        #expect(json.contains("\"action_overdue\": true"))
    }

    @Test("An exception with no update this month shows its latest earlier commentary and warns")
    func stale() throws {
        // The small fixture's scheme A1 is behind plan at its reporting month (M2).
        let csv = Self.header + "00A,SCHEME,A1,202627,1,Ann,Started late.,,,,\n"
        let (outcome, log, files) = try Self.build(csv)
        #expect(outcome.status == .success, "\(log.sorted)")
        let md = try #require(files["00A/board-pack.md"])
        #expect(md.contains("**No update this month; the latest, from Apr 2026:**"), "\(md)")
        #expect(md.contains("Started late."))
        let warning = log.diagnostics.first { $0.code == "commentary.stale" }
        #expect(warning?.location.line == 2 && warning?.value == "A1", "\(log.sorted)")
    }

    @Test("Unknown subjects and organisations are located errors; a repeat is an error")
    func unknown() throws {
        let csv =
            Self.header + "00A,SCHEME,ZZ9,202627,2,Ann,x,,,,\n00A,PROVIDER,RZZ,202627,2,Ann,x,,,,\n"
            + "00A,SECTION,nowhere,202627,2,Ann,x,,,,\n00A,METRIC,M1,202627,2,Ann,x,,,,\n"
            + "99Z,SECTION,summary,202627,2,Ann,x,,,,\n00A,SECTION,summary,202627,2,Ann,x,,,,\n"
            + "00A,SECTION,Summary,202627,2,Ann,y,,,,\n00A,THING,x,202627,2,Ann,x,,,,\n"
        let (outcome, log, _) = try Self.build(csv)
        #expect(outcome.status == .inputErrors)
        let errors = log.sorted.filter { $0.severity == .error }.map { "\($0.location.line) \($0.code)" }
        #expect(
            errors == [
                "2 ref.subject", "3 ref.subject", "4 ref.subject", "5 ref.subject", "6 ref.commissioner",
                "8 dup.commentary", "9 value.choice",
            ], "\(log.sorted)")
    }
}
