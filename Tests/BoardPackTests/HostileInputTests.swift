import BoardPackSample
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackCore
@testable import BoardPackIngest
@testable import BoardPackPipeline
@testable import BoardPackRender

/// Inputs built to hurt: a header that is not UTF-8, an element with a hundred thousand
/// attributes, a folder of thousands of files, warnings repeated thousands of times.
@Suite("Hostile inputs")
struct HostileInputTests {
    /// A copy of the small fixture to change.
    static func small() throws -> String {
        let folder = try TestSupport.temporaryFolder() + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: folder)
        return folder
    }

    @Test("Invalid UTF-8 anywhere in a header is a located error, its bytes shown")
    func headerNotUTF8() throws {
        let folder = try Self.small()
        let path = folder + "/activity/RXX-M01.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.split(separator: "\n").map { Array($0.utf8) }
        lines[0] += Array(",Tariff ".utf8) + [0xC3] + Array("(Code".utf8)
        for i in 1..<lines.count { lines[i] += Array(",x".utf8) }
        try Data(lines.joined(separator: [0x0A]) + [0x0A]).write(to: URL(fileURLWithPath: path))
        let log = DiagnosticLog()
        _ = try InputLoader.load(folder: folder, log: log)
        let error = try #require(log.errors.first { $0.code == "csv.encoding" })
        #expect(error.location.file.hasSuffix("activity/RXX-M01.csv"))
        #expect(error.location.line == 1)
        // The column where the last field starts: one past its comma.
        #expect(error.location.column == lines[0].lastIndex(of: UInt8(ascii: ","))! + 2)
        #expect(error.value == "Tariff \\xc3(Code")
    }

    /// A one-record submission whose `<Line>` carries `count` attributes.
    static func xmlWithAttributes(_ count: Int) -> [UInt8] {
        var text =
            "<?xml version=\"1.0\"?>\n<ContractMonitoringSubmission xmlns=\"urn:boardpack:contract-monitoring:1\">\n"
        text += "<Line"
        for k in 0..<count { text += " a\(k)=\"\(k)\"" }
        text += "><financial_year>202627</financial_year></Line>\n</ContractMonitoringSubmission>\n"
        return Array(text.utf8)
    }

    @Test("An element with 100,000 attributes is refused at its line before libxml2 parses it")
    func hugeElement() throws {
        let log = DiagnosticLog()
        let loader = ActivityLoader(log: log, commissioners: [], knownProviders: [])
        _ = try? loader.load(
            source: .memory(Self.xmlWithAttributes(100_000)), displayPath: "activity/RZZ.xml",
            relativePath: "activity/RZZ.xml", id: "RZZ", format: .xml)
        let error = try #require(log.errors.first)
        #expect(error.code == "xml.too-many-attributes")
        #expect(error.location == SourceLocation(file: "activity/RZZ.xml", line: 3))
    }

    @Test("Attributes under the limit are read past, each unknown name reported once")
    func unknownAttributes() throws {
        let log = DiagnosticLog()
        let loader = ActivityLoader(log: log, commissioners: [], knownProviders: [])
        _ = try? loader.load(
            source: .memory(Self.xmlWithAttributes(XMLPrescan.maxAttributes)), displayPath: "activity/RZZ.xml",
            relativePath: "activity/RZZ.xml", id: "RZZ", format: .xml)
        #expect(!log.errors.contains { $0.code == "xml.too-many-attributes" })
        let unknown = log.warnings.filter { $0.code == "xml.unknown-attribute" }
        #expect(unknown.count == XMLPrescan.maxAttributes)
        #expect(Set(unknown.compactMap(\.value)).count == XMLPrescan.maxAttributes)
    }

    @Test("The prescan counts attributes, not '=' in comments, CDATA, quoted values or end tags")
    func prescanCounts() {
        let many = String(repeating: "=", count: 5_000)
        let body =
            "<R><!-- \(many) --><![CDATA[ \(many) ]]><?pi \(many)?><x a=\"\(many)\" b='\(many)'/></R>"
        #expect(XMLPrescan.check(.memory(Array(body.utf8))) == nil)
        let attributes = (0...XMLPrescan.maxAttributes).map { "a\($0)='1'" }.joined(separator: " ")
        let over = "<R>\n<!-- a comment -->\n<x \(attributes)/></R>"
        #expect(XMLPrescan.check(.memory(Array(over.utf8))) == .tooManyAttributes(line: 3))
    }

    @Test("Thousands of empty submissions: one grouped warning, every one in diagnostics.csv's rows")
    func manyFiles() throws {
        let folder = try Self.small()
        // The fixture's lines end CRLF (one Character in Swift): split the bytes.
        let header = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/activity/RXX-M01.csv")).split(
                separator: 0x0A
            ).first!, as: UTF8.self)
        for i in 0..<3_000 {
            try Data((header + "\n").utf8).write(
                to: URL(fileURLWithPath: folder + "/activity/RZZ-\(String(format: "%05d", i)).csv"))
        }
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: log)
        #expect(dataset.submissions.count == 3_004)
        let empty = log.warnings.filter { $0.code == "file.empty-submission" }
        #expect(empty.count == 3_000)
        let groups = DiagnosticGroups.group(log.sorted)
        let group = try #require(groups.first { $0.first.code == "file.empty-submission" })
        #expect(group.count == 3_000 && group.files.count == 3_000)
        #expect(group.first.location.file.hasSuffix("activity/RZZ-00000.csv"))
        #expect(group.description.hasSuffix("; seen in 3000 files, first here"))
        let rows = String(decoding: DiagnosticsCSV.bytes(log.sorted.filter { $0.severity == .warning }), as: UTF8.self)
        #expect(rows.components(separatedBy: "file.empty-submission").count - 1 == 3_000)
    }

    @Test("More files in activity/ than the limit are refused before any is read, naming the folder and the count")
    func fileLimit() throws {
        let folder = try Self.small()
        var settings = IngestSettings()
        settings.activityFileLimit = 3
        let log = DiagnosticLog()
        #expect(throws: InputError.self) { try InputLoader.load(folder: folder, log: log, settings: settings) }
        do {
            _ = try InputLoader.load(folder: folder, log: log, settings: settings)
        } catch {
            #expect(
                "\(error)".hasSuffix(
                    "/activity: holds 4 files, more than the 3 BoardPack reads in one build; "
                        + "remove superseded submissions, or split the inputs into several builds"))
        }
        settings.activityFileLimit = 4
        #expect(throws: Never.self) { try InputLoader.load(folder: folder, log: DiagnosticLog(), settings: settings) }
    }

    @Test("Each kind lists at most 20 groups, then one note with the count, files and where the rest are")
    func capPerKind() {
        var diagnostics: [Diagnostic] = []
        for file in 0..<3 {
            for column in 0..<40 {
                diagnostics.append(
                    Diagnostic(
                        .warning, "csv.unknown-column",
                        at: SourceLocation(file: "f\(file).csv", line: 1, column: column + 1),
                        value: "c\(column)", message: "unused"))
            }
        }
        diagnostics.append(
            Diagnostic(.error, "value.number", at: SourceLocation(file: "f0.csv", line: 2), message: "bad"))
        let groups = DiagnosticGroups.group(diagnostics.sorted { $0.location < $1.location })
        // 40 values, each in three files; the error stays on its own.
        #expect(groups.count == 41)
        #expect(groups.first { $0.first.value == "c7" }?.files == ["f0.csv", "f1.csv", "f2.csv"])
        let listing = DiagnosticGroups.listing(groups, where: "see diagnostics.csv")
        #expect(listing.shown.count == 21)
        #expect(listing.shown.contains { $0.first.severity == .error })
        #expect(
            listing.notes == [
                "[csv.unknown-column] 20 more warnings of this kind, for other values (60 times in 3 files), not listed here; see diagnostics.csv"
            ])
    }

    @Test("Control characters in a value or file name reach diagnostics.csv escaped")
    func escapedRows() {
        let d = Diagnostic(
            .warning, "file.ignored", at: SourceLocation(file: "activity/x\u{1B}[2J.txt"), value: "a\u{7}b",
            message: "ignored")
        let text = String(decoding: DiagnosticsCSV.bytes([d]), as: UTF8.self)
        #expect(!text.utf8.contains(0x1B) && !text.utf8.contains(0x07))
        #expect(text.contains("activity/x\\u{1B}[2J.txt") && text.contains("a\\u{7}b"))
    }

    @Test("Seeded random headers and file names: never a crash, never a raw control byte in a diagnostic")
    func randomHeadersAndNames() throws {
        let seed = ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_204
        print("random headers and names: seed \(seed)")
        var generator = SplitMix64(seed: seed)
        // Bytes that break things: controls, quotes, separators, a lone UTF-8 lead, a BOM's bytes.
        let awkward: [UInt8] = [0x00, 0x07, 0x0A, 0x0D, 0x1B, 0x22, 0x2C, 0x7F, 0x80, 0xC3, 0xEF, 0xBB, 0xBF, 0xFF]
        let folder = try Self.small()
        let valid = String(
            decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/activity/RXX-M01.csv")).split(
                separator: 0x0A
            )
            .first!, as: UTF8.self)
        for round in 0..<40 {
            var header = Array(valid.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0...header.count, using: &generator)
                header.insert(awkward.randomElement(using: &generator)!, at: at)
            }
            var name: [UInt8] = Array("RZZ-".utf8)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                name.append(
                    Bool.random(using: &generator)
                        ? awkward.randomElement(using: &generator)! : UInt8.random(in: 0x61...0x7A, using: &generator))
            }
            name += Array(".csv".utf8)
            // A name holds no NUL or '/'; anything else may be in a file name on Linux.
            name = name.filter { $0 != 0 && $0 != 0x2F }
            let nameText = String(decoding: name, as: UTF8.self)
            let path = folder + "/activity/" + nameText
            guard (try? Data(header + [0x0A]).write(to: URL(fileURLWithPath: path))) != nil else { continue }
            defer { try? FileManager.default.removeItem(atPath: path) }
            let log = DiagnosticLog()
            _ = try? InputLoader.load(folder: folder, log: log)
            for d in log.diagnostics {
                #expect(
                    !TerminalText.escaped(d.description).unicodeScalars.contains(where: TerminalText.isUnsafe),
                    "seed \(seed), round \(round)")
                // A file name's control characters never reach a location raw.
                #expect(
                    !d.location.file.unicodeScalars.contains(where: TerminalText.isUnsafe),
                    "seed \(seed), round \(round): \(d)")
            }
            if nameText.unicodeScalars.contains(where: TerminalText.isUnsafe) {
                #expect(log.errors.contains { $0.code == "file.control-character" }, "seed \(seed), round \(round)")
            }
            if String(validating: header, as: UTF8.self) == nil,
                !nameText.unicodeScalars.contains(where: TerminalText.isUnsafe)
            {
                #expect(log.hasErrors, "seed \(seed), round \(round): a header that is not UTF-8 passed")
            }
        }
    }
}

/// What a national build holds per contract cell: millions of them, so every byte counts.
@Suite("Compact cells")
struct CompactCellTests {
    @Test("A surviving cell is 48 bytes in the store and 112 as a line")
    func sizes() {
        #expect(MemoryLayout<RestatementStore.StoredCell>.stride == 48)
        #expect(MemoryLayout<ActivityLine>.stride == 112)
    }
}

/// Each commissioner's appendix lists first the warnings that touch it.
@Suite("Warnings by commissioner")
struct PackWarningsTests {
    @Test(
        "A warning about a commissioner's own code or provider comes before the others; the system pack keeps file order"
    )
    func touchingFirst() throws {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.root + "/inputs", log: log)
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period)
        var warnings = log.sorted.filter { $0.severity == .warning }
        // One warning naming each commissioner, at the very end of the location order.
        for code in dataset.commissioners.map(\.code.description) {
            warnings.append(
                Diagnostic(
                    .warning, "test.touch", at: SourceLocation(file: "zz-last.csv", line: 1), value: code,
                    message: "names \(code)"))
        }
        let ordering = PackWarnings(warnings, submissions: dataset.submissions)
        for pack in packs where pack.scope != .system {
            let listed = ordering.forPack(pack)
            #expect(listed.count == ordering.groups.count)
            // Its own warning is listed before every warning that touches none of its providers.
            let own = try #require(listed.firstIndex { $0.first.value == pack.code })
            let providers = Set(pack.contract.providers.compactMap { $0.total.provider?.description })
            let submissionsOfOthers = Set(
                dataset.submissions.filter { Set($0.providers.map(\.description)).isDisjoint(with: providers) }.map(
                    \.path))
            let firstUnrelated = listed.firstIndex { group in
                group.first.value.map { !providers.contains($0) && $0 != pack.code } ?? true
                    && group.files.allSatisfy { submissionsOfOthers.contains($0) || $0 == "zz-last.csv" }
            }
            if let firstUnrelated { #expect(own < firstUnrelated, "\(pack.code)") }
            // Another commissioner's warning is not among the first.
            let other = try #require(listed.firstIndex { $0.first.code == "test.touch" && $0.first.value != pack.code })
            #expect(own < other)
        }
        let system = try #require(packs.first { $0.scope == .system })
        #expect(ordering.forPack(system) == ordering.groups)
    }
}

/// Small things an analyst's own files showed.
@Suite("Analyst's files: small items")
struct AnalystSmallTests {
    @Test("A decimal count (a weighted population) is a located error, never rounded")
    func decimalPopulation() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "00A,NHS Alpha CCG,100000,", with: "00A,NHS Alpha CCG,3928.020356,")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: log)
        let error = try #require(log.errors.first { $0.code == "value.whole-number" })
        #expect(error.location.file.hasSuffix("organisations.csv") && error.location.line == 2)
        #expect(error.value == "3928.020356")
        // Zeros after the point are a whole number still.
        try text.replacingOccurrences(of: "00A,NHS Alpha CCG,100000,", with: "00A,NHS Alpha CCG,100000.00,")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let clean = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: clean)
        #expect(!clean.hasErrors)
        #expect(dataset.commissioners.first { $0.code.description == "00A" }?.registeredPopulation == 100_000)
    }

    @Test("A forecast that has not moved reads 'unchanged since M2', not 'unchanged than at M2'")
    func unchangedSince() {
        let movement = Movement(
            previousPeriod: FinancialMonth(year: FinancialYear(startYear: 2026), month: 2),
            previousRiskAdjusted: Money(pence: 100_000), previousGap: Money(pence: 0), forecastChange: Money(pence: 20),
            schemes: [])
        #expect(ViewBuilder.movementView(movement).summary == "Risk-adjusted forecast unchanged since M2.")
        var better = movement
        better.forecastChange = Money(pence: 150_000)
        #expect(ViewBuilder.movementView(better).summary == "Risk-adjusted forecast £1,500 better than at M2.")
    }
}

extension AnalystSmallTests {
    @Test("A commissioner with no data gets a pack that says so, with its QIPP gap not rated green")
    func emptyCommissioner() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += (text.hasSuffix("\n") ? "" : "\n") + "00Z,NHS Zed CCG,20000,30000000,0,CCG\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: log)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period)
        let empty = try #require(packs.first { $0.code == "00Z" })
        let view = ViewBuilder.pack(empty, warnings: [Diagnostic]())
        #expect(view.isEmpty && view.emptyNotice.contains("NHS Zed CCG (00Z)"))
        let gap = try #require(view.ratings.first)
        #expect(gap.ragLabel != "Green", "\(gap)")
        #expect(gap.rule == "no QIPP target and no schemes: not rated")
        // A commissioner with data has no such notice.
        let full = try #require(packs.first { $0.code == "00A" })
        #expect(!ViewBuilder.pack(full, warnings: [Diagnostic]()).isEmpty)
    }
}

extension AnalystSmallTests {
    @Test("Measures read 1,234 as money does; dd/mm/yyyy dates are read; a form not read is named as such")
    func metricForms() throws {
        let (dataset, log) = try MetricsTests.load([
            "metrics.csv": MetricsTests.header
                + "AE,A&E,00B,01/04/2026,\"1,234.5\",,\nAE,A&E,00B,2026-05,\"12,345\",,\n"
                + "AE,A&E,00B,2026/06/01,1,,\nAE,A&E,00B,2026-02-30,1,,\nAE,A&E,00B,2026-07,\"1,23\",,\n"
        ])
        let points = try #require(dataset?.metrics)
        #expect(points.map(\.value) == [1234.5, 12345])
        #expect(points.first?.date == "2026-04-01" && points.first?.written == "01/04/2026")
        let messages = log.errors.map { "\($0.location.line) \($0.code) \($0.message)" }
        #expect(
            messages == [
                "4 value.date not a date in a form BoardPack reads (YYYY-MM-DD, YYYY-MM or day first dd/mm/yyyy)",
                "5 value.date not a date that exists", "6 value.number not a plain number",
            ], "\(messages)")
    }

    @Test("A special cause in a table says what it means where a direction is set")
    func specialCauseText() {
        #expect(ViewBuilder.specialCause(-1, rules: [.shift], direction: .down) == "Low (shift): improvement")
        #expect(ViewBuilder.specialCause(1, rules: [.shift], direction: .down) == "High (shift): concern")
        #expect(ViewBuilder.specialCause(1, rules: [.shift], direction: .up) == "High (shift): improvement")
        #expect(ViewBuilder.specialCause(-1, rules: [.shift], direction: .neither) == "Low (shift)")
        #expect(ViewBuilder.specialCause(0, rules: [], direction: .up) == "")
    }

    @Test("boardpack spc names the side of a neutral special cause, and its advice names no setting it does not read")
    func spcNeutral() throws {
        // Twelve points about 10, then eight at 20: a shift up.
        let values = [10, 11, 9, 10, 10, 11, 9, 10, 11, 9, 10, 10, 20, 21, 19, 20, 20, 21, 19, 20]
        let csv =
            "date,value\n"
            + values.enumerated().map { i, value in
                "\(2024 + i / 12)-\(String(format: "%02d", i % 12 + 1)),\(value)"
            }.joined(separator: "\n") + "\n"
        let path = try TestSupport.write(csv, as: "series.csv")
        var options = SPCTool.Options()
        options.direction = .neither
        let output = try #require(try SPCTool.run(path: path, options: options, log: DiagnosticLog()))
        let causes = Set(
            output.csv.split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false)[5]
            })
        #expect(causes.contains("high") && !causes.contains("neither"), "\(causes)")
        let bad = try TestSupport.write("day,amount\n2025-01-01,3\n", as: "series.csv")
        let log = DiagnosticLog()
        _ = try SPCTool.run(path: bad, options: options, log: log)
        let hint = try #require(log.errors.first?.hint)
        #expect(!hint.contains("[columns.") && hint.contains("date and value"), "\(hint)")
    }
}

extension AnalystSmallTests {
    @Test("A measure that ended over a year before the reporting month is shown with its date, and warned of once")
    func staleMeasure() throws {
        let inputs = try TestSupport.temporaryFolder("stale") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let rows = (1...12).map { "AE,A&E,SYSTEM,2018-\(String(format: "%02d", $0)),\(70 + $0 % 3),%,\n" }.joined()
        try (MetricsTests.header + rows).write(toFile: inputs + "/metrics.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted)")
        let stale = log.warnings.filter { $0.code == "metric.stale" }
        #expect(stale.count == 1 && stale.first?.value == "2018-12", "\(log.sorted)")
        #expect(stale.first?.location.line == 13)
        let series = try #require(outcome.packs.first?.metrics.first)
        #expect(series.staleSince == "2018-12")
        #expect(ViewBuilder.metricView(series).latest.hasSuffix("(2018-12, over a year before the reporting month)"))
    }

    @Test("A folder with measures and no actuals reports up to its latest measure instead of failing")
    func measuresOnly() throws {
        let inputs = try TestSupport.temporaryFolder("measures-only")
        try FileManager.default.copyItem(
            atPath: TestSupport.fixture("small") + "/organisations.csv", toPath: inputs + "/organisations.csv")
        for name in ["qipp_schemes.csv", "qipp_monthly.csv"] {
            let header = try String(contentsOfFile: TestSupport.root + "/inputs/" + name, encoding: .utf8)
                .split(separator: "\n").first!
            try (header + "\n").write(toFile: inputs + "/" + name, atomically: true, encoding: .utf8)
        }
        try (MetricsTests.header + "AE,A&E,SYSTEM,2019-02,70,%,\nAE,A&E,SYSTEM,2019-03,71,%,\n").write(
            toFile: inputs + "/metrics.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: inputs, log: log)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        #expect(period.calendarText == "2019-03" && period.month == 12)
    }
}

extension AnalystSmallTests {
    @Test("A published list with no header row is named as such; a provider row with no org_type says to give one")
    func referenceLists() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        // As the ODS trust list is published: no header, every field quoted.
        try
            (#""RXX","KINGSMOOR HOSPITALS NHS TRUST","Y56","Q72","1 HIGH STREET","","","","","LS1 1AA","19990401","","","0113 000 0000","",""\#n"#
            + #""RYY","RIVERSIDE NHS TRUST","Y61","Q74","2 LOW ROAD","","","","","M1 1AA","19990401","","","0161 000 0000","",""\#n"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: log)
        let error = try #require(log.errors.first)
        #expect(error.code == "csv.no-header" && error.location.line == 1, "\(log.sorted)")
        #expect(error.message.contains("'RXX', 'KINGSMOOR HOSPITALS NHS TRUST', 'Y56'"), "\(error.message)")
        #expect(error.hint?.contains("org_code") == true)
        // With a header but no org_type column, a trust's row says what is missing.
        let lines = original.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let typeColumn = try #require(header.firstIndex(of: "org_type"))
        let trimmed = lines.map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count == header.count { fields.remove(at: typeColumn) }
            return fields.joined(separator: ",")
        }
        var rows = trimmed.filter { !$0.isEmpty }
        rows.append("RZZ,A Trust NHS Trust" + String(repeating: ",", count: header.count - 3))
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let second = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: second)
        let rzz = second.errors.filter { $0.location.line == rows.count }
        #expect(rzz.count == 1, "\(second.sorted)")
        #expect(rzz.first?.hint?.contains("org_type PROVIDER") == true, "\(second.sorted)")
    }
}
