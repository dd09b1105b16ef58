import BoardPackCore

/// Everything one pack shows, computed from a `Dataset`. Pure values; the
/// renderer formats them and `figures.json` records them exactly.
public struct PackFigures: Sendable {
    public enum Scope: Sendable, Equatable {
        case commissioner(ShortCode)
        case system
    }

    public var scope: Scope
    /// The commissioner's code, or `system`.
    public var code: String
    public var name: String
    public var period: FinancialMonth
    /// The commissioners this pack covers (one for a commissioner pack).
    public var commissioners: [CommissionerSummary]
    public var dataCurrency: [ProviderCurrency]
    public var schemes: [SchemeFigures]
    public var qipp: QippTotals
    public var contract: ContractFigures
    /// The rule set the figures were computed with.
    public var rules: Rules
    /// Identified schemes behind their YTD plan, largest shortfall first.
    public var slippage: [SchemeFigures] = []
    /// Since the previous month of the same financial year; nil at M1.
    public var movement: Movement?
    /// From finance_ledger.csv, when given.
    public var finance: FinancialPosition?
    /// From quality_premium.csv, when given.
    public var qualityPremium: QualityPremiumFigures?
    /// For schemes in the plan linked to provider and POD activity.
    public var patientImpact: [PatientImpact] = []
    /// The previous year's delivered schemes, on the benefits table for this year.
    public var carried: [CarriedBenefit] = []
    /// M1...M12 of the reporting year: savings and contract spend by month.
    public var months: [MonthFigures] = []
    /// The executive summary's ratings.
    public var ratings: HeadlineRatings? = nil
    /// Statistical process control charts.
    public var spc: [SPCSeries] = []
    /// Performance measures (metrics.csv) of the pack's organisation, or of the system and its
    /// providers.
    public var metrics: [MetricSeries] = []
    /// The risks and opportunities schedule (risks.csv), when the pack has any.
    public var risks: RiskSchedule?
    /// Commentary on the pack's subjects (commentary.csv) up to the reporting month, in file order.
    public var commentary: [CommentaryEntry] = []

    /// The latest commentary on a subject up to the reporting month, if any.
    public func latestCommentary(_ subject: CommentaryEntry.Subject, _ id: String) -> CommentaryEntry? {
        commentary.filter { $0.subject == subject && $0.subjectID == id }.max { $0.period < $1.period }
    }
}

public struct CommissionerSummary: Sendable {
    public var code: ShortCode
    public var name: String
    public var registeredPopulation: Int64
    public var programmeAllocation: Money
    public var qipp: QippTotals
    public var contractTotal: ContractRow
}

/// Which submission each provider's figures come from.
public struct ProviderCurrency: Sendable {
    public var provider: ShortCode
    public var providerName: String?
    public var submissions: [SubmissionUse]
}

public struct SubmissionUse: Sendable {
    public var id: String
    public var path: String
    public var created: String?
    /// Months of the reporting year (1...12) whose figures come from this submission.
    public var months: [Int]
    /// For each of `months`: flex (first, provisional) or freeze (restated by a later month's submission).
    public var status: [CurrencyStatus] = []
}

public struct SchemeFigures: Sendable {
    public var scheme: Scheme
    /// Phased plan for each month of the reporting year, M1...M12.
    public var monthlyPlan: [Money]
    /// Actual saving for each month; nil where not reported.
    public var monthlyActual: [Money?]
    public var ytdPlan: Money
    public var ytdActual: Money
    public var ytdVariance: Money
    /// YTD actual as a share of YTD plan, in tenths of a percent; nil when nothing is phased to date.
    public var deliveredPerMille: Int64?
    /// nil for schemes not rated (pipeline, closed, or nothing phased to date).
    public var rag: RAG?
    /// The rule that gave `rag`, in words.
    public var ragRule: String
    /// Months up to the reporting month with no actual reported; counted as no saving.
    public var missingActualMonths: [Int]
    /// The sum of the monthly phasing over the reporting year.
    public var phasedAnnual: Money
    /// For each month after the reporting month, the supplied forecast or else the phased plan; nil
    /// up to the reporting month.
    public var monthlyForecast: [Money?]
    /// YTD actual plus, for each later month of the year, the supplied forecast or else the phased plan.
    public var forecastOutturn: Money
    /// The percentage of the unrealised saving counted (by RAG); 0 for pipeline and closed schemes.
    public var riskPercent: Int64
    /// YTD actual + (forecast outturn − YTD actual) × riskPercent, to the penny; 0 outside the plan.
    public var riskAdjustedForecast: Money
    /// Where the scheme gives a best (worst) case for a month after the reporting month: YTD actual
    /// plus, for each later month, that case or else the month's forecast. Not risk-adjusted.
    public var bestCase: Money?
    public var worstCase: Money?
    /// Forecast outturn less `investment_gbp` (when given).
    public var netForecast: Money
}

/// How the plan's forecast moved since the previous reporting month, computed from the same data
/// as if the reporting month's actuals were not yet in.
public struct Movement: Sendable {
    public struct SchemeChange: Sendable {
        public var id: String
        public var name: String
        public var before: Money
        public var after: Money
        public var ragBefore: RAG?
        public var ragAfter: RAG?
        public var change: Money { after - before }
    }
    public var previousPeriod: FinancialMonth
    public var previousRiskAdjusted: Money
    public var previousGap: Money
    /// Risk-adjusted forecast now less then (positive: better).
    public var forecastChange: Money
    /// Schemes whose risk-adjusted forecast changed, largest change first.
    public var schemes: [SchemeChange]
}

public struct QippTotals: Sendable {
    public var target: Money
    /// Annual targets of schemes at APPROVED, IMPLEMENTING or DELIVERED.
    public var identified: Money
    /// `target - identified` (negative when over-identified).
    public var unidentified: Money
    /// Annual targets of schemes at IDEA, PID or BUSINESS_CASE.
    public var pipeline: Money
    /// YTD figures over identified schemes only.
    public var ytdPlan: Money
    public var ytdActual: Money
    public var ytdVariance: Money
    public var deliveredPerMille: Int64?
    public var identifiedSchemes: Int
    public var pipelineSchemes: Int
    public var closedSchemes: Int
    /// Over identified schemes.
    public var forecastOutturn: Money = .zero
    public var riskAdjustedForecast: Money = .zero
    /// target − risk-adjusted forecast (negative: forecast above target).
    public var gap: Money = .zero
    /// Pipeline value at least the gap.
    public var pipelineCoversGap: Bool = false
    /// Annual targets of the five largest identified schemes as a share of the target (tenths of a percent).
    public var topFiveSharePerMille: Int64?
    public var recurrent: Money = .zero
    public var nonRecurrent: Money = .zero
    /// Best, most likely and worst, when any scheme in the plan gives a best or worst case.
    public var scenarios: QippScenarios?
}

/// The plan's forecast as three cases. The most likely is the risk-adjusted forecast; a scheme
/// with no best (worst) case counts its risk-adjusted forecast in that case.
public struct QippScenarios: Sendable {
    public var target: Money
    public var best: Money
    public var mostLikely: Money
    public var worst: Money
    public var bestGap: Money { target - best }
    public var mostLikelyGap: Money { target - mostLikely }
    public var worstGap: Money { target - worst }

    public init(target: Money, mostLikely: Money, best: Money, worst: Money) {
        self.target = target
        self.best = best
        self.mostLikely = mostLikely
        self.worst = worst
    }
}

/// YTD contract activity and price for one provider and point of delivery
/// (or a total, where `pointOfDelivery` is nil).
public struct ContractRow: Sendable {
    public var provider: ShortCode?
    public var providerName: String?
    public var pointOfDelivery: ShortCode?
    public var treatmentFunction: ShortCode? = nil
    public var plannedActivity: Quantity
    public var actualActivity: Quantity
    public var plannedPrice: Money
    public var actualPrice: Money
    public var lines: Int

    /// Months of the year to date, for the run rate.
    public var runRateMonths = 12
    /// One row per treatment function (the drill-down of a point-of-delivery row).
    public var treatmentFunctions: [ContractRow] = []

    public var activityVariance: Quantity { actualActivity - plannedActivity }
    public var priceVariance: Money { actualPrice - plannedPrice }
    /// Forecast outturn at run rate: YTD actual × 12 ÷ months to date, rounded half away from zero.
    public var forecastActivity: Quantity {
        Quantity(hundredths: Money.roundedDivision(actualActivity.hundredths * 12, by: Int64(runRateMonths)))
    }
    public var forecastPrice: Money {
        Money(pence: Money.roundedDivision(actualPrice.pence * 12, by: Int64(runRateMonths)))
    }

    static func empty(
        provider: ShortCode? = nil, name: String? = nil, pod: ShortCode? = nil, tfc: ShortCode? = nil,
        months: Int = 12
    ) -> ContractRow {
        ContractRow(
            provider: provider, providerName: name, pointOfDelivery: pod, treatmentFunction: tfc,
            plannedActivity: .zero, actualActivity: .zero, plannedPrice: .zero, actualPrice: .zero, lines: 0,
            runRateMonths: months)
    }

    mutating func add(_ sums: ActivitySums) {
        plannedActivity += sums.plannedActivity
        actualActivity += sums.actualActivity
        plannedPrice += sums.plannedPrice
        actualPrice += sums.actualPrice
        lines += 1
    }

    mutating func add(_ row: ContractRow) {
        plannedActivity += row.plannedActivity
        actualActivity += row.actualActivity
        plannedPrice += row.plannedPrice
        actualPrice += row.actualPrice
        lines += row.lines
    }
}

public struct ContractFigures: Sendable {
    public struct Provider: Sendable {
        public var total: ContractRow
        /// One row per point of delivery, in code order.
        public var byPointOfDelivery: [ContractRow]
    }
    public var providers: [Provider]
    public var total: ContractRow
    /// The provider × POD × TFC cells with the largest £ variance either way (at most ten).
    public var largestVariances: [ContractRow] = []

    /// The providers whose detail (by POD, and by POD and TFC) the pack shows: the `limit` with
    /// the largest actual spend to date, largest first; every provider, in code order, when the
    /// limit is 0 or there are no more than that.
    public func detailed(limit: Int) -> [Provider] {
        limit > 0 && providers.count > limit ? providers.largest(limit, by: \.total.actualPrice) : providers
    }

    /// The providers a pack lists by name: the `limit` with the largest actual spend to date, largest
    /// first, and one row summing every other provider (nil when there are no others); every
    /// provider in code order when the limit is 0 or there are no more than that.
    public func listed(limit: Int) -> (providers: [Provider], others: ContractRow?, otherCount: Int) {
        guard limit > 0, providers.count > limit else { return (providers, nil, 0) }
        let top = providers.largest(limit, by: \.total.actualPrice)
        let shown = Set(top.compactMap(\.total.provider))
        var others = ContractRow.empty(months: total.runRateMonths)
        for p in providers where !(p.total.provider.map(shown.contains) ?? false) { others.add(p.total) }
        return (top, others, providers.count - top.count)
    }

    /// Every provider × POD × TFC row, in provider, POD and TFC code order (`contract-detail.csv`).
    public var detailRows: [ContractRow] {
        providers.flatMap { $0.byPointOfDelivery.flatMap(\.treatmentFunctions) }
    }
}

extension PackFigures {
    /// The pack's value of a `[paper]` key: its commissioner's own (`[paper.ORG_CODE]`), else the
    /// shared one (the system pack has only the shared ones); empty when not given.
    public func paperValue(_ key: String) -> String {
        rules.paper?.value(key, for: scope == .system ? "" : code) ?? ""
    }
}
