import BoardPackCore
import BoardPackPipeline
import Foundation
import Testing

/// A scheme delivered in the previous year's plan stays on the benefits table for the following year;
/// a scheme of an older plan is in no table and is reported.
@Suite("Benefits a year on")
struct CarriedBenefitTests {
    @Test("Last year's delivered scheme: monthly averages since go-live against the year before, worked by hand")
    func carried() throws {
        let inputs = try TestSupport.temporaryFolder("carried") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        // C1 went live in M11 (February) of 2025/26, linked to 00A's RXX EL 100; C2's rows are all
        // for 2024/25.
        let schemes =
            "scheme_id,commissioner_code,scheme_name,programme,sro,gateway_stage,recurrence,annual_target_gbp,"
            + "rag_status,provider_code,point_of_delivery_code,activity_treatment_function_code,start_month\n"
            + "A1,00A,Outpatient follow-up,Outpatients,Dr One,IMPLEMENTING,R,120000,G,,,,\n"
            + "A2,00A,Prescribing switch,Prescribing,Ms Two,APPROVED,NR,60000,,,,,\n"
            + "A3,00A,Virtual ward idea,Urgent care,Mr Three,IDEA,R,40000,,,,,\n"
            + "B1,00B,Beta scheme,Community,Dr Four,DELIVERED,R,24000,A,,,,\n"
            + "C1,00A,Elective pathway,Planned care,Dr Five,DELIVERED,R,2000,,RXX,EL,100,11\n"
            + "C2,00A,Old scheme,Planned care,Dr Six,IMPLEMENTING,R,5000,,,,,\n"
        try schemes.write(toFile: inputs + "/qipp_schemes.csv", atomically: true, encoding: .utf8)
        let monthly =
            try String(contentsOfFile: inputs + "/qipp_monthly.csv", encoding: .utf8)
            + "C1,202526,11,1000,1100\nC1,202526,12,1000,900\nC2,202425,12,5000,5000\n"
        try monthly.write(toFile: inputs + "/qipp_monthly.csv", atomically: true, encoding: .utf8)
        // 2025/26 activity of the link: 20 a month in M8-M10 (before go-live), 10 in M11 and M12.
        // 2026/27: M1 11 (the M2 file's restatement) and M2 9.
        let header =
            "financial_year,financial_month,commissioner_code,provider_code,pod,tfc,planned_activity,"
            + "actual_activity,planned_price,actual_price,date_and_time_data_set_created\n"
        let rows = [(8, 20), (9, 20), (10, 20), (11, 10), (12, 10)].map {
            "202526,\($0.0),00A,RXX,EL,100,10,\($0.1),1000,1000,2026-04-15T09:00:00\n"
        }
        try (header + rows.joined()).write(
            toFile: inputs + "/activity/RXX-202526-M12.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted)")
        let files = Dictionary(
            uniqueKeysWithValues: outcome.files.map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
        let data = try #require(files["00A/figures.json"])
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        let carried = try #require(figures["carried_benefits"] as? [[String: Any]])
        #expect(carried.count == 1)
        let c = try #require(carried.first)
        #expect(c["scheme_id"] as? String == "C1" && c["delivered_in"] as? String == "2025/26")
        #expect(c["go_live"] as? String == "2026-02")
        #expect(c["months_before"] as? [String] == ["2025-11", "2025-12", "2026-01"])
        #expect(c["months_since"] as? [String] == ["2026-02", "2026-03", "2026-04", "2026-05"])
        #expect(c["average_before"] as? Double == 20 && c["average_since"] as? Double == 10)
        #expect(c["full_year_effect"] as? Double == -120 && c["average_change_percent"] as? Double == -50)
        #expect(c["saving_delivered_pence"] as? Int == 200_000)
        // Neither C1 nor C2 is in this year's plan.
        let qipp = try #require(figures["qipp"] as? [String: Any])
        #expect(qipp["identified_pence"] as? Int == 180_000 * 100)
        let ids = (qipp["schemes"] as? [[String: Any]] ?? []).compactMap { $0["scheme_id"] as? String }
        #expect(ids.sorted() == ["A1", "A2", "A3"])
        let md = try #require(files["00A/board-pack.md"])
        #expect(
            md.contains(
                "| C1 | Elective pathway (delivered 2025/26) | RXX EL 100 | Feb 2026 | Nov 2025–Jan 2026 (3 months) | "
                    + "Feb 2026–May 2026 (4 months) | 20 | 10 | -50.0% | -120 | 2,000 |"), "\(md)")
        #expect((files["system/board-pack.md"] ?? "").contains("| C1 | Elective pathway (delivered 2025/26) |"))
        let warning = log.diagnostics.filter { $0.code == "qipp.earlier-plan" }
        #expect(warning.map(\.value) == ["C2"] && warning.first?.location.line == 7, "\(log.sorted)")
    }
}
