import BoardPackAnalysis
import BoardPackCore

/// One figure as best, most likely and worst cases.
public struct ScenarioRowView: Sendable {
    public let figure: String
    public let best: String
    public let mostLikely: String
    public let worst: String
}

/// One month of the plan's savings, accumulated from April: the data of the cumulative chart.
public struct CumulativeRowView: Sendable {
    public let month: String
    public let plan: String
    public let actual: String
    public let forecast: String
}

extension ViewBuilder {
    /// The executive summary's scenarios: the forecast surplus where the ledger gives cases, and the
    /// plan's forecast and gap where a scheme does.
    static func scenarioRows(_ figures: PackFigures) -> [ScenarioRowView] {
        var rows: [ScenarioRowView] = []
        if let f = figures.finance, f.hasScenarios {
            rows.append(
                ScenarioRowView(
                    figure: "Forecast surplus (income less expenditure)", best: Format.pounds(f.bestSurplus),
                    mostLikely: Format.pounds(f.forecastSurplus), worst: Format.pounds(f.worstSurplus)))
        }
        if let s = figures.qipp.scenarios {
            let programme = figures.rules.programmeName
            rows.append(
                ScenarioRowView(
                    figure: "\(programme) forecast (most likely: risk-adjusted)", best: Format.pounds(s.best),
                    mostLikely: Format.pounds(s.mostLikely), worst: Format.pounds(s.worst)))
            rows.append(
                ScenarioRowView(
                    figure: "\(programme) gap (target less forecast)", best: Format.pounds(s.bestGap),
                    mostLikely: Format.pounds(s.mostLikelyGap), worst: Format.pounds(s.worstGap)))
        }
        return rows
    }

    /// The budget lines that give a best or worst case, then the totals and the surplus.
    static func ledgerScenarioRows(_ f: FinancialPosition?) -> [ScenarioRowView] {
        guard let f, f.hasScenarios else { return [] }
        func row(_ name: String, _ l: FinancialPosition.Line) -> ScenarioRowView {
            ScenarioRowView(
                figure: name, best: Format.money(l.bestOutturn), mostLikely: Format.money(l.forecastOutturn),
                worst: Format.money(l.worstOutturn))
        }
        return f.lines.filter(\.hasScenario).map { row($0.budgetLine, $0) } + [
            row(f.income.budgetLine, f.income), row(f.expenditure.budgetLine, f.expenditure),
            ScenarioRowView(
                figure: "Surplus", best: Format.money(f.bestSurplus), mostLikely: Format.money(f.forecastSurplus),
                worst: Format.money(f.worstSurplus)),
        ]
    }

    /// The plan's savings added up from April, month by month: the plan over the year, the actual
    /// to the reporting month, and from the month after, the actual plus each later forecast. The
    /// data of both the cumulative chart and its table.
    static func accumulated(_ months: [MonthFigures]) -> (plan: [Money], actual: [Money?], forecast: [Money?]) {
        var plan: [Money] = []
        var actual: [Money?] = []
        var forecast: [Money?] = []
        var p = Money.zero
        var done = Money.zero
        for m in months {
            p += m.savingPlan
            plan.append(p)
            if let a = m.savingActual { done += a }
            actual.append(m.savingActual.map { _ in done })
            if let f = m.savingForecast { done += f }
            forecast.append(m.savingForecast.map { _ in done })
        }
        return (plan, actual, forecast)
    }

    static func cumulativeRows(_ months: [MonthFigures], year: FinancialYear) -> [CumulativeRowView] {
        let (plan, actual, forecast) = accumulated(months)
        return months.indices.map { i in
            let period = FinancialMonth(year: year, month: months[i].month)
            return CumulativeRowView(
                month: "M\(months[i].month) \(period.shortMonthName) \(period.calendarYear)",
                plan: Format.money(plan[i]), actual: Format.money(actual[i]), forecast: Format.money(forecast[i]))
        }
    }

    static func cumulativeChart(_ figures: PackFigures, labels: [String]) -> Chart {
        let (plan, actual, forecast) = accumulated(figures.months)
        let q = figures.qipp
        let programme = figures.rules.programmeName
        return Charts.cumulative(
            id: "cumulative", title: "\(programme) savings accumulated over \(figures.period.year)",
            description: "Lines by month, April to March, of the schemes in the plan: the phased plan accumulated "
                + "to \(Format.pounds(plan.last ?? .zero)), the actual to \(figures.period.longName) "
                + "(\(Format.pounds(q.ytdActual))), and the forecast from there to an outturn of "
                + "\(Format.pounds(q.forecastOutturn)) (risk-adjusted \(Format.pounds(q.riskAdjustedForecast))); "
                + "the target is \(Format.pounds(q.target)).",
            months: labels, plan: plan, actual: actual, forecast: forecast, target: q.target,
            targetLabel: "\(programme) target")
    }
}
