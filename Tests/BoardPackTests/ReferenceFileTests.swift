import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackCore
@testable import BoardPackIngest
@testable import BoardPackPipeline

/// Files as analysts have them: a real ODS trust list (no header row, every field quoted) and NHS
/// England's A&E attendances, read through boardpack.toml alone (Fixtures/public-nhs, README.md there).
@Suite("Reference files and layouts of their own")
struct ReferenceFileTests {
    static func loadPublic() throws -> (Dataset, DiagnosticLog, Rules) {
        let folder = TestSupport.fixture("public-nhs")
        let log = DiagnosticLog()
        let rules = try #require(Configuration.load(path: folder + "/boardpack.toml", log: log), "\(log.sorted)")
        return (try InputLoader.load(folder: folder, log: log, settings: rules.ingest), log, rules)
    }

    @Test("The ODS trust list is read as it is published: providers named from it, no error")
    func odsList() throws {
        let (dataset, log, _) = try Self.loadPublic()
        #expect(!log.hasErrors, "\(log.sorted)")
        // 13 trusts from etr.csv and the commissioner from organisations.csv.
        #expect(dataset.organisations.count == 14)
        #expect(dataset.commissioners.map(\.code.description) == ["07T"])
        let barts = try #require(dataset.organisation(ShortCode("R1H")!))
        #expect(barts.name == "BARTS HEALTH NHS TRUST" && barts.type == .provider)
        // A name with a comma inside its quotes stays whole.
        #expect(
            dataset.organisation(ShortCode("RF4")!)?.name
                == "BARKING, HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST")
        // The department type, breaches and admissions are not read, and not warned about.
        #expect(!log.warnings.contains { $0.code == "csv.unknown-column" }, "\(log.sorted)")
    }

    @Test("A&E attendances read as a measure reproduce the published totals (checked by hand)")
    func publishedTotals() throws {
        let (dataset, _, rules) = try Self.loadPublic()
        #expect(dataset.metrics.count == 144)
        func total(_ org: String, from: String = "2016-04-01", to: String = "2019-03-01") -> Double {
            dataset.metrics.filter { $0.org == org && $0.date >= from && $0.date <= to }.reduce(0) { $0 + $1.value }
        }
        // Totals summed from ae_attendances.csv with awk, recorded in the fixture's README.md.
        #expect(total("R1H") == 998_934)
        #expect(total("RF4") == 697_635)
        #expect(total("RJZ") == 600_393)
        #expect(total("RQX") == 370_767)
        #expect(total("R1H", from: "2018-04-01") == 324_394)
        #expect(total("RQX", from: "2018-04-01") == 125_845)
        // The commissioner's pack shows the measures of the two trusts it holds contracts with.
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let pack = try #require(Analysis.packs(dataset, period: period, rules: rules).first { $0.code == "07T" })
        #expect(Set(pack.metrics.map(\.org)) == ["R1H", "RQX"])
        let barts = try #require(pack.metrics.first { $0.org == "R1H" })
        #expect(barts.orgName == "BARTS HEALTH NHS TRUST" && barts.name == "A&E type 1 attendances")
    }

    /// An input folder copied from `small`, with `files` written into it.
    static func folder(_ files: [String: String]) throws -> String {
        let inputs = try TestSupport.temporaryFolder("layouts") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        for (name, text) in files { _ = try TestSupport.write(text, as: name, in: inputs) }
        return inputs
    }

    static func load(_ toml: String, _ files: [String: String]) throws -> (Dataset?, DiagnosticLog) {
        let inputs = try folder(files)
        let log = DiagnosticLog()
        guard let rules = Configuration.parse(toml, file: "boardpack.toml", log: log) else { return (nil, log) }
        return (try? InputLoader.load(folder: inputs, log: log, settings: rules.ingest), log)
    }

    @Test("header = false in [columns.INPUT]: columns by position, the first row is data")
    func headerlessMainFile() throws {
        let toml = """
            [columns.organisations]
            header = false
            "2" = "org_code"
            "1" = "org_name"
            "3" = "registered_population"
            "4" = "programme_allocation_gbp"
            "5" = "qipp_target_gbp"
            "6" = "org_type"
            """
        let (dataset, log) = try Self.load(
            toml,
            [
                "organisations.csv": "\"NHS Alpha CCG\",\"00A\",100000,150000000,1000000,CCG,extra\n"
                    + "NHS Beta CCG,00B,50000,75000000,500000,CCG,\n"
                    + "Test Hospital,RXX,,,,PROVIDER,\n"
            ])
        #expect(!log.hasErrors, "\(log.sorted)")
        #expect(dataset?.organisations.map(\.code.description) == ["00A", "00B", "RXX"])
        #expect(dataset?.organisations.first?.name == "NHS Alpha CCG")
    }

    @Test("A position beyond the row, or a required column with no position, is a located error with the fix")
    func headerlessProblems() throws {
        let (_, beyond) = try Self.load(
            "[files.more]\ninput = \"organisations\"\nfile = \"more.csv\"\nheader = false\n\"1\" = \"org_code\"\n"
                + "\"9\" = \"org_name\"\nconstant.org_type = \"PROVIDER\"\n",
            ["more.csv": "RZZ,Some Trust\n"])
        let error = try #require(beyond.errors.first)
        #expect(error.code == "csv.missing-column" && error.location.file.hasSuffix("more.csv"))
        #expect(error.message.contains("org_name from column 9, but the first row has 2 columns"))

        let (_, missing) = try Self.load(
            "[files.more]\ninput = \"organisations\"\nfile = \"more.csv\"\nheader = false\n\"1\" = \"org_code\"\n"
                + "\"2\" = \"org_name\"\n",
            ["more.csv": "RZZ,Some Trust\n"])
        let second = try #require(missing.errors.first)
        #expect(second.code == "csv.missing-column")
        // Without constant.org_type = "PROVIDER", a row may be a commissioner's: its columns are needed.
        #expect(second.message.contains("registered_population"))
        #expect(second.hint?.contains("constant.registered_population") == true)
    }

    @Test("A constant column the file also has is one error naming both")
    func constantTwice() throws {
        let (_, log) = try Self.load(
            "[files.more]\ninput = \"organisations\"\nfile = \"more.csv\"\nconstant.org_type = \"PROVIDER\"\n",
            ["more.csv": "org_code,org_name,org_type\nRZZ,Some Trust,PROVIDER\n"])
        let error = try #require(log.errors.first)
        #expect(error.code == "csv.duplicate-column" && error.message.contains("org_type"))
    }

    @Test("An organisation in two lists: the first file's row is used, one warning for the later file")
    func repeatedAcrossFiles() throws {
        let (dataset, log) = try Self.load(
            "[files.more]\ninput = \"organisations\"\nfile = \"more.csv\"\nheader = false\n\"1\" = \"org_code\"\n"
                + "\"2\" = \"org_name\"\nconstant.org_type = \"PROVIDER\"\n",
            ["more.csv": "\"RXX\",\"ANOTHER NAME\"\n\"RZZ\",\"NEW TRUST\"\n\"RZZ\",\"NEW TRUST\"\n"])
        #expect(dataset?.organisation(ShortCode("RXX")!)?.name == "Test & Sons Hospital NHS Trust")
        #expect(dataset?.organisation(ShortCode("RZZ")!)?.name == "NEW TRUST")
        let warning = try #require(log.warnings.first { $0.code == "dup.organisation-list" })
        #expect(warning.location.file.hasSuffix("more.csv") && warning.location.line == 1)
        #expect(warning.message.hasPrefix("1 organisation is also listed in"))
        // Within one file, a repeat is still an error.
        #expect(log.errors.map(\.code) == ["dup.organisation"])
    }

    @Test("Two files of measures are read as one: a repeat across them is an error naming both")
    func measuresInTwoFiles() throws {
        let header = "metric_id,metric_name,org_code,period,value\n"
        let (dataset, log) = try Self.load(
            "[files.more]\ninput = \"metrics\"\nfile = \"more.csv\"\n",
            [
                "metrics.csv": header + "AE,A&E,00A,2026-04,1\n",
                "more.csv": header + "RTT,RTT,00A,2026-04,2\nAE,A&E,00A,2026-04,3\n",
            ])
        #expect(dataset == nil || log.hasErrors)
        let error = try #require(log.errors.first)
        #expect(error.code == "dup.metric" && error.location.file.hasSuffix("more.csv"))
        #expect(error.message.contains("metrics.csv:2"))
    }

    @Test("A [files.NAME] file that is not there is an error at the table")
    func missingFile() throws {
        let (_, log) = try Self.load("[files.trusts]\ninput = \"organisations\"\nfile = \"etr.csv\"\n", [:])
        let error = try #require(log.errors.first)
        #expect(error.code == "file.missing" && error.location.file == "boardpack.toml" && error.location.line == 1)
    }

    @Test("Bad layout settings are located configuration errors")
    func badSettings() {
        let cases: [(String, String)] = [
            ("[files.x]\nfile = \"x.csv\"\n", "needs input"),
            ("[files.x]\ninput = \"activity\"\nfile = \"x.csv\"\n", "adds rows to organisations or metrics"),
            ("[files.x]\ninput = \"organisations\"\nfile = \"../x.csv\"\n", "in the input folder"),
            ("[files.x]\ninput = \"organisations\"\nfile = \"x.csv\"\n\"1\" = \"nothing\"\n", "not a column"),
            ("[columns.organisations]\nheader = \"no\"\n", "true or false"),
            ("[columns.organisations]\nconstant.colour = \"red\"\n", "not a column of organisations"),
            ("[columns.activity]\nheader = false\n", "activity files always have a header row"),
        ]
        for (text, expected) in cases {
            let log = DiagnosticLog()
            #expect(Configuration.parse(text, file: "b.toml", log: log) == nil, "\(text)")
            #expect(log.errors.first?.message.contains(expected) == true, "\(text): \(log.sorted)")
            #expect(log.errors.first?.location.line ?? 0 >= 1)
        }
    }
}

@Suite("Reference files: one error per cause")
struct UnreadableListTests {
    @Test("An organisation list that cannot be read is one error; the other inputs are not read into thousands more")
    func unreadableList() throws {
        // The sample's organisations.csv with its code column misnamed: 5,803 errors before.
        let inputs = try TestSupport.temporaryFolder("unreadable") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.root + "/inputs", toPath: inputs)
        let path = inputs + "/organisations.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "org_code,", with: "code_of_org,").write(
            toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: inputs, log: log)
        #expect(log.errors.map(\.code) == ["csv.missing-column"], "\(log.sorted)")
        let stop = try #require(log.warnings.first { $0.code == "file.not-read" })
        #expect(stop.location.file.hasSuffix("organisations.csv"))
        #expect(dataset.submissions.isEmpty && dataset.schemes.isEmpty)

        // The same for a [files.NAME] list: its error, not one per code that names its trusts.
        let fixture = try TestSupport.temporaryFolder("unreadable-files") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("public-nhs"), toPath: fixture)
        let toml = try String(contentsOfFile: fixture + "/boardpack.toml", encoding: .utf8)
        let other = DiagnosticLog()
        let rules = try #require(
            Configuration.parse(
                toml.replacingOccurrences(of: "\"2\" = \"org_name\"", with: "\"29\" = \"org_name\""),
                file: "boardpack.toml", log: other))
        _ = try InputLoader.load(folder: fixture, log: other, settings: rules.ingest)
        #expect(other.errors.count == 1 && other.errors[0].location.file.hasSuffix("etr.csv"), "\(other.sorted)")
    }
}
