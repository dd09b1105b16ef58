import BoardPackAnalysis
import BoardPackCore

// View models of the contract section (docs/templates.md).

public struct ContractRowView: Sendable {
    public let provider: String
    public var providerName: String
    public let pod: String
    public let podDescription: String
    public let tfc: String
    public let tfcTitle: String
    public let forecastActivity: String
    public let forecastPrice: String
    public let plannedActivity: String
    public let actualActivity: String
    public let activityVariance: String
    public let plannedPrice: String
    public let actualPrice: String
    public let priceVariance: String
    public let isOver: Bool
}

public struct ContractProviderView: Sendable {
    public let code: String
    public let name: String
    public let rows: [ContractRowView]
    public let total: ContractRowView
}
