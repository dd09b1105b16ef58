/// An NHS financial year, 1 April to 31 March, named by the calendar year in
/// which it starts: `FinancialYear(startYear: 2025)` is 2025/26, written
/// `202526` in contract monitoring files.
public struct FinancialYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    /// Parses the six-digit ACM form `202526`; the second pair must follow the first.
    public init?(acmCode: Int) {
        let start = acmCode / 100
        let end = acmCode % 100
        guard (1990...2100).contains(start), (start + 1) % 100 == end else { return nil }
        self.startYear = start
    }

    public var acmCode: Int { startYear * 100 + (startYear + 1) % 100 }
    /// `2025/26`
    public var description: String {
        let end = (startYear + 1) % 100
        return "\(startYear)/\(end < 10 ? "0" : "")\(end)"
    }
    public static func < (a: FinancialYear, b: FinancialYear) -> Bool { a.startYear < b.startYear }
}

/// One month of a financial year: M1 is April, M12 is March.
public struct FinancialMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: FinancialYear
    /// 1...12
    public var month: Int

    public init(year: FinancialYear, month: Int) {
        precondition((1...12).contains(month))
        self.year = year
        self.month = month
    }

    /// From a calendar year and month (`2025`, `10` is 2025/26 M7).
    public init?(calendarYear: Int, calendarMonth: Int) {
        guard (1...12).contains(calendarMonth) else { return nil }
        if calendarMonth >= 4 {
            self.init(year: FinancialYear(startYear: calendarYear), month: calendarMonth - 3)
        } else {
            self.init(year: FinancialYear(startYear: calendarYear - 1), month: calendarMonth + 9)
        }
    }

    /// Parses `YYYY-MM` (a calendar month).
    public init?(calendarText: String) {
        let parts = calendarText.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(calendarYear: y, calendarMonth: m)
    }

    public var calendarYear: Int { month <= 9 ? year.startYear : year.startYear + 1 }
    public var calendarMonth: Int { month <= 9 ? month + 3 : month - 9 }

    /// `2025-10`
    public var calendarText: String {
        "\(calendarYear)-\(calendarMonth < 10 ? "0" : "")\(calendarMonth)"
    }

    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// `October 2025`
    public var longName: String { "\(Self.monthNames[calendarMonth - 1]) \(calendarYear)" }
    /// `Oct`
    public var shortMonthName: String { String(Self.monthNames[calendarMonth - 1].prefix(3)) }

    /// `2025/26 M7`
    public var description: String { "\(year) M\(month)" }

    /// A single increasing number: handy as a dictionary key and for sorting.
    public var ordinal: Int { year.startYear * 12 + (month - 1) }

    public init(ordinal: Int) {
        self.init(year: FinancialYear(startYear: ordinal / 12), month: ordinal % 12 + 1)
    }

    public static func < (a: FinancialMonth, b: FinancialMonth) -> Bool { a.ordinal < b.ordinal }
}
