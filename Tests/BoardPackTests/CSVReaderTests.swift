import BoardPackCore
import Foundation
import Testing

@testable import BoardPackIngest

@Suite("CSV reader")
struct CSVReaderTests {
    /// Reads a file as rows of strings (test helper only; the product never does this).
    func rows(_ bytes: [UInt8], chunkSize: Int = 1 << 20) throws -> ([[String]], [Int], DiagnosticLog) {
        let path = try TestSupport.writeBytes(bytes, as: "t.csv")
        let log = DiagnosticLog()
        let reader = try CSVReader(path: path, displayPath: "t.csv", log: log, chunkSize: chunkSize)
        var result: [[String]] = []
        var lines: [Int] = []
        try reader.forEachRecord { record in
            result.append(
                record.fields.map { field in
                    let text = String(decoding: record.bytes[field.start..<field.end], as: UTF8.self)
                    return field.hasEscapedQuote ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
                })
            lines.append(record.line)
        }
        return (result, lines, log)
    }

    @Test(
        "Quoted fields hold commas, doubled quotes and line breaks; CRLF, LF and CR mix", arguments: [1, 3, 7, 1 << 20])
    func quoting(chunkSize: Int) throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3\r4,,6\n\n"
        let (rows, lines, log) = try rows(Array(text.utf8), chunkSize: chunkSize)
        #expect(log.diagnostics.isEmpty)
        #expect(rows == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "2", "3"], ["4", "", "6"]])
        #expect(lines == [1, 2, 4, 5])
    }

    @Test("A UTF-8 byte-order mark is skipped; no final line end is fine")
    func bom() throws {
        let (rows, _, log) = try rows([0xEF, 0xBB, 0xBF] + Array("h1,h2\nv1,v2".utf8))
        #expect(log.diagnostics.isEmpty)
        #expect(rows == [["h1", "h2"], ["v1", "v2"]])
    }

    @Test("UTF-16 is rejected with a located message")
    func utf16() throws {
        let (rows, _, log) = try rows([0xFF, 0xFE, 0x61, 0x00])
        #expect(rows.isEmpty)
        #expect(log.errors.count == 1)
        #expect(log.errors.first?.description.hasPrefix("t.csv:1:1: error:") == true)
    }

    @Test("An unterminated quote is an error at its line and column")
    func unterminated() throws {
        let (rows, _, log) = try rows(Array("a,b\n1,\"open\n2,3\n".utf8))
        #expect(rows == [["a", "b"]])
        #expect(log.errors.map(\.location) == [SourceLocation(file: "t.csv", line: 2, column: 3)])
    }

    @Test("A quote inside an unquoted field, or text after a closing quote, is an error")
    func strayQuotes() throws {
        let (rows, _, log) = try rows(Array("a,b\n1,x\"y\n\"p\"q,2\n3,4\n".utf8))
        #expect(rows == [["a", "b"], ["3", "4"]])
        #expect(log.errors.map(\.location.line) == [2, 3])
        #expect(log.errors.map(\.location.column) == [4, 4])
    }

    @Test("Headers match case-insensitively, ignoring spaces, with documented aliases")
    func headerAliases() throws {
        let path = try TestSupport.write(
            " Financial_Year ,FINANCIAL_MONTH,commissioner_code,Provider_Code,pod,tfc,planned_activity,actual_activity,planned_price,actual_price,extra\n202627,1,00A,RXX,EL,100,1,1,1,1,z\n",
            as: "a.csv")
        let log = DiagnosticLog()
        var count = 0
        try CSVTable.read(path: path, displayPath: "a.csv", schema: Schemas.activity, log: log) { _ in count += 1 }
        #expect(count == 1)
        #expect(log.errors.isEmpty)
        #expect(log.warnings.count == 1)  // the unused column "extra"
        #expect(log.warnings.first?.value == "extra")
    }

    @Test("Missing required columns are named, with the header that was found")
    func missingColumns() throws {
        let path = try TestSupport.write("financial_year,pod\n202627,EL\n", as: "b.csv")
        let log = DiagnosticLog()
        let ok = try CSVTable.read(path: path, displayPath: "b.csv", schema: Schemas.activity, log: log) { _ in }
        #expect(!ok)
        let message = try #require(log.errors.first).message
        #expect(message.contains("financial_month"))
        #expect(message.contains("organisation_identifier_code_of_provider"))
        #expect(message.contains("the header found was: financial_year,pod"))
    }

    @Test("Rows with too few or too many fields are errors, never padded")
    func fieldCount() throws {
        let path = try TestSupport.write("a,b,c\n1,2\n1,2,3,4\n1,2,3\n", as: "c.csv")
        let schema = InputSchema(
            name: "t", key: "t",
            columns: ["a", "b", "c"].map { InputSchema.Column(name: $0, aliases: [], required: true) })
        let log = DiagnosticLog()
        var count = 0
        try CSVTable.read(path: path, displayPath: "c.csv", schema: schema, log: log) { _ in count += 1 }
        #expect(count == 1)
        #expect(log.errors.map(\.location.line) == [2, 3])
    }
}

@Suite("Input limits")
struct InputLimitTests {
    /// A header and one record of exactly `bytes` bytes, its line end included.
    static func file(recordBytes bytes: Int) throws -> String {
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: bytes - 3)
        return try TestSupport.writeBytes(Array("a,b\n".utf8) + Array("1,".utf8) + filler + [0x0A], as: "t.csv")
    }

    @Test("A record of exactly 1 MiB is read; one byte more is refused at its line", arguments: [0, 1])
    func recordLimit(over: Int) throws {
        let path = try Self.file(recordBytes: CSVLimits.maxRecordBytes + over)
        let log = DiagnosticLog()
        var records = 0
        try CSVReader(path: path, displayPath: "t.csv", log: log).forEachRecord { _ in records += 1 }
        if over == 0 {
            #expect(log.diagnostics.isEmpty)
            #expect(records == 2)
        } else {
            #expect(log.errors.map(\.code) == ["csv.record-too-long"])
            #expect(log.errors.first?.location == SourceLocation(file: "t.csv", line: 2))
            #expect(records == 1)
        }
    }

    @Test("An open quote never buffers past the limit: refused once the limit is crossed")
    func openQuote() throws {
        let body = [UInt8](repeating: UInt8(ascii: "y"), count: 3 * CSVLimits.maxRecordBytes)
        let path = try TestSupport.writeBytes(Array("a,b\n1,\"".utf8) + body, as: "t.csv")
        let log = DiagnosticLog()
        try CSVReader(path: path, displayPath: "t.csv", log: log, chunkSize: 1 << 16).forEachRecord { _ in }
        #expect(log.errors.map(\.code) == ["csv.record-too-long"])
    }
}
