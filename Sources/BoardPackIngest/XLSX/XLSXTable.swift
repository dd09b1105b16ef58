import BoardPackCore

/// A tabular input given as a sheet of an .xlsx workbook: its header bound to the schema as a CSV
/// header is (names folded, `boardpack.toml` mapping first), each row a `Row` of the same schema.
enum XLSXTable {
    static func isWorkbook(_ path: String) -> Bool { path.lowercased().hasSuffix(".xlsx") }

    /// Calls `body` with each data row of `sheet` (the first visible sheet when nil). Returns false
    /// when the sheet could not be read as this schema (the reason is logged).
    @discardableResult
    static func read(
        path: String, displayPath: String, sheet: String?, schema: InputSchema, mapping: ColumnMapping,
        log: DiagnosticLog, _ body: (Row) throws -> Void
    ) throws -> Bool {
        guard let workbook = XLSXWorkbook.open(path: path, displayPath: displayPath, log: log),
            let chosen = workbook.sheet(named: sheet)
        else { return false }
        let reader = XLSXSheetReader(workbook: workbook, sheet: chosen)
        return try read(reader, schema: schema, mapping: mapping, body)
    }

    static func read(
        _ reader: XLSXSheetReader, schema: InputSchema, mapping: ColumnMapping, _ body: (Row) throws -> Void
    ) throws -> Bool {
        let file = reader.displayPath
        let log = reader.log
        var binding: CSVTable.Binding?
        var usable = true
        let ok = try reader.forEachRecord { item in
            guard usable else { return }
            if binding == nil {
                let header = CSVTable.Binding(
                    header: item.record, schema: schema, mapping: mapping, displayPath: file, log: log)
                usable = header.usable
                binding = header
                // A sheet with no header row: its first row is data.
                guard usable, !mapping.header else { return }
            }
            // An Excel error value in a column that is read: the row cannot be trusted.
            var broken = false
            for (field, value) in item.errors {
                guard field < binding!.columns.count, let column = binding!.columns[field] else { continue }
                log.error(
                    "xlsx.error-value", SourceLocation(file: file, line: item.record.line, column: field + 1),
                    field: schema.columns[column].name, value: value,
                    "the cell holds the Excel error \(value), not a value",
                    hint: "fix the formula or the value it refers to, then save the workbook again")
                broken = true
            }
            guard !broken, binding!.bind(item.record) else { return }
            try body(
                Row(
                    schema: schema, file: file, line: item.record.line, bytes: binding!.rowBytes(item.record),
                    spans: binding!.spans))
        }
        return ok && usable
    }
}
