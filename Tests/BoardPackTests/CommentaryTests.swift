import BoardPackCore
import BoardPackPipeline
import Foundation
import Testing

@testable import BoardPackIngest

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

/// risks.csv: the schedule at net values, and the position after it, reconciled in figures.json.
@Suite("Risks and opportunities")
struct RisksTests {
    @Test("Every pack's schedule reconciles: item nets, totals and the surplus after them")
    func reconciles() throws {
        for pack in ["00C", "03Q", "99A", "system"] {
            let data = try #require(
                FileManager.default.contents(atPath: TestSupport.goldenRoot + "/sample/\(pack)/figures.json"))
            let figures = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let risks = try #require(figures["risks"] as? [String: Any], "\(pack)")
            let items = try #require(risks["items"] as? [[String: Any]])
            #expect(items.count >= 4)
            var net = [String: Int]()
            for item in items {
                let gross = try #require(item["gross_pence"] as? Int)
                let likelihood = try #require(item["likelihood_percent"] as? Int)
                let itemNet = try #require(item["net_pence"] as? Int)
                // Rounded half away from zero (all values here are positive).
                #expect(itemNet == (gross * likelihood + 50) / 100)
                net[item["kind"] as! String, default: 0] += itemNet
            }
            #expect(net["RISK"] == risks["net_risks_pence"] as? Int)
            #expect(net["OPPORTUNITY"] == risks["net_opportunities_pence"] as? Int)
            let surplus = try #require(risks["forecast_surplus_pence"] as? Int)
            let finance = try #require(figures["financial_position"] as? [String: Any])
            #expect(surplus == finance["forecast_surplus_pence"] as? Int)
            #expect(risks["surplus_after_pence"] as? Int == surplus - net["RISK"]! + net["OPPORTUNITY"]!)
        }
    }

    @Test("Bad rows are located errors")
    func errors() throws {
        let inputs = try TestSupport.temporaryFolder("risks") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let csv =
            "org_code,risk_id,kind,description,category,gross_value_gbp,likelihood_percent,owner,mitigation\n"
            + "00A,R1,RISK,a,b,1000,120,o,m\n00A,R2,HAZARD,a,b,1000,50,o,m\n00Z,R3,RISK,a,b,1000,50,o,m\n"
            + "00A,R4,RISK,a,b,-5,50,o,m\n00A,R5,RISK,a,b,1000,50,o,m\n00A,R5,RISK,a,b,1000,50,o,m\n"
        try csv.write(toFile: inputs + "/risks.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = try InputLoader.load(folder: inputs, log: log)
        let errors = log.sorted.filter { $0.severity == .error }.map { "\($0.location.line) \($0.code)" }
        #expect(
            errors == ["2 value.range", "3 value.choice", "4 ref.commissioner", "5 value.negative", "7 dup.risk"],
            "\(log.sorted)")
    }
}

/// `[language]`: the organisation's own words for its programme and its commissioners.
@Suite("Language of the organisation")
struct LanguageTests {
    @Test("The programme's name and the commissioner word come from boardpack.toml")
    func words() throws {
        let inputs = try TestSupport.temporaryFolder("language") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        try "[language]\nprogramme = \"Efficiency plan\"\ncommissioner = \"Place\"\n".write(
            toFile: inputs + "/boardpack.toml", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        for path in ["system/board-pack.html", "system/board-pack.md"] {
            let text = String(
                decoding: try #require(outcome.files.first { $0.path == path }?.contents), as: UTF8.self)
            #expect(text.contains("Efficiency plan by programme and by scheme"), "\(path)")
            #expect(text.contains("System Efficiency plan and contract board pack"), "\(path)")
            #expect(!text.contains("QIPP"), "\(path)")
            #expect(text.contains(path.hasSuffix(".html") ? "<th scope=\"col\">Place</th>" : " Place |"), "\(path)")
        }
        let bad = DiagnosticLog()
        let path = try TestSupport.write("[language]\nprogramme = \"\"\n", as: "language.toml")
        #expect(Configuration.load(path: path, log: bad) == nil || bad.hasErrors)
        #expect(bad.diagnostics.contains { $0.code == "config.value" })
    }
}

@Suite("The system pack of an ICB")
struct ICBTitleTests {
    @Test("An ICB's sub-ICB locations give a system pack titled for the ICB")
    func titledForTheParent() throws {
        let inputs = try TestSupport.temporaryFolder("icb") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let path = inputs + "/organisations.csv"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        // Both commissioners become sub-ICB locations of QXX, which is listed.
        var out = [lines[0] + ",parent_org_code"]
        for line in lines.dropFirst() {
            out.append(line + (line.contains(",CCG") ? ",QXX" : ","))
        }
        out.append("QXX,NHS Example Integrated Care Board,1,1,1,ICB,")
        try (out.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        let html = String(
            decoding: try #require(outcome.files.first { $0.path == "system/board-pack.html" }?.contents),
            as: UTF8.self)
        #expect(html.contains("<title>NHS Example Integrated Care Board:"), "\(html.prefix(400))")
    }
}
