import BoardPackCore

public enum AnalysisError: Error, CustomStringConvertible, Sendable {
    case noActuals

    public var description: String {
        switch self {
        case .noActuals:
            "no month in the inputs has actuals (activity, QIPP savings or performance measures); pass --period YYYY-MM"
        }
    }
}

/// Turns a dataset into the figures of each pack. Deterministic: the same
/// dataset gives the same figures, in the same order.
public enum Analysis {
    /// The default reporting month: the latest month for which any contract
    /// activity (from the surviving submissions) or any QIPP actual saving is present; for a
    /// folder with neither (performance measures only), the latest month of a measure.
    public static func latestMonthWithActuals(_ dataset: Dataset) -> FinancialMonth? {
        var latest: Int?
        for line in dataset.activity { latest = max(latest ?? Int.min, Int(line.key.periodOrdinal)) }
        for scheme in dataset.schemes {
            for month in scheme.months where month.actual != nil {
                latest = max(latest ?? Int.min, month.period.ordinal)
            }
        }
        if latest == nil, let last = dataset.metrics.map(\.date).max(),
            let year = Int(last.prefix(4)), let month = Int(last.dropFirst(5).prefix(2))
        {
            // Calendar April is financial month 1.
            latest = FinancialMonth(calendarYear: year, calendarMonth: month)?.ordinal
        }
        return latest.map { FinancialMonth(ordinal: $0) }
    }

    /// RAG by YTD delivery: green at `rules.greenAtPercent` of YTD plan or
    /// more (default 95 %), amber at `rules.amberAtPercent` or more (80 %), otherwise red.
    public static func rate(ytdPlan: Money, ytdActual: Money, stage: GatewayStage, rules: Rules = Rules())
        -> (RAG?, String)
    {
        let greenThresholdPercent = rules.greenAtPercent
        let amberThresholdPercent = rules.amberAtPercent
        guard stage.isIdentified else {
            return (nil, stage == .closed ? "closed: not rated" : "pipeline: not rated")
        }
        guard ytdPlan.pence > 0 else { return (nil, "no saving phased to date: not rated") }
        let percent =
            FixedPoint.perMille(ytdActual.pence, of: ytdPlan.pence).map { FixedPoint.format($0, scale: 1) } ?? "-"
        if ytdActual.pence * 100 >= ytdPlan.pence * greenThresholdPercent {
            return (.green, "YTD delivery \(percent)% >= \(greenThresholdPercent)% of plan")
        }
        if ytdActual.pence * 100 >= ytdPlan.pence * amberThresholdPercent {
            return (
                .amber, "YTD delivery \(percent)% >= \(amberThresholdPercent)% and < \(greenThresholdPercent)% of plan"
            )
        }
        return (.red, "YTD delivery \(percent)% < \(amberThresholdPercent)% of plan")
    }

    public static func schemeFigures(_ scheme: Scheme, period: FinancialMonth, rules: Rules = Rules())
        -> SchemeFigures
    {
        var plan = [Money](repeating: .zero, count: 12)
        var actual = [Money?](repeating: nil, count: 12)
        var forecast = [Money?](repeating: nil, count: 12)
        var best = [Money?](repeating: nil, count: 12)
        var worst = [Money?](repeating: nil, count: 12)
        for month in scheme.months where month.period.year == period.year {
            plan[month.period.month - 1] = month.planned
            // Months after the reporting month have no actual yet, whatever the file holds.
            actual[month.period.month - 1] = month.period.month <= period.month ? month.actual : nil
            forecast[month.period.month - 1] = month.forecast
            best[month.period.month - 1] = month.bestForecast
            worst[month.period.month - 1] = month.worstForecast
        }
        var ytdPlan = Money.zero
        var ytdActual = Money.zero
        var missing: [Int] = []
        for m in 1...period.month {
            ytdPlan += plan[m - 1]
            if let value = actual[m - 1] {
                ytdActual += value
            } else if plan[m - 1] != .zero, scheme.stage.isIdentified {
                missing.append(m)
            }
        }
        var (rag, rule) = rate(ytdPlan: ytdPlan, ytdActual: ytdActual, stage: scheme.stage, rules: rules)
        if rules.useReportedRAG, let reported = scheme.reportedRAG, scheme.stage.isIdentified {
            rag = reported
            rule = "tracker rating used (rag.use_reported_rag); computed: \(rule)"
        }
        var monthlyForecast = [Money?](repeating: nil, count: 12)
        let later = period.month < 12 ? Array((period.month + 1)...12) : []
        for m in later { monthlyForecast[m - 1] = forecast[m - 1] ?? plan[m - 1] }
        let outturn = later.reduce(ytdActual) { $0 + monthlyForecast[$1 - 1]! }
        let percent = scheme.stage.isIdentified ? rules.riskPercent(rag) : 0
        let unrealised = outturn - ytdActual
        let riskAdjusted =
            scheme.stage.isIdentified
            ? ytdActual + Money(pence: Money.roundedDivision(unrealised.pence * percent, by: 100)) : .zero
        // A scenario given for any later month: YTD actual plus, for each later month, the case
        // given or else the month's forecast. Not risk-adjusted: the case is the analyst's judgement.
        func scenario(_ cases: [Money?]) -> Money? {
            guard scheme.stage.isIdentified, later.contains(where: { cases[$0 - 1] != nil }) else { return nil }
            return later.reduce(ytdActual) { $0 + (cases[$1 - 1] ?? monthlyForecast[$1 - 1]!) }
        }
        return SchemeFigures(
            scheme: scheme, monthlyPlan: plan, monthlyActual: actual, ytdPlan: ytdPlan, ytdActual: ytdActual,
            ytdVariance: ytdActual - ytdPlan,
            deliveredPerMille: FixedPoint.perMille(ytdActual.pence, of: ytdPlan.pence),
            rag: rag, ragRule: rule, missingActualMonths: missing, phasedAnnual: plan.reduce(.zero, +),
            monthlyForecast: monthlyForecast, forecastOutturn: outturn, riskPercent: percent,
            riskAdjustedForecast: riskAdjusted, bestCase: scenario(best), worstCase: scenario(worst),
            netForecast: outturn - (scheme.investment ?? .zero))
    }

    static func totals(target: Money, schemes: [SchemeFigures]) -> QippTotals {
        var totals = QippTotals(
            target: target, identified: .zero, unidentified: .zero, pipeline: .zero, ytdPlan: .zero, ytdActual: .zero,
            ytdVariance: .zero, deliveredPerMille: nil, identifiedSchemes: 0, pipelineSchemes: 0, closedSchemes: 0)
        for figures in schemes {
            let stage = figures.scheme.stage
            if stage.isIdentified {
                totals.identified += figures.scheme.annualTarget
                totals.ytdPlan += figures.ytdPlan
                totals.ytdActual += figures.ytdActual
                totals.identifiedSchemes += 1
                totals.forecastOutturn += figures.forecastOutturn
                totals.riskAdjustedForecast += figures.riskAdjustedForecast
                if figures.scheme.recurrence == .recurrent {
                    totals.recurrent += figures.scheme.annualTarget
                } else {
                    totals.nonRecurrent += figures.scheme.annualTarget
                }
            } else if stage.isPipeline {
                totals.pipeline += figures.scheme.annualTarget
                totals.pipelineSchemes += 1
            } else {
                totals.closedSchemes += 1
            }
        }
        totals.unidentified = target - totals.identified
        totals.gap = target - totals.riskAdjustedForecast
        let plan = schemes.filter { $0.scheme.stage.isIdentified }
        if plan.contains(where: { $0.bestCase != nil || $0.worstCase != nil }) {
            totals.scenarios = QippScenarios(
                target: target, mostLikely: totals.riskAdjustedForecast,
                best: plan.reduce(.zero) { $0 + ($1.bestCase ?? $1.riskAdjustedForecast) },
                worst: plan.reduce(.zero) { $0 + ($1.worstCase ?? $1.riskAdjustedForecast) })
        }
        totals.pipelineCoversGap = totals.pipeline >= totals.gap
        let topFive = schemes.filter { $0.scheme.stage.isIdentified }.map(\.scheme.annualTarget.pence)
            .sorted(by: >).prefix(5).reduce(0, +)
        totals.topFiveSharePerMille = FixedPoint.perMille(topFive, of: target.pence)
        totals.ytdVariance = totals.ytdActual - totals.ytdPlan
        totals.deliveredPerMille = FixedPoint.perMille(totals.ytdActual.pence, of: totals.ytdPlan.pence)
        return totals
    }

    /// The system's Quality Premium: the sums of the commissioners' potentials and estimates.
    static func systemQualityPremium(_ packs: [PackFigures]) -> QualityPremiumFigures? {
        let parts = packs.compactMap(\.qualityPremium)
        guard !parts.isEmpty else { return nil }
        return QualityPremiumFigures(
            population: parts.reduce(0) { $0 + $1.population },
            perHead: parts[0].perHead, potential: parts.reduce(.zero) { $0 + $1.potential }, gates: [],
            gatesMet: parts.allSatisfy(\.gatesMet), measures: [], missedBasisPoints: 0,
            estimate: parts.reduce(.zero) { $0 + $1.estimate })
    }

    /// Identified schemes behind plan, largest shortfall first (then by id).
    static func slippage(_ schemes: [SchemeFigures]) -> [SchemeFigures] {
        schemes.filter { $0.scheme.stage.isIdentified && $0.ytdVariance.pence < 0 }
            .sorted { ($0.ytdVariance, $0.scheme.id) < ($1.ytdVariance, $1.scheme.id) }
    }

    /// The plan as it stood at the previous month of the same year, from the same data.
    static func movement(_ schemes: [Scheme], now: [SchemeFigures], target: Money, period: FinancialMonth, rules: Rules)
        -> Movement?
    {
        guard period.month > 1 else { return nil }
        let previous = FinancialMonth(year: period.year, month: period.month - 1)
        let before = schemes.map { schemeFigures($0, period: previous, rules: rules) }
        let beforeTotals = totals(target: target, schemes: before)
        let nowTotal = now.reduce(Money.zero) { $0 + $1.riskAdjustedForecast }
        var changes: [Movement.SchemeChange] = []
        for (b, a) in zip(before, now) where b.riskAdjustedForecast != a.riskAdjustedForecast || b.rag != a.rag {
            changes.append(
                Movement.SchemeChange(
                    id: a.scheme.id, name: a.scheme.name, before: b.riskAdjustedForecast, after: a.riskAdjustedForecast,
                    ragBefore: b.rag, ragAfter: a.rag))
        }
        changes.sort { x, y in
            x.change.pence.magnitude != y.change.pence.magnitude
                ? x.change.pence.magnitude > y.change.pence.magnitude : x.id < y.id
        }
        return Movement(
            previousPeriod: previous, previousRiskAdjusted: beforeTotals.riskAdjustedForecast,
            previousGap: beforeTotals.gap, forecastChange: nowTotal - beforeTotals.riskAdjustedForecast,
            schemes: changes)
    }

    /// YTD contract performance of the given lines (already filtered to the pack's commissioners).
    static func contract(
        _ lines: ArraySlice<ActivityLine>, period: FinancialMonth, names: [ShortCode: String], largest: Int = 10
    )
        -> ContractFigures
    {
        // Lines come in runs of one provider (sorted by commissioner, then provider): each run adds
        // into that provider's table, keyed by point of delivery and treatment function.
        var byProvider: [ShortCode: [PodAndTFC: ContractRow]] = [:]
        var provider: ShortCode?
        var cellsOfProvider: [PodAndTFC: ContractRow] = [:]
        for line in lines where line.key.period.year == period.year && line.key.period.month <= period.month {
            if line.key.provider != provider {
                if let provider { byProvider[provider] = cellsOfProvider }
                provider = line.key.provider
                cellsOfProvider = byProvider.removeValue(forKey: line.key.provider) ?? [:]
            }
            let key = PodAndTFC(pod: line.key.pointOfDelivery, tfc: line.key.treatmentFunction)
            cellsOfProvider[
                key,
                default: .empty(
                    provider: line.key.provider, name: names[line.key.provider], pod: key.pod, tfc: key.tfc,
                    months: period.month)
            ]
            .add(line.sums)
        }
        if let provider { byProvider[provider] = cellsOfProvider }
        var total = ContractRow.empty(months: period.month)
        var providers: [ContractFigures.Provider] = []
        var cells: [ContractRow] = []
        for provider in byProvider.keys.sorted() {
            let table = byProvider[provider]!
            let keys = table.keys.sorted { ($0.pod, $0.tfc) < ($1.pod, $1.tfc) }
            var rows: [ContractRow] = []
            var start = 0
            while start < keys.count {
                let pod = keys[start].pod
                var end = start + 1
                while end < keys.count, keys[end].pod == pod { end += 1 }
                let tfcs = keys[start..<end].map { table[$0]! }
                start = end
                var podRow = ContractRow.empty(
                    provider: provider, name: names[provider], pod: pod, months: period.month)
                for row in tfcs { podRow.add(row) }
                podRow.treatmentFunctions = tfcs
                cells += tfcs
                rows.append(podRow)
            }
            var providerTotal = ContractRow.empty(provider: provider, name: names[provider], months: period.month)
            for row in rows { providerTotal.add(row) }
            total.add(providerTotal)
            providers.append(ContractFigures.Provider(total: providerTotal, byPointOfDelivery: rows))
        }
        // Largest £ variances either way; ties in code order (cells are already in code order).
        return ContractFigures(
            providers: providers, total: total,
            largestVariances: cells.largest(largest, by: \.priceVariance.pence.magnitude)
        )
    }

    /// Whose measures a commissioner's pack shows: its own; the providers it names (those with its
    /// largest contract spend, `[contract] detail_providers`) unless `[metrics] providers = false`;
    /// and `SYSTEM` unless `[metrics] system = false`.
    public static func metricOrgs(_ commissioner: ShortCode, contract: ContractFigures, rules: Rules) -> Set<String> {
        var orgs: Set<String> = [commissioner.description]
        if rules.metricsOfSystem { orgs.insert("SYSTEM") }
        if rules.metricsOfProviders {
            for provider in contract.listed(limit: rules.contractDetailProviders).providers {
                if let code = provider.total.provider { orgs.insert(code.description) }
            }
        }
        return orgs
    }

    /// A contract cell's place within a provider.
    struct PodAndTFC: Hashable {
        let pod: ShortCode
        let tfc: ShortCode
    }

    /// Which submission supplies each provider's months of the reporting year.
    static func currency(
        _ lines: ArraySlice<ActivityLine>, submissions: [Submission], period: FinancialMonth, names: [ShortCode: String]
    ) -> [ProviderCurrency] {
        // The months each submission supplies, as bits (1 << month), added a run of lines at a time.
        var months: [ShortCode: [Int: UInt16]] = [:]
        var run: (provider: ShortCode, submission: Int, months: UInt16)?
        func endRun() {
            guard let current = run else { return }
            months[current.provider, default: [:]][current.submission, default: 0] |= current.months
        }
        for line in lines where line.key.period.year == period.year && line.key.period.month <= period.month {
            let bit = UInt16(1) << UInt16(line.key.period.month)
            if let current = run, current.provider == line.key.provider, current.submission == line.submission {
                run!.months |= bit
                continue
            }
            endRun()
            run = (line.key.provider, line.submission, bit)
        }
        endRun()
        return months.keys.sorted().map { provider in
            let uses = months[provider]!.map { index, bits in
                let sorted = (1...12).filter { bits & (UInt16(1) << UInt16($0)) != 0 }
                return SubmissionUse(
                    id: submissions[index].id, path: submissions[index].path, created: submissions[index].created,
                    months: sorted,
                    status: sorted.map {
                        status(of: submissions[index], month: FinancialMonth(year: period.year, month: $0))
                    })
            }.sorted { ($0.months.first ?? 0, $0.id) < ($1.months.first ?? 0, $1.id) }
            return ProviderCurrency(provider: provider, providerName: names[provider], submissions: uses)
        }
    }

    /// The figures of every pack: one per commissioner, in code order, then
    /// the system pack when there is more than one commissioner.
    /// The system pack's name: when every commissioner has the same `parent_org_code` and that
    /// parent is listed (an ICB and its sub-ICB locations), the parent's name.
    static func systemTitle(_ dataset: Dataset, default name: String) -> String {
        let parents = Set(dataset.commissioners.compactMap(\.parent))
        guard parents.count == 1, let parent = parents.first, let org = dataset.organisation(parent),
            dataset.commissioners.allSatisfy({ $0.parent == parent || $0.code == parent })
        else { return name }
        return org.name
    }

    public static func packs(
        _ dataset: Dataset, period: FinancialMonth, rules: Rules = Rules(), systemName: String = "All commissioners"
    )
        -> [PackFigures]
    {
        var names: [ShortCode: String] = [:]
        for organisation in dataset.organisations { names[organisation.code] = organisation.name }
        let orgNames = Dictionary(
            dataset.organisations.map { ($0.code.description, $0.name) }, uniquingKeysWith: { a, _ in a })
        // Each commissioner's lines as a slice of the dataset's (sorted by commissioner first), not a
        // copy: with millions of surviving cells a copy per pack would double the memory.
        let sortedByCommissioner = zip(dataset.activity, dataset.activity.dropFirst()).allSatisfy {
            !($1.key.commissioner < $0.key.commissioner)
        }
        let activity = sortedByCommissioner ? dataset.activity[...] : dataset.activity.sorted { $0.key < $1.key }[...]
        var linesBy: [ShortCode: ArraySlice<ActivityLine>] = [:]
        var start = activity.startIndex
        while start < activity.endIndex {
            let commissioner = activity[start].key.commissioner
            var end = start + 1
            while end < activity.endIndex, activity[end].key.commissioner == commissioner { end += 1 }
            linesBy[commissioner] = activity[start..<end]
            start = end
        }
        // This year's plan; the previous year's delivered schemes, kept for their benefits (charted
        // too); a scheme of an older plan is in neither (the pipeline warns of it).
        var schemesBy: [ShortCode: [SchemeFigures]] = [:]
        var carriedBy: [ShortCode: [SchemeFigures]] = [:]
        for scheme in dataset.schemes {
            if isInPlanYear(scheme, period: period) {
                schemesBy[scheme.commissioner, default: []].append(schemeFigures(scheme, period: period, rules: rules))
            } else if isCarried(scheme, period: period) {
                carriedBy[scheme.commissioner, default: []].append(schemeFigures(scheme, period: period, rules: rules))
            }
        }
        var packs: [PackFigures] = []
        var summaries: [CommissionerSummary] = []
        // Commissioners are independent: compute their packs on every core, then keep code order.
        // The system pack's figures over every line are one more job, the first to start (the
        // largest); what it takes from the commissioners' packs is added after.
        let commissioners = dataset.commissioners
        let hasSystem = commissioners.count > 1
        let allSchemes = commissioners.flatMap { schemesBy[$0.code] ?? [] }
        let allCarried = commissioners.flatMap { carriedBy[$0.code] ?? [] }
        let commissionerCodes = Set(commissioners.map(\.code))
        let systemLines =
            linesBy.keys.allSatisfy { commissionerCodes.contains($0) }
            ? activity : activity.filter { commissionerCodes.contains($0.key.commissioner) }[...]
        let system = IndexedResults<LineFigures>(count: 1)
        let computed = IndexedResults<(CommissionerSummary, PackFigures)>(count: commissioners.count)
        Parallel.forEach(commissioners.count + (hasSystem ? 1 : 0)) { job in
            if hasSystem, job == 0 {
                system.set(
                    0,
                    lineFigures(
                        systemLines, schemes: allSchemes + allCarried, submissions: dataset.submissions, period: period,
                        rules: rules, names: names))
                return
            }
            let index = job - (hasSystem ? 1 : 0)
            let organisation = commissioners[index]
            let lines = linesBy[organisation.code] ?? []
            let schemes = schemesBy[organisation.code] ?? []
            let carried = carriedBy[organisation.code] ?? []
            let qipp = totals(target: organisation.qippTarget ?? .zero, schemes: schemes)
            let figures = lineFigures(
                lines, schemes: schemes + carried, submissions: dataset.submissions, period: period, rules: rules,
                names: names)
            let summary = CommissionerSummary(
                code: organisation.code, name: organisation.name,
                registeredPopulation: organisation.registeredPopulation ?? 0,
                programmeAllocation: organisation.programmeAllocation ?? .zero, qipp: qipp,
                contractTotal: figures.contract.total)
            var pack = PackFigures(
                scope: .commissioner(organisation.code), code: organisation.code.description,
                name: organisation.name, period: period, commissioners: [summary], dataCurrency: figures.currency,
                schemes: schemes, qipp: qipp, contract: figures.contract, rules: rules, slippage: slippage(schemes),
                movement: movement(
                    schemes.map(\.scheme), now: schemes, target: qipp.target, period: period, rules: rules),
                finance: position(
                    dataset.ledger.filter { $0.commissioner == organisation.code }, organisations: [organisation],
                    rules: rules),
                qualityPremium: qualityPremium(
                    dataset.qualityPremium.filter { $0.commissioner == organisation.code },
                    population: organisation.registeredPopulation ?? 0, rules: rules),
                patientImpact: patientImpact(schemes, lines: lines, period: period))
            complete(&pack, with: figures)
            pack.carried = carriedBenefits(carried.map(\.scheme), lines: lines, period: period)
            pack.metrics = metricSeries(
                dataset.metrics, definitions: dataset.metricDefinitions,
                orgs: metricOrgs(organisation.code, contract: figures.contract, rules: rules),
                names: orgNames, period: period, rules: rules.spc)
            pack.commentary = dataset.commentary.filter {
                $0.org == organisation.code.description && $0.period <= period
            }
            let risks = dataset.risks.filter { $0.commissioner == organisation.code }
            if !risks.isEmpty { pack.risks = RiskSchedule(risks, forecastSurplus: pack.finance?.forecastSurplus) }
            computed.set(index, (summary, pack))
        }
        for (summary, pack) in computed.all {
            summaries.append(summary)
            packs.append(pack)
        }
        if hasSystem {
            let target = summaries.reduce(Money.zero) { $0 + $1.qipp.target }
            let figures = system.all[0]
            var pack = PackFigures(
                scope: .system, code: "system", name: systemTitle(dataset, default: systemName), period: period,
                commissioners: summaries,
                dataCurrency: figures.currency, schemes: allSchemes, qipp: totals(target: target, schemes: allSchemes),
                contract: figures.contract, rules: rules, slippage: slippage(allSchemes),
                movement: movement(
                    allSchemes.map(\.scheme), now: allSchemes, target: target, period: period, rules: rules),
                finance: position(dataset.ledger, organisations: dataset.commissioners, rules: rules),
                qualityPremium: systemQualityPremium(packs), patientImpact: packs.flatMap(\.patientImpact))
            complete(&pack, with: figures)
            pack.carried = packs.flatMap(\.carried)
            pack.metrics = metricSeries(
                dataset.metrics, definitions: dataset.metricDefinitions,
                orgs: Set(["SYSTEM"] + dataset.organisations.filter { !$0.isCommissioner }.map(\.code.description)),
                names: orgNames, period: period, rules: rules.spc)
            pack.commentary = dataset.commentary.filter { $0.org == "SYSTEM" && $0.period <= period }
            if !dataset.risks.isEmpty {
                pack.risks = RiskSchedule(dataset.risks, forecastSurplus: pack.finance?.forecastSurplus)
            }
            packs.append(pack)
        }
        return packs
    }
}
