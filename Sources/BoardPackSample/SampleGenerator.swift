import BoardPackCore
import Foundation

/// Options of `boardpack sample`.
public struct SampleOptions: Sendable {
    public var seed: UInt64 = 2026
    public var commissioners = 3
    public var providers = 4
    /// The reporting month of the current financial year: months 1...months have actuals.
    public var months = 7
    public var year = FinancialYear(startYear: 2026)
    /// How many providers (the last ones) submit XML instead of CSV.
    public var xmlProviders = 1
    /// How many monthly submissions each provider sends this year (each restating the year to date).
    public var submissions = 3
    /// Contract lines between a commissioner and its main provider, and with each other provider.
    public var mainContractLines = 16
    public var otherContractLines = 6
    /// Rows per contract cell in CSV submissions: above 1, each cell's figures are split exactly
    /// across that many rows that differ in tariff code (`local_contract_code` in plain files), as
    /// real extracts are finer than BoardPack's cell; the cell's figures do not change.
    public var linesPerCell = 2
    /// CSV files shaped like real extracts (`ActivityLayout`): three layouts in turn, rows in no key
    /// order, site codes, day-first dates, a CQUIN line, local codes, a provider missing from
    /// organisations.csv. false: the earlier plain files (`--plain`), one layout, rows in key order.
    public var realShaped = true
    /// Quote every field of every CSV submission (`--quote-all`), as some exporters do.
    public var quoteAll = false
    /// Schemes per commissioner; nil for 12 to 15.
    public var schemesPerCommissioner: Int?
    /// The QIPP tracker (qipp_schemes, qipp_monthly) and the finance ledger as .xlsx workbooks
    /// (`--xlsx`), and optionally every CSV submission too (`--xlsx-activity`, for benchmarks).
    public var xlsx = false
    public var xlsxActivity = false
    /// The national "many cells" shape (`--many-cells`): every commissioner buys from every
    /// provider across dozens of specialties, most of them local codes, so most (commissioner,
    /// provider, POD, TFC, month) cells hold one row; contract lines draw their TFC from
    /// `SampleGenerator.manyCellTFCs` instead of their point of delivery's few.
    public var manyCells = false
    /// How many providers (the last ones) organisations.csv leaves out: their activity counts under
    /// their code, with a `ref.provider` warning.
    public var unlistedProviders = 0

    public init() {}

    /// About 100 commissioners, 200 providers, 12 months, 10 million CSV rows, 2,000 schemes.
    public static var national: SampleOptions {
        var options = SampleOptions()
        options.commissioners = 100
        options.providers = 200
        options.months = 12
        options.submissions = 4
        options.xmlProviders = 0
        options.otherContractLines = 1
        options.linesPerCell = 9
        options.schemesPerCommissioner = 20
        return options
    }

    /// The national set in the "many cells" shape: 100 commissioners each with 24 contract lines at
    /// every one of 200 providers (64 TFC codes, 40 of them local), one row per cell, reported to
    /// M6 in last year's final submission and this year's M5 and M6 (M6 restating M1 to M5), 100
    /// providers missing from organisations.csv: about 11 million rows, 8.6 million distinct cells,
    /// 4,800 provider × POD × TFC lines per commissioner.
    public static var nationalManyCells: SampleOptions {
        var options = national
        options.manyCells = true
        options.months = 6
        options.submissions = 2
        options.mainContractLines = 24
        options.otherContractLines = 24
        options.linesPerCell = 1
        options.unlistedProviders = 100
        return options
    }

    func validate() throws {
        guard (1...2000).contains(commissioners) else {
            throw SampleError.badOption("--commissioners must be 1 to 2000")
        }
        guard (1...2000).contains(providers) else { throw SampleError.badOption("--providers must be 1 to 2000") }
        guard (1...12).contains(months) else { throw SampleError.badOption("--months must be 1 to 12") }
        guard (0...providers).contains(xmlProviders) else {
            throw SampleError.badOption("--xml-providers must be 0 to the number of providers")
        }
        guard (1...12).contains(submissions) else { throw SampleError.badOption("--submissions must be 1 to 12") }
        guard (1...99).contains(linesPerCell) else { throw SampleError.badOption("--lines-per-cell must be 1 to 99") }
        guard (0..<providers).contains(unlistedProviders) || unlistedProviders == 0 else {
            throw SampleError.badOption("--unlisted-providers must be 0 to one less than the number of providers")
        }
        if let n = schemesPerCommissioner, !(1...200).contains(n) {
            throw SampleError.badOption("--schemes-per-commissioner must be 1 to 200")
        }
    }
}

public struct SampleSummary: Sendable {
    public var files = 0
    public var activityRows = 0
    public var schemes = 0
}

/// Writes a realistic, deterministic input folder: the same options give the
/// same bytes. All organisations, people and figures are invented; codes have
/// the shape of real ODS, POD and TFC codes.
public struct SampleGenerator {
    let options: SampleOptions
    /// Per commissioner, the schemes in the plan behind their year-to-date plan, largest target first.
    var behind: [[String]] = []
    let folder: String
    var summary = SampleSummary()

    public static func write(_ options: SampleOptions, to folder: String) throws -> SampleSummary {
        try options.validate()
        var generator = SampleGenerator(options: options, folder: folder)
        try generator.run()
        return generator.summary
    }

    init(options: SampleOptions, folder: String) {
        self.options = options
        self.folder = folder
    }

    // MARK: - Writing

    static func csv(_ field: String) -> String {
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    static func xml(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    mutating func run() throws {
        var rng = SplitMix64(seed: options.seed)
        var orgRNG = rng.fork(1)
        var contractRNG = rng.fork(2)
        var qippRNG = rng.fork(3)
        var financeRNG = rng.fork(4)
        let commissioners = makeCommissioners(&orgRNG)
        let providers = makeProviders()
        let contracts = makeContracts(&contractRNG)
        try FileManager.default.createDirectory(atPath: path("activity"), withIntermediateDirectories: true)
        try writeOrganisations(commissioners, providers)
        try writeActivity(contracts, commissioners: commissioners, providers: providers)
        try writeConfiguration(providers)
        try writeQipp(commissioners, contracts: contracts, providers: providers, rng: &qippRNG)
        try writeFinance(commissioners, rng: &financeRNG)
        var metricsRNG = rng.fork(5)
        try writeMetrics(commissioners, providers, rng: &metricsRNG)
        try writeCommentary(commissioners, providers)
        try writeRisks(commissioners)
        try writeReadme()
        if options.xlsx {
            for (name, sheet) in [
                ("qipp_schemes", "Schemes"), ("qipp_monthly", "Monthly"), ("finance_ledger", "Ledger"),
            ] {
                try XLSXWriter.convert(csv: path(name + ".csv"), sheet: sheet)
            }
        }
        if options.xlsxActivity {
            for name in try FileManager.default.contentsOfDirectory(atPath: path("activity")).sorted()
            where name.hasSuffix(".csv") {
                try XLSXWriter.convert(csv: path("activity/" + name), sheet: String(name.dropLast(4)))
            }
        }
    }

}
