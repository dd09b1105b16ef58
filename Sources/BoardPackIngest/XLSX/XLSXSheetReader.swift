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
/// and their spans. Each cell's reference, type and style are read straight from libxml2's buffer
/// (`attribute`), and each value is written once, into the row's bytes.
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

        /// The type a `t` attribute names (ECMA-376 §18.18.11); a number when it names none.
        init(_ t: Span<UInt8>) {
            switch t.count {
            case 1:
                switch t[0] {
                case UInt8(ascii: "s"): self = .shared
                case UInt8(ascii: "b"): self = .boolean
                case UInt8(ascii: "e"): self = .error
                case UInt8(ascii: "d"): self = .text
                default: self = .number
                }
            case 3 where t[0] == UInt8(ascii: "s") && t[1] == UInt8(ascii: "t") && t[2] == UInt8(ascii: "r"):
                self = .text
            case 9 where t[0] == UInt8(ascii: "i") && t[8] == UInt8(ascii: "r"):
                self = .inlineString
            default: self = .number
            }
        }
    }

    let file: String
    let strings: XLSXSharedStrings
    let styles: [XLSXValues.Shown]
    let date1904: Bool
    let body: (XLSXRecord) throws -> Void
    var thrown: Error?

    @exclusivity(unchecked) var rowNumber = 0
    @exclusivity(unchecked) var column = 0
    @exclusivity(unchecked) var kind = Kind.number
    @exclusivity(unchecked) var style = 0
    /// What the attributes of the element about to start gave (-1: not given).
    @exclusivity(unchecked) var givenRow = -1
    @exclusivity(unchecked) var givenColumn = -1
    @exclusivity(unchecked) var givenStyle = 0
    @exclusivity(unchecked) var givenKind = Kind.number
    @exclusivity(unchecked) var hasValue = false
    /// Where the cell being read starts in `bytes`: its raw value is collected there, and decoded
    /// in place when the cell ends.
    @exclusivity(unchecked) var cellStart = 0
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
        file: String, log: DiagnosticLog, strings: XLSXSharedStrings, styles: [XLSXValues.Shown], date1904: Bool,
        body: @escaping (XLSXRecord) throws -> Void
    ) {
        self.file = file
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.body = body
        super.init(
            displayPath: file, elements: Self.elements, attributes: Self.attributes, log: log, keepsAttributes: false)
    }

    private func location(_ col: Int) -> SourceLocation { SourceLocation(file: file, line: rowNumber, column: col) }

    /// A short run of digits as a number; nil when it is not one.
    private static func integer(_ bytes: Span<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 10 else { return nil }
        var n = 0
        for i in bytes.indices {
            let b = bytes[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 10 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    override func attribute(_ k: Int, of element: Int, _ value: Span<UInt8>) {
        switch (element, k) {
        case (E.row, A.r): givenRow = Self.integer(value) ?? -1
        case (E.c, A.r): givenColumn = XLSXValues.reference(value)?.column ?? -1
        case (E.c, A.t): givenKind = Kind(value)
        case (E.c, A.s): givenStyle = Self.integer(value) ?? 0
        case (E.mergeCell, A.ref):
            var ref: [UInt8] = []
            ref.append(copying: value)
            merges.append(String(decoding: ref, as: UTF8.self))
        default: break
        }
    }

    override func start(_ element: Int) {
        switch element {
        case E.row:
            rowNumber = givenRow >= 0 ? givenRow : rowNumber + 1
            givenRow = -1
            column = 0
        case E.c:
            column = givenColumn >= 0 ? givenColumn : column + 1
            kind = givenKind
            style = givenStyle
            givenColumn = -1
            givenKind = .number
            givenStyle = 0
            hasValue = false
            cellStart = bytes.count
        case E.v:
            // The last value a cell gives is its value.
            clearCell()
            capture = true
        case E.inline:
            clearCell()
            inInline = true
            hasValue = true
        case E.t:
            capture = inInline && phonetic == 0
        case E.rPh: phonetic += 1
        default: break
        }
    }

    /// The value's text goes straight into the row's bytes.
    override func characters(_ piece: Span<UInt8>) {
        guard capture else { return }
        if bytes.count - cellStart + piece.count > Self.maxTextBytes {
            textTooLong()
            return
        }
        bytes.append(copying: piece)
    }

    private func clearCell() {
        if bytes.count > cellStart { bytes.removeSubrange(cellStart...) }
    }

    override func end(_ element: Int) {
        switch element {
        case E.v:
            hasValue = true
            capture = false
        case E.t:
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

    /// The cell's raw value, `bytes[cellStart...]`, as the text it shows (`XLSXValues`), in place.
    private func finishCell() {
        guard hasValue, bytes.count > cellStart else {
            clearCell()
            return
        }
        switch kind {
        case .shared:
            let index = Self.integer(bytes[cellStart...])
            if let i = index, i < strings.count {
                clearCell()
                bytes += strings[i]
            } else {
                let raw = String(decoding: bytes[cellStart...], as: UTF8.self)
                clearCell()
                log.error(
                    "xlsx.shared-string", location(column), value: raw,
                    "the cell refers to a shared string the workbook does not hold",
                    hint: "the file is damaged; save it again")
                errors.append((column, "#shared-string"))
                return
            }
        case .inlineString, .text: break
        case .boolean:
            if bytes.count == cellStart + 1, bytes[cellStart] == 0x31 || bytes[cellStart] == 0x30 {
                let truth = bytes[cellStart] == 0x31
                clearCell()
                bytes += truth ? Self.trueText : Self.falseText
            }
        case .error:
            let raw = String(decoding: bytes[cellStart...], as: UTF8.self)
            clearCell()
            errors.append((column, raw))
            return
        case .number:
            let shown = style < styles.count ? styles[style] : .number
            if shown == .number, let end = XLSXValues.plainEnd(bytes[cellStart...]) {
                if end < bytes.count { bytes.removeSubrange(end...) }
            } else {
                // The rare forms (an exponent, 16 or more digits, a date, a percentage): decoded aside.
                let raw = Array(bytes[cellStart...])
                let decoded: [UInt8]?
                switch shown {
                case .date(let time): decoded = XLSXValues.date(raw, date1904: date1904, withTime: time)
                case .percent: decoded = XLSXValues.plain(raw, shift: 2)
                case .number: decoded = XLSXValues.plain(raw)
                }
                if let decoded {
                    clearCell()
                    bytes += decoded
                }
            }
        }
        if bytes.count > cellStart { cells.append((column, cellStart, bytes.count)) }
    }

    static let trueText = Array("TRUE".utf8)
    static let falseText = Array("FALSE".utf8)

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
