import BoardPackCore
import Foundation

// The sample's board-paper inputs: risks, commentary, performance metrics, and its README.
extension SampleGenerator {
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
}
