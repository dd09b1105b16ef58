import BoardPackCore
import Foundation
import Testing

@testable import BoardPackIngest

@Suite("XML reader (libxml2)")
struct XMLReaderTests {
    static let schema = InputSchema(
        name: "t",
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
