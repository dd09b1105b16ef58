import BoardPackCore
import BoardPackPipeline
import BoardPackSample
import Foundation
import Testing

@testable import BoardPackIngest

/// Contract monitoring at the grain providers really send: many rows per contract cell, told apart
/// by columns BoardPack does not report on, in no particular order.
@Suite("Real-grain extracts")
struct RealGrainTests {
    /// Hundredths from a plain decimal with at most two places (the shipped sample's form).
    static func hundredths(_ text: String) -> Int? {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            guard let f = Int(parts[1]), parts[1].count <= 2 else { return nil }
            fraction = parts[1].count == 1 ? f * 10 : f
        }
        return (negative ? -1 : 1) * (whole * 100 + fraction)
    }

    static func format(_ hundredths: Int) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let n = abs(hundredths)
        return "\(sign)\(n / 100).\(n % 100 < 10 ? "0" : "")\(n % 100)"
    }

    /// Copies `inputs` with every activity row split into three rows that differ only in a tariff
    /// code and share its amounts out exactly, every file's rows shuffled (seeded).
    /// With `quoted`, every field is quoted and lines end CRLF, as SQL Server and SSIS export.
    static func regrained(_ inputs: String, seed: UInt64, quoted: Bool) throws -> String {
        let folder = try TestSupport.temporaryFolder("real-grain")
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: inputs, toPath: folder)
        var rng = SplitMix64(seed: seed)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/activity")
        where name.hasSuffix(".csv") {
            let path = folder + "/activity/" + name
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(
                String.init)
            let header = lines[0].split(separator: ",").map(String.init)
            let amounts = Set(
                header.indices.filter { i in
                    ["planned_activity", "actual_activity", "planned_price", "actual_price"].contains {
                        header[i].lowercased().hasSuffix($0)
                    }
                })
            var rows: [String] = []
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for (k, hrg) in ["FZ12A", "FZ12B", "WF01A"].enumerated() {
                    var split = fields
                    for i in amounts {
                        let total = try #require(Self.hundredths(fields[i]), "\(fields[i])")
                        let share = total / 3
                        split[i] = Self.format(k < 2 ? share : total - 2 * share)
                    }
                    rows.append((split + [hrg]).joined(separator: ","))
                }
            }
            rows.shuffle(using: &rng)
            var all = [lines[0] + ",Tariff_Code"] + rows
            if quoted {
                all = all.map {
                    $0.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(
                        separator: ",")
                }
            }
            try all.joined(separator: quoted ? "\r\n" : "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func figures(_ inputs: String) throws -> [String: Data] {
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        return Dictionary(
            uniqueKeysWithValues: outcome.files.filter { $0.path.hasSuffix("figures.json") }.map {
                ($0.path, Data($0.contents))
            })
    }

    @Test(
        "Rows split three ways by tariff code, in shuffled order, plain or fully quoted with CRLF, give the unsplit figures exactly",
        arguments: [false, true])
    func splitRowsSum(quoted: Bool) throws {
        let seed = TestSeed.value
        print("RealGrainTests seed \(seed) (BOARDPACK_TEST_SEED repeats it)")
        // The plain sample (one row per cell, one simple layout) is the base the rows are split from.
        let base = try TestSupport.temporaryFolder("plain-sample")
        var plain = SampleOptions()
        plain.realShaped = false
        plain.linesPerCell = 1
        _ = try SampleGenerator.write(plain, to: base)
        let whole = try Self.figures(base)
        let split = try Self.figures(try Self.regrained(base, seed: seed, quoted: quoted))
        #expect(whole.count >= 4)
        #expect(whole.keys.sorted() == split.keys.sorted())
        for (path, bytes) in whole {
            let a = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            let b = String(decoding: split[path] ?? Data(), as: UTF8.self).split(separator: "\n")
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(
                a == b,
                "seed \(seed), \(path) line \((first?.offset ?? 0) + 1): \(first.map { "\($0.element.0) vs \($0.element.1)" } ?? "")"
            )
        }
    }
}

/// The seed of a test's random choices: `BOARDPACK_TEST_SEED` when set, otherwise a fixed default;
/// printed by the tests that use it, so any failure can be repeated.
enum TestSeed {
    static let value: UInt64 =
        ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_201
}

@Suite("Header spellings")
struct HeaderSpellingTests {
    /// The activity columns as the ACM data set names them, in three spellings real files use.
    static func spelled(_ name: String, _ style: String) -> String {
        switch style {
        case "platform":
            // ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER): upper case, the bracketed qualifier.
            let upper = name.uppercased()
            for qualifier in ["CODE_OF_COMMISSIONER", "CODE_OF_PROVIDER"] where upper.hasSuffix(qualifier) {
                return upper.dropLast(qualifier.count) + "(" + qualifier + ")"
            }
            return upper
        case "spaced":
            let words = name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            var text = words.joined(separator: " ")
            for qualifier in ["Code Of Commissioner", "Code Of Provider"] where text.hasSuffix(qualifier) {
                text = text.dropLast(qualifier.count) + "(" + qualifier + ")"
            }
            return text
        default:  // hyphens and odd case
            return name.replacingOccurrences(of: "_", with: "-").capitalized
        }
    }

    @Test(
        "The data-platform, spaced and hyphenated spellings of the ACM headers give the same figures",
        arguments: ["platform", "spaced", "hyphen"])
    func spellings(style: String) throws {
        let folder = try TestSupport.temporaryFolder("headers")
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: folder)
        let path = folder + "/activity/RXX-M01.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = lines[0].split(separator: ",").map { Self.spelled(String($0), style) }.joined(separator: ",")
        #expect(style != "platform" || lines[0].contains("ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER)"))
        #expect(style != "spaced" || lines[0].contains("Organisation Identifier (Code Of Commissioner)"))
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let (dataset, outcome) = Pipeline.validate(inputs: folder, log: log)
        #expect(outcome.status == .success, "\(lines[0]) \(log.sorted)")
        #expect(!log.diagnostics.contains { $0.code == "csv.unknown-column" }, "\(log.sorted)")
        let (reference, _) = Pipeline.validate(inputs: TestSupport.fixture("small"), log: DiagnosticLog())
        #expect(dataset?.activity.map { "\($0)" } == reference?.activity.map { "\($0)" })
    }
}

@Suite("Values as real files write them")
struct ValueFormTests {
    @Test(
        "Financial years in every documented form; other forms refused",
        arguments: [
            ("202627", 2026), ("2026/27", 2026), ("2026-27", 2026), ("26/27", 2026), ("2026", 2026),
            ("202526", 2025), ("2025/26", 2025), ("2026/28", nil), ("202628", nil), ("26-28", nil), ("2026/2027", nil),
            ("FY26", nil),
        ] as [(String, Int?)])
    func years(text: String, start: Int?) {
        #expect(FieldReader.financialYear(text)?.0.startYear == start, "\(text)")
    }

    @Test(
        "Creation dates: ISO, day-first with or without a time, Excel serials; impossible dates refused",
        arguments: [
            ("2026-06-10", "2026-06-10T00:00:00"), ("2026-06-10T09:00:00", "2026-06-10T09:00:00"),
            ("2026-06-10 09:00:00.123Z", "2026-06-10T09:00:00"), ("10/06/2026", "2026-06-10T00:00:00"),
            ("10/06/2026 09:30", "2026-06-10T09:30:00"), ("10/06/2026 09:30:15", "2026-06-10T09:30:15"),
            ("46183", "2026-06-10T00:00:00"), ("46183.375", "2026-06-10T09:00:00"),
            ("46183.99999999", "2026-06-11T00:00:00"), ("29/02/2028", "2028-02-29T00:00:00"),
            ("31/02/2026", nil), ("29/02/2026", nil), ("2026-02-30", nil), ("2026-13-01", nil),
            ("10/06/2026 25:00", nil), ("06/10/2026 9:30", nil), ("60", nil), ("46183.", nil), ("4.6E+04", nil),
        ] as [(String, String?)])
    func dates(text: String, iso: String?) {
        #expect(Timestamp.normalise(text)?.0 == iso, "\(text)")
    }

    /// The small fixture's latest RXX submission rewritten as a provider's system might write it.
    static func realShaped() throws -> String {
        let folder = try TestSupport.temporaryFolder("value-forms")
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: folder)
        let path = folder + "/activity/RXX-M02.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "202627,", with: "2026/27,")
        lines[2] = lines[2].replacingOccurrences(of: "202627,", with: "26/27,")
        lines[3] = lines[3].replacingOccurrences(of: "202627,", with: "2026,")
        for k in 1..<lines.count {
            lines[k] = lines[k].replacingOccurrences(of: "2026-06-10 09:00:00", with: "10/06/2026 09:00")
        }
        lines[4] = lines[4].replacingOccurrences(of: ",RXX,", with: ",RXX01,")
        lines[5] = lines[5].replacingOccurrences(of: ",RXX,", with: ",RXX01,")
        lines.append("202627,00A,RXX,CQUIN,100,,,250,250.50,2,10/06/2026 09:00,C1")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return folder
    }

    @Test("Year forms, day-first dates, a site code and a CQUIN line read as the plain file plus the CQUIN price")
    func realShapedFile() throws {
        let log = DiagnosticLog()
        let (dataset, outcome) = Pipeline.validate(inputs: try Self.realShaped(), log: log)
        #expect(outcome.status == .success, "\(log.sorted)")
        let (reference, _) = Pipeline.validate(inputs: TestSupport.fixture("small"), log: DiagnosticLog())
        let lines = try #require(dataset?.activity)
        let plain = try #require(reference?.activity)
        // Every plain cell is as before; the CQUIN cell adds price and no activity.
        let cquin = lines.filter { $0.key.pointOfDelivery.description == "CQUIN" }
        #expect(cquin.count == 1)
        #expect(cquin.first?.sums.plannedPrice == Money(pence: 25_000))
        #expect(cquin.first?.sums.actualPrice == Money(pence: 25_050))
        #expect(cquin.first?.sums.actualActivity == .zero)
        #expect(lines.filter { $0.key.pointOfDelivery.description != "CQUIN" }.map { "\($0)" } == plain.map { "\($0)" })
        let notes = log.warnings.filter { $0.location.file.hasSuffix("RXX-M02.csv") }.map(\.message)
        #expect(notes.contains("1 row gives financial_year written as 2026/27; read as documented"), "\(notes)")
        #expect(notes.contains("1 row gives financial_year written as 26/27; read as documented"))
        #expect(notes.contains("1 row gives financial_year written as the start year (2026); read as documented"))
        #expect(
            notes.contains(
                "8 rows give date_and_time_data_set_created written day first (dd/mm/yyyy); read as documented"))
        #expect(notes.contains { $0.hasPrefix("1 row gives blank activity on a financial-adjustment line (CQUIN)") })
        #expect(log.warnings.filter { $0.code == "ref.provider-site" }.count == 1)
    }

    @Test("An impossible creation date is an error at its cell")
    func impossibleDate() throws {
        let folder = try Self.realShaped()
        let path = folder + "/activity/RXX-M02.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "10/06/2026 09:00,C9", with: "31/02/2026 09:00,C9").write(
            toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = Pipeline.validate(inputs: folder, log: log)
        #expect(log.errors.map(\.code) == ["value.timestamp"])
        #expect(log.errors.first?.location.line == 7)
        #expect(log.errors.first?.value == "31/02/2026 09:00")
    }
}

@Suite("Column mapping")
struct ColumnMappingTests {
    /// A copy of `fixture` with `boardpack.toml` holding `config`, and in every activity file of the
    /// providers in `providers` each of `renames` (BoardPack's name → the local one) applied to
    /// its header (CSV) or its elements (XML).
    static func folder(
        _ fixture: String, config: String, renames: [(String, String)], providers: [String] = ["RXX", "RYY"]
    ) throws -> String {
        let folder = try TestSupport.temporaryFolder("mapping")
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: TestSupport.fixture(fixture), toPath: folder)
        try config.write(toFile: folder + "/boardpack.toml", atomically: true, encoding: .utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/activity")
        where providers.contains(where: { name.hasPrefix($0 + "-") }) {
            let path = folder + "/activity/" + name
            var text = try String(contentsOfFile: path, encoding: .utf8)
            for (from, to) in renames {
                if name.hasSuffix(".xml") {
                    let element = to.replacingOccurrences(of: " ", with: "_")
                    text = text.replacingOccurrences(of: "<\(from)>", with: "<\(element)>")
                        .replacingOccurrences(of: "</\(from)>", with: "</\(element)>")
                } else {
                    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    lines[0] = lines[0].split(separator: ",").map {
                        InputSchema.fold(String($0)) == InputSchema.fold(from) ? to : String($0)
                    }.joined(separator: ",")
                    text = lines.joined(separator: "\n")
                }
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let renames = [
        ("organisation_identifier_code_of_provider", "Trust Code"), ("financial_month", "FinMonth"),
        ("organisation_identifier_code_of_commissioner", "CCG"),
    ]

    static let mapping = """
        [columns.activity]
        "Trust Code" = "organisation_identifier_code_of_provider"
        FinMonth = "financial_month"
        "CCG" = "Organisation Identifier (Code of Commissioner)"

        """

    static func validate(_ folder: String) -> (Dataset?, DiagnosticLog) {
        let log = DiagnosticLog()
        var options = BuildOptions(inputs: folder, output: "", templates: "")
        options.config = folder + "/boardpack.toml"
        guard let rules = Configuration.load(path: options.config!, log: log) else { return (nil, log) }
        let (dataset, outcome) = Pipeline.validate(inputs: folder, log: log, settings: rules.ingest)
        return (outcome.status == .success ? dataset : nil, log)
    }

    @Test(
        "A local layout mapped in boardpack.toml reads as BoardPack's, in CSV and XML",
        arguments: ["small", "small-xml"])
    func mapped(fixture: String) throws {
        let (dataset, log) = Self.validate(try Self.folder(fixture, config: Self.mapping, renames: Self.renames))
        #expect(dataset != nil, "\(log.sorted)")
        let (reference, _) = Pipeline.validate(inputs: TestSupport.fixture(fixture), log: DiagnosticLog())
        #expect(dataset?.activity.map { "\($0)" } == reference?.activity.map { "\($0)" })
        // Without the mapping the same files miss those columns, and the message names the mapping.
        let (unmapped, errors) = Self.validate(try Self.folder(fixture, config: "", renames: Self.renames))
        #expect(unmapped == nil)
        if fixture == "small" {
            let missing = try #require(errors.errors.first { $0.code == "csv.missing-column" })
            #expect(
                missing.hint?.contains("[columns.activity] \"Its Name\" = \"financial_month\"") == true)
        }
    }

    @Test("A provider's own mapping applies to its files only")
    func perProvider() throws {
        let config = Self.mapping.replacingOccurrences(of: "[columns.activity]", with: "[columns.activity.RXX]")
        let onlyRXX = try Self.folder("small", config: config, renames: Self.renames, providers: ["RXX"])
        #expect(Self.validate(onlyRXX).0 != nil, "\(Self.validate(onlyRXX).1.sorted)")
        let both = try Self.folder("small", config: config, renames: Self.renames)
        let (dataset, log) = Self.validate(both)
        #expect(dataset == nil)
        #expect(log.errors.map(\.location.file).allSatisfy { $0.contains("/activity/RYY-") }, "\(log.sorted)")
    }

    @Test(
        "Bad column tables are located configuration errors",
        arguments: [
            ("[columns.nothing]\n\"A\" = \"b\"\n", "config.unknown-table", 1),
            ("[columns.activity]\n\"Trust Code\" = \"trust\"\n", "config.value", 2),
            ("[columns.activity]\n\"Trust Code\" = provider_code\n", "config.value", 2),
            ("[columns.activity.R X]\n", "config.unknown-table", 1),
            ("[contract]\nadjustment_pods = \"CQUIN,C Q\"\n", "config.value", 2),
        ])
    func badTables(text: String, code: String, line: Int) {
        let log = DiagnosticLog()
        #expect(Configuration.parse(text, file: "boardpack.toml", log: log) == nil)
        #expect(log.errors.first?.code == code, "\(log.sorted)")
        #expect(log.errors.first?.location.line == line)
    }

    @Test("The adjustment points of delivery come from boardpack.toml")
    func adjustmentPODs() throws {
        let folder = try ValueFormTests.realShaped()
        let path = folder + "/activity/RXX-M02.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: ",CQUIN,", with: ",XADJ,").write(
            toFile: path, atomically: true, encoding: .utf8)
        try "[contract]\nadjustment_pods = \"XADJ\"\n".write(
            toFile: folder + "/boardpack.toml", atomically: true, encoding: .utf8)
        let (dataset, log) = Self.validate(folder)
        #expect(dataset?.activity.contains { $0.key.pointOfDelivery.description == "XADJ" } == true, "\(log.sorted)")
        try "".write(toFile: folder + "/boardpack.toml", atomically: true, encoding: .utf8)
        let (rejected, errors) = Self.validate(folder)
        #expect(rejected == nil)
        #expect(errors.errors.map(\.code) == ["value.required", "value.required"])
    }
}

@Suite("The shipped sample is shaped like real extracts")
struct ShippedSampleShapeTests {
    @Test("Its submissions carry every shape the loader reads, and read without an error")
    func shapes() throws {
        let log = DiagnosticLog()
        let inputs = TestSupport.root + "/inputs"
        var options = BuildOptions(inputs: inputs, output: "", templates: "")
        options.config = inputs + "/boardpack.toml"
        let rules = try #require(Configuration.load(path: options.config!, log: log))
        let (dataset, outcome) = Pipeline.validate(inputs: inputs, log: log, settings: rules.ingest)
        #expect(outcome.status == .success, "\(log.errors)")
        let codes = Set(log.warnings.map(\.code))
        for code in ["value.form", "ref.provider-site", "ref.provider", "code.unknown-pod", "code.unknown-tfc"] {
            #expect(codes.contains(code), "\(code) missing from \(codes.sorted())")
        }
        #expect(!codes.contains("csv.unknown-column"))
        let texts = try FileManager.default.contentsOfDirectory(atPath: inputs + "/activity").filter {
            $0.hasSuffix(".csv")
        }
        .map { try String(contentsOfFile: inputs + "/activity/" + $0, encoding: .utf8) }
        #expect(texts.contains { $0.hasPrefix("\"Financial Year\"") && $0.contains("\r\n") })
        #expect(
            texts.contains {
                $0.hasPrefix("FINANCIAL_YEAR,FINANCIAL_MONTH,ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER)")
            })
        #expect(texts.contains { $0.hasPrefix("FinYear,FinMonth,CCG,Trust Code") })
        // Several rows per cell, told apart by tariff code.
        #expect(texts.allSatisfy { $0.contains("Tariff Code") || $0.contains("TARIFF_CODE") || $0.contains(",HRG") })
        #expect(dataset?.activity.isEmpty == false)
    }
}
