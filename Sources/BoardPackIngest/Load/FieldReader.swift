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

    /// The value forms other than the canonical ones read in this row (`2026/27`, a day-first
    /// date…), for the loader to count.
    var forms: [String] = []

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

    /// A whole number. A fraction other than zeros (`3928.020356`) is an error, never rounded:
    /// money is the only input BoardPack rounds.
    mutating func integer(_ column: Int, required: Bool, range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let raw = nonBlank(column, required: required) else { return nil }
        switch DecimalParser.parse(raw, scale: 0, allowCurrency: false) {
        case .success(let value):
            if let point = raw.firstIndex(of: UInt8(ascii: ".")),
                raw[point...].contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") })
            {
                fail(
                    "value.whole-number", column, "a whole number is expected, and BoardPack rounds no count",
                    hint: "give the whole number (round it in the source if a decimal is intended, such as a weighted "
                        + "population)")
                return nil
            }
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

    /// The financial year as real files write it: the ACM form `202627`, `2026/27`, `2026-27`,
    /// `26/27`, or the start year `2026`. A form other than the six digits is recorded in `forms`.
    mutating func financialYear(_ column: Int) -> FinancialYear? {
        guard let raw = nonBlank(column, required: true) else { return nil }
        let text = String(decoding: raw, as: UTF8.self).trimmingSpaces
        if let (year, form) = Self.financialYear(text) {
            if let form { forms.append("financial_year written \(form)") }
            return year
        }
        fail(
            "value.year", column, "not a financial year",
            hint: "write it as 202627, 2026/27, 2026-27, 26/27 or the start year 2026")
        return nil
    }

    /// The year and, when it is not the six-digit ACM form, the form's name.
    static func financialYear(_ text: String) -> (FinancialYear, String?)? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, range.allSatisfy({ bytes[$0] &- 0x30 < 10 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) }
        }
        let separated = bytes.count > 2 && (bytes[bytes.count - 3] == 0x2F || bytes[bytes.count - 3] == 0x2D)
        switch bytes.count {
        case 6: return number(0..<6).flatMap(FinancialYear.init(acmCode:)).map { ($0, nil) }
        case 4:
            return number(0..<4).flatMap { FinancialYear(acmCode: $0 * 100 + ($0 + 1) % 100) }.map {
                ($0, "as the start year (2026)")
            }
        case 7 where separated:
            guard let start = number(0..<4), let end = number(5..<7) else { return nil }
            return FinancialYear(acmCode: start * 100 + end).map { ($0, "as 2026/27") }
        case 5 where separated:
            guard let start = number(0..<2), let end = number(3..<5) else { return nil }
            return FinancialYear(acmCode: (2000 + start) * 100 + end).map { ($0, "as 26/27") }
        default: return nil
        }
    }

    mutating func financialMonth(_ column: Int) -> Int? {
        guard let value = integer(column, required: true) else { return nil }
        guard (1...12).contains(value) else {
            fail("value.month", column, "the financial month must be 1 (April) to 12 (March)")
            return nil
        }
        return Int(value)
    }

    /// `date_and_time_data_set_created` as real files write it — ISO `YYYY-MM-DD` with an optional
    /// `THH:MM:SS` or ` HH:MM:SS` (fraction and `Z` dropped), UK day-first `dd/mm/yyyy` with an
    /// optional ` hh:mm[:ss]`, or an Excel serial number (1900 date system) — normalised to
    /// `YYYY-MM-DDTHH:MM:SS`. A date that does not exist (`31/02/2026`) is an error. A form other
    /// than ISO is recorded in `forms`.
    mutating func timestamp(_ column: Int) -> String? {
        guard let text = text(column, required: false) else { return nil }
        if let (normal, form) = Timestamp.normalise(text.trimmingSpaces) {
            if let form { forms.append(Self.timestampForm(form)) }
            return normal
        }
        fail(
            "value.timestamp", column, "not a date and time that exists",
            hint: "write it as YYYY-MM-DDTHH:MM:SS (2025-11-12T09:30:00), dd/mm/yyyy hh:mm or an Excel date number")
        return nil
    }
}

extension FieldReader {
    /// A calendar date or month, `YYYY-MM-DD` or `YYYY-MM` (a month is its first day): the date
    /// normalised to `YYYY-MM-DD`, and as written.
    mutating func date(_ column: Int, required: Bool) -> (normal: String, written: String)? {
        guard let text = text(column, required: required)?.trimmingSpaces else { return nil }
        guard let normal = SeriesLoader.normalisedDate(text) else {
            fail(
                "value.date", column, SeriesLoader.dateProblem(text),
                hint: "write it as YYYY-MM-DD, YYYY-MM or dd/mm/yyyy (day first)")
            return nil
        }
        return (normal, text)
    }

    /// A measure's value as written: a plain decimal (`95.4`, `-3`, `1200`), with thousands
    /// separators where they belong (`1,234`, as money and activity accept), no sign of currency.
    mutating func plainNumber(_ column: Int, required: Bool) -> Double? {
        guard let raw = text(column, required: required)?.trimmingSpaces else { return nil }
        // The separators checked where they stand, then dropped; brackets are not a measure's form.
        guard case .success = DecimalParser.parse(Array(raw.utf8), scale: 6, allowCurrency: false),
            !raw.hasPrefix("("), let value = Double(raw.replacingOccurrences(of: ",", with: "")), value.isFinite
        else {
            fail(
                "value.number", column, "not a plain number",
                hint: "write it as digits with an optional . and -, and commas between thousands (1,234.5)")
            return nil
        }
        return value
    }

    /// How the data-quality appendix names a creation time's form (`day first (dd/mm/yyyy)`).
    static func timestampForm(_ form: String) -> String { "date_and_time_data_set_created written \(form)" }
}

enum Timestamp {
    /// The normalised time and, for a form other than ISO, the form's name; nil when `text` is
    /// not a date and time that exists.
    static func normalise(_ text: String) -> (String, String?)? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count, range.allSatisfy({ b[$0] &- 0x30 < 10 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
        }
        /// `hh:mm[:ss]` (or `HH:MM:SS` when `seconds`) from `start` to the end, with a fraction and
        /// `Z` allowed after ISO seconds.
        func time(from start: Int, secondsRequired: Bool, iso: Bool) -> (Int, Int, Int)? {
            guard let h = number(start..<start + 2), start + 2 < b.count, b[start + 2] == 0x3A,
                let m = number(start + 3..<start + 5)
            else { return nil }
            var i = start + 5
            var sec = 0
            if i < b.count, b[i] == 0x3A, let s = number(i + 1..<i + 3) {
                sec = s
                i += 3
            } else if secondsRequired {
                return nil
            }
            if iso {
                if i < b.count, b[i] == 0x2E {
                    i += 1
                    while i < b.count, b[i] &- 0x30 < 10 { i += 1 }
                }
                if i < b.count, b[i] == 0x5A { i += 1 }
            }
            guard i == b.count, h < 24, m < 60, sec < 60 else { return nil }
            return (h, m, sec)
        }
        func result(_ y: Int, _ mo: Int, _ d: Int, _ t: (Int, Int, Int), _ form: String?) -> (String, String?)? {
            guard CivilDate.exists(year: y, month: mo, day: d) else { return nil }
            return (CivilDate.iso(y, mo, d, t.0, t.1, t.2), form)
        }
        // ISO: 2026-05-10, 2026-05-10T09:00:00, 2026-05-10 09:00:00.000Z
        if b.count >= 10, let y = number(0..<4), b[4] == 0x2D, let mo = number(5..<7), b[7] == 0x2D,
            let d = number(8..<10)
        {
            if b.count == 10 { return result(y, mo, d, (0, 0, 0), nil) }
            guard b[10] == 0x54 || b[10] == 0x20, let t = time(from: 11, secondsRequired: true, iso: true) else {
                return nil
            }
            return result(y, mo, d, t, nil)
        }
        // UK day-first: 10/05/2026, 10/05/2026 09:00, 10/05/2026 09:00:00
        if b.count >= 10, let d = number(0..<2), b[2] == 0x2F, let mo = number(3..<5), b[5] == 0x2F,
            let y = number(6..<10)
        {
            if b.count == 10 { return result(y, mo, d, (0, 0, 0), "day first (dd/mm/yyyy)") }
            guard b[10] == 0x20, let t = time(from: 11, secondsRequired: false, iso: false) else { return nil }
            return result(y, mo, d, t, "day first (dd/mm/yyyy)")
        }
        // An Excel serial number: days since 30 December 1899, the fraction the time of day.
        if let serial = ExcelSerial.parse(b) { return (serial, "as an Excel date number") }
        return nil
    }
}

/// Calendar arithmetic for the dates inputs carry (proleptic Gregorian, no time zones).
enum CivilDate {
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func exists(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// The date `days` after 1 January 1970.
    static func fromDays(_ days: Int) -> (Int, Int, Int) {
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func iso(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(mo))-\(two(d))T\(two(h)):\(two(mi)):\(two(s))"
    }
}

/// Excel's 1900 date system: serial 1 is 1 January 1900, and serial 60 is the 29 February 1900 that
/// Excel counts but that never was, so from serial 61 on a serial is days since 30 December 1899.
/// Serials before 61 are refused: no contract-monitoring file was created then.
enum ExcelSerial {
    /// Days from 30 December 1899 to 1 January 1970.
    static let unixEpoch = 25_569

    /// `46152` or `46152.375` (the fraction of a day, to the second) as ISO; nil otherwise.
    static func parse(_ b: [UInt8]) -> String? {
        var i = 0
        var days = 0
        while i < b.count, b[i] &- 0x30 < 10, i < 6 {
            days = days * 10 + Int(b[i] - 0x30)
            i += 1
        }
        guard i > 0, days >= 61 else { return nil }
        var seconds = 0
        if i < b.count {
            guard b[i] == 0x2E, i + 1 < b.count else { return nil }
            // The fraction, exactly: digits over a power of ten, rounded to the second.
            var numerator = 0
            var denominator = 1
            i += 1
            while i < b.count, b[i] &- 0x30 < 10 {
                if denominator < 1_000_000_000 {
                    numerator = numerator * 10 + Int(b[i] - 0x30)
                    denominator *= 10
                }
                i += 1
            }
            guard i == b.count else { return nil }
            seconds = (numerator * 86_400 * 2 + denominator) / (2 * denominator)
        }
        if seconds == 86_400 {
            days += 1
            seconds = 0
        }
        let (y, m, d) = CivilDate.fromDays(days - unixEpoch)
        guard CivilDate.exists(year: y, month: m, day: d) else { return nil }
        return CivilDate.iso(y, m, d, seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}
