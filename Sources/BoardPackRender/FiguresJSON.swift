import BoardPackAnalysis
import BoardPackCore

/// `figures.json`: every figure a pack shows, exactly. Documented in docs/figures.md.
public enum FiguresJSON {
    /// 2: a provider's detail by POD and TFC only for the providers the pack shows it for; every
    /// provider × POD × TFC row in `contract-detail.csv`, which `contract.detail` reconciles.
    public static let schemaVersion: Int64 = 2

    public static func document(_ pack: PackFigures) -> JSONValue {
        let detailed = Set(
            pack.contract.detailed(limit: pack.rules.contractDetailProviders).compactMap {
                $0.total.provider?.description
            })
        var members: [(String, JSONValue)] = [
            ("schema", .string("boardpack-figures")),
            ("schema_version", .int(schemaVersion)),
            ("units", .object([("money", .string("pence")), ("activity", .string("units, exact decimal"))])),
            (
                "pack",
                .object([
                    ("scope", .string(pack.scope == .system ? "system" : "commissioner")),
                    ("code", .string(pack.code)),
                    ("name", .string(pack.name)),
                ])
            ),
            (
                "period",
                .object([
                    ("financial_year", .int(Int64(pack.period.year.acmCode))),
                    ("financial_month", .int(Int64(pack.period.month))),
                    ("calendar_month", .string(pack.period.calendarText)),
                ])
            ),
            ("commissioners", .array(pack.commissioners.map(commissioner))),
            ("data_currency", .array(pack.dataCurrency.map(currency))),
            (
                "qipp",
                .object(
                    qipp(pack.qipp) + [
                        ("slippage", .array(pack.slippage.map { .string($0.scheme.id) })),
                        ("movement", pack.movement.map(movement) ?? .null),
                        ("schemes", .array(pack.schemes.map(scheme))),
                    ])
            ),
            ("financial_position", pack.finance.map(finance) ?? .null),
            ("quality_premium", pack.qualityPremium.map(qualityPremium) ?? .null),
            ("patient_impact", .array(pack.patientImpact.map(impact))),
            ("carried_benefits", .array(pack.carried.map { carried($0, spc: pack.spc) })),
            ("ratings", pack.ratings.map(ratings) ?? .null),
            ("months", .array(pack.months.map(month))),
            ("spc", .array(pack.spc.map(spc))),

            (
                "contract",
                .object([
                    ("providers", .array(pack.contract.providers.map { contractProvider($0, detailed: detailed) })),
                    ("total", .object(contractRow(pack.contract.total))),
                    ("largest_variances", .array(pack.contract.largestVariances.map { .object(contractRow($0)) })),
                    ("detail", contractDetail(pack.contract)),
                ])
            ),
        ]
        let metrics: JSONValue = .array(pack.metrics.map(metric))
        let schedule: JSONValue = pack.risks.map(risks) ?? .null
        let notes: JSONValue = .array(pack.commentary.map { commentary($0, period: pack.period) })
        members += [("metrics", metrics), ("risks", schedule), ("commentary", notes)]
        return .object(members)
    }

    /// A provider's totals, and for a provider the pack shows in detail its rows by POD and TFC.
    static func contractProvider(_ provider: ContractFigures.Provider, detailed: Set<String>) -> JSONValue {
        var members = contractRow(provider.total)
        members.append(("detail_in_pack", .bool(detailed.contains(provider.total.provider?.description ?? ""))))
        guard detailed.contains(provider.total.provider?.description ?? "") else { return .object(members) }
        members.append(
            (
                "points_of_delivery",
                .array(
                    provider.byPointOfDelivery.map { pod in
                        .object(
                            contractRow(pod) + [
                                ("treatment_functions", .array(pod.treatmentFunctions.map { .object(contractRow($0)) }))
                            ])
                    })
            ))
        return .object(members)
    }

    /// What `contract-detail.csv` holds, to reconcile it with `contract.total`.
    static func contractDetail(_ contract: ContractFigures) -> JSONValue {
        let rows = contract.detailRows
        return .object([
            ("file", .string(ContractDetailCSV.fileName)),
            ("rows", .int(Int64(rows.count))),
            ("planned_price_pence", money(rows.reduce(Money.zero) { $0 + $1.plannedPrice })),
            ("actual_price_pence", money(rows.reduce(Money.zero) { $0 + $1.actualPrice })),
            ("contract_lines", .int(Int64(rows.reduce(0) { $0 + $1.lines }))),
        ])
    }

    static func money(_ m: Money) -> JSONValue { .int(m.pence) }

    /// The risks and opportunities schedule; `surplus_after_pence` = forecast surplus − net risks +
    /// net opportunities.
    static func risks(_ r: RiskSchedule) -> JSONValue {
        .object([
            (
                "items",
                .array(
                    r.items.map { i in
                        .object([
                            ("commissioner", .string(i.commissioner.description)), ("risk_id", .string(i.id)),
                            ("kind", .string(i.kind.rawValue)), ("description", .string(i.description)),
                            ("category", .string(i.category)), ("gross_pence", money(i.gross)),
                            ("likelihood_percent", .int(i.likelihoodPercent)), ("net_pence", money(i.net)),
                            ("owner", .string(i.owner)), ("mitigation", .string(i.mitigation)),
                            ("baf_reference", i.bafReference.isEmpty ? .null : .string(i.bafReference)),
                        ])
                    })
            ),
            ("gross_risks_pence", money(r.grossRisks)), ("net_risks_pence", money(r.netRisks)),
            ("gross_opportunities_pence", money(r.grossOpportunities)),
            ("net_opportunities_pence", money(r.netOpportunities)),
            ("forecast_surplus_pence", r.forecastSurplus.map(money) ?? .null),
            ("surplus_after_pence", r.surplusAfter.map(money) ?? .null),
        ])
    }

    /// One commentary entry, as read (the pack shows each subject's latest).
    static func commentary(_ c: CommentaryEntry, period: FinancialMonth) -> JSONValue {
        .object([
            ("subject_type", .string(c.subject.rawValue)), ("subject_id", .string(c.subjectID)),
            ("financial_year", .int(Int64(c.period.year.acmCode))), ("financial_month", .int(Int64(c.period.month))),
            ("author", .string(c.author)), ("text", .string(c.text)), ("reason", .string(c.reason)),
            ("action", .string(c.action)), ("action_owner", .string(c.actionOwner)),
            ("action_due", c.actionDue.isEmpty ? .null : .string(c.actionDue)),
            ("action_overdue", .bool(ViewBuilder.isOverdue(c.actionDue, period: period))),
        ])
    }

    /// A performance measure: its definition, its latest group's icons, and every point's mean,
    /// limits and deciding rule.
    static func metric(_ m: MetricSeries) -> JSONValue {
        .object([
            ("metric_id", .string(m.metricID)), ("name", .string(m.name)), ("org_code", .string(m.org)),
            ("unit", .string(m.unit)), ("direction", .string(m.direction.rawValue)),
            ("target", m.target.map(statistic) ?? .null),
            ("rebase", .array(m.rebase.map { .string($0) })),
            ("variation", .string((m.latest?.variation ?? .commonCause).rawValue)),
            ("assurance", .string((m.latest?.assurance ?? .none).rawValue)),
            ("short_series", .bool(m.latest?.isShort ?? false)),
            (
                "points",
                .array(
                    zip(m.dates, m.analysis.points).enumerated().map { i, pair in
                        let (date, p) = pair
                        let target = i < m.targets.count ? m.targets[i] : nil
                        return .object([
                            ("period", .string(date)), ("value", statistic(p.value)), ("mean", statistic(p.mean)),
                            ("target", target.map(statistic) ?? .null),
                            ("lower_limit", statistic(p.lowerLimit)), ("upper_limit", statistic(p.upperLimit)),
                            ("group", .int(Int64(p.group + 1))), ("special_cause", .int(Int64(p.specialCause))),
                            ("rule", p.rule.map { .string($0.rawValue) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// SPC statistics to three decimal places (they are means of exact activity, not money).
    static func statistic(_ d: Double) -> JSONValue {
        let thousandths = Int64((d * 1000).rounded())
        return .number(FixedPoint.format(thousandths, scale: 3))
    }

    static func ratings(_ r: HeadlineRatings) -> JSONValue {
        func one(_ h: HeadlineRating) -> JSONValue {
            .object([("rag", h.rag.map { .string($0.rawValue) } ?? .null), ("rule", .string(h.rule))])
        }
        return .object([
            ("gap", one(r.gap)), ("risk_adjusted_forecast", one(r.riskAdjustedForecast)),
            ("contract_variance", one(r.contractVariance)), ("financial_position", one(r.financialPosition)),
        ])
    }

    static func month(_ m: MonthFigures) -> JSONValue {
        .object([
            ("financial_month", .int(Int64(m.month))),
            ("saving_plan_pence", money(m.savingPlan)), ("saving_actual_pence", money(m.savingActual)),
            ("saving_forecast_pence", money(m.savingForecast)),
            ("contract_planned_price_pence", money(m.contractPlannedPrice)),
            ("contract_actual_price_pence", money(m.contractActualPrice)),
        ])
    }

    static func spc(_ s: SPCSeries) -> JSONValue {
        .object([
            ("id", .string(s.slug)), ("kind", .string(s.kind.rawValue)), ("title", .string(s.title)),
            ("provider", .string(s.provider.description)),
            ("point_of_delivery", .string(s.pointOfDelivery.description)),
            ("treatment_function", text(s.treatmentFunction?.description)), ("scheme", text(s.schemeID)),
            ("direction", .string(s.chart.direction.rawValue)),
            ("target", s.chart.target.map(statistic) ?? .null),
            ("variation", .string(s.chart.variation.rawValue)), ("assurance", .string(s.chart.assurance.rawValue)),
            ("short_series", .bool(s.chart.isShort)),
            ("go_live", s.goLive.map { .string($0.calendarText) } ?? .null),
            (
                "benefit",
                s.benefit.map { b in
                    .object([
                        ("verdict", .string(b.verdict.rawValue)),
                        ("rule", b.rule.map { .string($0.rawValue) } ?? .null),
                        ("months_before", .int(Int64(b.before))), ("months_since", .int(Int64(b.since))),
                    ])
                } ?? .null
            ),
            (
                "points",
                .array(
                    s.chart.points.map { p in
                        .object([
                            ("calendar_month", .string(p.period.calendarText)), ("value", statistic(p.value)),
                            ("mean", statistic(p.mean)), ("lower_limit", statistic(p.lowerLimit)),
                            ("upper_limit", statistic(p.upperLimit)),
                            ("special_cause", .int(Int64(p.specialCause))),
                            ("rule", p.rule.map { .string($0.rawValue) } ?? .null),
                            ("rules", .array(p.rules.map { .string($0.rawValue) })),
                        ])
                    })
            ),
        ])
    }
    static func money(_ m: Money?) -> JSONValue { m.map { .int($0.pence) } ?? .null }
    static func quantity(_ q: Quantity) -> JSONValue { .number(q.description) }
    static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func perMille(_ p: Int64?) -> JSONValue { p.map { .number(FixedPoint.format($0, scale: 1)) } ?? .null }

    static func commissioner(_ c: CommissionerSummary) -> JSONValue {
        .object([
            ("code", .string(c.code.description)),
            ("name", .string(c.name)),
            ("registered_population", .int(c.registeredPopulation)),
            ("programme_allocation_pence", money(c.programmeAllocation)),
            ("qipp", .object(qipp(c.qipp))),
            ("contract_total", .object(contractRow(c.contractTotal))),
        ])
    }

    static func currency(_ c: ProviderCurrency) -> JSONValue {
        .object([
            ("provider", .string(c.provider.description)),
            ("provider_name", text(c.providerName)),
            (
                "submissions",
                .array(
                    c.submissions.map { use in
                        .object([
                            ("submission", .string(use.id)),
                            ("created", text(use.created)),
                            ("financial_months", .array(use.months.map { .int(Int64($0)) })),
                            ("status", .array(use.status.map { .string($0.rawValue) })),
                        ])
                    })
            ),
        ])
    }

    static func qipp(_ t: QippTotals) -> [(String, JSONValue)] {
        [
            ("target_pence", money(t.target)),
            ("identified_pence", money(t.identified)),
            ("unidentified_pence", money(t.unidentified)),
            ("pipeline_pence", money(t.pipeline)),
            ("ytd_plan_pence", money(t.ytdPlan)),
            ("ytd_actual_pence", money(t.ytdActual)),
            ("ytd_variance_pence", money(t.ytdVariance)),
            ("ytd_delivered_percent", perMille(t.deliveredPerMille)),
            ("forecast_outturn_pence", money(t.forecastOutturn)),
            ("risk_adjusted_forecast_pence", money(t.riskAdjustedForecast)),
            ("gap_pence", money(t.gap)),
            ("pipeline_covers_gap", .bool(t.pipelineCoversGap)),
            ("top_five_share_of_target_percent", perMille(t.topFiveSharePerMille)),
            ("recurrent_pence", money(t.recurrent)),
            ("non_recurrent_pence", money(t.nonRecurrent)),
            ("identified_schemes", .int(Int64(t.identifiedSchemes))),
            ("pipeline_schemes", .int(Int64(t.pipelineSchemes))),
            ("closed_schemes", .int(Int64(t.closedSchemes))),
            (
                "scenarios",
                t.scenarios.map { c in
                    .object([
                        ("best_pence", money(c.best)), ("most_likely_pence", money(c.mostLikely)),
                        ("worst_pence", money(c.worst)), ("best_gap_pence", money(c.bestGap)),
                        ("most_likely_gap_pence", money(c.mostLikelyGap)), ("worst_gap_pence", money(c.worstGap)),
                    ])
                } ?? .null
            ),
        ]
    }

    static func scheme(_ f: SchemeFigures) -> JSONValue {
        let s = f.scheme
        return .object([
            ("scheme_id", .string(s.id)),
            ("commissioner", .string(s.commissioner.description)),
            ("name", .string(s.name)),
            ("programme", .string(s.programme)),
            ("sro", .string(s.sro)),
            ("gateway_stage", .string(s.stage.rawValue)),
            ("recurrence", .string(s.recurrence.rawValue)),
            ("annual_target_pence", money(s.annualTarget)),
            ("phased_annual_pence", money(f.phasedAnnual)),
            ("monthly_plan_pence", .array(f.monthlyPlan.map(money))),
            ("monthly_actual_pence", .array(f.monthlyActual.map(money))),
            ("monthly_forecast_pence", .array(f.monthlyForecast.map(money))),
            ("ytd_plan_pence", money(f.ytdPlan)),
            ("ytd_actual_pence", money(f.ytdActual)),
            ("ytd_variance_pence", money(f.ytdVariance)),
            ("ytd_delivered_percent", perMille(f.deliveredPerMille)),
            ("rag", text(f.rag?.rawValue)),
            ("rag_rule", .string(f.ragRule)),
            ("rag_reported", text(s.reportedRAG?.rawValue)),
            ("missing_actual_months", .array(f.missingActualMonths.map { .int(Int64($0)) })),
            ("forecast_outturn_pence", money(f.forecastOutturn)),
            ("risk_percent", .int(f.riskPercent)),
            ("risk_adjusted_forecast_pence", money(f.riskAdjustedForecast)),
            ("best_case_pence", money(f.bestCase)),
            ("worst_case_pence", money(f.worstCase)),
            ("investment_pence", money(s.investment)),
            ("net_forecast_pence", money(f.netForecast)),
        ])
    }

    static func ledgerLine(_ l: FinancialPosition.Line) -> [(String, JSONValue)] {
        [
            ("budget_line", .string(l.budgetLine)),
            ("category", .string(l.category.rawValue)),
            ("annual_budget_pence", money(l.annualBudget)),
            ("ytd_budget_pence", money(l.ytdBudget)),
            ("ytd_actual_pence", money(l.ytdActual)),
            ("ytd_variance_pence", money(l.ytdVariance)),
            ("forecast_outturn_pence", money(l.forecastOutturn)),
            ("forecast_variance_pence", money(l.forecastVariance)),
            ("has_scenario", .bool(l.hasScenario)),
            ("best_outturn_pence", money(l.bestOutturn)),
            ("worst_outturn_pence", money(l.worstOutturn)),
        ]
    }

    static func finance(_ f: FinancialPosition) -> JSONValue {
        .object([
            ("lines", .array(f.lines.map { .object(ledgerLine($0)) })),
            ("income", .object(ledgerLine(f.income))),
            ("expenditure", .object(ledgerLine(f.expenditure))),
            ("planned_surplus_pence", money(f.plannedSurplus)),
            ("forecast_surplus_pence", money(f.forecastSurplus)),
            ("best_surplus_pence", f.hasScenarios ? money(f.bestSurplus) : .null),
            ("worst_surplus_pence", f.hasScenarios ? money(f.worstSurplus) : .null),
            ("programme_allocation_pence", money(f.allocation)),
            ("required_surplus_pence", money(f.requiredSurplus)),
            ("surplus_met", .bool(f.surplusMet)),
            ("contingency_held_pence", money(f.contingencyHeld)),
            ("contingency_required_pence", money(f.contingencyRequired)),
            ("non_recurrent_reserve_held_pence", money(f.nonRecurrentReserveHeld)),
            ("non_recurrent_reserve_required_pence", money(f.nonRecurrentReserveRequired)),
            ("running_costs_forecast_pence", money(f.runningCostsForecast)),
            ("running_cost_allowance_pence", money(f.runningCostAllowance)),
            ("running_costs_within_allowance", .bool(f.runningCostsWithinAllowance)),
        ])
    }

    static func qualityPremium(_ q: QualityPremiumFigures) -> JSONValue {
        func item(_ i: QualityPremiumItem) -> JSONValue {
            .object([
                ("item", .string(i.name)),
                ("weight_percent", .number(FixedPoint.format(i.weightBasisPoints, scale: 2))),
                ("met", .bool(i.met)),
            ])
        }
        return .object([
            ("registered_population", .int(q.population)),
            ("per_head_pence", money(q.perHead)),
            ("potential_pence", money(q.potential)),
            ("gates", .array(q.gates.map(item))),
            ("gates_met", .bool(q.gatesMet)),
            ("measures", .array(q.measures.map(item))),
            ("missed_weight_percent", .number(FixedPoint.format(q.missedBasisPoints, scale: 2))),
            ("estimate_pence", money(q.estimate)),
        ])
    }

    static func impact(_ p: PatientImpact) -> JSONValue {
        .object([
            ("scheme_id", .string(p.schemeID)),
            ("provider", .string(p.provider.description)),
            ("point_of_delivery", .string(p.pointOfDelivery.description)),
            ("treatment_function", text(p.treatmentFunction?.description)),
            ("financial_months", .array(p.months.map { .int(Int64($0)) })),
            ("baseline_activity", quantity(p.baselineActivity)),
            ("current_activity", quantity(p.currentActivity)),
            ("activity_change", quantity(p.change)),
            ("activity_change_percent", perMille(p.changePerMille)),
            ("ytd_saving_pence", money(p.ytdSaving)),
        ])
    }

    static func carried(_ c: CarriedBenefit, spc: [SPCSeries]) -> JSONValue {
        func months(_ m: [FinancialMonth]) -> JSONValue { .array(m.map { .string($0.calendarText) }) }
        return .object([
            ("scheme_id", .string(c.schemeID)),
            ("provider", .string(c.provider.description)),
            ("point_of_delivery", .string(c.pointOfDelivery.description)),
            ("treatment_function", text(c.treatmentFunction?.description)),
            ("delivered_in", .string(c.deliveredIn.description)),
            ("go_live", .string(c.goLive.calendarText)),
            ("months_before", months(c.monthsBefore)),
            ("months_since", months(c.monthsSince)),
            ("activity_before", quantity(c.activityBefore)),
            ("activity_since", quantity(c.activitySince)),
            ("average_before", c.averageBefore.map(quantity) ?? .null),
            ("average_since", c.averageSince.map(quantity) ?? .null),
            ("average_change_percent", perMille(c.changePerMille)),
            ("full_year_effect", c.fullYearEffect.map(quantity) ?? .null),
            ("saving_delivered_pence", money(c.savingDelivered)),
            ("benefit", text(spc.first { $0.schemeID == c.schemeID }?.benefit?.verdict.rawValue)),
        ])
    }

    static func movement(_ m: Movement) -> JSONValue {
        .object([
            ("previous_financial_month", .int(Int64(m.previousPeriod.month))),
            ("previous_risk_adjusted_forecast_pence", money(m.previousRiskAdjusted)),
            ("previous_gap_pence", money(m.previousGap)),
            ("risk_adjusted_forecast_change_pence", money(m.forecastChange)),
            (
                "schemes",
                .array(
                    m.schemes.map { c in
                        .object([
                            ("scheme_id", .string(c.id)),
                            ("before_pence", money(c.before)),
                            ("after_pence", money(c.after)),
                            ("change_pence", money(c.change)),
                            ("rag_before", text(c.ragBefore?.rawValue)),
                            ("rag_after", text(c.ragAfter?.rawValue)),
                        ])
                    })
            ),
        ])
    }

    static func contractRow(_ r: ContractRow) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if let provider = r.provider { members.append(("provider", .string(provider.description))) }
        if r.provider != nil && r.pointOfDelivery == nil { members.append(("provider_name", text(r.providerName))) }
        if let pod = r.pointOfDelivery { members.append(("point_of_delivery", .string(pod.description))) }
        if let tfc = r.treatmentFunction { members.append(("treatment_function", .string(tfc.description))) }
        members += [
            ("planned_activity", quantity(r.plannedActivity)),
            ("actual_activity", quantity(r.actualActivity)),
            ("activity_variance", quantity(r.activityVariance)),
            ("planned_price_pence", money(r.plannedPrice)),
            ("actual_price_pence", money(r.actualPrice)),
            ("price_variance_pence", money(r.priceVariance)),
            ("forecast_activity_run_rate", quantity(r.forecastActivity)),
            ("forecast_price_run_rate_pence", money(r.forecastPrice)),
            ("contract_lines", .int(Int64(r.lines))),
        ]
        return members
    }
}
