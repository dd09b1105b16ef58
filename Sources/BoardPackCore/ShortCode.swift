/// A short upper-case code (ODS organisation code, point of delivery, treatment
/// function), packed into two machine words so that comparing, hashing and
/// storing a code never allocates.
///
/// A code holds 1 to 16 characters from `A`–`Z`, `0`–`9`, `_` and `-`.
/// Lower-case letters are folded to upper case when a code is read.
public struct ShortCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let maxLength = 16
    // Bytes packed big-endian so that integer order is text order.
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong(Int)
        case invalidCharacter(UInt8)
    }

    /// Reads a code from raw bytes (already trimmed of surrounding spaces).
    @inlinable
    public static func parse<C: Collection>(_ bytes: C) -> Result<ShortCode, Problem> where C.Element == UInt8 {
        if bytes.isEmpty { return .failure(.empty) }
        if bytes.count > maxLength { return .failure(.tooLong(bytes.count)) }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for var byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): byte -= 32
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"):
                break
            default: return .failure(.invalidCharacter(byte))
            }
            if index < 8 {
                high |= UInt64(byte) << (8 * UInt64(7 - index))
            } else {
                low |= UInt64(byte) << (8 * UInt64(15 - index))
            }
            index += 1
        }
        return .success(ShortCode(high: high, low: low))
    }

    @usableFromInline
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A code from a string known to be valid (tests, generators, reference lists).
    public init?(_ text: String) {
        guard case .success(let code) = ShortCode.parse(Array(text.utf8)) else { return nil }
        self = code
    }

    public static func < (a: ShortCode, b: ShortCode) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// Appends the code's characters to `out`, with no `String` made on the way.
    @inlinable
    public func write(to out: inout [UInt8]) {
        for word in [high, low] {
            for shift in stride(from: 56, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(shift))
                if byte == 0 { return }
                out.append(byte)
            }
        }
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in [high, low] {
            for shift in stride(from: 56, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(shift))
                if byte == 0 { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
