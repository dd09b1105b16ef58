import BoardPackCore

/// Typed reading of a row's fields. Every failure is a located diagnostic;
/// nothing is silently zeroed. Each reader returns nil when the value is
/// blank or bad, so callers check `ok` to see whether the row is usable.
struct FieldReader {
    let row: Row
    let log: DiagnosticLog
    /// False once any required or malformed value has been reported.
    private(set) var ok = true

    init(_ row: Row, log: DiagnosticLog) {
        self.row = row
        self.log = log
    }

    private func name(_ column: Int) -> String { row.schema.columns[column].name }

    mutating func fail(
        _ code: String, _ column: Int, _ message: String, hint: String? = nil, showValue: Bool = true
    ) {
        ok = false
        log.error(
            code, row.location(column), field: name(column), value: showValue ? row.display(column) : nil, message,
            hint: hint)
    }

    /// nil for blank (or `-`, which finance exports write for "nothing"), and
    /// records an error when the column is required.
    private mutating func nonBlank(_ column: Int, required: Bool) -> ArraySlice<UInt8>? {
        guard let raw = row.raw(column), !raw.isEmpty, !(raw.count == 1 && raw.first == UInt8(ascii: "-")) else {
            if required {
                fail(
                    "value.required", column, "a value is required", hint: "fill in the \(name(column)) column",
                    showValue: row.raw(column)?.isEmpty == false)
            }
            return nil
        }
        return raw
    }

    /// Reports a NUL byte or bytes that are not UTF-8, which explain why a
    /// value could not be read better than "not a number". True when it reported.
    private mutating func explainBytes(_ column: Int, _ raw: ArraySlice<UInt8>) -> Bool {
        if raw.contains(0) {
            fail("value.nul", column, "the value contains a NUL byte", hint: "re-export the file", showValue: false)
            return true
        }
        if String(validating: raw, as: UTF8.self) == nil {
            fail(
                "value.encoding", column,
                raw.contains(0xA3)
                    ? "the value is not UTF-8 (byte 0xA3 is '£' in Windows-1252)" : "the value is not valid UTF-8",
                hint: "save the file as UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)')", showValue: false)
            return true
        }
        return false
    }

    /// Text such as a name: C0 control characters other than tab and line breaks (and DEL) are an
    /// error, since they break SVG and terminals and are never meant; bidirectional controls are
    /// removed with a warning, since they would make the text read differently from what it holds.
    mutating func text(_ column: Int, required: Bool) -> String? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        if explainBytes(column, raw) { return nil }
        if let bad = raw.first(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            fail(
                "value.control-character", column,
                "the text holds a control character (byte 0x\(String(bad, radix: 16, uppercase: true)))",
                hint: "remove it at the source; only tab and line breaks are allowed in text")
            return nil
        }
        let text = String(decoding: raw, as: UTF8.self)
        guard raw.contains(where: { $0 == 0xE2 || $0 == 0xD8 }),
            text.unicodeScalars.contains(where: TerminalText.isBidiControl)
        else { return text }
        log.warning(
            "value.bidi-control", row.location(column), field: name(column),
            value: TerminalText.escaped(row.display(column)),
            "bidirectional control characters removed: they would make the text display in another order",
            hint: "remove them at the source")
        var cleaned = String.UnicodeScalarView()
        cleaned.append(contentsOf: text.unicodeScalars.filter { !TerminalText.isBidiControl($0) })
        return String(cleaned)
    }

    mutating func code(_ column: Int, required: Bool) -> ShortCode? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        let parsed = ShortCode.parse(raw)
        if case .success(let code) = parsed { return code }
        if explainBytes(column, raw) { return nil }
        switch parsed {
        case .success(let code): return code
        case .failure(.tooLong(let n)):
            fail("value.code", column, "a code of \(n) characters is too long (at most \(ShortCode.maxLength))")
        case .failure(.invalidCharacter):
            fail("value.code", column, "a code may hold only letters, digits, '_' and '-'")
        case .failure(.empty):
            fail("value.required", column, "a value is required", showValue: false)
        }
        return nil
    }

    mutating func integer(_ column: Int, required: Bool, range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        switch DecimalParser.parse(raw, scale: 0, allowCurrency: false) {
        case .success(let value):
            if let range, !range.contains(value) {
                fail("value.range", column, "the value must be between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            return value
        case .failure(let problem):
            if explainBytes(column, raw) { return nil }
            fail("value.number", column, problem.message, hint: problem.hint)
            return nil
        }
    }

    mutating func money(_ column: Int, required: Bool) -> Money? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        switch DecimalParser.parse(raw, scale: 2, allowCurrency: true) {
        case .success(let pence): return Money(pence: pence)
        case .failure(let problem):
            if explainBytes(column, raw) { return nil }
            fail("value.number", column, problem.message, hint: problem.hint)
            return nil
        }
    }

    /// Activity: never negative.
    mutating func quantity(_ column: Int, required: Bool) -> Quantity? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        switch DecimalParser.parse(raw, scale: 2, allowCurrency: false) {
        case .success(let hundredths):
            if hundredths < 0 {
                fail(
                    "value.negative", column, "activity cannot be negative",
                    hint: "report reductions as lower activity, not negative counts")
                return nil
            }
            return Quantity(hundredths: hundredths)
        case .failure(let problem):
            if explainBytes(column, raw) { return nil }
            fail("value.number", column, problem.message, hint: problem.hint)
            return nil
        }
    }

    mutating func choice<T: RawRepresentable>(_ column: Int, required: Bool, _ type: T.Type) -> T?
    where T: CaseIterable, T.RawValue == String {
        guard let text = text(column, required: required) else { return nil }
        if let value = T(rawValue: text.trimmingSpaces.uppercased()) { return value }
        fail(
            "value.choice", column, "not one of the allowed values",
            hint: "use one of " + T.allCases.map { $0.rawValue }.joined(separator: ", "))
        return nil
    }

    mutating func financialYear(_ column: Int) -> FinancialYear? {
        guard let value = integer(column, required: true) else { return nil }
        if let year = FinancialYear(acmCode: Int(value)) { return year }
        fail(
            "value.year", column, "not a financial year", hint: "write the year as six digits, e.g. 202526 for 2025/26")
        return nil
    }

    mutating func financialMonth(_ column: Int) -> Int? {
        guard let value = integer(column, required: true) else { return nil }
        guard (1...12).contains(value) else {
            fail("value.month", column, "the financial month must be 1 (April) to 12 (March)")
            return nil
        }
        return Int(value)
    }

    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD HH:MM:SS` (an optional
    /// fraction and `Z` are dropped), normalised to `YYYY-MM-DDTHH:MM:SS`.
    mutating func timestamp(_ column: Int) -> String? {
        guard let text = text(column, required: false) else { return nil }
        if let normal = Timestamp.normalise(text) { return normal }
        fail(
            "value.timestamp", column, "not a date and time",
            hint: "write it as YYYY-MM-DDTHH:MM:SS, e.g. 2025-11-12T09:30:00")
        return nil
    }
}

enum Timestamp {
    static func normalise(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= bytes.count && range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
        }
        guard bytes.count >= 10, digits(0..<4), bytes[4] == 0x2D, digits(5..<7), bytes[7] == 0x2D, digits(8..<10)
        else { return nil }
        let date = String(decoding: bytes[0..<10], as: UTF8.self)
        guard let month = Int(date.dropFirst(5).prefix(2)), (1...12).contains(month),
            let day = Int(date.suffix(2)), (1...31).contains(day)
        else { return nil }
        if bytes.count == 10 { return date + "T00:00:00" }
        guard bytes.count >= 19, bytes[10] == 0x54 || bytes[10] == 0x20, digits(11..<13), bytes[13] == 0x3A,
            digits(14..<16), bytes[16] == 0x3A, digits(17..<19)
        else { return nil }
        var rest = bytes[19...]
        if rest.first == 0x2E {
            rest = rest.dropFirst()
            while let b = rest.first, b >= 0x30 && b <= 0x39 { rest = rest.dropFirst() }
        }
        if rest.first == 0x5A { rest = rest.dropFirst() }
        guard rest.isEmpty else { return nil }
        return date + "T" + String(decoding: bytes[11..<19], as: UTF8.self)
    }
}
