/// Where in an input a problem was found. Lines and columns are 1-based; a
/// column of 0 means the whole line (or element).
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A sheet of a workbook (`book.xlsx[Sheet]`): line and column are a cell's row and column.
    public var isSheet: Bool { file.hasSuffix("]") && file.contains(".xlsx[") }

    public var description: String {
        var text = file
        if isSheet, line > 0 {
            // `book.xlsx[Sheet]!F12`, or the whole row `book.xlsx[Sheet]!12:12`.
            return text + "!" + (column > 0 ? Self.columnLetters(column) + "\(line)" : "\(line):\(line)")
        }
        if line > 0 {
            text += ":\(line)"
            if column > 0 { text += ":\(column)" }
        }
        return text
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// `A`, `Z`, `AA` for columns 1, 26, 27.
    public static func columnLetters(_ column: Int) -> String {
        var n = column
        var out: [Character] = []
        while n > 0 {
            out.insert(Character(Unicode.Scalar(UInt8(65 + (n - 1) % 26))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }
}

/// One problem found in the inputs or configuration: a value, never thrown.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case warning
        case error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// A stable identifier of the kind of problem, e.g. `value.number` (docs/diagnostics.md).
    public var code: String
    public var location: SourceLocation
    /// The column or element the problem is in, when there is one.
    public var field: String?
    /// The offending value as read, when there is one.
    public var value: String?
    public var message: String
    /// What the analyst can do about it.
    public var hint: String?

    public init(
        _ severity: Severity, _ code: String, at location: SourceLocation, field: String? = nil,
        value: String? = nil, message: String, hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.location = location
        self.field = field
        self.value = value
        self.message = message
        self.hint = hint
    }

    /// Compiler-style: `inputs/activity/RXX.csv:12:9: error: field: message (found 'v'); hint [code]`
    public var description: String {
        var text = "\(location): \(severity.rawValue): "
        if let field { text += "\(field): " }
        text += message
        if let value { text += " (found '\(value)')" }
        if let hint { text += "; \(hint)" }
        return text + " [\(code)]"
    }
}

/// Collects diagnostics for one run and decides whether it may publish.
public final class DiagnosticLog: @unchecked Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Errors beyond this many are counted but not kept.
    public let maxErrors: Int

    public init(maxErrors: Int = 100) { self.maxErrors = maxErrors }

    public var hasErrors: Bool { errorCount > 0 }

    /// Records a diagnostic. With `counted`, an error is counted but not kept
    /// (a repeat of a problem already reported in full).
    public func report(_ diagnostic: Diagnostic, counted: Bool = false) {
        switch diagnostic.severity {
        case .error:
            errorCount += 1
            if errorCount > maxErrors || counted { return }
        case .warning:
            warningCount += 1
        }
        diagnostics.append(diagnostic)
    }

    /// Takes in another log's diagnostics and counts (a file read on another thread).
    public func absorb(_ other: DiagnosticLog) {
        absorb(other) { ($0, false) }
    }

    /// The same, each diagnostic passed through `transform` first: changed, counted without being
    /// kept (`true`), or left out (nil; only for a warning, so that no error is lost).
    public func absorb(_ other: DiagnosticLog, transform: (Diagnostic) -> (Diagnostic, counted: Bool)?) {
        for diagnostic in other.diagnostics {
            if let (changed, counted) = transform(diagnostic) {
                report(changed, counted: counted)
            } else {
                precondition(diagnostic.severity == .warning, "an error is never left out")
            }
        }
        // Errors the other log counted without keeping (repeats, or beyond its limit).
        let kept = other.diagnostics.filter { $0.severity == .error }.count
        errorCount += other.errorCount - kept
    }

    public func error(
        _ code: String, _ location: SourceLocation, field: String? = nil, value: String? = nil, _ message: String,
        hint: String? = nil
    ) {
        report(Diagnostic(.error, code, at: location, field: field, value: value, message: message, hint: hint))
    }

    public func warning(
        _ code: String, _ location: SourceLocation, field: String? = nil, value: String? = nil, _ message: String,
        hint: String? = nil
    ) {
        report(Diagnostic(.warning, code, at: location, field: field, value: value, message: message, hint: hint))
    }

    /// Diagnostics in a stable order: by file, line, column, then text.
    public var sorted: [Diagnostic] {
        diagnostics.sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            return a.description < b.description
        }
    }
}
