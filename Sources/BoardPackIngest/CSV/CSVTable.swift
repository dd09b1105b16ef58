import BoardPackCore

/// Reads a CSV file whose first record is a header, binding its columns to a schema.
enum CSVTable {
    /// Calls `body` with each data row. Returns false when the file could not
    /// be read as this schema at all (the reason is logged).
    @discardableResult
    static func read(
        path: String, displayPath: String, schema: InputSchema, mapping: [String: Int] = [:], log: DiagnosticLog,
        _ body: (Row) throws -> Void
    ) throws -> Bool {
        try read(source: .file(path), displayPath: displayPath, schema: schema, mapping: mapping, log: log, body)
    }

    @discardableResult
    /// - Parameter mapping: local column names (folded) to columns, from `boardpack.toml`.
    static func read(
        source: ByteSource, displayPath: String, schema: InputSchema, mapping: [String: Int] = [:],
        log: DiagnosticLog, _ body: (Row) throws -> Void
    ) throws -> Bool {
        let reader = try CSVReader(source: source, displayPath: displayPath, log: log)
        var binding: [Int?] = []
        var headerSeen = false
        var usable = true
        var spans = [FieldSpan](repeating: .absent, count: schema.columns.count)
        try reader.forEachRecord { record in
            guard usable else { return }
            if !headerSeen {
                headerSeen = true
                usable = bind(
                    record: record, schema: schema, mapping: mapping, displayPath: displayPath, log: log,
                    into: &binding)
                return
            }
            if record.fields.count != binding.count {
                let few = record.fields.count < binding.count
                log.error(
                    "csv.field-count", SourceLocation(file: displayPath, line: record.line, column: 0),
                    "the row has \(record.fields.count) fields but the header has \(binding.count)",
                    hint: few
                        ? "add the missing fields (empty ones still need their commas)"
                        : "quote any field that contains a comma")
                return
            }
            for index in spans.indices { spans[index] = .absent }
            for (fieldIndex, target) in binding.enumerated() {
                guard let target else { continue }
                let field = record.fields[fieldIndex]
                spans[target] = FieldSpan(
                    start: field.start, end: field.end, line: record.line, column: field.column,
                    hasEscapedQuote: field.hasEscapedQuote)
            }
            try body(Row(schema: schema, file: displayPath, line: record.line, bytes: record.bytes, spans: spans))
        }
        if !headerSeen && !reader.failed {
            log.error(
                "csv.empty-file", SourceLocation(file: displayPath, line: 1, column: 0), "the file is empty",
                hint: "it needs at least the header row: "
                    + schema.columns.filter(\.required).map(\.name).joined(separator: ","))
            return false
        }
        return usable && !reader.failed
    }

    private static func bind(
        record: CSVRecord, schema: InputSchema, mapping: [String: Int], displayPath: String, log: DiagnosticLog,
        into binding: inout [Int?]
    ) -> Bool {
        var headers: [String] = []
        binding = []
        var seen: [Int: String] = [:]
        var ok = true
        for field in record.fields {
            var bytes = Array(record.bytes[field.start..<field.end])
            if field.hasEscapedQuote {
                bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"\"", with: "\"").utf8)
            }
            let header = String(decoding: bytes, as: UTF8.self)
            headers.append(header)
            let location = SourceLocation(file: displayPath, line: record.line, column: field.column)
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
                if !header.trimmingSpaces.isEmpty {
                    log.warning(
                        "csv.unknown-column", location, value: header,
                        "this column is not used by BoardPack and is ignored",
                        hint: "see docs/inputs.md for the columns of \(schema.name)")
                }
                binding.append(nil)
            }
        }
        let missing = schema.columns.indices.filter { schema.columns[$0].required && seen[$0] == nil }
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
}
