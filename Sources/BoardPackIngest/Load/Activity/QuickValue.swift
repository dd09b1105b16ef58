/// The common forms of contract-monitoring values, read straight from bytes: plain digits, and
/// decimals with at most two places, thousands separators and (for money) `£`. A value in any other
/// form (`(12.00)`, `1.005`, `2026/27`, a blank, a value with a `""` escape) gives nil here and is read by `FieldReader`, which knows every
/// documented form and reports what is wrong. Where these accept a value, `FieldReader` reads it
/// the same (`Fuzz/Sources/FuzzCSV` and `QuickValueTests` check that on any bytes).
enum QuickValue {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// `b[s..<e]` without surrounding spaces and tabs, as `Row.raw` trims.
    @inline(__always)
    static func trim(_ b: [UInt8], _ s: inout Int, _ e: inout Int) {
        while s < e, b[s] == space || b[s] == tab { s += 1 }
        while e > s, b[e - 1] == space || b[e - 1] == tab { e -= 1 }
    }

    /// One to nine ASCII digits, and nothing else.
    @inline(__always)
    static func digits(_ b: [UInt8], _ s: Int, _ e: Int) -> Int64? {
        guard e > s, e - s <= 9 else { return nil }
        var value: Int64 = 0
        var i = s
        while i < e {
            let digit = b[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            i += 1
        }
        return value
    }

    /// Hundredths (pence, or hundredths of activity): one to fifteen digits, with or without
    /// thousands separators between groups of three (`1,234,567`), then optionally `.` and one or
    /// two digits; for `money`, an optional leading `-` and then `£`, as exports write prices.
    @inline(__always)
    static func hundredths(_ b: [UInt8], _ s: Int, _ e: Int, money: Bool) -> Int64? {
        var i = s
        var negative = false
        if money, i < e, b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        if money, i + 1 < e, b[i] == 0xC2, b[i + 1] == 0xA3 { i += 2 }  // £ in UTF-8
        var value: Int64 = 0
        var digits = 0
        var group = 0  // digits since the last separator
        var separated = false
        while i < e {
            let digit = b[i] &- 0x30
            if digit < 10 {
                value = value &* 10 &+ Int64(digit)
                digits += 1
                group += 1
            } else if b[i] == UInt8(ascii: ",") {
                // The first group one to three digits, every later one exactly three.
                guard group > 0, separated ? group == 3 : group <= 3 else { return nil }
                separated = true
                group = 0
            } else {
                break
            }
            i += 1
        }
        guard digits > 0, digits <= 15, !separated || group == 3 else { return nil }
        value = value &* 100
        if i < e {
            guard b[i] == UInt8(ascii: "."), i + 1 < e, b[i + 1] &- 0x30 < 10 else { return nil }
            value = value &+ Int64(b[i + 1] &- 0x30) &* 10
            i += 2
            if i < e {
                guard b[i] &- 0x30 < 10, i + 1 == e else { return nil }
                value = value &+ Int64(b[i] &- 0x30)
                i += 1
            }
        }
        return negative ? -value : value
    }

    /// Whether every byte is printable ASCII and not a quote: text that needs no checking for
    /// encoding or control characters.
    @inline(__always)
    static func isPlainText(_ b: [UInt8], _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            let byte = b[i]
            if byte < 0x20 || byte >= 0x7F || byte == 0x22 { return false }
            i += 1
        }
        return true
    }
}

/// The last value read in one column, kept with its raw bytes and its form: real files repeat a
/// column's value (the creation time, the financial year) on every row, so a row written the same
/// way takes it without reading it again.
struct RepeatedValue<Value> {
    private(set) var raw: [UInt8] = []
    private(set) var value: Value?
    /// The form's number in `FormCounts`, or -1 for the canonical form.
    private(set) var form = -1
    /// Changes whenever the value does.
    private(set) var generation = 0

    @inline(__always)
    func matches(_ b: [UInt8], _ s: Int, _ e: Int) -> Bool {
        guard value != nil, e - s == raw.count else { return false }
        // Eight bytes at a time while there are eight, then byte by byte.
        let count = raw.count
        let bytes = b.span
        let own = raw.span
        var i = 0
        while i + 8 <= count {
            if Self.word(bytes, s + i) != Self.word(own, i) { return false }
            i += 8
        }
        while i < count {
            if own[i] != bytes[s + i] { return false }
            i += 1
        }
        return true
    }

    /// The eight bytes at `i` as one word (bounds-checked once).
    @inline(__always)
    static func word(_ span: Span<UInt8>, _ i: Int) -> UInt64 {
        let bytes = span.extracting(i..<i &+ 8)
        var w: UInt64 = 0
        for k in 0..<8 { w |= UInt64(bytes[k]) << (8 &* UInt64(k)) }
        return w
    }

    mutating func set<C: Collection>(raw bytes: C, value: Value, form: Int) where C.Element == UInt8 {
        raw.removeAll(keepingCapacity: true)
        raw.append(contentsOf: bytes)
        self.value = value
        self.form = form
        generation += 1
    }
}

/// Values read in a form other than the canonical one (`2026/27`, a day-first date…), by form: how
/// many rows, and the first. The data-quality appendix shows the counts.
struct FormCounts {
    private(set) var names: [String] = []
    private(set) var rows: [Int] = []
    private(set) var first: [SourceLine] = []
    private var numbers: [String: Int] = [:]

    /// A line of the file being read: its number, and for a part of a file, from the part's start.
    typealias SourceLine = Int

    mutating func number(_ name: String) -> Int {
        if let known = numbers[name] { return known }
        numbers[name] = names.count
        names.append(name)
        rows.append(0)
        first.append(0)
        return names.count - 1
    }

    @inline(__always)
    mutating func count(_ form: Int, line: Int) {
        if rows[form] == 0 { first[form] = line }
        rows[form] += 1
    }
}
