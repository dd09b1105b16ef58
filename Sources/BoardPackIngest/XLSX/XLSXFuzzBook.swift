import Foundation
import ZIPFoundation

/// A workbook around one sheet's XML, for fuzzing the sheet reader (`IngestFuzzing.activitySheet`):
/// the container and the other parts well-formed, so that every input reaches the sheet.
enum XLSXFuzzBook {
    static func write(sheet: [UInt8], to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let ns = "http://schemas.openxmlformats.org/"
        let parts: [(String, Data)] = [
            (
                "_rels/.rels",
                Data(
                    ("<Relationships xmlns=\"\(ns)package/2006/relationships\"><Relationship Id=\"r\" "
                        + "Type=\"\(ns)officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>").utf8)
            ),
            (
                "xl/workbook.xml",
                Data(
                    ("<workbook xmlns=\"\(ns)spreadsheetml/2006/main\" xmlns:r=\"\(ns)officeDocument/2006/relationships\">"
                        + "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"a\"/></sheets></workbook>").utf8)
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Data(
                    ("<Relationships xmlns=\"\(ns)package/2006/relationships\"><Relationship Id=\"a\" "
                        + "Type=\"\(ns)officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                        + "<Relationship Id=\"b\" Type=\"\(ns)officeDocument/2006/relationships/sharedStrings\" "
                        + "Target=\"sharedStrings.xml\"/></Relationships>").utf8)
            ),
            (
                "xl/sharedStrings.xml",
                Data(
                    "<sst xmlns=\"\(ns)spreadsheetml/2006/main\"><si><t>00A</t></si><si><t>RXX</t></si></sst>".utf8)
            ),
            ("xl/worksheets/sheet1.xml", Data(sheet)),
        ]
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
    }
}
