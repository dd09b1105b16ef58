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
}

/// YTD contract activity and price for one provider and point of delivery
/// (or a total, where `pointOfDelivery` is nil).
public struct ContractRow: Sendable {
    public var provider: ShortCode?
    public var providerName: String?
    public var pointOfDelivery: ShortCode?
    public var plannedActivity: Quantity
    public var actualActivity: Quantity
    public var plannedPrice: Money
    public var actualPrice: Money
    public var lines: Int

    public var activityVariance: Quantity { actualActivity - plannedActivity }
    public var priceVariance: Money { actualPrice - plannedPrice }

    static func empty(provider: ShortCode? = nil, name: String? = nil, pod: ShortCode? = nil) -> ContractRow {
        ContractRow(
            provider: provider, providerName: name, pointOfDelivery: pod, plannedActivity: .zero,
            actualActivity: .zero, plannedPrice: .zero, actualPrice: .zero, lines: 0)
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
}
