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
    /// How `boardpack.toml` names this input: `[columns.KEY]`.
    let key: String
    let columns: [Column]
    /// Every name and alias, folded (`InputSchema.fold`), to its column.
    private let folded: [String: Int]

    init(name: String, key: String, columns: [Column]) {
        self.name = name
        self.key = key
        self.columns = columns
        var folded: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            for spelling in [column.name] + column.aliases { folded[Self.fold(spelling)] = index }
        }
        self.folded = folded
    }

    func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Maps a CSV header cell to a column. Names are compared folded, so the spellings real files
    /// use all match: `organisation_identifier_code_of_commissioner`, the data platforms'
    /// `ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER)` and the spaced
    /// `Organisation Identifier (Code of Commissioner)`.
    func match(header: String) -> Int? { folded[Self.fold(header)] }

    /// A header or element name to a column: a name `mapping` gives first (folded local name to
    /// column, from `boardpack.toml`), then BoardPack's own names.
    func match(header: String, mapping: ColumnMapping) -> Int? {
        mapping.isEmpty ? match(header: header) : mapping[Self.fold(header)] ?? match(header: header)
    }

    /// The `[columns.KEY]` entries of `settings` that apply to a file of this input (named `file`, for
    /// the provider-only entries of activity files), or those of the `[files.TABLE]` table: local
    /// names folded to columns (an entry for the file's provider wins over one for every file),
    /// whether the file has a header row, and its constant columns.
    func mapping(_ settings: IngestSettings, file: String? = nil, table: String? = nil) -> ColumnMapping {
        var result: [String: Int] = [:]
        var ignored: Set<String> = []
        let upper = file?.uppercased() ?? ""
        for forProvider in [false, true] {
            for entry in settings.columns
            where entry.input == key && entry.table == table && (entry.provider != nil) == forProvider {
                if let provider = entry.provider {
                    guard ["-", "_", "."].contains(where: { upper.hasPrefix(provider.uppercased() + $0) }) else {
                        continue
                    }
                }
                if let column = match(header: entry.column) {
                    result[Self.fold(entry.local)] = column
                } else if entry.column.isEmpty {
                    ignored.insert(Self.fold(entry.local))
                }
            }
        }
        var constants: [(column: Int, value: [UInt8])] = []
        for entry in settings.constantColumns where entry.input == key && entry.table == table {
            if let column = match(header: entry.column) { constants.append((column, Array(entry.value.utf8))) }
        }
        let scope = table.map { "files." + $0 } ?? key
        var mapping = ColumnMapping(names: result, header: !settings.headerless.contains(scope), constants: constants)
        mapping.notNeeded = Schemas.notNeeded(key: key, constants: constants)
        mapping.ignored = ignored
        return mapping
    }

    /// The hint for a missing required column: where it is documented, and how a file that calls it
    /// something else can be mapped.
    func missingHint(_ column: String) -> String {
        // `boardpack spc` reads no boardpack.toml: its file is renamed, not mapped.
        guard key != "series" else {
            return "boardpack spc reads a CSV whose header names the columns date and value; rename the file's "
                + "columns (docs/figures.md, SPC)"
        }
        return "see docs/inputs.md for the columns of \(name); if the file calls it something else, name it in "
            + "boardpack.toml: [columns.\(key)] \"Its Name\" = \"\(column)\""
    }

    /// A column name with case folded and spaces, underscores, hyphens and brackets dropped:
    /// `Organisation Identifier (Code of Commissioner)` → `organisationidentifiercodeofcommissioner`.
    static func fold(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.lowercased().unicodeScalars where !Self.separators.contains(scalar) {
            out.append(scalar)
        }
        return String(out)
    }

    private static let separators: Set<Unicode.Scalar> = [" ", "\t", "_", "-", "(", ")", "[", "]", "{", "}"]
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
