import BoardPackCore

/// Display formatting, in one place. Packs show money in whole pounds and
/// activity in whole units, rounded half away from zero; `figures.json`
/// keeps the exact values.
public enum Format {
    public static let dash = "–"

    /// `-1,234,567`: digits in threes, from the right.
    static func grouped(_ value: Int64) -> String {
        var magnitude = value.magnitude
        var reversed: [UInt8] = []
        reversed.reserveCapacity(27)
        var digits = 0
        repeat {
            if digits > 0, digits % 3 == 0 { reversed.append(UInt8(ascii: ",")) }
            reversed.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
            digits += 1
        } while magnitude > 0
        if value < 0 { reversed.append(UInt8(ascii: "-")) }
        return String(decoding: reversed.reversed(), as: UTF8.self)
    }

    /// For a table whose header states the unit (£), in the finance convention:
    /// `1,234,568`, and a negative in brackets, `(1,234)`.
    public static func money(_ m: Money) -> String {
        let pounds = m.roundedPounds
        let digits = grouped(Int64(pounds.magnitude))
        return pounds < 0 ? "(" + digits + ")" : digits
    }

    /// Like `money` but with `+` on a positive amount: for variances.
    public static func signedMoney(_ m: Money) -> String {
        m.roundedPounds > 0 ? "+" + money(m) : money(m)
    }

    /// For prose and headline figures, with the unit: `£1,234,568`, `(£1,234)`.
    public static func pounds(_ m: Money) -> String {
        let pounds = m.roundedPounds
        let digits = "£" + grouped(Int64(pounds.magnitude))
        return pounds < 0 ? "(" + digits + ")" : digits
    }

    public static func signedPounds(_ m: Money) -> String {
        m.roundedPounds > 0 ? "+" + pounds(m) : pounds(m)
    }

    public static func money(_ m: Money?) -> String { m.map(money) ?? dash }

    /// `1,235`
    public static func quantity(_ q: Quantity) -> String { grouped(q.roundedUnits) }

    public static func signedQuantity(_ q: Quantity) -> String {
        q.roundedUnits > 0 ? "+" + quantity(q) : quantity(q)
    }

    /// `96.2%` from tenths of a percent; a dash for nil.
    public static func percent(_ perMille: Int64?) -> String {
        perMille.map { FixedPoint.format($0, scale: 1) + "%" } ?? dash
    }

    public static func count(_ n: Int64) -> String { grouped(n) }

    /// `M1–M7`, `M3`, `M1, M3–M4`
    public static func months(_ months: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < months.count {
            var j = i
            while j + 1 < months.count && months[j + 1] == months[j] + 1 { j += 1 }
            parts.append(i == j ? "M\(months[i])" : "M\(months[i])–M\(months[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
