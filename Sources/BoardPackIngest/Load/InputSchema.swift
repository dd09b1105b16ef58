import BoardPackCore

/// The columns (CSV) or child elements (XML) of one kind of input record.
struct InputSchema {
    struct Column {
        /// Canonical name: the CSV header and the XML element name.
        let name: String
        /// Other accepted CSV headers.
        let aliases: [String]
        let required: Bool
    }

    let name: String
    let columns: [Column]

    func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Maps a CSV header cell to a column: case-insensitive, surrounding spaces ignored.
    func match(header: String) -> Int? {
        let wanted = header.trimmingSpaces.lowercased()
        return columns.firstIndex { column in
            column.name == wanted || column.aliases.contains(wanted)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

/// Where one column's value sits in a row's bytes.
struct FieldSpan {
    var start: Int
    var end: Int
    var line: Int
    var column: Int
    /// Fold `""` to `"` when reading (CSV quoted fields).
    var hasEscapedQuote: Bool
    static let absent = FieldSpan(start: -1, end: -1, line: 0, column: 0, hasEscapedQuote: false)
    var isPresent: Bool { start >= 0 }
}

/// One input record, by schema column, whether it came from CSV or XML.
struct Row {
    let schema: InputSchema
    let file: String
    /// The line of the record (CSV) or of its element (XML).
    let line: Int
    let bytes: [UInt8]
    let spans: [FieldSpan]

    func location(_ column: Int) -> SourceLocation {
        let span = spans[column]
        if span.isPresent { return SourceLocation(file: file, line: span.line, column: span.column) }
        return SourceLocation(file: file, line: line, column: 0)
    }

    var recordLocation: SourceLocation { SourceLocation(file: file, line: line, column: 0) }

    /// The value with surrounding spaces and tabs removed; nil when the column is absent.
    func raw(_ column: Int) -> ArraySlice<UInt8>? {
        let span = spans[column]
        guard span.isPresent else { return nil }
        var start = span.start
        var end = span.end
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if span.hasEscapedQuote {
            var folded: [UInt8] = []
            var i = start
            while i < end {
                folded.append(bytes[i])
                i += (bytes[i] == 0x22 && i + 1 < end && bytes[i + 1] == 0x22) ? 2 : 1
            }
            return folded[...]
        }
        return bytes[start..<end]
    }

    /// Raw text for messages, never failing (invalid UTF-8 shown with replacement characters).
    func display(_ column: Int) -> String {
        guard let raw = raw(column) else { return "" }
        let text = String(decoding: raw, as: UTF8.self)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}
