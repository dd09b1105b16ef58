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
    private var summary = SampleSummary()

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

    // MARK: - Organisations

    struct Commissioner {
        let code: String
        let name: String
        let population: Int64
        let allocation: Money
        let target: Money
    }

    struct Provider {
        let code: String
        let name: String
    }

    static let commissionerCodes = [
        "00C", "03Q", "99A", "01H", "02M", "05D", "06L", "07G", "10Q", "11M", "13T", "14L", "15E", "99C", "04F", "08K",
    ]
    static let places = [
        "Northdale", "Westmere", "Eastbrook", "Southfell", "Ashby Vale", "Brackenridge", "Coldharbour", "Dunmore",
        "Elmstead", "Fernleigh", "Greystoke", "Hallam Moor", "Ivybridge Downs", "Juniper Coast", "Kestrel Valley",
        "Larchfield",
    ]
    static let providerCodes = ["RXA", "RK5", "RTH", "RWY", "RQ6", "RJE", "RVN", "RAL", "RBT", "RCU"]
    static let providerNames = [
        "Riverside University Hospitals NHS Foundation Trust", "Kingsmoor Hospitals NHS Trust",
        "St Aldhelm's Healthcare NHS Foundation Trust", "Harbourside & District Hospitals NHS Trust",
        "Millbrook Community Health NHS Trust", "Queen's Park Hospital NHS Foundation Trust",
        "Castlegate Teaching Hospitals NHS Trust", "Oakfield Partnership NHS Foundation Trust",
        "Beacon Hill Hospitals NHS Trust", "Cedarwood Acute NHS Trust",
    ]

    static func uniqueCodes(_ fixed: [String], count: Int, make: (Int) -> String) -> [String] {
        var codes = Array(fixed.prefix(count))
        var used = Set(codes)
        var i = 0
        while codes.count < count {
            let code = make(i)
            i += 1
            if used.insert(code).inserted { codes.append(code) }
        }
        return codes
    }

    func makeCommissioners(_ rng: inout SplitMix64) -> [Commissioner] {
        let letters = Array("ABCDEFGHJKLMNPQRSTVWXY")
        let codes = Self.uniqueCodes(Self.commissionerCodes, count: options.commissioners) { i in
            let n = i % 100
            return (n < 10 ? "0" : "") + String(n) + String(letters[(i / 100) % letters.count])
        }
        return codes.enumerated().map { index, code in
            let place = index < Self.places.count ? Self.places[index] : "Area \(index + 1)"
            let population = rng.int(Int64(150_000)...Int64(450_000))
            let perHead = rng.int(Int64(1_380)...Int64(1_720))
            // Allocation rounded to £1,000; QIPP target 2.8% to 4.2% of it, rounded to £10,000.
            let allocation = Money.pounds(population * perHead / 1_000 * 1_000)
            let targetPermille = rng.int(Int64(28)...Int64(42))
            let target = Money.pounds(allocation.pence / 100 * targetPermille / 1_000 / 10_000 * 10_000)
            return Commissioner(
                code: code, name: "NHS \(place) CCG", population: population, allocation: allocation, target: target)
        }
    }

    func makeProviders() -> [Provider] {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTVWXY0123456789")
        let codes = Self.uniqueCodes(Self.providerCodes, count: options.providers) { i in
            "R" + String(alphabet[(i / alphabet.count) % 22]) + String(alphabet[i % alphabet.count])
        }
        return codes.enumerated().map { index, code in
            Provider(
                code: code,
                name: index < Self.providerNames.count ? Self.providerNames[index] : "Provider \(index + 1) NHS Trust")
        }
    }

    // MARK: - Contracts

    struct LineTemplate {
        let pod: String
        let tfcs: [String]
        /// Price per unit in pence (or the monthly value in pence for value-only lines).
        let tariff: ClosedRange<Int64>
        /// Monthly planned activity of a main contract.
        let activity: ClosedRange<Int64>
        var valueOnly: Bool { activity.upperBound == 0 }
    }

    static let lineTemplates = [
        LineTemplate(
            pod: "EL", tfcs: ["100", "101", "110", "120", "130", "502"], tariff: 320_000...420_000, activity: 30...120),
        LineTemplate(
            pod: "DC", tfcs: ["100", "101", "130", "301", "330"], tariff: 70_000...110_000, activity: 60...250),
        LineTemplate(
            pod: "NEL", tfcs: ["300", "100", "110", "320", "340", "420"], tariff: 250_000...330_000, activity: 80...300),
        LineTemplate(pod: "NELST", tfcs: ["300", "340"], tariff: 60_000...80_000, activity: 40...150),
        LineTemplate(
            pod: "OPFA", tfcs: ["100", "110", "120", "130", "320", "330", "340", "502"], tariff: 15_000...22_000,
            activity: 300...1_200),
        LineTemplate(
            pod: "OPFUP", tfcs: ["100", "110", "120", "130", "320", "330", "340", "502"], tariff: 8_000...12_000,
            activity: 600...2_500),
        LineTemplate(pod: "OPPROC", tfcs: ["130", "330"], tariff: 15_000...25_000, activity: 100...400),
        LineTemplate(pod: "AE", tfcs: ["180"], tariff: 13_000...19_000, activity: 2_500...6_000),
        LineTemplate(pod: "CC", tfcs: ["192"], tariff: 110_000...150_000, activity: 80...250),
        LineTemplate(pod: "DRUG", tfcs: ["370", "800"], tariff: 4_000_000...20_000_000, activity: 0...0),
    ]

    struct ContractLine {
        let commissioner: Int
        let provider: Int
        let pod: String
        let tfc: String
        let tariff: Int64
        let valueOnly: Bool
        /// Planned activity (hundredths) per month, previous year then this year (24 entries).
        var plan: [Int64] = []
        /// Final actual activity (hundredths) per month, 24 entries.
        var actual: [Int64] = []
        /// Final actual price (pence) per month, 24 entries.
        var actualPrice: [Int64] = []
        /// Planned value (pence) per month of value-only lines, 24 entries.
        var planPrice: [Int64] = []
    }

    func makeContracts(_ rng: inout SplitMix64) -> [ContractLine] {
        var lines: [ContractLine] = []
        for c in 0..<options.commissioners {
            let main = c % options.providers
            for p in 0..<options.providers {
                let isMain = p == main
                let count = isMain ? options.mainContractLines : options.otherContractLines
                let scalePercent: Int64 = isMain ? 100 : rng.int(Int64(8)...Int64(30))
                var chosen: Set<String> = []
                var attempts = 0
                while chosen.count < count && attempts < 200 {
                    attempts += 1
                    let template = rng.pick(Self.lineTemplates)
                    let tfc = rng.pick(template.tfcs)
                    guard chosen.insert(template.pod + "/" + tfc).inserted else { continue }
                    var line = ContractLine(
                        commissioner: c, provider: p, pod: template.pod, tfc: tfc, tariff: rng.int(template.tariff),
                        valueOnly: template.valueOnly)
                    let base = template.valueOnly ? 0 : max(1, rng.int(template.activity) * scalePercent / 100)
                    let performance = rng.int(Int64(900)...Int64(1_120))
                    for index in 0..<24 {
                        let month = index % 12 + 1
                        // Winter (M8 to M11) non-elective and A&E pressure; last year's plan 3% lower.
                        var seasonal: Int64 = 1_000
                        if (template.pod == "NEL" || template.pod == "AE" || template.pod == "NELST")
                            && (8...11).contains(month)
                        {
                            seasonal = 1_100
                        }
                        if index < 12 { seasonal = seasonal * 97 / 100 }
                        if template.valueOnly {
                            let value = line.tariff * scalePercent / 100 * seasonal / 1_000
                            line.plan.append(0)
                            line.planPrice.append(value)
                            line.actual.append(0)
                            line.actualPrice.append(value * rng.int(Int64(880)...Int64(1_150)) / 1_000)
                        } else {
                            let planned = base * 100 * seasonal / 1_000
                            var actual = planned * performance / 1_000 * rng.int(Int64(940)...Int64(1_060)) / 1_000
                            // The follow-up reduction schemes start to bite at the main provider from this
                            // year's M3: a sustained fall, which the SPC charts show as a shift.
                            if isMain && template.pod == "OPFUP" && index >= 14 { actual = actual * 86 / 100 }
                            // Last year's elective pathway scheme went live in M10 (January): 8% fewer
                            // elective spells since, carried on the benefits table this year.
                            if isMain && template.pod == "EL" && index >= Self.carriedGoLive - 1 {
                                actual = actual * 92 / 100
                            }
                            line.plan.append(planned)
                            line.actual.append(actual)
                            let casemix = rng.int(Int64(970)...Int64(1_040))
                            line.actualPrice.append(actual * line.tariff / 100 * casemix / 1_000)
                        }
                    }
                    lines.append(line)
                }
            }
        }
        return lines
    }

    func plannedPrice(_ line: ContractLine, _ index: Int) -> Int64 {
        line.valueOnly ? line.planPrice[index] : line.plan[index] * line.tariff / 100
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

    /// `risks.csv`: each commissioner's risks and opportunities behind its forecast, sized from its
    /// allocation.
    mutating func writeRisks(_ commissioners: [Commissioner]) throws {
        let sink = try TextSink(path: path("risks.csv"))
        try sink.write(
            "org_code,risk_id,kind,description,category,gross_value_gbp,likelihood_percent,owner,mitigation,baf_reference\n"
        )
        for (c, commissioner) in commissioners.enumerated() {
            let unit = commissioner.allocation.pence / 100 / 1_000  // 0.1 % of the allocation, in pounds
            let lead = Self.people[(c * 2 + 11) % Self.people.count]
            let rows: [[String]] = [
                [
                    "R1", "RISK", "Winter non-elective activity above plan", "Acute",
                    String(unit * 6 + Int64(c) * unit),
                    "60", lead, "Urgent care schemes and the winter plan", "BAF 2.1",
                ],
                [
                    "R2", "RISK", "Prescribing price rises (category M)", "Prescribing", String(unit * 3), "50",
                    Self.people[(c + 4) % Self.people.count], "Medicines optimisation schemes", "",
                ],
                [
                    "R3", "RISK", "Continuing healthcare packages above plan", "Continuing healthcare",
                    String(unit * 2),
                    "40", Self.people[(c + 6) % Self.people.count], "Package reviews", "BAF 3.4",
                ],
                [
                    "O1", "OPPORTUNITY", "Non-recurrent estates income", "Estates", String(unit * 2), "75", lead,
                    "Confirm with the landlord", "",
                ],
            ]
            for row in rows {
                try sink.write(([commissioner.code] + row).map(Self.csv).joined(separator: ",") + "\n")
            }
        }
        try sink.close()
        summary.files += 1
    }

    /// `commentary.csv`: the finance lead's summary for each pack, and commentary on exceptions — the
    /// first behind plan updated this month with an action now overdue, the second last updated the
    /// month before (so the pack marks it "no update this month") — on the main provider, the acute
    /// contracts budget line and the dementia diagnosis measure.
    mutating func writeCommentary(_ commissioners: [Commissioner], _ providers: [Provider]) throws {
        let now = FinancialMonth(year: options.year, month: options.months)
        let before = FinancialMonth(ordinal: now.ordinal - 1)
        func due(_ m: FinancialMonth, day: Int) -> String { m.calendarText + "-" + (day < 10 ? "0" : "") + String(day) }
        let sink = try TextSink(path: path("commentary.csv"))
        try sink.write(
            "org_code,subject_type,subject_id,financial_year,financial_month,author,text,reason,action,action_owner,action_due\n"
        )
        func row(_ fields: [String]) throws { try sink.write(fields.map(Self.csv).joined(separator: ",") + "\n") }
        let year = String(options.year.acmCode)
        for (c, commissioner) in commissioners.enumerated() {
            let lead = Self.people[(c * 2 + 11) % Self.people.count]
            try row([
                commissioner.code, "SECTION", "summary", year, String(now.month), lead,
                "The QIPP forecast is behind plan at month \(now.month); most of the shortfall is in urgent care.\n\n"
                    + "The recovery plan:\n- weekly review of the urgent care schemes with their SROs\n"
                    + "- pipeline schemes brought forward where they mitigate the gap", "", "", "", "",
            ])
            let schemes = c < behind.count ? behind[c] : []
            if let first = schemes.first {
                try row([
                    commissioner.code, "SCHEME", first, year, String(now.month), lead,
                    "Delivery is behind the phased plan: activity has not fallen as modelled.",
                    "Referral demand above plan", "Re-phase the saving and agree a recovery trajectory",
                    Self.people[(c * 3 + 1) % Self.people.count], due(before, day: 28),
                ])
            }
            if schemes.count > 1 {
                try row([
                    commissioner.code, "SCHEME", schemes[1], year, String(before.month), lead,
                    "Mobilisation started late; the saving is expected to recover from next quarter.", "",
                    "Confirm the revised start date", Self.people[(c * 3 + 2) % Self.people.count], due(now, day: 30),
                ])
            }
            let main = providers[c % providers.count].code
            try row([
                commissioner.code, "PROVIDER", main, year, String(now.month), lead,
                "Spend is tracking the plan overall; non-elective activity is above plan and elective below.", "", "",
                "", "",
            ])
            try row([
                commissioner.code, "BUDGET_LINE", "Acute contracts", year, String(now.month), lead,
                "The forecast assumes the winter plan is funded from the contingency reserve.", "", "", "", "",
            ])
            try row([
                commissioner.code, "METRIC", "QP-DEM", year, String(now.month), lead,
                "Diagnosis rates are rising slowly after the memory clinic expansion.", "", "", "", "",
            ])
        }
        try row([
            "SYSTEM", "SECTION", "summary", year, String(now.month), "System finance lead",
            "Across the system the QIPP gap is concentrated in urgent care and prescribing.", "", "", "", "",
        ])
        try sink.close()
        summary.files += 1
    }

    /// `metrics.csv` and `metric_definitions.csv`: two years of monthly performance measures up to
    /// the reporting month — A&E four-hour waits for each provider (improving after a streaming
    /// change a year ago, against the operational target of each planning year: 76 % to March 2025,
    /// 78 % in 2025/26, 82 % in 2026/27, so the chart's target steps), each commissioner's elective waiting list
    /// (growing) and dementia diagnosis rate (a Quality Premium measure, target 66.7 %), and the
    /// system's cancer 62-day performance (target 85 %).
    mutating func writeMetrics(_ commissioners: [Commissioner], _ providers: [Provider], rng: inout SplitMix64) throws {
        let latest = FinancialMonth(year: options.year, month: options.months)
        let months = (0..<24).map { FinancialMonth(ordinal: latest.ordinal - 23 + $0) }
        let change = months[12]
        func noise(_ spread: Int64) -> Double { Double(rng.int(-spread...spread)) / 10 }
        func tenths(_ v: Double) -> String {
            let t = Int64((v * 10).rounded())
            return "\(t / 10).\(abs(t % 10))"
        }
        let metrics = try TextSink(path: path("metrics.csv"))
        try metrics.write("metric_id,metric_name,org_code,period,value,unit,target\n")
        for (p, provider) in providers.prefix(3).enumerated() {
            for (i, month) in months.enumerated() {
                let base = 74.0 + Double(p) * 2 + (i >= 12 ? 4.5 : 0)
                let target = month.year.startYear < 2025 ? "76" : (month.year.startYear == 2025 ? "78" : "82")
                try metrics.write(
                    "AE4HR,A&E: seen within four hours,\(provider.code),\(month.calendarText),"
                        + "\(tenths(base + noise(15))),%,\(target)\n")
            }
        }
        for (c, commissioner) in commissioners.enumerated() {
            for (i, month) in months.enumerated() {
                let list = 24_000 + c * 3_000 + i * 140 + Int(rng.int(Int64(-400)...Int64(400)))
                try metrics.write(
                    "RTT-WL,Elective waiting list (incomplete pathways),\(commissioner.code),\(month.calendarText),"
                        + "\(list),patients,\n")
            }
            for (i, month) in months.enumerated() {
                let rate = 63.5 + Double(c) + Double(i) * 0.05 + noise(12)
                try metrics.write(
                    "QP-DEM,Dementia diagnosis rate,\(commissioner.code),\(month.calendarText),\(tenths(rate)),%,66.7\n"
                )
            }
        }
        for month in months {
            try metrics.write(
                "CANCER62,Cancer: treated within 62 days of an urgent referral,SYSTEM,\(month.calendarText),"
                    + "\(tenths(79 + noise(25))),%,85\n")
        }
        try metrics.close()
        let definitions = try TextSink(path: path("metric_definitions.csv"))
        try definitions.write("metric_id,direction,rebase,baseline_points,annotation\n")
        try definitions.write(
            "AE4HR,up,\(change.calendarText),,Streaming and same-day emergency care from \(change.shortMonthName) "
                + "\(change.calendarYear): limits recalculated from then.\n")
        try definitions.write("CANCER62,up,,,\n")
        try definitions.write("QP-DEM,up,,12,Quality Premium measure; limits from the first 12 months.\n")
        try definitions.write("RTT-WL,down,,,\n")
        try definitions.close()
        summary.files += 2
    }

    /// A ledger per commissioner whose budget plans a 1 % surplus and holds the reserves the
    /// rules ask for (one commissioner holds too little non-recurrent reserve), and a Quality
    /// Premium return per commissioner.
    mutating func writeFinance(_ commissioners: [Commissioner], rng: inout SplitMix64) throws {
        let ledger = try TextSink(path: path("finance_ledger.csv"))
        try ledger.write(
            "commissioner_code,budget_line,category,annual_budget_gbp,ytd_budget_gbp,ytd_actual_gbp,forecast_outturn_gbp,"
                + "best_forecast_outturn_gbp,worst_forecast_outturn_gbp\n"
        )
        let shares: [(String, String, Int64)] = [
            ("Acute contracts", "PROGRAMME", 5_500), ("Mental health", "PROGRAMME", 1_200),
            ("Community services", "PROGRAMME", 1_000), ("Primary care prescribing", "PROGRAMME", 1_200),
            ("Continuing healthcare", "PROGRAMME", 750),
        ]
        for (c, commissioner) in commissioners.enumerated() {
            let allocation = commissioner.allocation.pence / 100
            let runningAllowance = commissioner.population * 25
            var lines: [(String, String, Int64)] = [
                ("Programme allocation", "INCOME", allocation), ("Running cost allocation", "INCOME", runningAllowance),
            ]
            lines += shares.map { ($0.0, $0.1, allocation * $0.2 / 10_000) }
            lines.append(("Running costs", "RUNNING_COSTS", runningAllowance * 97 / 100))
            lines.append(("Contingency reserve", "CONTINGENCY", allocation * 50 / 10_000))
            lines.append(
                ("Non-recurrent transformation fund", "NR_RESERVE", allocation * (c == 1 ? 150 : 200) / 10_000))
            for (name, category, annual) in lines {
                let ytdBudget = annual * Int64(options.months) / 12
                let income = category == "INCOME"
                let ytdActual = income ? ytdBudget : ytdBudget * rng.int(Int64(985)...Int64(1_025)) / 1_000
                let forecast = income ? annual : annual * rng.int(Int64(992)...Int64(1_018)) / 1_000
                // The volatile lines carry a best and a worst case: half a percent of budget better,
                // one percent worse.
                var cases = ["", ""]
                if name == "Acute contracts" || name == "Primary care prescribing" {
                    cases = [
                        Money.pounds(forecast - annual * 5 / 1_000).description,
                        Money.pounds(forecast + annual / 100).description,
                    ]
                }
                try ledger.write(
                    [
                        commissioner.code, Self.csv(name), category, Money.pounds(annual).description,
                        Money.pounds(ytdBudget).description, Money.pounds(ytdActual).description,
                        Money.pounds(forecast).description,
                    ].joined(separator: ",") + "," + cases.joined(separator: ",") + "\n")
            }
        }
        try ledger.close()
        let quality = try TextSink(path: path("quality_premium.csv"))
        try quality.write("commissioner_code,item_type,item,weight_percent,met\n")
        let measures: [(String, String)] = [
            ("Potential years of life lost from amenable causes", "12.5"),
            ("Avoidable emergency admissions", "25"), ("A&E four-hour waits", "12.5"),
            ("Friends and family test roll-out", "12.5"), ("Healthcare-acquired infection (MRSA)", "12.5"),
            ("Local measure: dementia diagnosis", "25"),
        ]
        for (c, commissioner) in commissioners.enumerated() {
            try quality.write("\(commissioner.code),GATE,Financial balance,,Y\n")
            try quality.write(
                "\(commissioner.code),GATE,No serious quality failure at providers,,\(c == 2 ? "N" : "Y")\n")
            for (m, (name, weight)) in measures.enumerated() {
                let met = !((m + c) % 4 == 0)
                try quality.write("\(commissioner.code),MEASURE,\(Self.csv(name)),\(weight),\(met ? "Y" : "N")\n")
            }
        }
        try quality.close()
        summary.files += 2
    }

    mutating func writeReadme() throws {
        let sink = try TextSink(path: path("README.md"))
        try sink.write(
            """
            # Sample inputs

            Written by `boardpack sample` with seed \(options.seed): \(options.commissioners) commissioners, \
            \(options.providers) providers, financial year \(options.year), actuals for M1 to M\(options.months), \
            \(options.submissions) restating submission(s) per provider this year plus last year's final submission, \
            \(options.xmlProviders) provider(s) submitting XML.

            Every organisation, person and figure here is invented. Codes have the shape of real ODS codes \
            (CCGs `00C`, trusts `R..`) and use real point-of-delivery and treatment function codes. \
            The file formats are described in `docs/inputs.md`.
            \(options.realShaped ? """

            The CSV submissions are shaped like real provider extracts, in three layouts in turn: a data \
            platform's (upper-case bracketed ACM headers, day-first creation dates, rows under a site code, a \
            CQUIN line each month), a SQL Server export's (spaced headers, every field quoted, a line under \
            local codes), and a provider system's own column names, mapped in `boardpack.toml` (with a \
            subcontracted provider, `NVC`, that organisations.csv does not list). Each contract cell is split \
            over \(options.linesPerCell) rows by tariff code, and rows are in no key order.

            """ : "")

            """)
        try sink.close()
        summary.files += 1
    }

    mutating func writeOrganisations(_ commissioners: [Commissioner], _ providers: [Provider]) throws {
        let sink = try TextSink(path: path("organisations.csv"))
        try sink.write(
            "org_code,org_name,org_type,parent_org_code,registered_population,programme_allocation_gbp,qipp_target_gbp,running_cost_allowance_gbp\n"
        )
        for c in commissioners {
            try sink.write(
                [
                    c.code, Self.csv(c.name), "CCG", "", String(c.population), c.allocation.description,
                    c.target.description, Money.pounds(c.population * 25).description,
                ].joined(separator: ",") + "\n")
        }
        for p in providers {
            try sink.write([p.code, Self.csv(p.name), "PROVIDER", "", "", "", "", ""].joined(separator: ",") + "\n")
        }
        try sink.close()
        summary.files += 1
    }

    /// Timestamp of a submission for financial month `month` of `year`: the
    /// 14th of the following calendar month, staggered by provider.
    func created(year: FinancialYear, month: Int, provider: Int) -> String {
        let following = FinancialMonth(ordinal: FinancialMonth(year: year, month: month).ordinal + 1)
        let hour = 8 + provider % 10
        let minute = (provider * 17) % 60
        let cm = following.calendarMonth
        return
            "\(following.calendarYear)-\(cm < 10 ? "0" : "")\(cm)-14T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00"
    }

    /// Provisional completeness of the latest months in a submission:
    /// coding catches up in the next submissions (flex before freeze).
    func provisionalPermille(line: Int, month: Int, submission: Int) -> Int64 {
        let age = submission - month
        if age >= 2 { return 1_000 }
        var mixer = SplitMix64(
            seed: options.seed ^ UInt64(line &* 7_919) ^ UInt64(month &* 104_729) ^ UInt64(submission &* 15_485_863))
        return age == 0 ? mixer.int(Int64(930)...Int64(975)) : mixer.int(Int64(982)...Int64(996))
    }

    mutating func writeActivity(_ contracts: [ContractLine], commissioners: [Commissioner], providers: [Provider])
        throws
    {
        let previous = FinancialYear(startYear: options.year.startYear - 1)
        let firstSubmission = max(1, options.months - options.submissions + 1)
        for (p, provider) in providers.enumerated() {
            let lines = contracts.enumerated().filter { $0.element.provider == p }
            let asXML = p >= options.providers - options.xmlProviders
            let layout = ActivityLayout.of(provider: p, realShaped: options.realShaped)
            let split = options.linesPerCell > 1
            let quote = !asXML && (options.quoteAll || layout.quotesEveryField)
            // Last year's final, frozen submission, then this year's restatements.
            var plan: [(FinancialYear, Int, Int)] = [(previous, 12, 12)]
            for s in firstSubmission...options.months { plan.append((options.year, s, s)) }
            for (year, submission, upTo) in plan {
                let stamp = created(year: year, month: submission, provider: p)
                let name = "\(provider.code)-\(year.acmCode)-M\(submission < 10 ? "0" : "")\(submission)"
                let file = "activity/" + name + (asXML ? ".xml" : ".csv")
                let sink = try TextSink(path: path(file))
                var rows: [String] = []
                func row(_ fields: [String]) {
                    rows.append(
                        (quote ? fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" } : fields)
                            .joined(separator: ",") + "\r\n")
                }
                if asXML {
                    try sink.write(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ContractMonitoringSubmission xmlns=\"urn:boardpack:contract-monitoring:1\">\n"
                    )
                } else {
                    let finer = split ? (options.realShaped ? layout.tariffColumn : "local_contract_code") : nil
                    row(layout.header(split: finer))
                }
                let fileStamp = asXML ? stamp : layout.created(stamp)
                for month in 1...upTo {
                    let index = (year == previous ? 0 : 12) + month - 1
                    for (lineIndex, line) in lines {
                        let factor =
                            year == previous
                            ? 1_000 : provisionalPermille(line: lineIndex, month: month, submission: submission)
                        let actual = line.actual[index] * factor / 1_000
                        let actualPrice = line.actualPrice[index] * factor / 1_000
                        // A data platform writes some rows under a site of the trust.
                        let providerCode =
                            layout == .platform && lineIndex % 2 == 1 ? provider.code + "00" : provider.code
                        let values = [
                            String(year.acmCode), String(month), commissioners[line.commissioner].code,
                            asXML ? provider.code : providerCode, line.pod, line.tfc,
                            Quantity(hundredths: line.plan[index]).description,
                            Quantity(hundredths: actual).description,
                            Money(pence: plannedPrice(line, index)).description, Money(pence: actualPrice).description,
                            asXML ? stamp : fileStamp,
                        ]
                        if asXML {
                            var record = "  <Line>"
                            for (column, value) in zip(ActivityLayout.acm, values) {
                                record += "<\(column)>\(value)</\(column)>"
                            }
                            try sink.write(record + "</Line>\n")
                        } else if split {
                            // Split each figure exactly: the parts add up to the cell's value.
                            let n = Int64(options.linesPerCell)
                            let figures = [line.plan[index], actual, plannedPrice(line, index), actualPrice]
                            for k in 0..<n {
                                let parts = figures.map { $0 / n + (k < $0 % n ? 1 : 0) }
                                var part = values
                                part[6] = Quantity(hundredths: parts[0]).description
                                part[7] = Quantity(hundredths: parts[1]).description
                                part[8] = Money(pence: parts[2]).description
                                part[9] = Money(pence: parts[3]).description
                                let codes = ActivityLayout.tariffCodes
                                part.append(
                                    options.realShaped
                                        ? codes[(Int(k) + lineIndex) % codes.count]
                                        : "LC\(k + 1 < 10 ? "0" : "")\(k + 1)")
                                row(part)
                            }
                            summary.activityRows += Int(n) - 1
                        } else {
                            row(values)
                        }
                        summary.activityRows += 1
                    }
                    if !asXML, options.realShaped, let first = lines.first?.element {
                        row(
                            extraLine(
                                layout, year: year, month: month, commissioner: commissioners[first.commissioner].code,
                                provider: provider.code, stamp: fileStamp, split: split))
                        summary.activityRows += 1
                    }
                }
                if asXML {
                    try sink.write("</ContractMonitoringSubmission>\n")
                } else {
                    // Rows come in the exporter's order, not by key: a shuffle fixed by the file's name.
                    var header = [rows.removeFirst()]
                    if options.realShaped {
                        var mixer = SplitMix64(seed: options.seed ^ Self.nameHash(file))
                        rows.shuffle(using: &mixer)
                    }
                    header += rows
                    for text in header { try sink.write(text) }
                }
                try sink.close()
                summary.files += 1
            }
        }
    }

    /// The line a real-shaped file of `layout` adds each month: a CQUIN payment (platform), a line
    /// under local point-of-delivery and treatment-function codes (quoted), or a subcontracted
    /// provider missing from organisations.csv (local). Its figures depend only on the month, so
    /// every submission restates it alike.
    func extraLine(
        _ layout: ActivityLayout, year: FinancialYear, month: Int, commissioner: String, provider: String,
        stamp: String, split: Bool
    ) -> [String] {
        let m = Int64(month)
        var fields: [String]
        switch layout {
        case .platform:
            let price = Money(pence: 1_250_000 + m * 15_000).description
            fields = [provider, "CQUIN", "100", "", "", price, price]
        case .quotedSpaced:
            fields = [
                provider, "OPLOCAL", "100L", "40", String(36 + m % 5), Money(pence: 400_000).description,
                Money(pence: 360_000 + m % 5 * 10_000).description,
            ]
        default:
            fields = [
                Self.subcontractor, "DC", "130", "12", String(10 + m % 3), Money(pence: 840_000).description,
                Money(pence: 700_000 + m % 3 * 70_000).description,
            ]
        }
        return [String(year.acmCode), String(month), commissioner] + fields + [stamp] + (split ? [""] : [])
    }

    /// An independent-sector provider that the sample's trusts subcontract to, and that
    /// organisations.csv does not list.
    static let subcontractor = "NVC"

    /// FNV-1a of a file name: a fixed per-file seed.
    static func nameHash(_ name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// `boardpack.toml` for the sample: the local layout's column names, for each provider using it.
    mutating func writeConfiguration(_ providers: [Provider]) throws {
        let local = providers.enumerated().filter { p, _ in
            p < options.providers - options.xmlProviders
                && ActivityLayout.of(provider: p, realShaped: options.realShaped) == .local
        }
        guard !local.isEmpty else { return }
        let sink = try TextSink(path: path("boardpack.toml"))
        try sink.write(
            "# Written by boardpack sample. Every other setting is at its default (boardpack init writes them all).\n"
                + "# These providers' files use their own column names: each is mapped to BoardPack's.\n")
        let columns = ActivityLayout.acm + ["tariff_code"]
        for (_, provider) in local {
            try sink.write("\n[columns.activity.\(provider.code)]\n")
            for (name, column) in zip(ActivityLayout.localNames, columns) {
                try sink.write("\"\(name)\" = \"\(column)\"\n")
            }
        }
        try sink.close()
        summary.files += 1
    }

    // MARK: - QIPP

    struct SchemeTemplate {
        let name: String
        let programme: String
        let pod: String?
        let tfc: String?
    }

    static let schemeTemplates = [
        SchemeTemplate(
            name: "Outpatient follow-up reduction: dermatology", programme: "Outpatients", pod: "OPFUP", tfc: "330"),
        SchemeTemplate(
            name: "Advice and guidance before referral: cardiology", programme: "Outpatients", pod: "OPFA", tfc: "320"),
        SchemeTemplate(
            name: "Patient-initiated follow-up: trauma & orthopaedics", programme: "Outpatients", pod: "OPFUP",
            tfc: "110"),
        SchemeTemplate(name: "Best-value DOAC switch", programme: "Prescribing", pod: nil, tfc: nil),
        SchemeTemplate(name: "Respiratory inhaler optimisation", programme: "Prescribing", pod: nil, tfc: nil),
        SchemeTemplate(
            name: "A&E front-door streaming to the urgent treatment centre", programme: "Urgent care", pod: "AE",
            tfc: "180"),
        SchemeTemplate(name: "Frailty same-day emergency care", programme: "Urgent care", pod: "NEL", tfc: "300"),
        SchemeTemplate(name: "Respiratory virtual ward", programme: "Urgent care", pod: "NEL", tfc: "340"),
        SchemeTemplate(
            name: "Continuing healthcare: care package review", programme: "Continuing healthcare", pod: nil, tfc: nil),
        SchemeTemplate(name: "Cataract surgery moved to day case", programme: "Planned care", pod: "DC", tfc: "130"),
        SchemeTemplate(name: "MSK first-contact physiotherapy", programme: "Planned care", pod: "OPFA", tfc: "110"),
        SchemeTemplate(
            name: "Out-of-area mental health placements repatriation", programme: "Mental health", pod: nil, tfc: nil),
        SchemeTemplate(name: "Children's asthma: school nurse pathway", programme: "Community", pod: "NEL", tfc: "420"),
        SchemeTemplate(name: "Wound care formulary", programme: "Prescribing", pod: nil, tfc: nil),
        SchemeTemplate(
            name: "Procedures of limited clinical value policy", programme: "Planned care", pod: "EL", tfc: "100"),
    ]
    static let people = [
        "Dr Helen Marsh", "Tom Okafor", "Priya Raman", "Gareth Lloyd", "Dr Aisha Bello", "Sarah Whitfield",
        "Mark O'Neill", "Joanna Kowalska", "David Achterberg", "Rachel Idowu", "Simon Thornbury", "Dr Meera Shah",
    ]
    /// Gateway stages of the schemes of one commissioner, before rotation.
    static let stagePattern: [GatewayStage] = [
        .implementing, .implementing, .approved, .implementing, .delivered, .implementing, .approved, .businessCase,
        .implementing, .pid, .idea, .businessCase, .closed, .implementing, .approved,
    ]
    /// The month of last year's plan in which the carried elective scheme went live.
    static let carriedGoLive = 10

    /// Delivery against plan, in permille, for identified schemes.
    static let deliveryPattern: [Int64] = [1_040, 1_000, 960, 900, 820, 700, 560, 1_010, 930, 450]

    mutating func writeQipp(
        _ commissioners: [Commissioner], contracts: [ContractLine], providers: [Provider], rng: inout SplitMix64
    ) throws {
        let schemes = try TextSink(path: path("qipp_schemes.csv"))
        let monthly = try TextSink(path: path("qipp_monthly.csv"))
        try schemes.write(
            "scheme_id,commissioner_code,scheme_name,programme,sro,project_manager,finance_lead,gateway_stage,recurrence,annual_target_gbp,rag_status,provider_code,point_of_delivery_code,activity_treatment_function_code,start_month,investment_gbp\n"
        )
        try monthly.write(
            "scheme_id,financial_year,financial_month,planned_saving_gbp,actual_saving_gbp,forecast_saving_gbp,"
                + "best_forecast_saving_gbp,worst_forecast_saving_gbp\n")
        for (c, commissioner) in commissioners.enumerated() {
            let drawn = rng.int(12...15)
            let count = options.schemesPerCommissioner ?? drawn
            let rotation = c % Self.stagePattern.count
            var stages: [GatewayStage] = (0..<count).map {
                Self.stagePattern[($0 + rotation) % Self.stagePattern.count]
            }
            if !stages.contains(.approved) && !stages.contains(.implementing) { stages[0] = .implementing }
            // Identified schemes cover 82% to 96% of the target.
            let coverage = rng.int(Int64(820)...Int64(960))
            let identifiedTotal = commissioner.target.pence / 100 * coverage / 1_000
            let weights = (0..<count).map { _ in rng.int(Int64(4)...Int64(30)) }
            let weightTotal = zip(stages, weights).filter { $0.0.isIdentified }.map(\.1).reduce(0, +)
            let templates = (0..<count).map { Self.schemeTemplates[($0 + c * 4) % Self.schemeTemplates.count] }
            let mainProvider = providers[c % providers.count].code
            var optimisticDone = false
            for i in 0..<count {
                let stage = stages[i]
                let template = templates[i]
                let id = "\(commissioner.code)-Q\(i + 1 < 10 ? "0" : "")\(i + 1)"
                var annualPounds: Int64
                if stage.isIdentified {
                    annualPounds = identifiedTotal * weights[i] / max(1, weightTotal) / 1_000 * 1_000
                } else {
                    annualPounds =
                        commissioner.target.pence / 100 * rng.int(Int64(15)...Int64(55)) / 1_000 / 1_000 * 1_000
                }
                annualPounds = max(annualPounds, 25_000)
                let start = stage.isIdentified ? rng.int(1...4) : rng.int(6...10)
                let recurrence = template.programme == "Continuing healthcare" || i % 5 == 4 ? "NR" : "R"
                let delivery = Self.deliveryPattern[(i + c * 3) % Self.deliveryPattern.count]
                let investment =
                    template.name.contains("virtual ward") || template.name.contains("physiotherapy")
                    ? String(annualPounds / 5 / 1_000 * 1_000) + ".00" : ""
                // Phasing: equal months from the start month; the remainder in March.
                let phasedMonths = Int64(12 - start + 1)
                var plan = [Int64](repeating: 0, count: 12)
                let each = annualPounds * 100 / phasedMonths
                for m in start...12 { plan[m - 1] = each }
                plan[11] += annualPounds * 100 - each * phasedMonths
                var actuals: [Int64?] = Array(repeating: nil, count: 12)
                if stage.isIdentified || stage == .closed {
                    for m in 1...options.months {
                        let noise = rng.int(Int64(900)...Int64(1_100))
                        let factor = stage == .closed ? (m <= 3 ? 400 : 0) : delivery
                        actuals[m - 1] = plan[m - 1] * factor / 1_000 * noise / 1_000
                    }
                }
                let ytdPlan = plan[0..<options.months].reduce(0, +)
                let ytdActual = actuals[0..<options.months].compactMap { $0 }.reduce(0, +)
                var rag = ""
                if stage.isIdentified && ytdPlan > 0 && ytdActual < ytdPlan {
                    while behind.count <= c { behind.append([]) }
                    behind[c].append(id)
                }
                if stage.isIdentified && ytdPlan > 0 {
                    rag = ytdActual * 100 >= ytdPlan * 95 ? "G" : (ytdActual * 100 >= ytdPlan * 80 ? "A" : "R")
                    if rag != "G" && !optimisticDone {
                        // One tracker rating per commissioner is more optimistic than the rule.
                        rag = "G"
                        optimisticDone = true
                    }
                }
                let sro = Self.people[(i * 5 + c) % Self.people.count]
                let manager = Self.people[(i * 7 + c + 3) % Self.people.count]
                let finance = Self.people[(c * 2 + 11) % Self.people.count]
                // A scheme's link is to a contract line the sample holds: its POD with the main provider,
                // the template's specialty when that line exists, else the line's first specialty.
                var link: (pod: String, tfc: String)?
                if let pod = template.pod {
                    let lines = contracts.filter {
                        $0.commissioner == c && $0.provider == c % providers.count && $0.pod == pod
                    }
                    if let exact = lines.first(where: { $0.tfc == template.tfc }) {
                        link = (pod, exact.tfc)
                    } else if let first = lines.map(\.tfc).sorted().first {
                        link = (pod, first)
                    }
                }
                try schemes.write(
                    [
                        id, commissioner.code, Self.csv(template.name), Self.csv(template.programme), Self.csv(sro),
                        Self.csv(manager), Self.csv(finance), stage.rawValue, recurrence,
                        String(annualPounds) + ".00", rag, link == nil ? "" : mainProvider, link?.pod ?? "",
                        link?.tfc ?? "", String(start), investment,
                    ].joined(separator: ",") + "\n")
                summary.schemes += 1
                for m in 1...12 {
                    let actual = actuals[m - 1].map { Money(pence: $0).description } ?? ""
                    var forecast = ""
                    var best = ""
                    var worst = ""
                    if m > options.months && stage.isIdentified {
                        let likely = plan[m - 1] * delivery / 1_000 / 100 * 100
                        forecast = Money(pence: likely).description
                        // Schemes well behind carry cases: recovery to plan at best, a fifth of the
                        // forecast at worst.
                        if delivery < 900 {
                            best = Money(pence: plan[m - 1]).description
                            worst = Money(pence: likely / 5 / 100 * 100).description
                        }
                    }
                    try monthly.write(
                        [
                            id, String(options.year.acmCode), String(m), Money(pence: plan[m - 1]).description, actual,
                            forecast, best, worst,
                        ]
                        .joined(separator: ",") + "\n")
                }
            }
            // Last year's delivered scheme, kept for its benefit a year on: its rows are all for
            // last year, and its link is to the main provider's elective line.
            let main = c % providers.count
            if let line = contracts.filter({ $0.commissioner == c && $0.provider == main && $0.pod == "EL" })
                .min(by: { $0.tfc < $1.tfc })
            {
                let id = "\(commissioner.code)-Q\(count + 1 < 10 ? "0" : "")\(count + 1)"
                let annual: Int64 = 360_000 * 100
                let start = Self.carriedGoLive
                try schemes.write(
                    [
                        id, commissioner.code, "Elective pathway redesign: day-of-surgery admission", "Planned care",
                        Self.csv(Self.people[(c + 4) % Self.people.count]),
                        Self.csv(Self.people[(c + 9) % Self.people.count]),
                        Self.csv(Self.people[(c * 2 + 11) % Self.people.count]), "DELIVERED", "R", "360000.00", "",
                        providers[main].code, "EL", line.tfc, String(start), "",
                    ].joined(separator: ",") + "\n")
                summary.schemes += 1
                let last = FinancialYear(startYear: options.year.startYear - 1)
                let each = annual / Int64(12 - start + 1)
                for m in 1...12 {
                    let planned = m < start ? 0 : (m == 12 ? annual - each * Int64(12 - start) : each)
                    try monthly.write(
                        [
                            id, String(last.acmCode), String(m), Money(pence: planned).description,
                            Money(pence: planned * 104 / 100).description, "", "", "",
                        ].joined(separator: ",") + "\n")
                }
            }
        }
        try schemes.close()
        try monthly.close()
        summary.files += 2
    }
}
