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

    /// Calls `body` with the header and then each data row. False when the sheet could not be read.
    @discardableResult
    func forEachRecord(_ visit: (XLSXRecord) throws -> Void) throws -> Bool {
        guard let strings = workbook.sharedStrings() else { return false }
        return try withoutActuallyEscaping(visit) { body in
            let parse = SheetParse(
                file: displayPath, log: log, strings: strings, styles: workbook.styles, date1904: workbook.date1904,
                body: body)
            let ok = workbook.read(part: sheet.part, into: parse)
            if let thrown = parse.thrown { throw thrown }
            return parse.finish(ok)
        }
    }
}

/// The state of one sheet's parse: the row being read, as the bytes of its values in column order
/// and their spans.
private final class SheetParse: XMLEventStream {
    static let elements = ["row", "c", "v", "t", "is", "rPh", "mergeCell"]
    static let attributes = ["r", "t", "s", "ref"]
    private enum E {
        static let row = 0, c = 1, v = 2, t = 3, inline = 4, rPh = 5, mergeCell = 6
    }
    private enum A {
        static let r = 0, t = 1, s = 2, ref = 3
    }
    /// A cell's `t`.
    enum Kind {
        case number, shared, inlineString, text, boolean, error
    }

    static let kinds: [([UInt8], Kind)] = [
        (Array("s".utf8), .shared), (Array("inlineStr".utf8), .inlineString), (Array("str".utf8), .text),
        (Array("d".utf8), .text), (Array("b".utf8), .boolean), (Array("e".utf8), .error), (Array("n".utf8), .number),
    ]

    let file: String
    let strings: [[UInt8]]
    let styles: [XLSXValues.Shown]
    let date1904: Bool
    let body: (XLSXRecord) throws -> Void
    var thrown: Error?

    @exclusivity(unchecked) var rowNumber = 0
    @exclusivity(unchecked) var column = 0
    @exclusivity(unchecked) var kind = Kind.number
    @exclusivity(unchecked) var style = 0
    @exclusivity(unchecked) var hasValue = false
    @exclusivity(unchecked) var value: [UInt8] = []
    @exclusivity(unchecked) var inInline = false
    @exclusivity(unchecked) var phonetic = 0
    /// The row: its values' bytes, and per non-blank cell (column, start, end).
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var cells: [(column: Int, start: Int, end: Int)] = []
    @exclusivity(unchecked) var errors: [(column: Int, value: String)] = []
    @exclusivity(unchecked) var fields: [CSVField] = []
    var width = 0
    var headerRow = 0
    var warnedBeyond = false
    var merges: [String] = []

    init(
        file: String, log: DiagnosticLog, strings: [[UInt8]], styles: [XLSXValues.Shown], date1904: Bool,
        body: @escaping (XLSXRecord) throws -> Void
    ) {
        self.file = file
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.body = body
        super.init(displayPath: file, elements: Self.elements, attributes: Self.attributes, log: log)
    }

    private func location(_ col: Int) -> SourceLocation { SourceLocation(file: file, line: rowNumber, column: col) }

    private static func integer(_ bytes: [UInt8]) -> Int? {
        guard !bytes.isEmpty, bytes.count < 10 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    override func start(_ element: Int) {
        switch element {
        case E.row:
            rowNumber =
                attributeGiven[A.r]
                ? (Self.integer(attributeValues[A.r]) ?? rowNumber + 1) : rowNumber + 1
            column = 0
        case E.c:
            if attributeGiven[A.r], let (col, _) = XLSXValues.reference(attributeValues[A.r]) {
                column = col
            } else {
                column += 1
            }
            kind = .number
            if attributeGiven[A.t] {
                kind = Self.kinds.first { $0.0 == attributeValues[A.t] }?.1 ?? .number
            }
            style = attributeGiven[A.s] ? (Self.integer(attributeValues[A.s]) ?? 0) : 0
            hasValue = false
            value.removeAll(keepingCapacity: true)
        case E.v:
            text.removeAll(keepingCapacity: true)
            capture = true
        case E.inline:
            inInline = true
            hasValue = true
            value.removeAll(keepingCapacity: true)
        case E.t:
            text.removeAll(keepingCapacity: true)
            capture = inInline && phonetic == 0
        case E.rPh: phonetic += 1
        case E.mergeCell:
            if attributeGiven[A.ref] {
                merges.append(String(decoding: attributeValues[A.ref], as: UTF8.self))
            }
        default: break
        }
    }

    override func end(_ element: Int) {
        switch element {
        case E.v:
            swap(&value, &text)
            hasValue = true
            capture = false
        case E.t:
            if capture { value += text }
            capture = false
        case E.inline: inInline = false
        case E.rPh: phonetic -= 1
        case E.c: finishCell()
        case E.row:
            do { try finishRow() } catch {
                thrown = error
                stop()
            }
        default: break
        }
    }

    private func finishCell() {
        guard hasValue, !value.isEmpty else { return }
        let start = bytes.count
        switch kind {
        case .shared:
            if let i = Self.integer(value), i < strings.count {
                bytes += strings[i]
            } else {
                log.error(
                    "xlsx.shared-string", location(column), value: String(decoding: value, as: UTF8.self),
                    "the cell refers to a shared string the workbook does not hold",
                    hint: "the file is damaged; save it again")
                errors.append((column, "#shared-string"))
                return
            }
        case .inlineString, .text: bytes += value
        case .boolean: bytes += value == [0x31] ? Array("TRUE".utf8) : (value == [0x30] ? Array("FALSE".utf8) : value)
        case .error:
            errors.append((column, String(decoding: value, as: UTF8.self)))
            return
        case .number:
            switch style < styles.count ? styles[style] : .number {
            case .date(let time):
                bytes += XLSXValues.date(value, date1904: date1904, withTime: time) ?? value
            case .percent:
                if !XLSXValues.appendPlain(value[...], shift: 2, to: &bytes) { bytes += value }
            case .number:
                if !XLSXValues.appendPlain(value[...], to: &bytes) { bytes += value }
            }
        }
        if bytes.count > start { cells.append((column, start, bytes.count)) }
    }

    private func finishRow() throws {
        defer {
            bytes.removeAll(keepingCapacity: true)
            cells.removeAll(keepingCapacity: true)
            errors.removeAll(keepingCapacity: true)
        }
        guard !cells.isEmpty || !errors.isEmpty else { return }
        if width == 0 {
            width = max(cells.map(\.column).max() ?? 0, errors.map(\.column).max() ?? 0)
            headerRow = rowNumber
        }
        if !cells.indices.dropFirst().allSatisfy({ cells[$0 - 1].column < cells[$0].column }) {
            cells.sort { $0.column < $1.column }
        }
        fields.removeAll(keepingCapacity: true)
        var k = 0
        for col in 1...width {
            while k < cells.count, cells[k].column < col { k += 1 }
            if k < cells.count, cells[k].column == col {
                fields.append(
                    CSVField(
                        start: cells[k].start, end: cells[k].end, column: col, quoted: false, hasEscapedQuote: false))
            } else {
                let at = k < cells.count ? cells[k].start : bytes.count
                fields.append(CSVField(start: at, end: at, column: col, quoted: false, hasEscapedQuote: false))
            }
        }
        if !warnedBeyond, let beyond = cells.last(where: { $0.column > width }) {
            warnedBeyond = true
            log.warning(
                "xlsx.beyond-header", location(beyond.column),
                "a value to the right of the header's last column is ignored (reported once per sheet)",
                hint: "give the column a header, or clear the cell")
        }
        let fieldErrors = errors.filter { $0.column <= width }.map { (field: $0.column - 1, value: $0.value) }
        try body(XLSXRecord(record: CSVRecord(bytes: bytes, fields: fields, line: rowNumber), errors: fieldErrors))
    }

    /// After the part: merged header cells, and a sheet with no rows.
    func finish(_ ok: Bool) -> Bool {
        // A merged range over the header row leaves its other columns without a name.
        for text in merges {
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
