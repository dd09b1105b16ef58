import BoardPackCore

/// One month of the reporting year: QIPP savings planned and delivered, and contract spend.
public struct MonthFigures: Sendable {
    public var month: Int
    /// Phased plan of the schemes in the plan.
    public var savingPlan: Money
    /// Actual saving of the schemes in the plan; nil after the reporting month.
    public var savingActual: Money?
    /// Forecast saving of the schemes in the plan (each scheme's forecast, or else its plan); nil up
    /// to the reporting month.
    public var savingForecast: Money?
    public var contractPlannedPrice: Money
    /// nil after the reporting month.
    public var contractActualPrice: Money?
}

/// A headline figure's rating, with the rule that gave it.
public struct HeadlineRating: Sendable {
    public var rag: RAG?
    public var rule: String
}

/// The four ratings the executive summary leads with.
public struct HeadlineRatings: Sendable {
    public var gap: HeadlineRating
    public var riskAdjustedForecast: HeadlineRating
    public var contractVariance: HeadlineRating
    public var financialPosition: HeadlineRating
}

/// An SPC chart of a monthly activity series, with what it is of.
public struct SPCSeries: Sendable {
    public enum Kind: String, Sendable {
        case contractLine = "contract-line"
        case scheme
    }
    public var kind: Kind
    /// A stable name for files and anchors, e.g. `contract-RXA-APC` or `scheme-Q001`.
    public var slug: String
    public var title: String
    public var provider: ShortCode
    public var pointOfDelivery: ShortCode
    public var treatmentFunction: ShortCode?
    public var schemeID: String?
    public var chart: SPCChart
    /// A scheme's go-live month, where its chart's limits are recalculated.
    public var goLive: FinancialMonth? = nil
    /// For a scheme implementing or delivered: whether its change shows in the activity.
    public var benefit: SPCBenefit? = nil
}

/// Quality of a provider's figures for a month: `flex` when they come from the first
/// (provisional) submission of that month, `freeze` once a later month's submission has restated them.
public enum CurrencyStatus: String, Sendable {
    case flex
    case freeze
}

extension Analysis {
    /// The figures that read a pack's lines: its contract table, data currency, months and SPC charts.
    struct LineFigures {
        var contract: ContractFigures
        var currency: [ProviderCurrency]
        var months: [MonthFigures]
        var spc: [SPCSeries]
    }

    static func lineFigures(
        _ lines: ArraySlice<ActivityLine>, schemes: [SchemeFigures], submissions: [Submission],
        period: FinancialMonth, rules: Rules, names: [ShortCode: String]
    ) -> LineFigures {
        let contract = contract(lines, period: period, names: names, largest: rules.contractLargestVariances)
        return LineFigures(
            contract: contract, currency: currency(lines, submissions: submissions, period: period, names: names),
            months: months(schemes, contract: lines, period: period),
            spc: spc(lines: lines, contract: contract, schemes: schemes, period: period, rules: rules, names: names))
    }

    /// Months, SPC charts and the headline ratings (from the pack's other figures).
    static func complete(_ pack: inout PackFigures, with figures: LineFigures) {
        pack.months = figures.months
        pack.spc = figures.spc
        pack.ratings = ratings(
            qipp: pack.qipp, contract: pack.contract.total, finance: pack.finance, rules: pack.rules)
    }

    static func months(_ schemes: [SchemeFigures], contract lines: ArraySlice<ActivityLine>, period: FinancialMonth)
        -> [MonthFigures]
    {
        var result = (1...12).map {
            MonthFigures(
                month: $0, savingPlan: .zero, savingActual: $0 <= period.month ? .zero : nil,
                savingForecast: $0 <= period.month ? nil : .zero, contractPlannedPrice: .zero,
                contractActualPrice: $0 <= period.month ? .zero : nil)
        }
        for f in schemes where f.scheme.stage.isIdentified {
            for m in 0..<12 {
                result[m].savingPlan += f.monthlyPlan[m]
                if m < period.month {
                    result[m].savingActual! += f.monthlyActual[m] ?? .zero
                } else {
                    result[m].savingForecast! += f.monthlyForecast[m] ?? .zero
                }
            }
        }
        for line in lines where line.key.period.year == period.year {
            let m = line.key.period.month - 1
            result[m].contractPlannedPrice += line.sums.plannedPrice
            if m < period.month { result[m].contractActualPrice! += line.sums.actualPrice }
        }
        return result
    }

    static func ratings(qipp: QippTotals, contract: ContractRow, finance: FinancialPosition?, rules: Rules)
        -> HeadlineRatings
    {
        let gap: HeadlineRating
        if qipp.target.pence == 0 && qipp.riskAdjustedForecast.pence == 0 && qipp.pipeline.pence == 0 {
            // Nothing to compare: no target and no scheme. A gap of nought is not a green gap.
            gap = HeadlineRating(rag: nil, rule: "no QIPP target and no schemes: not rated")
        } else if qipp.gap.pence <= 0 {
            gap = HeadlineRating(rag: .green, rule: "no gap: the risk-adjusted forecast meets the target")
        } else if qipp.pipelineCoversGap {
            gap = HeadlineRating(rag: .amber, rule: "a gap the pipeline covers")
        } else {
            gap = HeadlineRating(rag: .red, rule: "a gap the pipeline does not cover")
        }
        var forecast = HeadlineRating(rag: nil, rule: "no QIPP target: not rated")
        if qipp.target.pence > 0 {
            let share = FixedPoint.perMille(qipp.riskAdjustedForecast.pence, of: qipp.target.pence) ?? 0
            let text = FixedPoint.format(share, scale: 1)
            if qipp.riskAdjustedForecast.pence * 100 >= qipp.target.pence * rules.greenAtPercent {
                forecast = HeadlineRating(rag: .green, rule: "\(text)% of target, at least \(rules.greenAtPercent)%")
            } else if qipp.riskAdjustedForecast.pence * 100 >= qipp.target.pence * rules.amberAtPercent {
                forecast = HeadlineRating(
                    rag: .amber,
                    rule: "\(text)% of target, at least \(rules.amberAtPercent)% but below \(rules.greenAtPercent)%")
            } else {
                forecast = HeadlineRating(rag: .red, rule: "\(text)% of target, below \(rules.amberAtPercent)%")
            }
        }
        var variance = HeadlineRating(rag: nil, rule: "no contract plan to date: not rated")
        if contract.plannedPrice.pence > 0 {
            let over = contract.priceVariance
            let text = FixedPoint.format(
                FixedPoint.perMille(over.pence, of: contract.plannedPrice.pence) ?? 0, scale: 1)
            if over.pence <= 0 {
                variance = HeadlineRating(rag: .green, rule: "spend within plan (\(text)%)")
            } else if over.pence * 100 <= contract.plannedPrice.pence * rules.contractTolerancePercent {
                variance = HeadlineRating(
                    rag: .amber, rule: "over plan by \(text)%, within \(rules.contractTolerancePercent)%")
            } else {
                variance = HeadlineRating(
                    rag: .red, rule: "over plan by \(text)%, more than \(rules.contractTolerancePercent)%")
            }
        }
        var position = HeadlineRating(rag: nil, rule: "no finance ledger: not rated")
        if let finance {
            if finance.surplusMet {
                position = HeadlineRating(rag: .green, rule: "forecast surplus meets the business rule")
            } else if finance.forecastSurplus.pence >= 0 {
                position = HeadlineRating(rag: .amber, rule: "forecast in balance or surplus, below the business rule")
            } else {
                position = HeadlineRating(rag: .red, rule: "forecast deficit")
            }
        }
        return HeadlineRatings(
            gap: gap, riskAdjustedForecast: forecast, contractVariance: variance, financialPosition: position)
    }

    /// SPC charts of the largest contract lines (provider and point of delivery, by YTD actual spend) and of
    /// the linked activity of the largest schemes in the plan, over every month the inputs hold up to the
    /// reporting month. The target is the line's planned activity for the reporting month.
    static func spc(
        lines: ArraySlice<ActivityLine>, contract: ContractFigures, schemes: [SchemeFigures], period: FinancialMonth,
        rules: Rules, names: [ShortCode: String]
    ) -> [SPCSeries] {
        let settings = rules.spc
        struct LineKey: Hashable {
            var provider: ShortCode
            var pod: ShortCode
        }
        let largest = contract.providers.flatMap(\.byPointOfDelivery).enumerated().sorted { a, b in
            a.element.actualPrice != b.element.actualPrice
                ? a.element.actualPrice > b.element.actualPrice : a.offset < b.offset
        }.prefix(settings.contractLines).map {
            LineKey(provider: $0.element.provider!, pod: $0.element.pointOfDelivery!)
        }
        let charted = schemes.filter {
            $0.scheme.stage.isIdentified && $0.scheme.provider != nil && $0.scheme.pointOfDelivery != nil
        }
        .enumerated().sorted { a, b in
            a.element.scheme.annualTarget != b.element.scheme.annualTarget
                ? a.element.scheme.annualTarget > b.element.scheme.annualTarget : a.offset < b.offset
        }.prefix(settings.schemes).map(\.element)
        guard !largest.isEmpty || !charted.isEmpty else { return [] }
        let wanted = Set(largest)
        let schemeLines = Set(charted.map { LineKey(provider: $0.scheme.provider!, pod: $0.scheme.pointOfDelivery!) })
        // Monthly sums per wanted line, and per line and specialty for schemes tied to one.
        var byLine: [LineKey: [Int: ActivitySums]] = [:]
        var byLineTFC: [LineKey: [ShortCode: [Int: ActivitySums]]] = [:]
        for line in lines where Int(line.key.periodOrdinal) <= period.ordinal {
            let key = LineKey(provider: line.key.provider, pod: line.key.pointOfDelivery)
            if wanted.contains(key) || schemeLines.contains(key) {
                byLine[key, default: [:]][Int(line.key.periodOrdinal), default: ActivitySums()].add(line.sums)
                if schemeLines.contains(key) {
                    byLineTFC[key, default: [:]][line.key.treatmentFunction, default: [:]][
                        Int(line.key.periodOrdinal), default: ActivitySums()
                    ].add(line.sums)
                }
            }
        }
        func values(_ months: [Int: ActivitySums]) -> [(FinancialMonth, Double)] {
            months.keys.sorted().map {
                (FinancialMonth(ordinal: $0), Double(months[$0]!.actualActivity.hundredths) / 100)
            }
        }
        func series(_ months: [Int: ActivitySums], direction: SPCDirection, goLive: FinancialMonth? = nil) -> SPCChart?
        {
            let points = values(months)
            guard points.count >= 2 else { return nil }
            let target = months[period.ordinal].map { Double($0.plannedActivity.hundredths) / 100 }
            return SPC.chart(
                points, direction: direction, target: target, rules: settings,
                rebase: goLive.map { settings.rebaseFrom + [$0] })
        }
        var result: [SPCSeries] = []
        var used: Set<String> = []
        func unique(_ slug: String) -> String {
            var candidate = slug
            var n = 2
            while !used.insert(candidate).inserted {
                candidate = "\(slug)-\(n)"
                n += 1
            }
            return candidate
        }
        for key in largest {
            guard let chart = series(byLine[key] ?? [:], direction: settings.contractDirection) else { continue }
            let pod = key.pod.description
            let podName = ReferenceCodes.pointsOfDelivery[pod]?.description ?? "local point of delivery"
            result.append(
                SPCSeries(
                    kind: .contractLine, slug: unique("contract-" + Self.slug("\(key.provider)-\(pod)")),
                    title: "\(names[key.provider] ?? key.provider.description) (\(key.provider)), \(pod) \(podName)",
                    provider: key.provider, pointOfDelivery: key.pod, treatmentFunction: nil, schemeID: nil,
                    chart: chart))
        }
        for f in charted {
            let s = f.scheme
            let key = LineKey(provider: s.provider!, pod: s.pointOfDelivery!)
            let months = s.treatmentFunction.map { byLineTFC[key]?[$0] ?? [:] } ?? byLine[key] ?? [:]
            // Go-live: the scheme's start month in its plan's year (the previous year for a scheme
            // delivered then), where its limits are recalculated.
            let goLive = s.startMonth.map { FinancialMonth(year: s.planYear(reporting: period.year), month: $0) }
            let rebased = settings.rebaseAtGoLive ? goLive : nil
            guard let chart = series(months, direction: settings.schemeDirection, goLive: rebased) else { continue }
            var benefit: SPCBenefit?
            if let goLive, s.stage == .implementing || s.stage == .delivered {
                benefit = SPCBenefit.judge(
                    values(months), goLive: goLive, direction: settings.schemeDirection, rules: settings)
            }
            var activity = "\(s.provider!) \(s.pointOfDelivery!)"
            if let tfc = s.treatmentFunction { activity += " TFC \(tfc)" }
            result.append(
                SPCSeries(
                    kind: .scheme, slug: unique("scheme-" + Self.slug(s.id)),
                    title: "\(s.id) \(s.name): \(activity)", provider: s.provider!, pointOfDelivery: s.pointOfDelivery!,
                    treatmentFunction: s.treatmentFunction, schemeID: s.id, chart: chart, goLive: goLive,
                    benefit: benefit))
        }
        return result
    }

    /// Letters, digits and hyphens only: safe in a file name and an HTML id.
    static func slug(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    static func status(of submission: Submission, month: FinancialMonth) -> CurrencyStatus {
        (submission.latestPeriod.map { $0 > month } ?? false) ? .freeze : .flex
    }
}
