/// An exact amount of money in integer pence.
///
/// BoardPack never stores money in a floating-point type. Inputs are read to
/// the penny (see `DecimalParser`); figures are sums and differences of pence,
/// so they stay exact. The one rounding rule, used wherever an amount or a
/// ratio must be shown with fewer digits than it has, is *round half away
/// from zero* (`Money.roundedDivision`).
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var pence: Int64

    public init(pence: Int64) { self.pence = pence }
    public static let zero = Money(pence: 0)

    public static func pounds(_ pounds: Int64) -> Money { Money(pence: pounds * 100) }

    public static func + (a: Money, b: Money) -> Money { Money(pence: a.pence + b.pence) }
    public static func - (a: Money, b: Money) -> Money { Money(pence: a.pence - b.pence) }
    public static func += (a: inout Money, b: Money) { a.pence += b.pence }
    public static func -= (a: inout Money, b: Money) { a.pence -= b.pence }
    public static prefix func - (a: Money) -> Money { Money(pence: -a.pence) }
    public static func < (a: Money, b: Money) -> Bool { a.pence < b.pence }

    /// Exact decimal text in pounds, e.g. `-1234.50`.
    public var description: String { FixedPoint.format(pence, scale: 2) }

    /// Whole pounds, rounded half away from zero.
    public var roundedPounds: Int64 { Money.roundedDivision(pence, by: 100) }

    /// `numerator / denominator` rounded half away from zero. `denominator` must be positive.
    public static func roundedDivision(_ numerator: Int64, by denominator: Int64) -> Int64 {
        precondition(denominator > 0)
        let q = numerator / denominator
        let r = numerator % denominator
        if r == 0 { return q }
        if 2 * (r.magnitude) >= denominator.magnitude {
            return numerator < 0 ? q - 1 : q + 1
        }
        return q
    }
}

/// An activity count held in hundredths, so planned activity phased to
/// fractions of a unit (e.g. `12.5` bed days) stays exact.
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }
    public static let zero = Quantity(hundredths: 0)
    public static func units(_ n: Int64) -> Quantity { Quantity(hundredths: n * 100) }

    public static func + (a: Quantity, b: Quantity) -> Quantity { Quantity(hundredths: a.hundredths + b.hundredths) }
    public static func - (a: Quantity, b: Quantity) -> Quantity { Quantity(hundredths: a.hundredths - b.hundredths) }
    public static func += (a: inout Quantity, b: Quantity) { a.hundredths += b.hundredths }
    public static func < (a: Quantity, b: Quantity) -> Bool { a.hundredths < b.hundredths }

    /// Exact decimal text with trailing zero decimals dropped, e.g. `12`, `12.5`.
    public var description: String {
        if hundredths % 100 == 0 { return String(hundredths / 100) }
        if hundredths % 10 == 0 { return FixedPoint.format(hundredths / 10, scale: 1) }
        return FixedPoint.format(hundredths, scale: 2)
    }

    /// Whole units, rounded half away from zero.
    public var roundedUnits: Int64 { Money.roundedDivision(hundredths, by: 100) }
}

/// Formatting of scaled integers as decimal text.
public enum FixedPoint {
    /// `format(12345, scale: 2)` is `"123.45"`; `format(-5, scale: 2)` is `"-0.05"`.
    public static func format(_ value: Int64, scale: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / divisor
        let fraction = magnitude % divisor
        var text = value < 0 ? "-" : ""
        text += String(whole)
        if scale > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: scale - digits.count) + digits
        }
        return text
    }

    /// `part / whole` as a percentage in tenths of a percent, rounded half
    /// away from zero; nil when `whole` is zero.
    public static func perMille(_ part: Int64, of whole: Int64) -> Int64? {
        guard whole != 0 else { return nil }
        let sign: Int64 = (part < 0) != (whole < 0) ? -1 : 1
        return sign * Money.roundedDivision(Int64(part.magnitude) * 1000, by: Int64(whole.magnitude))
    }
}
