import BoardPackCore
import BoardPackPipeline
import Foundation
import Testing
import ZIPFoundation

@testable import BoardPackIngest
@testable import BoardPackSample

/// .xlsx inputs: workbooks from two real writers give the same figures as the CSV files; cells
/// read exactly; hostile workbooks refused with a located error.
@Suite("Excel workbooks")
struct XLSXTests {
    static let fixtures = TestSupport.fixture("xlsx")

    static func figures(_ inputs: String, config: String? = nil) throws -> ([String: String], DiagnosticLog) {
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates, config: config), log: log,
            publish: false)
        #expect(outcome.status == .success, "\(inputs): \(log.sorted)")
        var result: [String: String] = [:]
        for file in outcome.files where file.path.hasSuffix("figures.json") {
            result[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        return (result, log)
    }

    @Test("Workbooks written by openpyxl and by LibreOffice Calc give byte-identical figures.json to the CSVs")
    func writersAgree() throws {
        let (csv, _) = try Self.figures(TestSupport.fixture("small"))
        #expect(csv.count == 3)
        for writer in ["openpyxl", "calc"] {
            let (xlsx, log) = try Self.figures(Self.fixtures + "/" + writer)
            #expect(xlsx == csv, "\(writer)")
            // Located as cells of their sheet.
            let warning = log.diagnostics.first { $0.code == "code.unknown-pod" }
            #expect(
                warning?.location.description.hasSuffix(".xlsx[\(writer == "calc" ? "RYY-M02" : "Sheet1")]!E2") == true)
        }
    }

    @Test("boardpack sample --xlsx: the tracker and ledger as workbooks give the shipped sample's figures")
    func sampleWorkbooks() throws {
        let folder = try TestSupport.temporaryFolder("sample-xlsx") + "/inputs"
        var options = SampleOptions()
        options.xlsx = true
        _ = try SampleGenerator.write(options, to: folder)
        for name in ["qipp_schemes", "qipp_monthly", "finance_ledger"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/\(name).xlsx"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/\(name).csv"))
        }
        let (book, _) = try Self.figures(folder)
        let (csv, _) = try Self.figures(TestSupport.root + "/inputs")
        #expect(book.count == 4 && book == csv)
    }

    @Test("Submissions as workbooks of thousands of rows (summed in many batches) give the figures of the same CSVs")
    func largeSheets() throws {
        var options = SampleOptions()
        options.commissioners = 6
        options.providers = 2
        options.xmlProviders = 0
        options.mainContractLines = 40
        options.linesPerCell = 3
        var figures: [[String: String]] = []
        for asWorkbooks in [false, true] {
            let folder = try TestSupport.temporaryFolder("large-sheets-\(asWorkbooks)") + "/inputs"
            options.xlsxActivity = asWorkbooks
            let written = try SampleGenerator.write(options, to: folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/activity")
            #expect(files.allSatisfy { $0.hasSuffix(asWorkbooks ? ".xlsx" : ".csv") })
            // Several batches per sheet: the largest submissions hold more than three batches of rows.
            #expect(written.activityRows / files.count > 3 * ActivityRowBatch.capacity, "\(written.activityRows)")
            figures.append(try Self.figures(folder).0)
        }
        #expect(!figures[0].isEmpty && figures[0] == figures[1])
    }

    @Test("One tracker workbook holds several inputs as named sheets, mapped in boardpack.toml")
    func tracker() throws {
        let inputs = try TestSupport.temporaryFolder("tracker") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        for name in ["qipp_schemes.csv", "qipp_monthly.csv"] {
            try FileManager.default.removeItem(atPath: inputs + "/" + name)
        }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/tracker.xlsx", toPath: inputs + "/tracker.xlsx")
        let config =
            "[workbooks.qipp_schemes]\nfile = \"tracker.xlsx\"\nsheet = \"Schemes\"\n\n"
            + "[workbooks.qipp_monthly]\nfile = \"tracker.xlsx\"\nsheet = \"Monthly\"\n"
        try config.write(toFile: inputs + "/boardpack.toml", atomically: true, encoding: .utf8)
        let (csv, _) = try Self.figures(TestSupport.fixture("small"))
        let (book, _) = try Self.figures(inputs)
        #expect(book == csv)
        // The same input as CSV and as the workbook: which to read is not guessed.
        try "x".write(toFile: inputs + "/qipp_schemes.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        var settings = IngestSettings()
        for (input, sheet) in [("qipp_schemes", "Schemes"), ("qipp_monthly", "Monthly")] {
            settings.workbooks.append(
                IngestSettings.Workbook(
                    input: input, file: "tracker.xlsx", sheet: sheet, source: SourceLocation(file: "boardpack.toml")))
        }
        _ = try InputLoader.load(folder: inputs, log: log, settings: settings)
        #expect(log.diagnostics.contains { $0.code == "file.input-twice" }, "\(log.sorted)")
    }

    /// The values sheet's rows, by the schema's two columns `name` and `value`.
    static func values(_ file: String) throws -> ([String: String], DiagnosticLog) {
        let schema = InputSchema(
            name: "values.xlsx", key: "values",
            columns: [
                .init(name: "name", aliases: [], required: true), .init(name: "value", aliases: [], required: true),
            ])
        let log = DiagnosticLog()
        var rows: [String: String] = [:]
        try XLSXTable.read(
            path: Self.fixtures + "/hostile/" + file, displayPath: file, sheet: nil, schema: schema, mapping: [:],
            log: log
        ) { row in
            rows[String(decoding: row.raw(0) ?? [], as: UTF8.self)] = String(decoding: row.raw(1) ?? [], as: UTF8.self)
        }
        return (rows, log)
    }

    @Test("Cells read exactly: numbers to 15 digits, dates by style, percentages, strings of every kind")
    func cells() throws {
        let (rows, log) = try Self.values("values.xlsx")
        #expect(rows["noise"] == "1234.57")
        #expect(rows["half penny"] == "1234.565")
        #expect(rows["percent"] == "12.5")
        #expect(rows["date"] == "2026-06-10")
        #expect(rows["date time"] == "2026-06-10T09:00:00")
        #expect(rows["code"] == "180")
        #expect(rows["boolean"] == "TRUE")
        #expect(rows["shared"] == "rich text")
        #expect(rows["formula text"] == "ab")
        #expect(rows["after a blank row"] == "0.001")
        // An error value where it is read: a located error, the row not passed on. Where it is not
        // read (the note column, which this schema does not use): nothing.
        #expect(rows["error read"] == nil && rows["error not read"] == "1")
        let error = try #require(log.diagnostics.first { $0.code == "xlsx.error-value" })
        #expect(error.description.hasPrefix("values.xlsx[Values]!B2: error: value: "), "\(error)")
        #expect(error.value == "#DIV/0!" && log.errorCount == 1, "\(log.sorted)")
        // The hidden first sheet was passed over; the 1904 date system moves dates by 1,462 days.
        let (later, _) = try Self.values("values-1904.xlsx")
        #expect(later["date"] == "2030-06-11" && later["noise"] == "1234.57")
    }

    @Test(
        "Hostile and unreadable workbooks are refused with a located error",
        arguments: [
            ("bomb.xlsx", "xlsx.too-large"), ("doctype.xlsx", "xml.doctype"),
            ("missing-part.xlsx", "xlsx.missing-part"),
            ("truncated.xlsx", "xlsx.corrupt"), ("bad-checksum.xlsx", "xlsx.corrupt"),
            ("encrypted.xlsx", "xlsx.encrypted"), ("legacy.xls", "xlsx.legacy-xls"),
            ("not-a-workbook.xlsx", "xlsx.not-a-workbook"), ("merged-header.xlsx", "xlsx.merged-header"),
        ])
    func hostile(file: String, code: String) throws {
        let schema = Schemas.schemes
        let log = DiagnosticLog()
        var rows = 0
        try XLSXTable.read(
            path: Self.fixtures + "/hostile/" + file, displayPath: file, sheet: nil, schema: schema, mapping: [:],
            log: log
        ) { _ in rows += 1 }
        let errors = log.sorted.filter { $0.severity == .error }
        let found = errors.first { $0.code == code }
        #expect(found != nil, "\(log.sorted)")
        #expect(errors.allSatisfy { $0.location.file.hasPrefix(file) })
        if code == "xlsx.merged-header" {
            #expect(found?.location.description == "merged-header.xlsx[Sheet1]!A1")
        } else if file != "bad-checksum.xlsx" {
            // Refused outright: nothing read. (A bad checksum shows only once the part has been read:
            // what its rows said is reported too, and the run fails either way.)
            #expect(rows == 0 && errors.count == 1, "\(log.sorted)")
        }
    }

    @Test("A legacy .xls where an input is expected is named as such")
    func legacyInput() throws {
        let inputs = try TestSupport.temporaryFolder("xls") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        try FileManager.default.copyItem(
            atPath: Self.fixtures + "/hostile/legacy.xls", toPath: inputs + "/finance_ledger.xls")
        try FileManager.default.copyItem(
            atPath: Self.fixtures + "/hostile/legacy.xls", toPath: inputs + "/activity/RZZ-M01.xls")
        let log = DiagnosticLog()
        _ = try InputLoader.load(folder: inputs, log: log)
        let found = log.sorted.filter { $0.code == "xlsx.legacy-xls" }.map {
            $0.location.file.split(separator: "/").last!
        }
        #expect(found == ["RZZ-M01.xls", "finance_ledger.xls"], "\(log.sorted)")
    }

    /// Workbooks made from the values sheet with its XML mutated at random (seeded, printed): every
    /// one is read or refused with diagnostics, never a crash.
    @Test("Mutated sheets never crash the reader")
    func mutated() throws {
        let seed = TestSeed.value
        print("xlsx mutation test: seed \(seed) (BOARDPACK_TEST_SEED to repeat)")
        var rng = SplitMix64(seed: seed)
        let source = try Archive(url: URL(fileURLWithPath: Self.fixtures + "/hostile/values.xlsx"), accessMode: .read)
        var parts: [(String, Data)] = []
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            parts.append((entry.path, data))
        }
        let folder = try TestSupport.temporaryFolder("xlsx-mutated")
        let alphabet = Array("<>/=\"'&;#x0123456789 ctrvsei".utf8)
        for round in 0..<150 {
            var mutatedParts = parts
            let k = Int(rng.next() % UInt64(parts.count))
            var bytes = [UInt8](mutatedParts[k].1)
            for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            mutatedParts[k].1 = Data(bytes)
            let path = folder + "/m\(round).xlsx"
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
            for (name, data) in mutatedParts {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
                ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
            }
            let log = DiagnosticLog()
            try XLSXTable.read(
                path: path, displayPath: "m\(round).xlsx", sheet: nil, schema: Schemas.schemes, mapping: [:], log: log
            ) { _ in }
            // Read or refused: either way the log says what happened when rows could not be read.
            #expect(log.diagnostics.allSatisfy { $0.location.file.hasPrefix("m\(round).xlsx") }, "seed \(seed)")
        }
    }
}
