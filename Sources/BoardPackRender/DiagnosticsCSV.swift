import BoardPackCore

/// `diagnostics.csv` at the top of the output folder: every warning of the build, one row per
/// occurrence, where the console and the packs show repeats as one line (docs/diagnostics.md).
/// Text from the inputs is escaped as on the console, so no control character reaches the file.
public enum DiagnosticsCSV {
    public static let fileName = "diagnostics.csv"

    static let columns = ["severity", "code", "file", "line", "column", "field", "value", "message", "hint"]

    public static func bytes(_ diagnostics: [Diagnostic]) -> [UInt8] {
        var csv = CSVBytes(header: columns, reserving: 160 * (diagnostics.count + 1))
        for d in diagnostics {
            csv.text(d.severity.rawValue)
            csv.text(d.code)
            csv.text(TerminalText.escaped(d.location.file))
            csv.integer(Int64(d.location.line))
            csv.integer(Int64(d.location.column))
            csv.text(TerminalText.escaped(d.field ?? ""))
            csv.text(TerminalText.escaped(d.value ?? ""))
            csv.text(TerminalText.escaped(d.message))
            csv.text(TerminalText.escaped(d.hint ?? ""))
            csv.endRow()
        }
        return csv.bytes
    }
}
