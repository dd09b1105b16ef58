import BoardPackCore
import Foundation

// The sample's QIPP tracker: schemes and their monthly phasing, delivery and scenarios.
extension SampleGenerator {
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
