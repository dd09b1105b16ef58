import BoardPackCore

/// One row of a sheet as a record of fields, column 1 to the header's last, with the cells that
/// hold an Excel error value (`#REF!`) by field.
struct XLSXRecord {
    var record: CSVRecord
    var errors: [(field: Int, value: String)]
}

/// Streams one sheet's rows: blank rows skipped, the first non-blank row the header, each value the
/// text `XLSXValues` gives it. Locations are cells: line = row number, column = column number,
/// in a file named `book.xlsx[Sheet]` (shown `book.xlsx[Sheet]!F12`).
struct XLSXSheetReader {
    let workbook: XLSXWorkbook
    let sheet: XLSXWorkbook.Sheet
    var log: DiagnosticLog { workbook.log }
    var displayPath: String { workbook.displayPath + "[" + sheet.name + "]" }

    private enum E {
        static let row = 0, c = 1, v = 2, t = 3, isElement = 4, rPh = 5, mergeCell = 6, sheetData = 7
    }
    private enum A {
        static let r = 0, t = 1, s = 2, ref = 3
    }

    /// Calls `body` with the header and then each data row. False when the sheet could not be read.
    @discardableResult
    func forEachRecord(_ visit: (XLSXRecord) throws -> Void) throws -> Bool {
        try withoutActuallyEscaping(visit) { try read($0) }
    }

    private func read(_ body: @escaping (XLSXRecord) throws -> Void) throws -> Bool {
        guard let strings = workbook.sharedStrings() else { return false }
        let file = displayPath
        let stream = XMLEventStream(
            displayPath: file, elements: ["row", "c", "v", "t", "is", "rPh", "mergeCell", "sheetData"],
            attributes: ["r", "t", "s", "ref"], log: log)
        let styles = workbook.styles
        let date1904 = workbook.date1904
        var rowNumber = 0
        var column = 0
        var cellType: [UInt8] = []
        var cellStyle = 0
        var value: [UInt8]?
        var inline: [UInt8] = []
        var inInline = false
        var phonetic = 0
        // The row being read: (column, text, error value).
        var cells: [(Int, [UInt8], String?)] = []
        var width = 0
        var headerRow = 0
        var warnedBeyond = false
        var thrown: Error?
        var merges: [[UInt8]] = []

        func location(_ col: Int) -> SourceLocation { SourceLocation(file: file, line: rowNumber, column: col) }

        func finishCell() {
            var text: [UInt8] = []
            var error: String?
            let raw = value ?? []
            switch String(decoding: cellType, as: UTF8.self) {
            case "s":
                if let i = Int(String(decoding: raw, as: UTF8.self)), i >= 0, i < strings.count {
                    text = strings[i]
                } else if !raw.isEmpty {
                    log.error(
                        "xlsx.shared-string", location(column), value: String(decoding: raw, as: UTF8.self),
                        "the cell refers to a shared string the workbook does not hold",
                        hint: "the file is damaged; save it again")
                    error = "#shared-string"
                }
            case "inlineStr": text = inline
            case "str", "d": text = raw
            case "b": text = raw == [0x31] ? Array("TRUE".utf8) : (raw == [0x30] ? Array("FALSE".utf8) : raw)
            case "e": error = String(decoding: raw, as: UTF8.self)
            default:
                guard !raw.isEmpty else { break }
                let shown = cellStyle < styles.count ? styles[cellStyle] : .number
                switch shown {
                case .date(let time):
                    text = XLSXValues.date(raw, date1904: date1904, withTime: time) ?? raw
                case .percent:
                    text = XLSXValues.plain(raw, shift: 2) ?? raw
                case .number:
                    text = XLSXValues.plain(raw) ?? raw
                }
            }
            if !text.isEmpty || error != nil { cells.append((column, text, error)) }
        }

        func finishRow() throws {
            defer { cells.removeAll(keepingCapacity: true) }
            guard !cells.isEmpty else { return }
            if width == 0 {
                width = cells.map(\.0).max() ?? 0
                headerRow = rowNumber
            }
            var bytes: [UInt8] = []
            var fields: [CSVField] = []
            fields.reserveCapacity(width)
            var errors: [(field: Int, value: String)] = []
            var k = 0
            let sorted = cells.sorted { $0.0 < $1.0 }
            for col in 1...width {
                let start = bytes.count
                while k < sorted.count, sorted[k].0 < col { k += 1 }
                if k < sorted.count, sorted[k].0 == col {
                    bytes += sorted[k].1
                    if let e = sorted[k].2 { errors.append((col - 1, e)) }
                }
                fields.append(
                    CSVField(start: start, end: bytes.count, column: col, quoted: false, hasEscapedQuote: false))
            }
            if let beyond = sorted.first(where: { $0.0 > width }), !warnedBeyond {
                warnedBeyond = true
                log.warning(
                    "xlsx.beyond-header", location(beyond.0),
                    "a value to the right of the header's last column is ignored (reported once per sheet)",
                    hint: "give the column a header, or clear the cell")
            }
            try body(XLSXRecord(record: CSVRecord(bytes: bytes, fields: fields, line: rowNumber), errors: errors))
        }

        stream.onStart = { element in
            let a = stream.attributes
            switch element {
            case E.row:
                let r = a[A.r].flatMap { Int(String(decoding: $0, as: UTF8.self)) }
                rowNumber = r ?? rowNumber + 1
                column = 0
            case E.c:
                if let ref = a[A.r], let (col, _) = XLSXValues.reference(ref) {
                    column = col
                } else {
                    column += 1
                }
                cellType = a[A.t] ?? []
                cellStyle = a[A.s].flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
                value = nil
                inline.removeAll()
            case E.v:
                stream.text.removeAll(keepingCapacity: true)
                stream.capture = true
            case E.isElement: inInline = true
            case E.t:
                stream.text.removeAll(keepingCapacity: true)
                stream.capture = inInline && phonetic == 0
            case E.rPh: phonetic += 1
            case E.mergeCell: if let ref = a[A.ref] { merges.append(ref) }
            default: break
            }
        }
        stream.onEnd = { element in
            switch element {
            case E.v:
                value = stream.text
                stream.capture = false
            case E.t:
                if stream.capture { inline += stream.text }
                stream.capture = false
            case E.isElement: inInline = false
            case E.rPh: phonetic -= 1
            case E.c: finishCell()
            case E.row:
                do { try finishRow() } catch {
                    thrown = error
                    stream.stop()
                }
            default: break
            }
        }
        let ok = workbook.read(part: sheet.part, into: stream)
        if let thrown { throw thrown }
        // A merged range over the header row leaves its other columns without a name.
        for ref in merges {
            let text = String(decoding: ref, as: UTF8.self)
            let ends = text.split(separator: ":").compactMap { XLSXValues.reference(Array($0.utf8)) }
            guard ends.count == 2, headerRow > 0, (ends[0].row...ends[1].row).contains(headerRow) else { continue }
            log.error(
                "xlsx.merged-header", SourceLocation(file: file, line: headerRow, column: ends[0].column), value: text,
                "the header row has merged cells (\(text)), so some columns have no name",
                hint: "unmerge the header cells and give each column its own name")
        }
        if width == 0 && ok {
            log.error(
                "xlsx.empty-sheet", SourceLocation(file: file), "the sheet is empty",
                hint: "the sheet needs a header row and data rows")
            return false
        }
        return ok
    }
}
