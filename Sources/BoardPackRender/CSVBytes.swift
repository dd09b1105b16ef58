import BoardPackCore

/// A CSV file written straight into bytes (RFC 4180, CRLF line ends), for the files an analyst
/// opens in a spreadsheet: numbers are formatted from integers, codes copied byte for byte, and
/// text escaped byte by byte, so no `String` is made per field on a path that runs per cell.
///
/// A text field is quoted when it holds a comma, quote or line break; one that starts with `=`,
/// `+`, `-` or `@`, which a spreadsheet would take for a formula, is kept as text by a leading `'`.
struct CSVBytes {
    private(set) var bytes: [UInt8] = []
    private var rowStarted = false

    init(header: [String], reserving capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
        for name in header { text(name) }
        endRow()
    }

    private mutating func separate() {
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        rowStarted = true
    }

    mutating func endRow() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        rowStarted = false
    }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { text(utf8: $0) }
    }

    mutating func text(utf8 value: UnsafeBufferPointer<UInt8>) {
        separate()
        let formula =
            value.first.map {
                $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@")
            } ?? false
        let quoted = value.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        if formula { bytes.append(UInt8(ascii: "'")) }
        for byte in value {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
    }

    /// A code as its characters, copied straight into the file: A–Z, 0–9, `_` and `-` never need
    /// quoting; a code starting `-` gets the formula guard as any text would.
    mutating func code(_ code: ShortCode?) {
        separate()
        guard let code else { return }
        let start = bytes.count
        code.write(to: &bytes)
        if bytes[start] == UInt8(ascii: "-") { bytes.insert(UInt8(ascii: "'"), at: start) }
    }

    mutating func integer(_ value: Int64) {
        separate()
        Self.appendInteger(value, to: &bytes)
    }

    /// `value / 10^scale` exactly: `fixed(-5, scale: 2)` is `-0.05`.
    mutating func fixed(_ value: Int64, scale: Int) {
        separate()
        Self.appendFixed(value, scale: scale, to: &bytes)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, on the stack
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    static func appendFixed(_ value: Int64, scale: Int, to out: inout [UInt8]) {
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let magnitude = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(Int64(magnitude / divisor), to: &out)
        guard scale > 0 else { return }
        out.append(UInt8(ascii: "."))
        var fraction = magnitude % divisor
        var place = divisor / 10
        while place > 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / place))
            fraction %= place
            place /= 10
        }
    }
}
