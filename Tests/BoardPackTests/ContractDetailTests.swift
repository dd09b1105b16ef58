import BoardPackCore
import BoardPackIngest
import BoardPackPipeline
import BoardPackSample
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackRender

/// `contract-detail.csv` holds every provider × POD × TFC row of a pack, and `figures.json` holds
/// the detail only for the providers the pack shows it for, plus the totals that reconcile the two.
@Suite("Contract detail: one compact file per pack, reconciled by figures.json")
struct ContractDetailTests {
    @Test("With detail for two providers: figures.json keeps theirs, the CSV holds everyone's, the totals agree")
    func reconciles() throws {
        let inputs = try TestSupport.temporaryFolder("detail") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.root + "/inputs", toPath: inputs)
        let toml = inputs + "/boardpack.toml"
        let settings = (try? String(contentsOfFile: toml, encoding: .utf8)) ?? ""
        try ("[contract]\ndetail_providers = 2\n\n" + settings).write(toFile: toml, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        let files = Dictionary(uniqueKeysWithValues: outcome.files.map { ($0.path, $0.contents) })
        let packs = Set(outcome.files.map { $0.path.split(separator: "/").first! }.filter { !$0.contains(".") })
        #expect(packs.count >= 2)
        for pack in packs {
            let json = try #require(files["\(pack)/figures.json"])
            let figures = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
            #expect(figures["schema_version"] as? Int == 2)
            let contract = try #require(figures["contract"] as? [String: Any])
            let providers = try #require(contract["providers"] as? [[String: Any]])
            let detailed = providers.filter { $0["detail_in_pack"] as? Bool == true }
            #expect(detailed.count == min(2, providers.count), "\(pack)")
            #expect(
                providers.allSatisfy { ($0["points_of_delivery"] != nil) == ($0["detail_in_pack"] as? Bool == true) })
            let csv = String(decoding: try #require(files["\(pack)/contract-detail.csv"]), as: UTF8.self)
            let lines = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = lines[0].map(String.init)
            let rows = lines.dropFirst()
            let detail = try #require(contract["detail"] as? [String: Any])
            #expect(detail["rows"] as? Int == rows.count)
            func pence(_ column: String) throws -> Int {
                let index = try #require(header.firstIndex(of: column))
                return try rows.reduce(0) { sum, row in
                    let parts = row[index].split(separator: ".")
                    let whole = try #require(Int(parts[0].replacingOccurrences(of: "-", with: "")))
                    let value = whole * 100 + (parts.count > 1 ? Int(parts[1])! : 0)
                    return sum + (row[index].hasPrefix("-") ? -value : value)
                }
            }
            let total = try #require(contract["total"] as? [String: Any])
            #expect(try pence("actual_price_gbp") == total["actual_price_pence"] as? Int, "\(pack)")
            #expect(try pence("planned_price_gbp") == total["planned_price_pence"] as? Int, "\(pack)")
            #expect(try pence("actual_price_gbp") == detail["actual_price_pence"] as? Int, "\(pack)")
            // Every provider of the pack has its rows in the CSV.
            let providerColumn = try #require(header.firstIndex(of: "provider"))
            #expect(
                Set(rows.map { String($0[providerColumn]) }) == Set(providers.compactMap { $0["provider"] as? String }))
        }
    }

    /// One row of `CSVBytes` holding `fill`'s fields, without its line end.
    static func row(_ fill: (inout CSVBytes) -> Void) -> String {
        var csv = CSVBytes(header: [])
        let start = csv.bytes.count
        fill(&csv)
        return String(decoding: csv.bytes[start...], as: UTF8.self)
    }

    @Test("Text fields are quoted when they must be, and kept from being read as formulas; numbers exact")
    func fields() {
        #expect(Self.row { $0.text("Kingsmoor NHS Trust") } == "Kingsmoor NHS Trust")
        #expect(Self.row { $0.text("Smith, Jones & Co") } == "\"Smith, Jones & Co\"")
        #expect(Self.row { $0.text("The \"Royal\"") } == "\"The \"\"Royal\"\"\"")
        #expect(Self.row { $0.text("=HYPERLINK(\"x\")") } == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(Self.row { $0.text("-1") } == "'-1")
        #expect(Self.row { $0.text("line\nbreak") } == "\"line\nbreak\"")
        #expect(Self.row { $0.fixed(-5, scale: 2) } == "-0.05")
        #expect(Self.row { $0.fixed(123_456, scale: 2) } == "1234.56")
        #expect(Self.row { $0.integer(Int64.min + 1) } == String(Int64.min + 1))
        #expect(Self.row { $0.integer(0) } == "0")
        #expect(
            Self.row {
                $0.code(ShortCode("RXX"))
                $0.code(nil)
                $0.integer(-7)
            } == "RXX,,-7")
        // Every exact quantity as Quantity.description writes it.
        for h in [0, 1, -1, 10, -10, 150, 1_250, -12_345, 100_000_000] as [Int64] {
            let q = Quantity(hundredths: h)
            #expect(Self.row { ContractDetailCSV.quantity(q, into: &$0) } == q.description, "\(h)")
        }
    }
}

/// A scheme linked to activity the inputs do not hold says so, in the pack and in data quality.
@Suite("Patient impact without activity")
struct PatientImpactLinkTests {
    @Test("The impact row shows dashes and a note, and the build warns at the scheme's row")
    func unlinked() throws {
        let inputs = try TestSupport.temporaryFolder("link") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        // The fixture's schemes, the first linked to a point of delivery no submission holds.
        let original = try String(contentsOfFile: inputs + "/qipp_schemes.csv", encoding: .utf8)
        let lines = original.split(separator: "\n").enumerated().map { index, line in
            line
                + (index == 0
                    ? ",provider_code,point_of_delivery_code,start_month" : index == 1 ? ",RXX,ZZPOD,1" : ",,,")
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: inputs + "/qipp_schemes.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted) \(outcome.failure ?? "")")
        let warning = log.diagnostics.first { $0.code == "qipp.link-no-activity" }
        #expect(warning?.location.line == 2 && warning?.value == "A1", "\(log.sorted)")
        let md = String(
            decoding: try #require(outcome.files.first { $0.path == "00A/board-pack.md" }?.contents), as: UTF8.self)
        #expect(md.contains("No contract activity in the inputs for RXX ZZPOD in these months"))
    }
}

/// The partial selection of the largest lines, and the providers a pack names.
@Suite("Largest lines, chosen without a sort")
struct LargestTests {
    @Test("largest(k) is the first k of a stable sort, largest first, for seeded random amounts with ties")
    func matchesSort() {
        let seed = ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_204
        print("largest: seed \(seed)")
        var generator = SplitMix64(seed: seed)
        for round in 0..<200 {
            let count = Int.random(in: 0...300, using: &generator)
            // Few distinct amounts, so ties are common.
            let amounts = (0..<count).map { _ in Int.random(in: 0...40, using: &generator) }
            let k = Int.random(in: 0...25, using: &generator)
            let expected = amounts.indices.sorted { amounts[$0] != amounts[$1] ? amounts[$0] > amounts[$1] : $0 < $1 }
                .prefix(k)
            let items = Array(amounts.indices)
            #expect(items.largest(k) { amounts[$0] } == Array(expected), "seed \(seed), round \(round)")
        }
    }

    @Test("A pack names the largest providers and sums the rest into one row that reconciles")
    func listedProviders() throws {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.root + "/inputs", log: log)
        var rules = Rules()
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let pack = try #require(Analysis.packs(dataset, period: period, rules: rules).last)
        let all = pack.contract.providers
        #expect(all.count > 2)
        let listed = pack.contract.listed(limit: 2)
        #expect(listed.providers.count == 2 && listed.otherCount == all.count - 2)
        let spend = all.map(\.total.actualPrice.pence).sorted(by: >)
        #expect(listed.providers.map(\.total.actualPrice.pence) == Array(spend.prefix(2)))
        let others = try #require(listed.others)
        let named = listed.providers.reduce(Int64(0)) { $0 + $1.total.actualPrice.pence }
        #expect(named + others.actualPrice.pence == pack.contract.total.actualPrice.pence)
        #expect(pack.contract.listed(limit: 0).others == nil)
        rules.contractLargestVariances = 3
        let three = try #require(Analysis.packs(dataset, period: period, rules: rules).last)
        #expect(three.contract.largestVariances.count == 3)
    }
}
