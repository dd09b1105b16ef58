import BoardPackCore
import Foundation
import ZIPFoundation

/// Writes a CSV file the sample made as an .xlsx workbook of one sheet, as a spreadsheet holds it:
/// numbers as number cells (codes such as `202627` and `180` too, as a spreadsheet stores them),
/// everything else as text in the shared-strings table, as Excel writes it. The ZIP container is ZIPFoundation's; the parts are written here with
/// fixed times, so the same sample gives the same bytes.
enum XLSXWriter {
    static let fixedDate = Date(timeIntervalSince1970: 1_793_523_600)  // 2026-11-01 09:00 UTC

    static func convert(csv path: String, sheet: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let target = String(path.dropLast(4)) + ".xlsx"
        try? FileManager.default.removeItem(atPath: target)
        var xml = Data()
        xml.append(
            Data(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>")
                    .utf8))
        var rowNumber = 0
        var shared: [String: Int] = [:]
        var sharedList: [String] = []
        for row in records(text) {
            rowNumber += 1
            var line = "<row r=\"\(rowNumber)\">"
            for (i, value) in row.enumerated() where !value.isEmpty {
                let ref = SourceLocation.columnLetters(i + 1) + "\(rowNumber)"
                if isNumber(value) {
                    line += "<c r=\"\(ref)\"><v>\(value)</v></c>"
                } else {
                    let index = shared[value] ?? sharedList.count
                    if index == sharedList.count {
                        shared[value] = index
                        sharedList.append(value)
                    }
                    line += "<c r=\"\(ref)\" t=\"s\"><v>\(index)</v></c>"
                }
            }
            xml.append(Data((line + "</row>").utf8))
        }
        xml.append(Data("</sheetData></worksheet>".utf8))
        let ns = "http://schemas.openxmlformats.org/"
        let parts: [(String, Data)] = [
            (
                "[Content_Types].xml",
                Data(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"\(ns)package/2006/content-types\">"
                        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                        + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                        + "</Types>").utf8)
            ),
            (
                "_rels/.rels",
                Data(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(ns)package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"\(ns)officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>").utf8)
            ),
            (
                "xl/workbook.xml",
                Data(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"\(ns)spreadsheetml/2006/main\" "
                        + "xmlns:r=\"\(ns)officeDocument/2006/relationships\"><sheets>"
                        + "<sheet name=\"\(escape(sheet))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").utf8)
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Data(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(ns)package/2006/relationships\">"
                        + "<Relationship Id=\"rId1\" Type=\"\(ns)officeDocument/2006/relationships/worksheet\" "
                        + "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                        + "Type=\"\(ns)officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
                        + "</Relationships>").utf8)
            ),
            ("xl/worksheets/sheet1.xml", xml),
            (
                "xl/sharedStrings.xml",
                Data(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"\(ns)spreadsheetml/2006/main\" "
                        + "count=\"\(sharedList.count)\" uniqueCount=\"\(sharedList.count)\">"
                        + sharedList.map { "<si><t xml:space=\"preserve\">\(escape($0))</t></si>" }.joined() + "</sst>")
                        .utf8)
            ),
        ]
        let archive = try Archive(url: URL(fileURLWithPath: target), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        try FileManager.default.removeItem(atPath: path)
    }

    /// A number as a spreadsheet would store it: digits, an optional fraction, an optional minus;
    /// no leading zero (`05X` and `00C` stay text).
    static func isNumber(_ s: String) -> Bool {
        let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) })
        else { return false }
        return !(parts[0].count > 1 && parts[0].hasPrefix("0"))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The records of CSV text the sample wrote (RFC 4180 quoting).
    static func records(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if c != "\r" {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
