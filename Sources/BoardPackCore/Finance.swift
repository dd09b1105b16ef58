/// One line of the optional `finance_ledger.csv`.
public struct LedgerLine: Sendable, Hashable {
    public enum Category: String, CaseIterable, Sendable {
        /// Allocation and other income.
        case income = "INCOME"
        case programme = "PROGRAMME"
        case runningCosts = "RUNNING_COSTS"
        case contingency = "CONTINGENCY"
        /// The non-recurrent (transformation) reserve.
        case nonRecurrentReserve = "NR_RESERVE"
        case other = "OTHER"

        public var isIncome: Bool { self == .income }

        public var label: String {
            switch self {
            case .income: "Income"
            case .programme: "Programme"
            case .runningCosts: "Running costs"
            case .contingency: "Contingency"
            case .nonRecurrentReserve: "Non-recurrent reserve"
            case .other: "Other expenditure"
            }
        }
    }

    public var commissioner: ShortCode
    public var budgetLine: String
    public var category: Category
    public var annualBudget: Money
    public var ytdBudget: Money
    public var ytdActual: Money
    public var forecastOutturn: Money
    /// The optional best and worst cases for the outturn (`best_forecast_outturn_gbp`,
    /// `worst_forecast_outturn_gbp`); the most likely is `forecastOutturn`.
    public var bestForecastOutturn: Money?
    public var worstForecastOutturn: Money?

    public init(
        commissioner: ShortCode, budgetLine: String, category: Category, annualBudget: Money, ytdBudget: Money,
        ytdActual: Money, forecastOutturn: Money, bestForecastOutturn: Money? = nil,
        worstForecastOutturn: Money? = nil
    ) {
        self.bestForecastOutturn = bestForecastOutturn
        self.worstForecastOutturn = worstForecastOutturn
        self.commissioner = commissioner
        self.budgetLine = budgetLine
        self.category = category
        self.annualBudget = annualBudget
        self.ytdBudget = ytdBudget
        self.ytdActual = ytdActual
        self.forecastOutturn = forecastOutturn
    }
}

/// One row of the optional `quality_premium.csv`: a gate or a measure.
public struct QualityPremiumItem: Sendable, Hashable {
    public enum Kind: String, CaseIterable, Sendable {
        case gate = "GATE"
        case measure = "MEASURE"
    }

    public var commissioner: ShortCode
    public var kind: Kind
    public var name: String
    /// Hundredths of a percent (1250 = 12.5 %); zero for gates.
    public var weightBasisPoints: Int64
    public var met: Bool

    public init(commissioner: ShortCode, kind: Kind, name: String, weightBasisPoints: Int64, met: Bool) {
        self.commissioner = commissioner
        self.kind = kind
        self.name = name
        self.weightBasisPoints = weightBasisPoints
        self.met = met
    }
}

/// One line of a commissioner's risks and opportunities schedule (`risks.csv`).
public struct RiskItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case risk = "RISK"
        case opportunity = "OPPORTUNITY"
    }
    public var commissioner: ShortCode
    public var id: String
    public var kind: Kind
    public var description: String
    public var category: String
    /// The full value if it happens.
    public var gross: Money
    /// 0 to 100.
    public var likelihoodPercent: Int64
    public var owner: String
    public var mitigation: String
    /// The board assurance framework reference, or empty.
    public var bafReference: String

    public init(
        commissioner: ShortCode, id: String, kind: Kind, description: String, category: String, gross: Money,
        likelihoodPercent: Int64, owner: String, mitigation: String, bafReference: String
    ) {
        self.commissioner = commissioner
        self.id = id
        self.kind = kind
        self.description = description
        self.category = category
        self.gross = gross
        self.likelihoodPercent = likelihoodPercent
        self.owner = owner
        self.mitigation = mitigation
        self.bafReference = bafReference
    }

    /// Gross × likelihood, to the penny, rounded half away from zero.
    public var net: Money { Money(pence: Money.roundedDivision(gross.pence * likelihoodPercent, by: 100)) }
}
