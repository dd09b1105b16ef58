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
