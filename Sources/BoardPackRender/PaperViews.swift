import BoardPackAnalysis
import BoardPackCore

/// One line of a paper's cover sheet: `Purpose` — `For approval`.
public struct PaperRowView: Sendable {
    public let label: String
    public let value: String
}

/// The cover sheet a board paper carries, from `[paper]` and the commissioner's `[paper.ORG_CODE]`.
public struct PaperView: Sendable {
    public let rows: [PaperRowView]
    /// The board assurance framework references of the pack's risks (risks.csv `baf_reference`),
    /// comma-separated; "none given" when no risk names one.
    public let bafReferences: String
    /// Short sentences from the headline ratings: what a governing body reads first.
    public let summary: [String]
    /// Which sections the governing-body paper holds (`[paper] sections`).
    public let showsSummary: Bool
    public let showsExceptions: Bool
    public let showsRisks: Bool
    public let showsPerformance: Bool
    public let showsSPC: Bool
}

extension ViewBuilder {
    /// The pack's cover sheet; nil without `[paper]`.
    static func paperView(_ figures: PackFigures, ratings: [RatingView]) -> PaperView? {
        guard let paper = figures.rules.paper else { return nil }
        var rows: [PaperRowView] = []
        for (key, label) in Paper.keys {
            var value = figures.paperValue(key)
            if key == "purpose" { value = Paper.purposes[value] ?? value }
            if !value.isEmpty { rows.append(PaperRowView(label: label, value: value)) }
        }
        var references: [String] = []
        for item in figures.risks?.items ?? [] where !item.bafReference.isEmpty {
            if !references.contains(item.bafReference) { references.append(item.bafReference) }
        }
        let summary = ratings.map { rating in
            "\(rating.figure): \(rating.value) (\(rating.ragLabel.isEmpty ? "not rated" : rating.ragLabel))."
        }
        let sections = Set(paper.governingBodySections)
        return PaperView(
            rows: rows, bafReferences: references.isEmpty ? "none given" : references.joined(separator: ", "),
            summary: summary, showsSummary: sections.contains("summary"),
            showsExceptions: sections.contains("exceptions"), showsRisks: sections.contains("risks"),
            showsPerformance: sections.contains("performance"), showsSPC: sections.contains("spc"))
    }
}
