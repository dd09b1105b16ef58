import BoardPackAnalysis
import BoardPackCore

// View models: the template context of a pack (docs/templates.md). Every
// value is a pre-formatted string, a Bool for a section, or an array of rows,
// and the HTML and Markdown templates share them. Only stored properties are
// visible to Mustache.

public struct PackView: Sendable {
    public let title: String
    public let code: String
    public let name: String
    public let isSystem: Bool
    public let financialYear: String
    public let reportingMonth: String
    public let reportingMonthName: String
    public let generator: String

    /// Headline figures with the unit (`£1,234`), for prose and the summary.
    public let headline: HeadlineView
    /// The same figures without the unit, for table totals under a £ header.
    public let totals: HeadlineView
    public let commissioners: [CommissionerRowView]
    public let hasCommissioners: Bool

    public let currency: [CurrencyRowView]
    public let hasCurrency: Bool

    public let planSchemes: [SchemeRowView]
    public let hasPlanSchemes: Bool
    public let pipelineSchemes: [SchemeRowView]
    public let hasPipelineSchemes: Bool
    public let closedSchemes: [SchemeRowView]
    public let hasClosedSchemes: Bool
    public let showCommissionerColumn: Bool

    public let slippage: [SchemeRowView]
    public let hasSlippage: Bool
    public let hasMovement: Bool
    public let movement: MovementView

    /// One row per provider (its YTD total), in code order.
    public let contractByProvider: [ContractRowView]
    /// The detail (by POD, and by POD and TFC) of the largest providers by YTD actual spend.
    public let contractProviders: [ContractProviderView]
    public let contractDetailNote: String
    public let hasContractDetailNote: Bool
    public let hasContract: Bool
    public let contractTotal: ContractRowView
    public let largestVariances: [ContractRowView]
    public let hasLargestVariances: Bool

    public let hasFinance: Bool
    public let finance: FinanceView
    public let hasQualityPremium: Bool
    public let qualityPremium: QualityPremiumView
    public let hasPatientImpact: Bool
    public let patientImpact: [ImpactRowView]
    /// The previous year's delivered schemes: their benefit a year on.
    public let hasCarried: Bool
    public let carried: [CarriedRowView]

    public let warnings: [String]
    public let hasWarnings: Bool
    public let warningSummary: String

    public let ragRules: [String]

    public let coverCurrency: [CoverCurrencyView]
    public let hasCoverCurrency: Bool
    /// `4 providers for M7 (October 2026): 0 freeze, 4 flex.` and, when the cover lists only the
    /// largest, a sentence saying so.
    public let currencySummary: String
    public let ratings: [RatingView]
    /// For a commissioner whose inputs hold no scheme, no contract activity of the year and no
    /// ledger: a sentence saying the pack has no figures, shown above the ratings.
    public let emptyNotice: String
    public let isEmpty: Bool
    public let programmes: [ProgrammeRowView]
    public let hasProgrammes: Bool
    public let months: [MonthRowView]
    public let savingsChart: ChartView
    /// The plan's savings accumulated by month: plan, actual and forecast, and its data table.
    public let cumulativeChart: ChartView
    public let cumulative: [CumulativeRowView]
    /// Best, most likely and worst cases, where the ledger or a scheme gives them.
    public let hasScenarios: Bool
    public let scenarios: [ScenarioRowView]
    public let waterfallChart: ChartView
    public let contractChart: ChartView
    public let spc: [SPCView]
    public let hasSPC: Bool
    public let spcRules: [String]
    /// The integrated-performance section (metrics.csv).
    public let hasMetrics: Bool
    public let matrix: [MatrixRowView]
    public let metrics: [MetricView]
    /// Every chart of the pack (the Markdown pack links their files).
    public let charts: [ChartView]
    /// Commentary (commentary.csv): on each exception (or the note that there is none this month),
    /// on the other schemes, providers and budget lines, and the sections' introductions.
    public let exceptionCommentary: [CommentaryView]
    public let schemeCommentary: [CommentaryView]
    public let providerCommentary: [CommentaryView]
    public let budgetCommentary: [CommentaryView]
    public let introSummary: [CommentaryView]
    public let introQipp: [CommentaryView]
    public let introExceptions: [CommentaryView]
    public let introPipeline: [CommentaryView]
    public let introContract: [CommentaryView]
    public let introFinance: [CommentaryView]
    public let introPerformance: [CommentaryView]
    public let introSPC: [CommentaryView]
    /// The organisation's words (`[language]` in boardpack.toml).
    public let programmeName: String
    public let commissionerWord: String
    /// The risks and opportunities schedule (risks.csv): one element, or none.
    public let hasRisks: Bool
    public let risks: [RisksView]
    public let introRisks: [CommentaryView]
    /// The cover sheet (`[paper]` in boardpack.toml): one element, or none.
    public let hasPaper: Bool
    public let paper: [PaperView]
}
