import BoardPackCore
import BoardPackPipeline
import BoardPackRender
import Foundation
import Testing

/// `Fixtures/scale-out/aggregated.csv` is the output of sql/contract_aggregation.sql on the
/// shipped `inputs/` (written by DuckDB; scripts/scale-out-check compares DuckDB's and Spark's
/// output with it). Here: an aggregated row is itself a valid activity row, and packs built from
/// the aggregate agree with packs built from the raw submissions.
@Suite("Scale-out: the SQL aggregate as input")
struct ScaleOutTests {
    /// figures.json of every pack, without data currency (which names the source files).
    func figures(_ inputs: String) throws -> [String: String] {
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(
                inputs: inputs, output: "", templates: TestSupport.templates,
                period: FinancialMonth(calendarText: "2026-10")), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted)")
        var result: [String: String] = [:]
        for pack in outcome.packs {
            guard case .object(let members) = FiguresJSON.document(pack) else { continue }
            result[pack.code] = JSONValue.object(members.filter { $0.0 != "data_currency" }).serialized()
        }
        return result
    }

    @Test("Packs from the aggregated rows equal packs from the raw submissions")
    func aggregateAgrees() throws {
        let fm = FileManager.default
        let folder = try TestSupport.temporaryFolder() + "/inputs"
        try fm.createDirectory(atPath: folder + "/activity", withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: TestSupport.root + "/inputs") where name.hasSuffix(".csv") {
            try fm.copyItem(atPath: TestSupport.root + "/inputs/" + name, toPath: folder + "/" + name)
        }
        try fm.copyItem(
            atPath: TestSupport.fixture("scale-out/aggregated.csv"), toPath: folder + "/activity/aggregated.csv")
        let raw = try figures(TestSupport.root + "/inputs")
        let aggregated = try figures(folder)
        #expect(raw.keys.sorted() == ["00C", "03Q", "99A", "system"])
        #expect(raw == aggregated)
    }
}
