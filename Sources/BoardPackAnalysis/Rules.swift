import BoardPackCore

/// The rule set applied to every scheme and commissioner alike, from the
/// configuration file (docs/configuration.md). Defaults are the documented ones.
public struct Rules: Sendable, Equatable {
    /// The savings programme's name as the organisation says it ("QIPP", "efficiency plan", "CIP").
    public var programmeName = "QIPP"
    /// What a commissioner is called in column headings ("CCG", "sub-ICB location", "place").
    public var commissionerWord = "CCG"
    /// Green when YTD actual is at least this percentage of YTD plan.
    public var greenAtPercent: Int64 = 95
    /// Amber when at least this percentage (and below green).
    public var amberAtPercent: Int64 = 80
    /// The contract variance is amber while spend is over plan by at most this percentage, red beyond.
    public var contractTolerancePercent: Int64 = 2
    /// Use a scheme's own `rag_status` from the tracker, when given, instead of the computed RAG.
    public var useReportedRAG = false
    /// Risk adjustment: the percentage of a scheme's unrealised saving (forecast outturn less
    /// YTD actual) that the plan still counts on, by RAG. Local policy; no national standard.
    public var riskGreenPercent: Int64 = 100
    public var riskAmberPercent: Int64 = 50
    public var riskRedPercent: Int64 = 25

    /// Business rules as hundredths of a percent of programme allocation (100 = 1 %).
    public var surplusBasisPoints: Int64 = 100
    public var nonRecurrentReserveBasisPoints: Int64 = 200
    public var contingencyBasisPoints: Int64 = 50
    /// Running-cost allowance per head of registered population.
    public var runningCostPerHead: Money = .pounds(25)
    /// Quality Premium potential per head of registered population.
    public var qualityPremiumPerHead: Money = .pounds(5)
    /// Statistical process control charts.
    public var spc = SPCRules()
    /// Providers (largest YTD actual spend first) a pack lists by name, with their detail by point
    /// of delivery; the rest are one "other providers" row. 0: all.
    public var contractDetailProviders = 10
    /// A commissioner's pack shows the measures (`metrics.csv`) of the providers it names (the
    /// `contractDetailProviders` with its largest spend), beside its own.
    public var metricsOfProviders = true
    /// Every pack shows the `SYSTEM` measures.
    public var metricsOfSystem = true
    /// Provider × POD × TFC cells in the pack's table of the largest £ variances, either way.
    public var contractLargestVariances = 10
    /// How the inputs are read: local column names, adjustment points of delivery.
    public var ingest = IngestSettings()
    /// The paper's cover sheet (`[paper]` in boardpack.toml); nil without one, and the pack is as before.
    public var paper: Paper?

    public func riskPercent(_ rag: RAG?) -> Int64 {
        switch rag {
        case .red: riskRedPercent
        case .amber: riskAmberPercent
        case .green, nil: riskGreenPercent
        }
    }

    public init() {}

    public var ragRuleText: [String] {
        var lines = [
            "Green: YTD actual saving at least \(greenAtPercent)% of YTD phased plan.",
            "Amber: at least \(amberAtPercent)% and below \(greenAtPercent)%.",
            "Red: below \(amberAtPercent)%.",
            "Not rated: pipeline and closed schemes, and schemes with no saving phased to date.",
        ]
        lines.append(
            "Risk-adjusted forecast: YTD actual plus the unrealised saving at \(riskGreenPercent)% (green or "
                + "not yet rated), \(riskAmberPercent)% (amber) or \(riskRedPercent)% (red).")
        lines.append(
            useReportedRAG
                ? "Where the tracker gives a scheme a RAG rating, that rating is used instead (rag.use_reported_rag)."
                : "A RAG rating given in the tracker is shown as a note where it differs; the computed rating is used.")
        return lines
    }
}

/// The cover sheet a board paper carries (`[paper]`), with a commissioner's own values
/// (`[paper.ORG_CODE]`) over the shared ones.
public struct Paper: Sendable, Equatable {
    /// The keys `[paper]` takes, in the order the cover sheet shows them, with their labels.
    public static let keys: [(key: String, label: String)] = [
        ("meeting", "Meeting"), ("meeting_date", "Date of meeting"), ("agenda_item", "Agenda item"),
        ("author", "Author"), ("executive_lead", "Executive lead"), ("purpose", "Purpose"),
        ("recommendation", "Recommendation"), ("considered_by", "Previously considered by"),
        ("impact_finance", "Impact: finance"), ("impact_quality", "Impact: quality"),
        ("impact_equality", "Impact: equality"), ("impact_privacy", "Impact: privacy"),
    ]

    /// What the board is asked to do, in words.
    public static let purposes: [String: String] = [
        "approve": "For approval", "assure": "For assurance", "discuss": "For discussion", "note": "To note",
    ]

    /// The sections a governing-body paper can hold, in pack order (the summary holds the scenarios).
    public static let sections = ["summary", "exceptions", "risks", "performance", "spc"]

    /// `[paper]`'s values by key.
    public var shared: [String: String] = [:]
    /// `[paper.ORG_CODE]` values by commissioner code, then key.
    public var byCommissioner: [String: [String: String]] = [:]
    /// Where each `[paper.ORG_CODE]` table is, for the error when no commissioner has that code.
    public var tables: [String: SourceLocation] = [:]
    /// Whether each pack also gets a short governing-body paper (board-paper.html and .md).
    public var governingBody = true
    /// The sections of the governing-body paper, from `sections`.
    public var governingBodySections = ["summary", "exceptions", "risks"]

    public init() {}

    /// The value of `key` for a commissioner (its own, else the shared one); empty when not given.
    public func value(_ key: String, for code: String) -> String {
        byCommissioner[code]?[key] ?? shared[key] ?? ""
    }
}
