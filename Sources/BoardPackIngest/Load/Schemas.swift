import BoardPackCore

/// The input contract, as data. `docs/inputs.md` documents the same columns.
enum Schemas {
    private typealias C = InputSchema.Column

    enum Organisation {
        static let code = 0, name = 1, population = 2, allocation = 3, qippTarget = 4, type = 5, parent = 6,
            runningCost = 7
    }
    /// Every tabular input, by the key `boardpack.toml` names it with (`[columns.KEY]`).
    static var all: [InputSchema] {
        [organisations, activity, schemes, monthly, ledger, quality, metrics, metricDefinitions, commentary, risks]
    }

    /// The required columns of input `key` that a file need not have because of its constant
    /// columns: an organisation list whose every row is a provider (`constant.org_type = "PROVIDER"`)
    /// has no population, allocation or QIPP target, which only a commissioner's row needs.
    static func notNeeded(key: String, constants: [(column: Int, value: [UInt8])]) -> Set<Int> {
        guard key == organisations.key,
            let type = constants.last(where: { $0.column == Organisation.type }),
            OrganisationType(rawValue: String(decoding: type.value, as: UTF8.self).trimmingSpaces.uppercased())
                == .provider
        else { return [] }
        return [Organisation.population, Organisation.allocation, Organisation.qippTarget]
    }

    enum MetricColumn {
        static let id = 0, name = 1, org = 2, period = 3, value = 4, unit = 5, target = 6
    }
    static let metrics = InputSchema(
        name: "metrics.csv", key: "metrics",
        columns: [
            C(name: "metric_id", aliases: [], required: true),
            C(name: "metric_name", aliases: [], required: true),
            C(name: "org_code", aliases: [], required: true),
            C(name: "period", aliases: ["date"], required: true),
            C(name: "value", aliases: [], required: true),
            C(name: "unit", aliases: [], required: false),
            C(name: "target", aliases: [], required: false),
        ])

    enum RiskColumn {
        static let org = 0, id = 1, kind = 2, description = 3, category = 4, gross = 5, likelihood = 6, owner = 7,
            mitigation = 8, baf = 9
    }
    static let risks = InputSchema(
        name: "risks.csv", key: "risks",
        columns: [
            C(name: "org_code", aliases: ["commissioner_code"], required: true),
            C(name: "risk_id", aliases: [], required: true),
            C(name: "kind", aliases: [], required: true),
            C(name: "description", aliases: [], required: true),
            C(name: "category", aliases: [], required: true),
            C(name: "gross_value_gbp", aliases: [], required: true),
            C(name: "likelihood_percent", aliases: [], required: true),
            C(name: "owner", aliases: [], required: true),
            C(name: "mitigation", aliases: [], required: true),
            C(name: "baf_reference", aliases: [], required: false),
        ])

    enum CommentaryColumn {
        static let org = 0, subjectType = 1, subjectID = 2, year = 3, month = 4, author = 5, text = 6, reason = 7,
            action = 8, owner = 9, due = 10
    }
    static let commentary = InputSchema(
        name: "commentary.csv", key: "commentary",
        columns: [
            C(name: "org_code", aliases: [], required: true),
            C(name: "subject_type", aliases: [], required: true),
            C(name: "subject_id", aliases: [], required: true),
            C(name: "financial_year", aliases: [], required: true),
            C(name: "financial_month", aliases: [], required: true),
            C(name: "author", aliases: [], required: true),
            C(name: "text", aliases: [], required: true),
            C(name: "reason", aliases: [], required: false),
            C(name: "action", aliases: [], required: false),
            C(name: "action_owner", aliases: [], required: false),
            C(name: "action_due", aliases: [], required: false),
        ])

    enum DefinitionColumn {
        static let id = 0, direction = 1, rebase = 2, baseline = 3, annotation = 4, target = 5, org = 6, scale = 7
    }
    static let metricDefinitions = InputSchema(
        name: "metric_definitions.csv", key: "metric_definitions",
        columns: [
            C(name: "metric_id", aliases: [], required: true),
            C(name: "direction", aliases: ["improvement"], required: true),
            C(name: "rebase", aliases: ["rebase_dates"], required: false),
            C(name: "baseline_points", aliases: ["fix_after_points"], required: false),
            C(name: "annotation", aliases: [], required: false),
            C(name: "target", aliases: [], required: false),
            C(name: "org_code", aliases: ["organisation", "org"], required: false),
            C(name: "scale", aliases: [], required: false),
        ])

    static let organisations = InputSchema(
        name: "organisations.csv", key: "organisations",
        columns: [
            C(name: "org_code", aliases: [], required: true),
            C(name: "org_name", aliases: [], required: true),
            C(name: "registered_population", aliases: [], required: true),
            C(name: "programme_allocation_gbp", aliases: [], required: true),
            C(name: "qipp_target_gbp", aliases: [], required: true),
            C(name: "org_type", aliases: [], required: false),
            C(name: "parent_org_code", aliases: [], required: false),
            C(name: "running_cost_allowance_gbp", aliases: [], required: false),
        ])

    enum Activity {
        static let year = 0, month = 1, commissioner = 2, provider = 3, pod = 4, tfc = 5, plannedActivity = 6,
            actualActivity = 7, plannedPrice = 8, actualPrice = 9, created = 10, localContract = 11
        /// Columns of real extracts finer than BoardPack's cell, after `localContract`.
        static let finerGrain = [
            "tariff_code", "local_point_of_delivery_code", "local_point_of_delivery_description",
            "point_of_delivery_further_detail_code", "service_code", "commissioned_service_category_code",
            "local_sub_specialty_code", "organisation_site_identifier_of_treatment", "general_medical_practice_code",
            "reporting_type", "local_contract_monitoring_code", "market_forces_factor",
        ]
    }
    static let activity = InputSchema(
        name: "contract monitoring (activity/)", key: "activity",
        columns: [
            C(name: "financial_year", aliases: [], required: true),
            C(name: "financial_month", aliases: [], required: true),
            C(name: "organisation_identifier_code_of_commissioner", aliases: ["commissioner_code"], required: true),
            C(name: "organisation_identifier_code_of_provider", aliases: ["provider_code"], required: true),
            C(name: "point_of_delivery_code", aliases: ["pod"], required: true),
            C(name: "activity_treatment_function_code", aliases: ["tfc"], required: true),
            C(name: "contract_monitoring_planned_activity", aliases: ["planned_activity"], required: true),
            C(name: "contract_monitoring_actual_activity", aliases: ["actual_activity"], required: true),
            C(name: "contract_monitoring_planned_price", aliases: ["planned_price"], required: true),
            C(name: "contract_monitoring_actual_price", aliases: ["actual_price"], required: true),
            C(name: "date_and_time_data_set_created", aliases: [], required: false),
            C(name: "local_contract_code", aliases: [], required: false),
            // The finer grain of real ACM and SLAM extracts: recognised (no warning) and not used,
            // since every row of a cell is summed whatever these hold.
        ] + Activity.finerGrain.map { C(name: $0, aliases: [], required: false) })

    enum SchemeColumn {
        static let id = 0, commissioner = 1, name = 2, programme = 3, sro = 4, stage = 5, recurrence = 6,
            annualTarget = 7, rag = 8, projectManager = 9, financeLead = 10, provider = 11, pod = 12, tfc = 13,
            startMonth = 14, investment = 15
    }
    static let schemes = InputSchema(
        name: "qipp_schemes.csv", key: "qipp_schemes",
        columns: [
            C(name: "scheme_id", aliases: [], required: true),
            C(name: "commissioner_code", aliases: [], required: true),
            C(name: "scheme_name", aliases: [], required: true),
            C(name: "programme", aliases: [], required: true),
            C(name: "sro", aliases: [], required: true),
            C(name: "gateway_stage", aliases: [], required: true),
            C(name: "recurrence", aliases: [], required: true),
            C(name: "annual_target_gbp", aliases: [], required: true),
            C(name: "rag_status", aliases: [], required: false),
            C(name: "project_manager", aliases: [], required: false),
            C(name: "finance_lead", aliases: [], required: false),
            C(name: "provider_code", aliases: [], required: false),
            C(name: "point_of_delivery_code", aliases: [], required: false),
            C(name: "activity_treatment_function_code", aliases: [], required: false),
            C(name: "start_month", aliases: [], required: false),
            C(name: "investment_gbp", aliases: [], required: false),
        ])

    enum LedgerColumn {
        static let commissioner = 0, line = 1, category = 2, annual = 3, ytdBudget = 4, ytdActual = 5, forecast = 6,
            best = 7, worst = 8
    }
    static let ledger = InputSchema(
        name: "finance_ledger.csv", key: "finance_ledger",
        columns: [
            C(name: "commissioner_code", aliases: [], required: true),
            C(name: "budget_line", aliases: [], required: true),
            C(name: "category", aliases: [], required: true),
            C(name: "annual_budget_gbp", aliases: [], required: true),
            C(name: "ytd_budget_gbp", aliases: [], required: true),
            C(name: "ytd_actual_gbp", aliases: [], required: true),
            C(name: "forecast_outturn_gbp", aliases: [], required: true),
            C(name: "best_forecast_outturn_gbp", aliases: [], required: false),
            C(name: "worst_forecast_outturn_gbp", aliases: [], required: false),
        ])

    enum QualityColumn {
        static let commissioner = 0, kind = 1, item = 2, weight = 3, met = 4
    }
    static let quality = InputSchema(
        name: "quality_premium.csv", key: "quality_premium",
        columns: [
            C(name: "commissioner_code", aliases: [], required: true),
            C(name: "item_type", aliases: [], required: true),
            C(name: "item", aliases: [], required: true),
            C(name: "weight_percent", aliases: [], required: true),
            C(name: "met", aliases: [], required: true),
        ])

    enum MonthColumn {
        static let id = 0, year = 1, month = 2, planned = 3, actual = 4, forecast = 5, best = 6, worst = 7
    }
    static let monthly = InputSchema(
        name: "qipp_monthly.csv", key: "qipp_monthly",
        columns: [
            C(name: "scheme_id", aliases: [], required: true),
            C(name: "financial_year", aliases: [], required: true),
            C(name: "financial_month", aliases: [], required: true),
            C(name: "planned_saving_gbp", aliases: [], required: true),
            C(name: "actual_saving_gbp", aliases: [], required: true),
            C(name: "forecast_saving_gbp", aliases: [], required: false),
            C(name: "best_forecast_saving_gbp", aliases: [], required: false),
            C(name: "worst_forecast_saving_gbp", aliases: [], required: false),
        ])
}
