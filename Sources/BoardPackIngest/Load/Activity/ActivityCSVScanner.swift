/// Frames the records of a well-formed contract-monitoring CSV file straight from the read buffer:
/// quoted or not, with `""` escapes, line breaks inside quotes, and LF, CRLF or CR line ends. Each
/// record's fields go to `ActivityAccumulator` as byte ranges; nothing is copied.
///
/// It handles every record RFC 4180 allows. A record that is not well-formed — a quote inside an
/// unquoted field, text after a closing quote, a quote never closed, another number of fields than
/// the header, a record longer than the limit — makes it stop (`Step.malformed`): `CSVReader`
/// then reads the rest of the file into the same accumulator, and reports each such problem with
/// its line and column. A file with such a record fails the run anyway, so its speed does not
/// matter; every well-formed file, whatever its shape, is read here.
struct ActivityCSVScanner {
    /// The field index of each schema column, or -1.
    let columns: [Int]
    let fieldCount: Int
    /// `start, end, column` of each field of the record being read; the column is negative for a
    /// field holding a `""` escape.
    private(set) var bounds: [Int]

    init(columns: [Int], fieldCount: Int) {
        self.columns = columns
        self.fieldCount = fieldCount
        bounds = [Int](repeating: 0, count: fieldCount * 3)
    }

    enum Step {
        /// A record (or a blank line) ends at `next`, after `lines` line ends.
        case record(next: Int, lines: Int, blank: Bool)
        /// The bytes end inside the record: read more and try again from the same place.
        case incomplete
        /// Not a well-formed record: `CSVReader` must read it.
        case malformed
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Bytes that end an unquoted field, or do not belong in one — `,`, LF, CR and `"` — as bits
    /// of one word: all four are below 64, so one shift tests a byte.
    private static let specialBits: UInt64 = 1 << 0x2C | 1 << 0x0A | 1 << 0x0D | 1 << 0x22

    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 64 && (specialBits >> UInt64(byte)) & 1 != 0
    }

    /// Frames the record that starts at `b[start]`, looking no further than `end` (the end of the
    /// file when `atEOF`).
    @inline(__always)
    mutating func frame(_ b: [UInt8], from start: Int, end: Int, atEOF: Bool) -> Step {
        var i = start
        if i < end, b[i] == Self.lf { return .record(next: i + 1, lines: 1, blank: true) }
        if i < end, b[i] == Self.cr {
            if i + 1 < end { return .record(next: b[i + 1] == Self.lf ? i + 2 : i + 1, lines: 1, blank: true) }
            return atEOF ? .record(next: i + 1, lines: 1, blank: true) : .incomplete
        }
        var lines = 0
        var lineStart = start
        // Work on the array as a local (taken out of `self`, so it is uniquely held and written in
        // place), put back at the end.
        var bounds = self.bounds
        self.bounds = []
        defer { self.bounds = bounds }
        for f in 0..<fieldCount {
            let fieldStart = i
            let column = fieldStart - lineStart + 1
            if i < end, b[i] == Self.quote {
                var j = i + 1
                var escaped = false
                while true {
                    guard j < end else { return atEOF ? .malformed : .incomplete }
                    let byte = b[j]
                    if byte == Self.quote {
                        guard j + 1 < end else {
                            if atEOF { break }
                            return .incomplete
                        }
                        if b[j + 1] == Self.quote {
                            escaped = true
                            j += 2
                            continue
                        }
                        break
                    }
                    if byte == Self.lf || (byte == Self.cr && (j + 1 >= end || b[j + 1] != Self.lf)) {
                        lines += 1
                        lineStart = j + 1
                    }
                    j += 1
                }
                bounds[f &* 3] = i + 1
                bounds[f &* 3 &+ 1] = j
                bounds[f &* 3 &+ 2] = escaped ? -column : column
                i = j + 1
            } else {
                while i < end, !Self.isSpecial(b[i]) { i += 1 }
                if i < end, b[i] == Self.quote { return .malformed }
                if i == end, !atEOF { return .incomplete }
                bounds[f &* 3] = fieldStart
                bounds[f &* 3 &+ 1] = i
                bounds[f &* 3 &+ 2] = column
            }
            // What follows a field: a comma before the next one, a line end (or the end of the
            // file) after the last.
            if f < fieldCount - 1 {
                guard i < end else { return atEOF ? .malformed : .incomplete }
                guard b[i] == Self.comma else { return .malformed }
                i += 1
            }
        }
        // The record's line end, or the end of the file.
        var next = i
        if i < end {
            switch b[i] {
            case Self.lf: next = i + 1
            case Self.cr:
                if i + 1 < end {
                    next = b[i + 1] == Self.lf ? i + 2 : i + 1
                } else {
                    guard atEOF else { return .incomplete }
                    next = i + 1
                }
            default: return .malformed
            }
        } else if !atEOF {
            return .incomplete
        }
        // The longest record allowed, its line end included: `CSVReader` refuses a longer one.
        if next - start > CSVLimits.maxRecordBytes { return .malformed }
        return .record(next: next, lines: lines + 1, blank: false)
    }

    /// The framed record's fields, for `ActivityAccumulator`.
    func fields(line: Int) -> ScannedFields { ScannedFields(bounds: bounds, columns: columns, line: line) }
}

/// A record framed by `ActivityCSVScanner`.
struct ScannedFields: RecordFields {
    let bounds: [Int]
    let columns: [Int]
    let line: Int

    @inline(__always)
    func plainRange(_ column: Int) -> (Int, Int)? {
        let field = columns[column]
        guard field >= 0, bounds[field &* 3 &+ 2] > 0 else { return nil }
        return (bounds[field &* 3], bounds[field &* 3 &+ 1])
    }

    func has(_ column: Int) -> Bool { columns[column] >= 0 }

    func position(_ column: Int) -> (Int, Int) {
        let field = columns[column]
        return field >= 0 ? (line, abs(bounds[field * 3 + 2])) : (line, 0)
    }

    var spans: [FieldSpan] {
        columns.map { field in
            guard field >= 0 else { return .absent }
            return FieldSpan(
                start: bounds[field * 3], end: bounds[field * 3 + 1], line: line, column: abs(bounds[field * 3 + 2]),
                hasEscapedQuote: bounds[field * 3 + 2] < 0)
        }
    }
}
