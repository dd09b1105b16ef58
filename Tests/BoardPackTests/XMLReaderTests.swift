import BoardPackCore
import Foundation
import Testing

@testable import BoardPackIngest

@Suite("XML reader (libxml2)")
struct XMLReaderTests {
    static let schema = InputSchema(
        name: "t", key: "t",
        columns: [
            InputSchema.Column(name: "a", aliases: [], required: true),
            InputSchema.Column(name: "b", aliases: [], required: false),
        ])

    func read(_ xml: String) throws -> ([[String?]], [Int], DiagnosticLog) {
        let path = try TestSupport.write(xml, as: "t.xml")
        let log = DiagnosticLog()
        let reader = XMLRecordReader(
            path: path, displayPath: "t.xml", namespace: "urn:test", root: "Root",
            kinds: [.init(element: "R", schema: Self.schema)], log: log)
        var rows: [[String?]] = []
        var lines: [Int] = []
        try reader.forEachRecord { _, row in
            rows.append((0..<2).map { row.raw($0).map { String(decoding: $0, as: UTF8.self) } })
            lines.append(row.line)
        }
        return (rows, lines, log)
    }

    @Test("Records, fields, character references, CDATA and empty elements")
    func records() throws {
        let (rows, lines, log) = try read(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Root xmlns="urn:test">
              <R><a>one &amp; two</a><b>&#163;5</b></R>
              <!-- a comment -->
              <R>
                <a><![CDATA[<x>]]></a>
                <b/>
              </R>
              <R/>
            </Root>
            """)
        #expect(log.diagnostics.isEmpty)
        #expect(rows == [["one & two", "£5"], ["<x>", ""], [nil, nil]])
        #expect(lines == [3, 5, 9])
    }

    @Test("A DOCTYPE is rejected before any entity can expand")
    func doctype() throws {
        let (rows, _, log) = try read(
            """
            <?xml version="1.0"?>
            <!DOCTYPE Root [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <Root xmlns="urn:test"><R><a>&lol2;</a></R></Root>
            """)
        #expect(rows.isEmpty)
        let error = try #require(log.errors.first)
        #expect(error.message.contains("DOCTYPE"))
        // A DTD node keeps no line in libxml2: the parser's line (at or after the DOCTYPE) is given.
        #expect((2...3).contains(error.location.line))
    }

    @Test("An external entity is never read")
    func externalEntity() throws {
        let secret = try TestSupport.write("TOP-SECRET", as: "secret.txt")
        let (rows, _, log) = try read(
            """
            <?xml version="1.0"?>
            <!DOCTYPE Root [<!ENTITY x SYSTEM "file://\(secret)">]>
            <Root xmlns="urn:test"><R><a>&x;</a></R></Root>
            """)
        #expect(rows.isEmpty)
        #expect(log.hasErrors)
        #expect(!log.diagnostics.contains { $0.description.contains("TOP-SECRET") })
    }

    @Test("Malformed XML gives a located error")
    func malformed() throws {
        let (_, _, log) = try read("<Root xmlns=\"urn:test\">\n<R><a>1</b></R>\n</Root>\n")
        let error = try #require(log.errors.first)
        #expect(error.location.file == "t.xml")
        #expect(error.location.line == 2)
        #expect(error.message.contains("not well formed"))
    }

    @Test("The wrong root element or namespace is refused")
    func wrongNamespace() throws {
        let (rows, _, log) = try read("<Root xmlns=\"urn:other\"><R><a>1</a></R></Root>")
        #expect(rows.isEmpty)
        #expect(log.errors.first?.message.contains("urn:test") == true)
    }

    @Test("Unknown elements are reported; a field given twice is an error")
    func unknownAndDuplicate() throws {
        let (rows, _, log) = try read(
            "<Root xmlns=\"urn:test\">\n<R><a>1</a><zz>9</zz><a>2</a></R>\n<Q/>\n</Root>")
        #expect(rows == [["1", nil]])
        #expect(log.warnings.map(\.value) == ["zz"])
        #expect(log.errors.count == 2)
    }
}

@Suite("XML hostile documents")
struct XMLHostileTests {
    static func load(_ bytes: [UInt8]) throws -> DiagnosticLog {
        let log = DiagnosticLog()
        let loader = ActivityLoader(log: log, commissioners: [ShortCode("00A")!], knownProviders: [])
        _ = try loader.load(source: .memory(bytes), displayPath: "h.xml", relativePath: "h.xml", id: "h", format: .xml)
        return log
    }

    static let open = "<ContractMonitoringSubmission xmlns=\"urn:boardpack:contract-monitoring:1\">"

    @Test("100,000 levels of nesting: a located error, no crash")
    func deepNesting() throws {
        let text =
            Self.open + "<Line>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
            + "</Line></ContractMonitoringSubmission>"
        let log = try Self.load(Array(text.utf8))
        let error = try #require(log.errors.first)
        #expect(error.code == "xml.malformed")
        #expect(error.message.contains("depth"))
    }

    @Test("An entity bomb after a long comment is still refused, and nothing expands")
    func lateBomb() throws {
        var text = "<?xml version=\"1.0\"?>\n<!--" + String(repeating: "x", count: 70_000) + "-->\n"
        text += "<!DOCTYPE lolz [<!ENTITY a \"aaaaaaaaaa\">"
        for i in 1...9 {
            text += "<!ENTITY a\(i) \"" + String(repeating: i == 1 ? "&a;" : "&a\(i - 1);", count: 10) + "\">"
        }
        text +=
            "]>\n" + Self.open
            + "<Line><point_of_delivery_code>&a9;</point_of_delivery_code></Line></ContractMonitoringSubmission>"
        let log = try Self.load(Array(text.utf8))
        #expect(log.hasErrors)
        #expect(log.errors.allSatisfy { $0.code == "xml.doctype" || $0.code == "xml.malformed" })
        #expect(!log.diagnostics.contains { ($0.value ?? "").contains("aaaa") })
    }

    @Test("A field longer than the limit is refused")
    func longField() throws {
        let value = String(repeating: "9", count: XMLRecordReader.maxFieldBytes + 1)
        let text =
            Self.open
            + "<Line><point_of_delivery_code>\(value)</point_of_delivery_code></Line></ContractMonitoringSubmission>"
        let log = try Self.load(Array(text.utf8))
        #expect(log.errors.map(\.code) == ["xml.field-too-long"])
    }
}
