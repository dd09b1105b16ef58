import BoardPackCore
import BoardPackPipeline
import Foundation
import Testing

/// Best and worst cases: per scheme month in qipp_monthly.csv and per budget line in
/// finance_ledger.csv, shown as best / most likely / worst in the summary and reconciled in
/// figures.json; the cumulative chart's table ends at the forecast outturn.
@Suite("Forecast scenarios")
struct ScenarioTests {
    /// The small fixture (reporting month M2) with its monthly file rewritten by `cases`, which
    /// gives (best, worst) for a scheme and month, and an optional ledger.
    static func build(cases: [String: (String, String)], ledger: String? = nil) throws -> (
        BuildOutcome, DiagnosticLog, [String: String]
    ) {
        let inputs = try TestSupport.temporaryFolder("scenarios") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let original = try String(contentsOfFile: inputs + "/qipp_monthly.csv", encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        lines[0] += ",best_forecast_saving_gbp,worst_forecast_saving_gbp"
        for i in 1..<lines.count {
            let fields = lines[i].split(separator: ",", omittingEmptySubsequences: false)
            let (best, worst) = cases["\(fields[0]) \(fields[2])"] ?? ("", "")
            lines[i] += ",\(best),\(worst)"
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: inputs + "/qipp_monthly.csv", atomically: true, encoding: .utf8)
        if let ledger {
            try ledger.write(toFile: inputs + "/finance_ledger.csv", atomically: true, encoding: .utf8)
        }
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        let files = Dictionary(
            uniqueKeysWithValues: outcome.files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
        return (outcome, log, files)
    }

    static func json(_ files: [String: String], _ pack: String) throws -> [String: Any] {
        let text = try #require(files["\(pack)/figures.json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static let ledgerHeader =
        "commissioner_code,budget_line,category,annual_budget_gbp,ytd_budget_gbp,ytd_actual_gbp,"
        + "forecast_outturn_gbp,best_forecast_outturn_gbp,worst_forecast_outturn_gbp\n"

    @Test("Scheme cases: the case given or else the month's forecast; a scheme without counts its most likely")
    func schemes() throws {
        // At M2, A1 (green, 100 %) has YTD 19,000 and plans 10,000 a month; A2 (red, 25 %) has YTD
        // 3,000 and plans 5,000 a month. A1: best 12,000 in each of M3-M12; worst 0 in M12 only.
        var cases: [String: (String, String)] = [:]
        for m in 3...12 { cases["A1 \(m)"] = ("12000", m == 12 ? "0" : "") }
        let (outcome, log, files) = try Self.build(cases: cases)
        #expect(outcome.status == .success, "\(log.sorted)")
        let figures = try Self.json(files, "00A")
        let qipp = try #require(figures["qipp"] as? [String: Any])
        let schemes = try #require(qipp["schemes"] as? [[String: Any]])
        let a1 = try #require(schemes.first { $0["scheme_id"] as? String == "A1" })
        let a2 = try #require(schemes.first { $0["scheme_id"] as? String == "A2" })
        #expect(a1["best_case_pence"] as? Int == (19_000 + 10 * 12_000) * 100)
        #expect(a1["worst_case_pence"] as? Int == (19_000 + 9 * 10_000) * 100)
        #expect(a2["best_case_pence"] is NSNull && a2["worst_case_pence"] is NSNull)
        let a1Likely = (19_000 + 10 * 10_000) * 100
        let a2Likely = (3_000 + 50_000 / 4) * 100
        #expect(a1["risk_adjusted_forecast_pence"] as? Int == a1Likely)
        #expect(a2["risk_adjusted_forecast_pence"] as? Int == a2Likely)
        let s = try #require(qipp["scenarios"] as? [String: Any])
        let best = (19_000 + 120_000) * 100 + a2Likely
        let worst = (19_000 + 90_000) * 100 + a2Likely
        #expect(s["best_pence"] as? Int == best && s["worst_pence"] as? Int == worst)
        #expect(s["most_likely_pence"] as? Int == a1Likely + a2Likely)
        #expect(s["best_gap_pence"] as? Int == 1_000_000 * 100 - best)
        #expect(s["worst_gap_pence"] as? Int == 1_000_000 * 100 - worst)
        let md = try #require(files["00A/board-pack.md"])
        #expect(md.contains("| QIPP forecast (most likely: risk-adjusted) | £154,500 | £134,500 | £124,500 |"), "\(md)")
        #expect(md.contains("| QIPP gap (target less forecast) | £845,500 | £865,500 | £875,500 |"))
        // 00B gives no case: no scenarios there.
        #expect(!(files["00B/board-pack.md"] ?? "").contains("Forecast scenarios"))
        #expect(try Self.json(files, "00B")["qipp"].flatMap { ($0 as? [String: Any])?["scenarios"] } is NSNull)
    }

    @Test("Ledger cases give the surplus in each case; a line without counts its forecast")
    func ledger() throws {
        let ledger =
            Self.ledgerHeader + "00A,Programme allocation,INCOME,1000000,166666,166666,1000000,1010000,\n"
            + "00A,Acute contracts,PROGRAMME,900000,150000,151000,905000,890000,930000\n"
            + "00A,Running costs,RUNNING_COSTS,2000,333,333,2000,,\n"
        let (outcome, log, files) = try Self.build(cases: [:], ledger: ledger)
        #expect(outcome.status == .success, "\(log.sorted)")
        let finance = try #require(try Self.json(files, "00A")["financial_position"] as? [String: Any])
        #expect(finance["forecast_surplus_pence"] as? Int == (1_000_000 - 907_000) * 100)
        #expect(finance["best_surplus_pence"] as? Int == (1_010_000 - 892_000) * 100)
        #expect(finance["worst_surplus_pence"] as? Int == (1_000_000 - 932_000) * 100)
        let lines = try #require(finance["lines"] as? [[String: Any]])
        let running = try #require(lines.first { $0["budget_line"] as? String == "Running costs" })
        #expect(running["has_scenario"] as? Bool == false && running["best_outturn_pence"] as? Int == 200_000)
        let md = try #require(files["00A/board-pack.md"])
        #expect(md.contains("| Forecast surplus (income less expenditure) | £118,000 | £93,000 | £68,000 |"), "\(md)")
        #expect(md.contains("| Acute contracts | 890,000 | 905,000 | 930,000 |"))
        #expect(!md.contains("| Running costs | 2,000 | 2,000 | 2,000 |"))
        // No scheme gives a case: the summary shows the surplus row only.
        #expect(!md.contains("QIPP gap (target less forecast) |"))
    }

    @Test("A case on the wrong side of the most likely is kept and reported where it is")
    func order() throws {
        // A1 M3: no forecast, so the most likely is the plan, 10,000. A2 (red: 25 % of what is
        // unrealised counted): a worst case below each month's plan, yet above its risk-adjusted
        // forecast over the year.
        var cases: [String: (String, String)] = ["A1 3": ("9000", "11000")]
        for m in 3...12 { cases["A2 \(m)"] = ("", "4000") }
        let ledger = Self.ledgerHeader + "00A,Acute contracts,PROGRAMME,900000,150000,151000,905000,910000,900000\n"
        let (outcome, log, _) = try Self.build(cases: cases, ledger: ledger)
        #expect(outcome.status == .success, "\(log.sorted)")
        let found = log.sorted.filter { $0.code.hasSuffix("scenario-order") || $0.code == "scenario.order" }
            .map { "\($0.location.file.split(separator: "/").last!):\($0.location.line) \($0.code) \($0.field ?? "")" }
        #expect(
            found == [
                "finance_ledger.csv:2 scenario.order best_forecast_outturn_gbp",
                "finance_ledger.csv:2 scenario.order worst_forecast_outturn_gbp",
                "qipp_monthly.csv:4 scenario.order best_forecast_saving_gbp",
                "qipp_monthly.csv:4 scenario.order worst_forecast_saving_gbp",
                // A1 over the year too, as its only cases are M3's.
                "qipp_schemes.csv:2 qipp.scenario-order best_forecast_saving_gbp",
                "qipp_schemes.csv:2 qipp.scenario-order worst_forecast_saving_gbp",
                "qipp_schemes.csv:3 qipp.scenario-order worst_forecast_saving_gbp",
            ], "\(log.sorted)")
    }

    @Test("The cumulative table runs the plan to the phased year and the forecast to the outturn")
    func cumulative() throws {
        let (outcome, log, files) = try Self.build(cases: [:])
        #expect(outcome.status == .success, "\(log.sorted)")
        let md = try #require(files["00A/board-pack.md"])
        // Plan in the plan: A1 10,000 and A2 5,000 a month. Actual 12,000 then 10,000. Forecast: the
        // plan (no forecast is given), from the YTD actual 22,000.
        #expect(md.contains("| M1 Apr 2026 | 15,000 | 12,000 | – |"), "\(md)")
        #expect(md.contains("| M2 May 2026 | 30,000 | 22,000 | – |"))
        #expect(md.contains("| M3 Jun 2026 | 45,000 | – | 37,000 |"))
        #expect(md.contains("| M12 Mar 2027 | 180,000 | – | 172,000 |"))
        let qipp = try #require(try Self.json(files, "00A")["qipp"] as? [String: Any])
        #expect(qipp["forecast_outturn_pence"] as? Int == 172_000 * 100)
        #expect(files["00A/charts/cumulative.svg"]?.contains("<title id=\"cumulative-title\">") == true)
    }
}
