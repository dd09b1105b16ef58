import BoardPackCore
import BoardPackIngest
import BoardPackPipeline
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackRender

@Suite("Cover, executive summary, months, charts and templates")
struct PackSectionsTests {
    func packs() throws -> [PackFigures] {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.fixture("small"), log: log)
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        return Analysis.packs(dataset, period: period)
    }

    @Test("Flex for a month first submitted, freeze once a later month's submission restates it")
    func flexAndFreeze() throws {
        // RXX's M1 is restated by RXX-M02 (which holds M1 and M2): M1 freeze, M2 (the reporting month) flex.
        let alpha = try packs()[0]
        let rxx = try #require(alpha.dataCurrency.first { $0.provider.description == "RXX" })
        let use = try #require(rxx.submissions.first { $0.id == "RXX-M02" })
        #expect(use.months == [1, 2])
        #expect(use.status == [.freeze, .flex])
        let cover = ViewBuilder.coverCurrency(alpha.dataCurrency, period: alpha.period)
        #expect(cover.first { $0.provider == "RXX" }?.status == "Flex")
    }

    @Test("Monthly contract spend to date adds up to the year-to-date total; later months have no actual")
    func months() throws {
        for pack in try packs() {
            #expect(pack.months.count == 12)
            let toDate = pack.months.prefix(pack.period.month).reduce(Money.zero) { $0 + $1.contractActualPrice! }
            #expect(toDate == pack.contract.total.actualPrice)
            #expect(pack.months.dropFirst(pack.period.month).allSatisfy { $0.savingActual == nil })
            let plan = pack.months.prefix(pack.period.month).reduce(Money.zero) { $0 + $1.savingPlan }
            #expect(plan == pack.qipp.ytdPlan)
        }
    }

    @Test("Headline ratings follow their rules")
    func ratings() {
        var q = QippTotals(
            target: .pounds(1_000), identified: .pounds(900), unidentified: .pounds(100), pipeline: .pounds(50),
            ytdPlan: .zero, ytdActual: .zero, ytdVariance: .zero, deliveredPerMille: nil, identifiedSchemes: 1,
            pipelineSchemes: 1, closedSchemes: 0)
        q.riskAdjustedForecast = .pounds(960)
        q.gap = .pounds(40)
        q.pipelineCoversGap = true
        var contract = ContractRow.empty()
        contract.plannedPrice = .pounds(10_000)
        contract.actualPrice = .pounds(10_150)  // 1.5 % over: within the 2 % tolerance
        let rules = Rules()
        var r = Analysis.ratings(qipp: q, contract: contract, finance: nil, rules: rules)
        #expect(r.gap.rag == .amber)
        #expect(r.riskAdjustedForecast.rag == .green)  // 96 % of target
        #expect(r.contractVariance.rag == .amber)
        #expect(r.financialPosition.rag == nil)
        q.gap = .pounds(-1)
        q.riskAdjustedForecast = .pounds(790)  // 79 %: red
        contract.actualPrice = .pounds(10_201)  // 2.01 % over
        r = Analysis.ratings(qipp: q, contract: contract, finance: nil, rules: rules)
        #expect(r.gap.rag == .green)
        #expect(r.riskAdjustedForecast.rag == .red)
        #expect(r.contractVariance.rag == .red)
        q.gap = .pounds(60)
        q.pipelineCoversGap = false
        contract.actualPrice = .pounds(9_000)
        r = Analysis.ratings(qipp: q, contract: contract, finance: nil, rules: rules)
        #expect(r.gap.rag == .red)
        #expect(r.contractVariance.rag == .green)
    }

    @Test("Chart text from the inputs is escaped; coordinates are plain decimals")
    func chartEscaping() {
        let months = (0..<3).map { (FinancialMonth(ordinal: 2026 * 12 + $0), Double($0 * 10 + 5)) }
        let series = SPCSeries(
            kind: .contractLine, slug: "contract-X", title: "<script>alert(1)</script> & \"Co\"",
            provider: ShortCode("RXX")!, pointOfDelivery: ShortCode("EL")!, treatmentFunction: nil, schemeID: nil,
            chart: SPC.chart(months, direction: .down, target: 12.5, rules: SPCRules()))
        let chart = Charts.spc(id: "spc-x", series: series)
        #expect(!chart.svg.contains("<script>"))
        #expect(chart.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(chart.svg.contains("<title id=\"spc-x-title\">") && chart.svg.contains("<desc id=\"spc-x-desc\">"))
        #expect(!chart.fileSVG.contains("aria-labelledby"))
        #expect(SVG.n(-0.04) == "0" || SVG.n(-0.04) == "-0")
        #expect(SVG.n(12.25) == "12.3" && SVG.n(-3.5) == "-3.5" && SVG.n(1e7) == "10000000")
        #expect(SVG.axisLabel(-1_100_000, money: true) == "(£1.1m)")
    }

    @Test("A stray template or a partial that is not there is an error before anything is written")
    func templateChecks() throws {
        let folder = try TestSupport.temporaryFolder("templates")
        try FileManager.default.copyItem(atPath: TestSupport.templates, toPath: folder + "/t")
        _ = try PackRenderer(templatesFolder: folder + "/t")
        _ = try TestSupport.write("<p>{{name}}</p>\n", as: "t/html/extra.mustache", in: folder)
        #expect {
            try PackRenderer(templatesFolder: folder + "/t")
        } throws: { error in
            String(describing: error).contains("html/extra.mustache: error: unknown template")
        }
        try FileManager.default.removeItem(atPath: folder + "/t/html/extra.mustache")
        let path = folder + "/t/markdown/spc.mustache"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "{{> nosuch}}\n").write(toFile: path, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect {
            try PackRenderer(templatesFolder: folder + "/t")
        } throws: { error in
            String(describing: error).contains("spc.mustache:\(line):1: error: template syntax: the partial 'nosuch'")
        }
    }

    @Test("--format takes a comma-separated list of html, md, pdf and docx")
    func formats() throws {
        #expect(try PackFormat.parseList("html,md,pdf").get() == [.html, .md, .pdf])
        #expect(try PackFormat.parseList("docx,html").get() == [.docx, .html])
        #expect(try PackFormat.parseList(" PDF ").get() == [.pdf])
        #expect(throws: FormatListError.self) { try PackFormat.parseList("html,odt").get() }
    }
}

@Suite("View models")
struct ViewModelTests {
    /// Every stored property of every view model reachable from a pack is in its key-path table
    /// (scripts/gen-view-fields), so no template variable silently renders empty.
    @Test("The key-path tables list every field")
    func fieldTables() throws {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.root + "/inputs", log: log)
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period)
        var checked = Set<String>()
        func walk(_ value: Any) {
            let mirror = Mirror(reflecting: value)
            if let model = value as? any ViewModel {
                let fields = Set(type(of: model).fieldNames)
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    #expect(fields.contains(label), "\(type(of: value)).\(label) is not in its key-path table")
                }
                checked.insert(String(describing: type(of: value)))
            }
            for child in mirror.children { walk(child.value) }
        }
        for pack in packs { walk(ViewBuilder.pack(pack, warnings: log.sorted.filter { $0.severity == .warning })) }
        walk(ViewBuilder.index(packs))
        #expect(checked.count >= 20, "\(checked.sorted())")
    }
}
