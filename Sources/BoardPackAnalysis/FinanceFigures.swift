import BoardPackCore

/// The financial position from `finance_ledger.csv` (docs/figures.md, "Financial position").
public struct FinancialPosition: Sendable {
    public struct Line: Sendable {
        public var budgetLine: String
        public var category: LedgerLine.Category
        public var annualBudget: Money = .zero
        public var ytdBudget: Money = .zero
        public var ytdActual: Money = .zero
        public var forecastOutturn: Money = .zero
        /// The best and worst cases: where a ledger row gives none, its forecast outturn.
        public var bestOutturn: Money = .zero
        public var worstOutturn: Money = .zero
        /// Some ledger row of the line gives a best or worst case.
        public var hasScenario = false
        public var ytdVariance: Money { ytdActual - ytdBudget }
        public var forecastVariance: Money { forecastOutturn - annualBudget }

        mutating func add(_ l: LedgerLine) {
            annualBudget += l.annualBudget
            ytdBudget += l.ytdBudget
            ytdActual += l.ytdActual
            forecastOutturn += l.forecastOutturn
            bestOutturn += l.bestForecastOutturn ?? l.forecastOutturn
            worstOutturn += l.worstForecastOutturn ?? l.forecastOutturn
            hasScenario = hasScenario || l.bestForecastOutturn != nil || l.worstForecastOutturn != nil
        }

        mutating func add(_ l: Line) {
            annualBudget += l.annualBudget
            ytdBudget += l.ytdBudget
            ytdActual += l.ytdActual
            forecastOutturn += l.forecastOutturn
            bestOutturn += l.bestOutturn
            worstOutturn += l.worstOutturn
            hasScenario = hasScenario || l.hasScenario
        }
    }

    /// Income lines first, then expenditure by category, each by name.
    public var lines: [Line]
    public var income: Line
    public var expenditure: Line
    /// Income − expenditure, on the annual budget and on the forecast.
    public var plannedSurplus: Money { income.annualBudget - expenditure.annualBudget }
    public var forecastSurplus: Money { income.forecastOutturn - expenditure.forecastOutturn }
    /// Any line gives a best or worst case: the surplus in each case (income less expenditure).
    public var hasScenarios: Bool { lines.contains(where: \.hasScenario) }
    public var bestSurplus: Money { income.bestOutturn - expenditure.bestOutturn }
    public var worstSurplus: Money { income.worstOutturn - expenditure.worstOutturn }
    public var allocation: Money
    public var requiredSurplus: Money
    public var surplusMet: Bool { forecastSurplus >= requiredSurplus }
    /// Annual budget held in contingency lines, and the rule.
    public var contingencyHeld: Money
    public var contingencyRequired: Money
    public var nonRecurrentReserveHeld: Money
    public var nonRecurrentReserveRequired: Money
    public var runningCostsForecast: Money
    public var runningCostAllowance: Money
    public var runningCostsWithinAllowance: Bool { runningCostsForecast <= runningCostAllowance }
}

/// The Quality Premium estimate from `quality_premium.csv`.
public struct QualityPremiumFigures: Sendable {
    public var population: Int64
    public var perHead: Money
    /// population × £ per head.
    public var potential: Money
    public var gates: [QualityPremiumItem]
    public var gatesMet: Bool
    public var measures: [QualityPremiumItem]
    /// Sum of the weights of measures not met, in hundredths of a percent.
    public var missedBasisPoints: Int64
    /// Nothing if a gate fails; otherwise the potential less each missed measure's weight (not below zero).
    public var estimate: Money
}

/// Activity a scheme is meant to change, since it started, against the same months a year earlier.
public struct PatientImpact: Sendable {
    public var schemeID: String
    public var schemeName: String
    public var provider: ShortCode
    public var pointOfDelivery: ShortCode
    public var treatmentFunction: ShortCode?
    /// Months of the reporting year compared (start month to the reporting month).
    public var months: [Int]
    public var baselineActivity: Quantity
    public var currentActivity: Quantity
    public var change: Quantity { currentActivity - baselineActivity }
    /// Change as a share of the baseline, tenths of a percent.
    public var changePerMille: Int64? { FixedPoint.perMille(change.hundredths, of: baselineActivity.hundredths) }
    public var ytdSaving: Money
    /// Contract lines found for the link in those months, either year: 0 means the inputs hold no
    /// activity for it (a wrong link, or a provider that does not submit), and the figures say nothing.
    public var linesFound = 0
}

/// A scheme delivered in the previous year's plan, kept on the benefits table for the following
/// year: its linked activity per month since go-live (at most twelve months, to the reporting month)
/// against the twelve months before go-live, as monthly averages over the months the inputs hold.
public struct CarriedBenefit: Sendable {
    public var schemeID: String
    public var schemeName: String
    public var provider: ShortCode
    public var pointOfDelivery: ShortCode
    public var treatmentFunction: ShortCode?
    public var deliveredIn: FinancialYear
    public var goLive: FinancialMonth
    /// The months of each window that the inputs hold activity for.
    public var monthsBefore: [FinancialMonth]
    public var monthsSince: [FinancialMonth]
    public var activityBefore: Quantity
    public var activitySince: Quantity
    /// Average per month of each window, to the hundredth, rounded half away from zero; nil when the
    /// window holds no month.
    public var averageBefore: Quantity? { Self.average(activityBefore, monthsBefore.count) }
    public var averageSince: Quantity? { Self.average(activitySince, monthsSince.count) }
    /// (average since − average before) × 12: the change over a full year at the rate since go-live.
    public var fullYearEffect: Quantity? {
        guard let b = averageBefore, let a = averageSince else { return nil }
        return Quantity(hundredths: (a.hundredths - b.hundredths) * 12)
    }
    /// Change of the average as a share of the average before, tenths of a percent.
    public var changePerMille: Int64? {
        guard let b = averageBefore, let a = averageSince else { return nil }
        return FixedPoint.perMille(a.hundredths - b.hundredths, of: b.hundredths)
    }
    /// Σ actual saving in its plan year.
    public var savingDelivered: Money

    static func average(_ q: Quantity, _ n: Int) -> Quantity? {
        n == 0 ? nil : Quantity(hundredths: Money.roundedDivision(q.hundredths, by: Int64(n)))
    }
}

extension Analysis {
    /// A scheme whose months are all in an earlier year is not in this year's plan; one delivered in
    /// the previous year is carried to the benefits table.
    public static func isCarried(_ s: Scheme, period: FinancialMonth) -> Bool {
        s.stage == .delivered && s.planYear(reporting: period.year).startYear == period.year.startYear - 1
    }

    public static func isInPlanYear(_ s: Scheme, period: FinancialMonth) -> Bool {
        s.planYear(reporting: period.year) == period.year
    }

    static func carriedBenefits(_ schemes: [Scheme], lines: ArraySlice<ActivityLine>, period: FinancialMonth)
        -> [CarriedBenefit]
    {
        var result: [CarriedBenefit] = []
        for s in schemes where isCarried(s, period: period) {
            guard let provider = s.provider, let pod = s.pointOfDelivery, let goLive = s.goLive(reporting: period.year)
            else { continue }
            let before = (goLive.ordinal - 12)..<goLive.ordinal
            let since = goLive.ordinal...min(goLive.ordinal + 11, period.ordinal)
            var activity: [Int: Quantity] = [:]
            for line in lines
            where line.key.commissioner == s.commissioner && line.key.provider == provider
                && line.key.pointOfDelivery == pod
                && (s.treatmentFunction == nil || line.key.treatmentFunction == s.treatmentFunction)
            {
                let o = Int(line.key.periodOrdinal)
                guard before.contains(o) || since.contains(o) else { continue }
                activity[o, default: .zero] += line.sums.actualActivity
            }
            let held = activity.keys.sorted()
            let plan = s.planYear(reporting: period.year)
            result.append(
                CarriedBenefit(
                    schemeID: s.id, schemeName: s.name, provider: provider, pointOfDelivery: pod,
                    treatmentFunction: s.treatmentFunction, deliveredIn: plan, goLive: goLive,
                    monthsBefore: held.filter(before.contains).map(FinancialMonth.init(ordinal:)),
                    monthsSince: held.filter(since.contains).map(FinancialMonth.init(ordinal:)),
                    activityBefore: held.filter(before.contains).reduce(.zero) { $0 + activity[$1]! },
                    activitySince: held.filter(since.contains).reduce(.zero) { $0 + activity[$1]! },
                    savingDelivered: s.months.filter { $0.period.year == plan }.reduce(.zero) {
                        $0 + ($1.actual ?? .zero)
                    }))
        }
        return result
    }

    static func position(
        _ ledger: [LedgerLine], organisations: [Organisation], rules: Rules
    ) -> FinancialPosition? {
        guard !ledger.isEmpty else { return nil }
        var byKey: [String: FinancialPosition.Line] = [:]
        let order = LedgerLine.Category.allCases
        for l in ledger {
            let key = "\(order.firstIndex(of: l.category)!)\u{0}\(l.budgetLine)"
            byKey[key, default: FinancialPosition.Line(budgetLine: l.budgetLine, category: l.category)].add(l)
        }
        let lines = byKey.keys.sorted().map { byKey[$0]! }
        var income = FinancialPosition.Line(budgetLine: "Total income", category: .income)
        var expenditure = FinancialPosition.Line(budgetLine: "Total expenditure", category: .programme)
        for line in lines {
            if line.category.isIncome { income.add(line) } else { expenditure.add(line) }
        }
        func held(_ c: LedgerLine.Category) -> Money {
            lines.filter { $0.category == c }.reduce(.zero) { $0 + $1.annualBudget }
        }
        let allocation = organisations.reduce(Money.zero) { $0 + ($1.programmeAllocation ?? .zero) }
        func share(_ basisPoints: Int64) -> Money {
            Money(pence: Money.roundedDivision(allocation.pence * basisPoints, by: 10_000))
        }
        let allowance = organisations.reduce(Money.zero) { total, o in
            total
                + (o.runningCostAllowance
                    ?? Money(pence: (o.registeredPopulation ?? 0) * rules.runningCostPerHead.pence))
        }
        return FinancialPosition(
            lines: lines, income: income, expenditure: expenditure, allocation: allocation,
            requiredSurplus: share(rules.surplusBasisPoints), contingencyHeld: held(.contingency),
            contingencyRequired: share(rules.contingencyBasisPoints),
            nonRecurrentReserveHeld: held(.nonRecurrentReserve),
            nonRecurrentReserveRequired: share(rules.nonRecurrentReserveBasisPoints),
            runningCostsForecast: lines.filter { $0.category == .runningCosts }.reduce(.zero) {
                $0 + $1.forecastOutturn
            },
            runningCostAllowance: allowance)
    }

    /// potential = population × per head; 0 if a gate is not met; else less each missed measure's weight.
    public static func qualityPremium(
        _ items: [QualityPremiumItem], population: Int64, rules: Rules
    ) -> QualityPremiumFigures? {
        guard !items.isEmpty else { return nil }
        let potential = Money(pence: population * rules.qualityPremiumPerHead.pence)
        let gates = items.filter { $0.kind == .gate }
        let measures = items.filter { $0.kind == .measure }
        let gatesMet = gates.allSatisfy(\.met)
        let missed = measures.filter { !$0.met }.reduce(Int64(0)) { $0 + $1.weightBasisPoints }
        let kept = max(0, 10_000 - missed)
        let estimate = gatesMet ? Money(pence: Money.roundedDivision(potential.pence * kept, by: 10_000)) : .zero
        return QualityPremiumFigures(
            population: population, perHead: rules.qualityPremiumPerHead, potential: potential, gates: gates,
            gatesMet: gatesMet, measures: measures, missedBasisPoints: missed, estimate: estimate)
    }

    static func patientImpact(_ schemes: [SchemeFigures], lines: ArraySlice<ActivityLine>, period: FinancialMonth)
        -> [PatientImpact]
    {
        var result: [PatientImpact] = []
        for f in schemes where f.scheme.stage.isIdentified {
            let s = f.scheme
            guard let provider = s.provider, let pod = s.pointOfDelivery else { continue }
            let start = s.startMonth ?? 1
            guard start <= period.month else { continue }
            let months = Array(start...period.month)
            let previous = FinancialYear(startYear: period.year.startYear - 1)
            var baseline = Quantity.zero
            var current = Quantity.zero
            var found = 0
            for line in lines
            where line.key.commissioner == s.commissioner && line.key.provider == provider
                && line.key.pointOfDelivery == pod
                && (s.treatmentFunction == nil || line.key.treatmentFunction == s.treatmentFunction)
            {
                let p = line.key.period
                guard months.contains(p.month) else { continue }
                if p.year == period.year {
                    current += line.sums.actualActivity
                    found += 1
                } else if p.year == previous {
                    baseline += line.sums.actualActivity
                    found += 1
                }
            }
            result.append(
                PatientImpact(
                    schemeID: s.id, schemeName: s.name, provider: provider, pointOfDelivery: pod,
                    treatmentFunction: s.treatmentFunction, months: months, baselineActivity: baseline,
                    currentActivity: current, ytdSaving: f.ytdActual, linesFound: found))
        }
        return result
    }
}

/// A pack's risks and opportunities schedule, and the financial position after it.
public struct RiskSchedule: Sendable {
    /// Risks, then opportunities, each largest net value first.
    public var items: [RiskItem]
    public var grossRisks: Money
    public var grossOpportunities: Money
    /// Σ gross × likelihood, per item rounded to the penny.
    public var netRisks: Money
    public var netOpportunities: Money
    /// The forecast surplus of the financial position, when the pack has one.
    public var forecastSurplus: Money?

    /// The forecast surplus less the net risks plus the net opportunities.
    public var surplusAfter: Money? { forecastSurplus.map { $0 - netRisks + netOpportunities } }

    public init(_ items: [RiskItem], forecastSurplus: Money?) {
        func order(_ a: RiskItem, _ b: RiskItem) -> Bool {
            a.net != b.net ? a.net > b.net : (a.commissioner, a.id) < (b.commissioner, b.id)
        }
        let risks = items.filter { $0.kind == .risk }.sorted(by: order)
        let opportunities = items.filter { $0.kind == .opportunity }.sorted(by: order)
        self.items = risks + opportunities
        grossRisks = risks.reduce(.zero) { $0 + $1.gross }
        grossOpportunities = opportunities.reduce(.zero) { $0 + $1.gross }
        netRisks = risks.reduce(.zero) { $0 + $1.net }
        netOpportunities = opportunities.reduce(.zero) { $0 + $1.net }
        self.forecastSurplus = forecastSurplus
    }
}
