import BoardPackCore
import Foundation

// The sample's contract lines and the activity submissions (CSV and XML) that report them.
extension SampleGenerator {
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

    /// The TFC codes of the "many cells" shape: 24 national codes and 40 local ones (a provider's
    /// sub-specialty codes, as real extracts carry them), 64 in all.
    static let manyCellTFCs: [String] =
        [
            "100", "101", "110", "120", "130", "140", "150", "160", "170", "180", "190", "192", "300", "301", "320",
            "330", "340", "350", "360", "370", "400", "410", "420", "502",
        ] + (0..<40).map { "L\(String(100 + $0 * 7))" }

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
                    let tfc = options.manyCells ? rng.pick(Self.manyCellTFCs) : rng.pick(template.tfcs)
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
        // A board paper's cover sheet for the realistic sample (docs/configuration.md, [paper]).
        let paper = options.realShaped && options.commissioners <= 10
        guard !local.isEmpty || paper else { return }
        let sink = try TextSink(path: path("boardpack.toml"))
        try sink.write(
            "# Written by boardpack sample. Every other setting is at its default (boardpack init writes them all).\n")
        if paper {
            try sink.write(
                """

                # The cover sheet each pack opens with, and the governing-body paper beside each pack.
                [paper]
                meeting = "Governing Body (meeting in public)"
                meeting_date = "To be confirmed"
                agenda_item = "7.2"
                author = "Head of Financial Planning"
                executive_lead = "Chief Finance Officer"
                purpose = "assure"
                recommendation = "The Governing Body is asked to take assurance on the delivery of the savings plan and the contract position, and to note the exceptions and the actions to recover them."
                considered_by = "Finance and Performance Committee"
                impact_finance = "The forecast outturn and the gap to the savings target are set out in the paper."
                impact_quality = "Schemes are quality-impact assessed before approval; none is flagged."
                impact_equality = "No scheme in the paper changes access to a service."
                impact_privacy = "The paper holds no personal data."

                """)
        }
        if !local.isEmpty {
            try sink.write("\n# These providers' files use their own column names: each is mapped to BoardPack's.\n")
        }
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
}
