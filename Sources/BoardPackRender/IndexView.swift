import BoardPackAnalysis
import BoardPackCore

public struct IndexView: Sendable {
    public let title: String
    public let financialYear: String
    public let reportingMonth: String
    public let generator: String
    public let hasHTML: Bool
    public let hasMarkdown: Bool
    public let hasPDF: Bool
    public let packs: [IndexEntryView]
}

public struct IndexEntryView: Sendable {
    public let code: String
    public let name: String
    public let folder: String
    public let isSystem: Bool
}
