import BoardPackCore

/// Reads a CSV file whose first record is a header, binding its columns to a schema.
enum CSVTable {
    /// Calls `body` with each data row. Returns false when the file could not
    /// be read as this schema at all (the reason is logged).
    @discardableResult
    /// A path ending `.xlsx` is read as a workbook: `sheet`, or its first visible sheet.
    static func read(
        path: String, displayPath: String, sheet: String? = nil, schema: InputSchema, mapping: ColumnMapping = [:],
        log: DiagnosticLog, _ body: (Row) throws -> Void
    ) throws -> Bool {
        if XLSXTable.isWorkbook(path) {
            return try XLSXTable.read(
                path: path, displayPath: displayPath, sheet: sheet, schema: schema, mapping: mapping, log: log, body)
        }
        return try read(source: .file(path), displayPath: displayPath, schema: schema, mapping: mapping, log: log, body)
    }

    @discardableResult
    /// - Parameter mapping: local column names (folded) to columns, from `boardpack.toml`.
    static func read(
        source: ByteSource, displayPath: String, schema: InputSchema, mapping: ColumnMapping = [:],
        log: DiagnosticLog, _ body: (Row) throws -> Void
    ) throws -> Bool {
        let reader = try CSVReader(source: source, displayPath: displayPath, log: log)
        var binding: Binding?
        var usable = true
        try reader.forEachRecord { record in
            guard usable else { return }
            if binding == nil {
                let header = Binding(
                    header: record, schema: schema, mapping: mapping, displayPath: displayPath, log: log)
                usable = header.usable
                binding = header
                // A file with no header row: its first record is data.
                guard usable, !mapping.header else { return }
            }
            guard var bound = binding else { return }
            binding = nil  // `bound` holds the only reference to the spans while they are rewritten
            let ok = bound.bind(record)
            binding = bound
            guard ok else { return }
            try body(
                Row(
                    schema: schema, file: displayPath, line: record.line, bytes: bound.rowBytes(record),
                    spans: bound.spans))
        }
        if binding == nil && !reader.failed {
            reportEmpty(schema, displayPath: displayPath, log: log)
            return false
        }
        return usable && !reader.failed
    }

    /// A file without even a header row.
    static func reportEmpty(_ schema: InputSchema, displayPath: String, log: DiagnosticLog) {
        log.error(
            "csv.empty-file", SourceLocation(file: displayPath, line: 1, column: 0), "the file is empty",
            hint: "it needs at least the header row: "
                + schema.columns.filter(\.required).map(\.name).joined(separator: ","))
    }

    /// A header's columns bound to a schema, and each record's fields put in schema order.
    struct Binding {
        let schema: InputSchema
        let displayPath: String
        private(set) var log: DiagnosticLog
        /// The schema column of each field of the header; nil for a column not read.
        private(set) var columns: [Int?] = []
        /// False when the header cannot be read as this schema (a required column is missing, or one
        /// is repeated); the reason is logged.
        private(set) var usable = true
        /// The last record bound, by schema column.
        private(set) var spans: [FieldSpan]
        /// The field index of each schema column, or -1.
        private(set) var fieldOfColumn: [Int]
        /// The header's number of fields.
        var fieldCount: Int { columns.count }
        /// The columns every row has the same value in (from `boardpack.toml`), after the record's
        /// bytes in each row.
        private let constants: [(column: Int, value: [UInt8])]

        /// Binds `header` (or, for a file with no header row, the positions of the first record),
        /// reporting unknown, repeated and missing columns.
        init(header: CSVRecord, schema: InputSchema, mapping: ColumnMapping, displayPath: String, log: DiagnosticLog) {
            self.schema = schema
            self.displayPath = displayPath
            self.log = log
            constants = mapping.constants
            spans = [FieldSpan](repeating: .absent, count: schema.columns.count)
            usable = CSVTable.bind(
                record: header, schema: schema, mapping: mapping, displayPath: displayPath, log: log, into: &columns)
            fieldOfColumn = [Int](repeating: -1, count: schema.columns.count)
            for (field, column) in columns.enumerated() { if let column { fieldOfColumn[column] = field } }
        }

        /// The same binding, reporting to `log` (a part of a file read on another thread).
        func logging(to log: DiagnosticLog) -> Binding {
            var copy = self
            copy.log = log
            return copy
        }

        /// Puts `record`'s fields in `spans`; false (after reporting) when it has another number of
        /// fields than the header.
        mutating func bind(_ record: CSVRecord) -> Bool {
            guard check(record) else { return false }
            for (fieldIndex, target) in columns.enumerated() {
                guard let target else { continue }
                let field = record.fields[fieldIndex]
                spans[target] = FieldSpan(
                    start: field.start, end: field.end, line: record.line, column: field.column,
                    hasEscapedQuote: field.hasEscapedQuote)
            }
            var end = record.bytes.count
            for constant in constants {
                spans[constant.column] = FieldSpan(
                    start: end, end: end + constant.value.count, line: record.line, column: 0, hasEscapedQuote: false)
                end += constant.value.count
            }
            return true
        }

        /// The bytes of a row bound from `record`: the record's, then each constant column's value.
        func rowBytes(_ record: CSVRecord) -> [UInt8] {
            guard !constants.isEmpty else { return record.bytes }
            var bytes = record.bytes
            for constant in constants { bytes += constant.value }
            return bytes
        }

        /// Whether `record` has as many fields as the header; false after reporting.
        func check(_ record: CSVRecord) -> Bool {
            if record.fields.count != columns.count {
                let few = record.fields.count < columns.count
                log.error(
                    "csv.field-count", SourceLocation(file: displayPath, line: record.line, column: 0),
                    "the row has \(record.fields.count) fields but the header has \(columns.count)",
                    hint: few
                        ? "add the missing fields (empty ones still need their commas)"
                        : "quote any field that contains a comma")
                return false
            }
            return true
        }
    }

    /// True when a first row that names no column BoardPack knows holds values where names would
    /// be: at least a third of its fields (and at least two) carry digits (`Y56`, `19990401`,
    /// `LS1 1AA`), as the rows of a list published with no header row do; column names rarely do.
    static func looksLikeData(_ fields: [String]) -> Bool {
        let values = fields.map(\.trimmingSpaces).filter { !$0.isEmpty }
        let withDigits = values.filter { $0.contains(where: \.isNumber) }.count
        return withDigits >= 2 && withDigits * 3 >= values.count
    }

    private static func bind(
        record: CSVRecord, schema: InputSchema, mapping: ColumnMapping, displayPath: String, log: DiagnosticLog,
        into binding: inout [Int?]
    ) -> Bool {
        var headers: [String] = []
        binding = []
        var seen: [Int: String] = [:]
        var ok = true
        if !mapping.header {
            return bindPositions(
                record: record, schema: schema, mapping: mapping, displayPath: displayPath, log: log,
                into: &binding)
        }
        for field in record.fields {
            var bytes = Array(record.bytes[field.start..<field.end])
            if field.hasEscapedQuote {
                bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"").utf8)
            }
            let location = SourceLocation(file: displayPath, line: record.line, column: field.column)
            guard let header = String(validating: bytes, as: UTF8.self) else {
                // Read as it is, the column would be named with a replacement character and dropped.
                let shown = bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }
                log.error(
                    "csv.encoding", location, value: TerminalText.escaped(shown.joined()),
                    "the column name is not valid UTF-8 (bytes that are not UTF-8 shown as \\xNN)",
                    hint: "save the file as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')")
                ok = false
                headers.append(String(decoding: bytes, as: UTF8.self))
                binding.append(nil)
                continue
            }
            headers.append(header)
            if let index = schema.match(header: header, mapping: mapping) {
                if let earlier = seen[index] {
                    log.error(
                        "csv.duplicate-column", location, value: header,
                        "the column \(schema.columns[index].name) appears twice (also as '\(earlier)')",
                        hint: "remove one of them")
                    ok = false
                    binding.append(nil)
                } else {
                    seen[index] = header
                    binding.append(index)
                }
            } else {
                if !header.trimmingSpaces.isEmpty, !mapping.ignored.contains(InputSchema.fold(header)) {
                    log.warning(
                        "csv.unknown-column", location, value: header,
                        "this column is not used by BoardPack and is ignored",
                        hint: "see docs/inputs.md for the columns of \(schema.name)")
                }
                binding.append(nil)
            }
        }
        for constant in mapping.constants {
            if let header = seen[constant.column] {
                log.error(
                    "csv.duplicate-column", SourceLocation(file: displayPath, line: record.line, column: 0),
                    value: header,
                    "the column \(schema.columns[constant.column].name) is in the file (as '\(header)') and is also "
                        + "given one value for every row in boardpack.toml",
                    hint: "remove the constant from boardpack.toml, or the column from the file")
                ok = false
            }
        }
        let missing = schema.columns.indices.filter { seen[$0] == nil && mapping.requires($0, of: schema) }
        if !missing.isEmpty, seen.isEmpty, looksLikeData(headers) {
            // No name BoardPack knows, and values where names would be: a file with no header row.
            log.error(
                "csv.no-header", SourceLocation(file: displayPath, line: record.line, column: 0),
                "the first row looks like data, not a header row naming the columns (it holds values such as '"
                    + headers.filter { !$0.trimmingSpaces.isEmpty }.prefix(3).joined(separator: "', '")
                    + "' and no column name BoardPack knows)",
                hint: "add a header row naming the columns ("
                    + schema.columns.filter(\.required).map(\.name)
                    .joined(separator: ", ") + ", …; see docs/inputs.md), as published lists such as the ODS files "
                    + "have none")
            return false
        }
        if !missing.isEmpty {
            log.error(
                "csv.missing-column", SourceLocation(file: displayPath, line: record.line, column: 0),
                "missing required column\(missing.count == 1 ? "" : "s") "
                    + missing.map { schema.columns[$0].name }.joined(separator: ", ")
                    + "; the header found was: " + headers.joined(separator: ","),
                hint: schema.missingHint(schema.columns[missing[0]].name))
            ok = false
        }
        return ok
    }

    /// Binds the columns of a file with no header row by position (`"1" = "org_code"` in
    /// boardpack.toml): positions no entry names are not read, silently, as the file's layout is
    /// given in full there.
    private static func bindPositions(
        record: CSVRecord, schema: InputSchema, mapping: ColumnMapping, displayPath: String, log: DiagnosticLog,
        into binding: inout [Int?]
    ) -> Bool {
        binding = record.fields.indices.map { mapping.names[String($0 + 1)] }
        let present = Set(binding.compactMap { $0 })
        let beyond = mapping.names.filter { Int($0.key).map { $0 < 1 || $0 > record.fields.count } ?? true }
        if let (position, column) = beyond.min(by: { $0.key < $1.key }) {
            log.error(
                "csv.missing-column", SourceLocation(file: displayPath, line: record.line, column: 0),
                value: position,
                "boardpack.toml reads \(schema.columns[column].name) from column \(position), but the first row has "
                    + "\(record.fields.count) column\(record.fields.count == 1 ? "" : "s")",
                hint: "with header = false, name columns by their position, \"1\" for the first")
            return false
        }
        let missing = schema.columns.indices.filter { !present.contains($0) && mapping.requires($0, of: schema) }
        guard missing.isEmpty else {
            log.error(
                "csv.missing-column", SourceLocation(file: displayPath, line: record.line, column: 0),
                "the file has no header row (header = false), and boardpack.toml gives no position for required "
                    + "column\(missing.count == 1 ? "" : "s") "
                    + missing.map { schema.columns[$0].name }.joined(separator: ", "),
                hint:
                    "name its position, e.g. \"2\" = \"\(schema.columns[missing[0]].name)\", or give it one value for "
                    + "every row: constant.\(schema.columns[missing[0]].name) = \"…\"")
            return false
        }
        return true
    }
}
