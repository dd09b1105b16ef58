import BoardPackAnalysis
import BoardPackCore

/// A scheme delivered in the previous year, on this year's benefits table.
public struct CarriedRowView: Sendable {
    public let id: String
    public let name: String
    public let activity: String
    public let deliveredIn: String
    public let goLive: String
    /// `Apr 2025–Dec 2025 (9 months)`, or `–` when the inputs hold none.
    public let monthsBefore: String
    public let monthsSince: String
    public let averageBefore: String
    public let averageSince: String
    public let changePercent: String
    public let fullYearEffect: String
    public let savingDelivered: String
    /// The SPC verdict for the scheme's chart, when it has one.
    public let verdict: String
}

extension ViewBuilder {
    static func carriedRows(_ figures: PackFigures) -> [CarriedRowView] {
        figures.carried.map { c in
            var activity = "\(c.provider) \(c.pointOfDelivery)"
            if let tfc = c.treatmentFunction { activity += " " + tfc.description }
            let verdict = figures.spc.first { $0.schemeID == c.schemeID }?.benefit?.text ?? "No chart of its activity."
            return CarriedRowView(
                id: c.schemeID, name: c.schemeName, activity: activity, deliveredIn: c.deliveredIn.description,
                goLive: "\(c.goLive.shortMonthName) \(c.goLive.calendarYear)", monthsBefore: span(c.monthsBefore),
                monthsSince: span(c.monthsSince), averageBefore: c.averageBefore.map(Format.quantity) ?? Format.dash,
                averageSince: c.averageSince.map(Format.quantity) ?? Format.dash,
                changePercent: Format.percent(c.changePerMille),
                fullYearEffect: c.fullYearEffect.map(Format.signedQuantity) ?? Format.dash,
                savingDelivered: Format.money(c.savingDelivered), verdict: verdict)
        }
    }

    static func span(_ months: [FinancialMonth]) -> String {
        guard let first = months.first, let last = months.last else { return Format.dash }
        func name(_ m: FinancialMonth) -> String { "\(m.shortMonthName) \(m.calendarYear)" }
        let count = "\(months.count) month\(months.count == 1 ? "" : "s")"
        return first == last ? "\(name(first)) (\(count))" : "\(name(first))–\(name(last)) (\(count))"
    }
}
