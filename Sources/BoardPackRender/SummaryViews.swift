import BoardPackAnalysis
import BoardPackCore

// View models of the summary, QIPP, finance and Quality Premium sections (docs/templates.md).

public struct HeadlineView: Sendable {
    public let qippTarget: String
    public let identified: String
    public let unidentified: String
    public let pipeline: String
    public let ytdPlan: String
    public let ytdActual: String
    public let ytdVariance: String
    public let ytdDelivered: String
    public let identifiedSchemes: String
    public let pipelineSchemes: String
    public let forecastOutturn: String
    public let riskAdjustedForecast: String
    public let gap: String
    public let pipelineCoversGap: String
    public let gapUncovered: Bool
    public let topFiveShare: String
    public let recurrent: String
    public let nonRecurrent: String
    public let contractPlannedPrice: String
    public let contractActualPrice: String
    public let contractVariance: String
}

public struct CommissionerRowView: Sendable {
    public let code: String
    public let name: String
    public let population: String
    public let qippTarget: String
    public let identified: String
    public let unidentified: String
    public let ytdPlan: String
    public let ytdActual: String
    public let ytdVariance: String
    public let ytdDelivered: String
    public let contractVariance: String
    public let packLink: String
}

public struct CurrencyRowView: Sendable {
    public let provider: String
    public let providerName: String
    public let submission: String
    public let created: String
    public let months: String
}

public struct SchemeRowView: Sendable {
    public let id: String
    public let commissioner: String
    public let name: String
    public let programme: String
    public let sro: String
    public let stage: String
    public let recurrence: String
    public let annualTarget: String
    public let ytdPlan: String
    public let ytdActual: String
    public let ytdVariance: String
    public let ytdDelivered: String
    public let rag: String
    public let ragLabel: String
    public let ragClass: String
    public let ragRule: String
    public let note: String
    public let hasNote: Bool
    public let isBehind: Bool
    public let forecastOutturn: String
    public let riskPercent: String
    public let riskAdjustedForecast: String
    /// For a slipping scheme: the pipeline in the same programme that could mitigate it.
    public var mitigation: String = ""
}

public struct LedgerRowView: Sendable {
    public let budgetLine: String
    public let category: String
    public let annualBudget: String
    public let ytdBudget: String
    public let ytdActual: String
    public let ytdVariance: String
    public let forecastOutturn: String
    public let forecastVariance: String
}

public struct RuleRowView: Sendable {
    public let rule: String
    public let required: String
    public let actual: String
    public let met: String
}

public struct FinanceView: Sendable {
    public let income: [LedgerRowView]
    public let expenditure: [LedgerRowView]
    public let incomeTotal: LedgerRowView
    public let expenditureTotal: LedgerRowView
    public let plannedSurplus: String
    public let forecastSurplus: String
    public let rules: [RuleRowView]
    /// The forecast outturn as best, most likely and worst, where a budget line gives a case.
    public let hasScenarios: Bool
    public let scenarios: [ScenarioRowView]
}

public struct QualityItemView: Sendable {
    public let item: String
    public let weight: String
    public let met: String
}

public struct QualityPremiumView: Sendable {
    public let population: String
    public let perHead: String
    public let potential: String
    public let gates: [QualityItemView]
    public let measures: [QualityItemView]
    /// False for the system pack, whose figures are its commissioners' sums: no table to show.
    public let hasItems: Bool
    public let gatesMet: String
    public let missedWeight: String
    public let estimate: String
}

public struct ImpactRowView: Sendable {
    public let id: String
    public let name: String
    public let activity: String
    public let months: String
    public let baseline: String
    public let current: String
    public let change: String
    public let changePercent: String
    public let ytdSaving: String
    /// Said when the inputs hold no activity for the link.
    public let hasNote: Bool
    public let note: String
}

public struct MovementView: Sendable {
    public let previousMonth: String
    public let previousRiskAdjusted: String
    public let previousGap: String
    public let forecastChange: String
    public let summary: String
    public let schemes: [MovementRowView]
    public let hasSchemes: Bool
}

public struct MovementRowView: Sendable {
    public let id: String
    public let name: String
    public let before: String
    public let after: String
    public let change: String
    public let ragBefore: String
    public let ragAfter: String
}

public struct SchemeTotalsView: Sendable {
    public let annualTarget: String
    public let ytdPlan: String
    public let ytdActual: String
    public let ytdVariance: String
    public let ytdDelivered: String
}
