/// A JSON value whose object keys keep the order they were given in, so
/// that `figures.json` is byte-for-byte stable. (Not `indirect`: arrays already hold their
/// elements apart, so no value needs a box of its own.)
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number written exactly as given (e.g. a decimal activity count).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// On one line, no final newline (JSON Lines).
    public func compact() -> String {
        var out: [UInt8] = []
        write(to: &out, indent: nil)
        return String(decoding: out, as: UTF8.self)
    }

    /// Two-space indented, `\n` line ends, a final newline.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// The same as UTF-8 bytes, written byte by byte (figures.json can be megabytes).
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(to: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    /// `indent` nil: compact, on one line; otherwise two spaces per level, one item per line.
    private func write(to out: inout [UInt8], indent: Int?) {
        func newline(_ level: Int) {
            if level < JSONValue.newlines.count {
                out.append(contentsOf: JSONValue.newlines[0...level])
            } else {
                out.append(0x0A)
                out.append(contentsOf: repeatElement(0x20, count: level))
            }
        }
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): JSONValue.writeInteger(i, to: &out)
        case .number(let n): out += n.utf8
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { newline(indent + 2) }
                item.write(to: &out, indent: indent.map { $0 + 2 })
            }
            if let indent, !items.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { newline(indent + 2) }
                JSONValue.writeString(key, to: &out)
                out += (indent == nil ? ":" : ": ").utf8
                value.write(to: &out, indent: indent.map { $0 + 2 })
            }
            if let indent, !members.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A line end and up to 127 spaces of indentation, copied whole.
    static let newlines: [UInt8] = [0x0A] + [UInt8](repeating: 0x20, count: 127)

    /// Decimal digits, without making a string: written last digit first, then put in order.
    static func writeInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        let bytes = s.utf8.span
        var plain = true
        for i in bytes.indices where bytes[i] < 0x20 || bytes[i] == 0x22 || bytes[i] == 0x5C {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: s.utf8)
            out.append(0x22)
            return
        }
        for byte in s.utf8 {
            switch byte {
            case 0x22: out += "\\\"".utf8
            case 0x5C: out += "\\\\".utf8
            case 0x0A: out += "\\n".utf8
            case 0x0D: out += "\\r".utf8
            case 0x09: out += "\\t".utf8
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
