import BoardPackAnalysis
import BoardPackCore

/// Turns a pack's figures into its view models: every value formatted once, here, for the HTML
/// and Markdown templates alike.
public enum ViewBuilder {
    public static let generator = "BoardPack \(BoardPackVersion.current)"
    static let maxWarnings = 50

    static func reportingMonth(_ period: FinancialMonth) -> String {
        "M\(period.month) (\(period.longName))"
    }

    /// The pack's view, its data-quality appendix listing `warnings` (sorted) as groups.
    public static func pack(_ figures: PackFigures, warnings: [Diagnostic]) -> PackView {
        pack(figures, warnings: DiagnosticGroups.group(warnings))
    }

    /// The pack's view; its data-quality appendix lists `warnings` in the order given (the
    /// pipeline puts first what touches the commissioner), at most `maxWarnings` of them and at
    /// most `DiagnosticGroups.perCode` of one kind.
    public static func pack(_ figures: PackFigures, warnings groups: [DiagnosticGroup]) -> PackView {
        let isSystem = figures.scope == .system
        let plan = figures.schemes.filter { $0.scheme.stage.isIdentified }
        let pipeline = figures.schemes.filter { $0.scheme.stage.isPipeline }
        let closed = figures.schemes.filter { $0.scheme.stage == .closed }
        let q = figures.qipp
        let c = figures.contract.total
        let listing = DiagnosticGroups.listing(groups, where: "every one is in diagnostics.csv in the output folder")
        // Values and file names come from the inputs: escaped, so no control character reaches a pack.
        let shown = (listing.shown.prefix(maxWarnings).map(\.description) + listing.notes.map { "note: " + $0 })
            .map { TerminalText.escaped($0) }
        let warningCount = groups.reduce(0) { $0 + $1.count }
        let allCover = coverCurrency(figures.dataCurrency, period: figures.period)
        let freezes = allCover.filter { $0.status == "Freeze" }.count
        var currencySummary =
            "\(allCover.count) provider\(allCover.count == 1 ? "" : "s") for \(reportingMonth(figures.period)): "
            + "\(freezes) freeze, \(allCover.count - freezes) flex."
        var cover = allCover
        let coverLimit = figures.rules.contractDetailProviders
        if coverLimit > 0, allCover.count > coverLimit {
            // The cover names the providers that matter most; the appendix lists every one.
            var spend: [String: Money] = [:]
            for p in figures.contract.providers {
                if let code = p.total.provider?.description { spend[code] = p.total.actualPrice }
            }
            cover = allCover.largest(coverLimit) { spend[$0.provider] ?? .zero }
            currencySummary +=
                " Below, the \(coverLimit) with the largest actual spend to date; every provider is in the appendix."
        }
        let programmes = programmes(figures.schemes)
        let pipelineByProgramme = pipelineByProgramme(figures.schemes)
        let monthLabels = figures.months.map {
            FinancialMonth(year: figures.period.year, month: $0.month).shortMonthName
        }
        let savings = Charts.monthlyBars(
            id: "savings",
            title: "\(figures.rules.programmeName) savings by month, \(figures.period.year): plan and actual",
            description: "Bars by month, April to March: the phased plan of the schemes in the plan and the actual "
                + "saving to \(figures.period.longName). Year to date: plan \(Format.pounds(q.ytdPlan)), actual "
                + "\(Format.pounds(q.ytdActual)).",
            months: monthLabels, planned: figures.months.map(\.savingPlan), actual: figures.months.map(\.savingActual),
            plannedLabel: "Plan", actualLabel: "Actual")
        let waterfall = Charts.waterfall(id: "waterfall", qipp: q, programme: figures.rules.programmeName)
        let cumulative = cumulativeChart(figures, labels: monthLabels)
        let scenarios = scenarioRows(figures)
        let contract = Charts.monthlyBars(
            id: "contract", title: "Contract activity by month, \(figures.period.year): planned and actual £",
            description: "Bars by month, April to March: planned and actual contract spend of every provider "
                + "to \(figures.period.longName). Year to date: plan \(Format.pounds(c.plannedPrice)), actual "
                + "\(Format.pounds(c.actualPrice)).",
            months: monthLabels, planned: figures.months.map(\.contractPlannedPrice),
            actual: figures.months.map(\.contractActualPrice), plannedLabel: "Planned £", actualLabel: "Actual £")
        let spc = figures.spc.map(spcView)
        let metrics = figures.metrics.map {
            metricView($0, commentary: commentary(figures, .metric, $0.metricID, title: $0.name))
        }
        let limit = figures.rules.contractDetailProviders
        let listed = figures.contract.listed(limit: limit)
        var byProvider = listed.providers.map { contractRow($0.total) }
        if let others = listed.others {
            var row = contractRow(others)
            row.providerName = "\(listed.otherCount) other provider\(listed.otherCount == 1 ? "" : "s")"
            byProvider.append(row)
        }
        // The rule, stated where the tables are: what the pack lists, and where the rest is.
        var detailNote =
            "The largest variances above are the (up to) \(figures.rules.contractLargestVariances) provider × point of "
            + "delivery × specialty lines with the largest £ variance, either way; every line of every provider is in "
            + "contract-detail.csv."
        if listed.others != nil {
            detailNote +=
                " The \(limit) providers with the largest actual spend to date are listed by name, largest first, "
                + "each with its points of delivery below; the other \(listed.otherCount) are one row."
        }
        // A commissioner with nothing in the inputs gets a pack that says so, not ratings of noughts.
        let emptyNotice =
            !isSystem && figures.schemes.isEmpty && figures.contract.providers.isEmpty && figures.finance == nil
            ? "The inputs hold no \(figures.rules.programmeName) scheme, no contract activity for \(figures.period.year) "
                + "and no finance ledger line for \(figures.name) (\(figures.code)): this pack has no figures to report or "
                + "rate. Check that the commissioner's code in the inputs matches organisations.csv."
            : ""
        var summary = "No validation warnings."
        if warningCount > 0 {
            summary = "\(warningCount) validation warning\(warningCount == 1 ? "" : "s")"
            if groups.count < warningCount {
                summary +=
                    " of \(groups.count) distinct kind\(groups.count == 1 ? "" : "s") and value\(groups.count == 1 ? "" : "s")"
                summary += " (repeats are one line, with where else they are seen)"
            }
            if listing.shown.count > maxWarnings || listing.hidden > 0 {
                summary += isSystem ? "; the first are listed" : "; those touching this commissioner's providers first"
                summary += ", and every one is in diagnostics.csv in the output folder."
            } else {
                summary += "."
            }
        }
        let ratingViews = ratings(figures)
        let paper = paperView(figures, ratings: ratingViews)
        return PackView(
            title: isSystem
                ? "System \(figures.rules.programmeName) and contract board pack"
                : "\(figures.rules.programmeName) and contract board pack",
            code: figures.code, name: figures.name, isSystem: isSystem,
            financialYear: figures.period.year.description, reportingMonth: reportingMonth(figures.period),
            reportingMonthName: figures.period.longName, generator: generator,
            headline: headlineView(q, c, unit: true), totals: headlineView(q, c, unit: false),
            commissioners: isSystem ? figures.commissioners.map(commissionerRow) : [],
            hasCommissioners: isSystem && !figures.commissioners.isEmpty,
            currency: figures.dataCurrency.flatMap(currencyRows), hasCurrency: !figures.dataCurrency.isEmpty,
            planSchemes: plan.map(schemeRow), hasPlanSchemes: !plan.isEmpty,
            pipelineSchemes: pipeline.map(schemeRow), hasPipelineSchemes: !pipeline.isEmpty,
            closedSchemes: closed.map(schemeRow), hasClosedSchemes: !closed.isEmpty,
            showCommissionerColumn: isSystem,
            slippage: figures.slippage.map { f in
                var row = schemeRow(f)
                row.mitigation = mitigation(for: f, pipeline: pipelineByProgramme)
                return row
            }, hasSlippage: !figures.slippage.isEmpty,
            hasMovement: figures.movement != nil, movement: movementView(figures.movement),
            contractByProvider: byProvider,
            contractProviders: listed.providers.map(providerView), contractDetailNote: detailNote,
            hasContractDetailNote: !detailNote.isEmpty,
            hasContract: !figures.contract.providers.isEmpty, contractTotal: contractRow(figures.contract.total),
            largestVariances: figures.contract.largestVariances.map(contractRow),
            hasLargestVariances: !figures.contract.largestVariances.isEmpty,
            hasFinance: figures.finance != nil, finance: financeView(figures.finance),
            hasQualityPremium: figures.qualityPremium != nil, qualityPremium: qualityView(figures.qualityPremium),
            hasPatientImpact: !figures.patientImpact.isEmpty, patientImpact: figures.patientImpact.map(impactRow),
            hasCarried: !figures.carried.isEmpty, carried: carriedRows(figures),
            warnings: shown, hasWarnings: !groups.isEmpty, warningSummary: summary,
            ragRules: figures.rules.ragRuleText,
            coverCurrency: cover, hasCoverCurrency: !cover.isEmpty, currencySummary: currencySummary,
            ratings: ratingViews, emptyNotice: emptyNotice, isEmpty: !emptyNotice.isEmpty,
            programmes: programmes, hasProgrammes: !programmes.isEmpty,
            months: monthRows(figures.months, year: figures.period.year), savingsChart: chartView(savings),
            cumulativeChart: chartView(cumulative),
            cumulative: cumulativeRows(figures.months, year: figures.period.year), hasScenarios: !scenarios.isEmpty,
            scenarios: scenarios, waterfallChart: chartView(waterfall), contractChart: chartView(contract), spc: spc,
            hasSPC: !spc.isEmpty,
            spcRules: figures.rules.spc.ruleText, hasMetrics: !metrics.isEmpty, matrix: matrix(figures.metrics),
            metrics: metrics,
            charts: [savings, cumulative, waterfall, contract].map(chartView) + spc.map(\.chart) + metrics.map(\.chart),
            exceptionCommentary: figures.slippage.flatMap {
                commentary(figures, .scheme, $0.scheme.id, title: "\($0.scheme.id) \($0.scheme.name)", exception: true)
            },
            schemeCommentary: figures.schemes.filter { s in !figures.slippage.contains { $0.scheme.id == s.scheme.id } }
                .flatMap { commentary(figures, .scheme, $0.scheme.id, title: "\($0.scheme.id) \($0.scheme.name)") },
            providerCommentary: figures.contract.providers.flatMap { p in
                let code = p.total.provider?.description ?? ""
                return commentary(figures, .provider, code, title: "\(code) \(p.total.providerName ?? "")")
            },
            budgetCommentary: (figures.finance?.lines ?? []).flatMap {
                commentary(figures, .budgetLine, $0.budgetLine, title: $0.budgetLine)
            },
            introSummary: commentary(figures, .section, "summary", title: ""),
            introQipp: commentary(figures, .section, "qipp", title: ""),
            introExceptions: commentary(figures, .section, "exceptions", title: ""),
            introPipeline: commentary(figures, .section, "pipeline", title: ""),
            introContract: commentary(figures, .section, "contract", title: ""),
            introFinance: commentary(figures, .section, "finance", title: ""),
            introPerformance: commentary(figures, .section, "performance", title: ""),
            introSPC: commentary(figures, .section, "spc", title: ""), programmeName: figures.rules.programmeName,
            commissionerWord: figures.rules.commissionerWord, hasRisks: figures.risks != nil,
            risks: risksView(figures.risks), introRisks: commentary(figures, .section, "risks", title: ""),
            hasPaper: paper != nil, paper: paper.map { [$0] } ?? [])
    }

    static func headlineView(_ q: QippTotals, _ c: ContractRow, unit: Bool) -> HeadlineView {
        func money(_ m: Money) -> String { unit ? Format.pounds(m) : Format.money(m) }
        func signed(_ m: Money) -> String { unit ? Format.signedPounds(m) : Format.signedMoney(m) }
        return HeadlineView(
            qippTarget: money(q.target), identified: money(q.identified),
            unidentified: money(q.unidentified), pipeline: money(q.pipeline),
            ytdPlan: money(q.ytdPlan), ytdActual: money(q.ytdActual),
            ytdVariance: signed(q.ytdVariance), ytdDelivered: Format.percent(q.deliveredPerMille),
            identifiedSchemes: String(q.identifiedSchemes), pipelineSchemes: String(q.pipelineSchemes),
            forecastOutturn: money(q.forecastOutturn),
            riskAdjustedForecast: money(q.riskAdjustedForecast),
            gap: money(q.gap), pipelineCoversGap: q.pipelineCoversGap ? "Yes" : "No",
            gapUncovered: !q.pipelineCoversGap, topFiveShare: Format.percent(q.topFiveSharePerMille),
            recurrent: money(q.recurrent), nonRecurrent: money(q.nonRecurrent),
            contractPlannedPrice: money(c.plannedPrice), contractActualPrice: money(c.actualPrice),
            contractVariance: signed(c.priceVariance))
    }

    static func commissionerRow(_ s: CommissionerSummary) -> CommissionerRowView {
        CommissionerRowView(
            code: s.code.description, name: s.name, population: Format.count(s.registeredPopulation),
            qippTarget: Format.money(s.qipp.target), identified: Format.money(s.qipp.identified),
            unidentified: Format.money(s.qipp.unidentified), ytdPlan: Format.money(s.qipp.ytdPlan),
            ytdActual: Format.money(s.qipp.ytdActual), ytdVariance: Format.signedMoney(s.qipp.ytdVariance),
            ytdDelivered: Format.percent(s.qipp.deliveredPerMille),
            contractVariance: Format.signedMoney(s.contractTotal.priceVariance), packLink: s.code.description)
    }

    static func currencyRows(_ c: ProviderCurrency) -> [CurrencyRowView] {
        c.submissions.map { use in
            CurrencyRowView(
                provider: c.provider.description, providerName: c.providerName ?? "(not in organisations.csv)",
                submission: use.path, created: use.created ?? "not stated", months: Format.months(use.months))
        }
    }

    static func schemeRow(_ f: SchemeFigures) -> SchemeRowView {
        let s = f.scheme
        var notes: [String] = []
        if !f.missingActualMonths.isEmpty {
            notes.append("No actual reported for \(Format.months(f.missingActualMonths)); counted as no saving.")
        }
        if let reported = s.reportedRAG, reported != f.rag {
            notes.append("Tracker RAG \(reported.label); computed RAG shown.")
        } else if f.ragRule.hasPrefix("tracker rating used") {
            notes.append("RAG from the tracker.")
        }
        if f.phasedAnnual != s.annualTarget, s.stage.isIdentified {
            notes.append("Monthly phasing totals \(Format.money(f.phasedAnnual)), not the annual target.")
        }
        return SchemeRowView(
            id: s.id, commissioner: s.commissioner.description, name: s.name, programme: s.programme, sro: s.sro,
            stage: s.stage.label, recurrence: s.recurrence == .recurrent ? "Recurrent" : "Non-recurrent",
            annualTarget: Format.money(s.annualTarget), ytdPlan: Format.money(f.ytdPlan),
            ytdActual: Format.money(f.ytdActual), ytdVariance: Format.signedMoney(f.ytdVariance),
            ytdDelivered: Format.percent(f.deliveredPerMille), rag: f.rag?.rawValue ?? Format.dash,
            ragLabel: f.rag?.label ?? "Not rated", ragClass: f.rag.map { "rag-\($0.rawValue)" } ?? "rag-none",
            ragRule: f.ragRule, note: notes.joined(separator: " "), hasNote: !notes.isEmpty,
            isBehind: f.ytdVariance.pence < 0, forecastOutturn: Format.money(f.forecastOutturn),
            riskPercent: s.stage.isIdentified ? "\(f.riskPercent)%" : Format.dash,
            riskAdjustedForecast: s.stage.isIdentified ? Format.money(f.riskAdjustedForecast) : Format.dash)
    }

    static func ledgerRow(_ l: FinancialPosition.Line) -> LedgerRowView {
        LedgerRowView(
            budgetLine: l.budgetLine, category: l.category.label, annualBudget: Format.money(l.annualBudget),
            ytdBudget: Format.money(l.ytdBudget), ytdActual: Format.money(l.ytdActual),
            ytdVariance: Format.signedMoney(l.ytdVariance), forecastOutturn: Format.money(l.forecastOutturn),
            forecastVariance: Format.signedMoney(l.forecastVariance))
    }

    static func financeView(_ f: FinancialPosition?) -> FinanceView {
        let empty = LedgerRowView(
            budgetLine: "", category: "", annualBudget: "", ytdBudget: "", ytdActual: "", ytdVariance: "",
            forecastOutturn: "", forecastVariance: "")
        guard let f else {
            return FinanceView(
                income: [], expenditure: [], incomeTotal: empty, expenditureTotal: empty, plannedSurplus: "",
                forecastSurplus: "", rules: [], hasScenarios: false, scenarios: [])
        }
        func yes(_ b: Bool) -> String { b ? "Yes" : "No" }
        let rules = [
            RuleRowView(
                rule: "Surplus (forecast)", required: Format.money(f.requiredSurplus),
                actual: Format.money(f.forecastSurplus), met: yes(f.surplusMet)),
            RuleRowView(
                rule: "Contingency held", required: Format.money(f.contingencyRequired),
                actual: Format.money(f.contingencyHeld), met: yes(f.contingencyHeld >= f.contingencyRequired)),
            RuleRowView(
                rule: "Non-recurrent reserve held", required: Format.money(f.nonRecurrentReserveRequired),
                actual: Format.money(f.nonRecurrentReserveHeld),
                met: yes(f.nonRecurrentReserveHeld >= f.nonRecurrentReserveRequired)),
            RuleRowView(
                rule: "Running costs (forecast) within allowance", required: Format.money(f.runningCostAllowance),
                actual: Format.money(f.runningCostsForecast), met: yes(f.runningCostsWithinAllowance)),
        ]
        return FinanceView(
            income: f.lines.filter { $0.category.isIncome }.map(ledgerRow),
            expenditure: f.lines.filter { !$0.category.isIncome }.map(ledgerRow), incomeTotal: ledgerRow(f.income),
            expenditureTotal: ledgerRow(f.expenditure), plannedSurplus: Format.signedPounds(f.plannedSurplus),
            forecastSurplus: Format.signedPounds(f.forecastSurplus), rules: rules, hasScenarios: f.hasScenarios,
            scenarios: ledgerScenarioRows(f))
    }

    static func qualityView(_ q: QualityPremiumFigures?) -> QualityPremiumView {
        guard let q else {
            return QualityPremiumView(
                population: "", perHead: "", potential: "", gates: [], measures: [], hasItems: false, gatesMet: "",
                missedWeight: "",
                estimate: "")
        }
        func item(_ i: QualityPremiumItem) -> QualityItemView {
            QualityItemView(
                item: i.name, weight: i.kind == .measure ? FixedPoint.format(i.weightBasisPoints, scale: 2) + "%" : "",
                met: i.met ? "Met" : "Not met")
        }
        return QualityPremiumView(
            population: Format.count(q.population), perHead: "£" + FixedPoint.format(q.perHead.pence, scale: 2),
            potential: Format.pounds(q.potential), gates: q.gates.map(item), measures: q.measures.map(item),
            hasItems: !(q.gates.isEmpty && q.measures.isEmpty),
            // The system figures are sums of the commissioners', which list their own gates and measures.
            gatesMet: q.gates.isEmpty && q.measures.isEmpty
                ? (q.gatesMet ? "Yes, for every commissioner" : "Not for every commissioner (see each pack)")
                : (q.gatesMet ? "Yes" : "No"),
            missedWeight: q.gates.isEmpty && q.measures.isEmpty
                ? Format.dash : FixedPoint.format(q.missedBasisPoints, scale: 2) + "%",
            estimate: Format.pounds(q.estimate))
    }

    static func impactRow(_ p: PatientImpact) -> ImpactRowView {
        var activity = "\(p.provider) \(p.pointOfDelivery)"
        if let tfc = p.treatmentFunction { activity += " " + tfc.description }
        let none = p.linesFound == 0
        return ImpactRowView(
            id: p.schemeID, name: p.schemeName, activity: activity, months: Format.months(p.months),
            baseline: none ? Format.dash : Format.quantity(p.baselineActivity),
            current: none ? Format.dash : Format.quantity(p.currentActivity),
            change: none ? Format.dash : Format.signedQuantity(p.change),
            changePercent: none ? Format.dash : Format.percent(p.changePerMille), ytdSaving: Format.money(p.ytdSaving),
            hasNote: none,
            note: none
                ? "No contract activity in the inputs for \(activity) in these months: check the scheme's link." : "")
    }

    static func movementView(_ m: Movement?) -> MovementView {
        guard let m else {
            return MovementView(
                previousMonth: "", previousRiskAdjusted: "", previousGap: "", forecastChange: "", summary: "",
                schemes: [], hasSchemes: false)
        }
        let change = m.forecastChange
        let direction =
            change.roundedPounds == 0
            ? "unchanged"
            : "\(Format.pounds(Money(pence: Int64(change.pence.magnitude)))) \(change.pence > 0 ? "better" : "worse")"
        let rows = m.schemes.map { c in
            MovementRowView(
                id: c.id, name: c.name, before: Format.money(c.before), after: Format.money(c.after),
                change: Format.signedMoney(c.change), ragBefore: c.ragBefore?.label ?? "Not rated",
                ragAfter: c.ragAfter?.label ?? "Not rated")
        }
        return MovementView(
            previousMonth: reportingMonth(m.previousPeriod),
            previousRiskAdjusted: Format.pounds(m.previousRiskAdjusted),
            previousGap: Format.pounds(m.previousGap), forecastChange: Format.signedPounds(change),
            summary: change.roundedPounds == 0
                ? "Risk-adjusted forecast unchanged since M\(m.previousPeriod.month)."
                : "Risk-adjusted forecast \(direction) than at M\(m.previousPeriod.month).", schemes: rows,
            hasSchemes: !rows.isEmpty)
    }

    static func contractRow(_ r: ContractRow) -> ContractRowView {
        let pod = r.pointOfDelivery?.description ?? ""
        let tfc = r.treatmentFunction?.description ?? ""
        return ContractRowView(
            provider: r.provider?.description ?? "",
            providerName: r.provider == nil ? "" : (r.providerName ?? "(not in organisations.csv)"), pod: pod,
            podDescription: ReferenceCodes.pointsOfDelivery[pod]?.description ?? (pod.isEmpty ? "" : "Local code"),
            tfc: tfc, tfcTitle: ReferenceCodes.treatmentFunctions[tfc] ?? (tfc.isEmpty ? "" : "Local code"),
            forecastActivity: Format.quantity(r.forecastActivity), forecastPrice: Format.money(r.forecastPrice),
            plannedActivity: Format.quantity(r.plannedActivity), actualActivity: Format.quantity(r.actualActivity),
            activityVariance: Format.signedQuantity(r.activityVariance), plannedPrice: Format.money(r.plannedPrice),
            actualPrice: Format.money(r.actualPrice), priceVariance: Format.signedMoney(r.priceVariance),
            isOver: r.priceVariance.pence > 0)
    }

    static func providerView(_ p: ContractFigures.Provider) -> ContractProviderView {
        let code = p.total.provider?.description ?? ""
        return ContractProviderView(
            code: code, name: p.total.providerName ?? "(not in organisations.csv)",
            rows: p.byPointOfDelivery.map(contractRow), total: contractRow(p.total))
    }

    public static func index(_ packs: [PackFigures], formats: Set<String> = ["html", "md"]) -> IndexView {
        let period = packs.first?.period
        return IndexView(
            title: "Board packs", financialYear: period.map { $0.year.description } ?? "",
            reportingMonth: period.map(reportingMonth) ?? "", generator: generator,
            hasHTML: formats.contains("html"), hasMarkdown: formats.contains("md"), hasPDF: formats.contains("pdf"),
            packs: packs.map {
                IndexEntryView(code: $0.code, name: $0.name, folder: $0.code, isSystem: $0.scope == .system)
            })
    }
}
