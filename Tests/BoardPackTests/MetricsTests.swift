import BoardPackAnalysis
import BoardPackCore
import BoardPackSample
import Foundation
import Testing

@testable import BoardPackIngest
@testable import BoardPackPipeline
@testable import BoardPackRender

/// metrics.csv and metric_definitions.csv: read exactly, every problem located.
@Suite("Performance metrics")
struct MetricsTests {
    static func load(_ files: [String: String]) throws -> (Dataset?, DiagnosticLog) {
        let inputs = try TestSupport.temporaryFolder("metrics") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        for (name, text) in files { _ = try TestSupport.write(text, as: name, in: inputs) }
        let log = DiagnosticLog()
        return (try InputLoader.load(folder: inputs, log: log), log)
    }

    static let header = "metric_id,metric_name,org_code,period,value,unit,target\n"

    @Test("Good rows are read in order, with their definitions")
    func reads() throws {
        let (dataset, log) = try Self.load([
            "metrics.csv": Self.header + "AE,A&E 4 hours,00B,2026-05,77.5,%,95\nAE,A&E 4 hours,00B,2026-04,76,%,95\n"
                + "CAN,Cancer 62 days,SYSTEM,2026-04-06,80,%,\n",
            "metric_definitions.csv":
                "metric_id,direction,rebase,baseline_points,annotation,target\nAE,up,2026-05;2026-09-01,12,Streaming,95\n",
        ])
        #expect(!log.hasErrors, "\(log.sorted)")
        let metrics = try #require(dataset?.metrics)
        #expect(metrics.map(\.date) == ["2026-04-01", "2026-05-01", "2026-04-06"])
        #expect(metrics[0].value == 76 && metrics[0].target == 95 && metrics[2].target == nil)
        #expect(metrics[2].org == "SYSTEM" && metrics[2].written == "2026-04-06")
        let definition = try #require(dataset?.metricDefinitions.first)
        #expect(definition.rebase == ["2026-05-01", "2026-09-01"] && definition.baselinePoints == 12)
        #expect(definition.direction == "up" && definition.annotation == "Streaming" && definition.target == 95)
    }

    @Test("Bad values, unknown organisations and metrics, and repeats are located errors")
    func errors() throws {
        let (_, log) = try Self.load([
            "metrics.csv": Self.header
                + "AE,A&E,00B,2026-13,77,%,\nAE,A&E,ZZZ,2026-04,77,%,\nAE,A&E,00B,2026-04,1e5,%,\n"
                + "AE,A&E,00B,2026-05,70,%,\nAE,A&E,00B,2026-05,71,%,\nAE,Other name,00B,2026-06,70,%,\n",
            "metric_definitions.csv":
                "metric_id,direction,rebase,baseline_points,annotation\nAE,sideways,,,\nXX,up,,,\nAE,up,2026-02-30,1,\n",
        ])
        let text = log.sorted.map(\.description)
        func has(_ prefix: String, _ code: String) -> Bool {
            text.contains { $0.contains("/" + prefix) && $0.hasSuffix("[\(code)]") }
        }
        #expect(has("inputs/metrics.csv:2:", "value.date"), "\(text)")
        #expect(has("inputs/metrics.csv:3:", "ref.organisation"), "\(text)")
        #expect(has("inputs/metrics.csv:4:", "value.number"))
        #expect(has("inputs/metrics.csv:6:", "dup.metric"))
        #expect(has("inputs/metrics.csv:7:", "metrics.name"))
        #expect(has("inputs/metric_definitions.csv:2:", "value.choice"))
        #expect(has("inputs/metric_definitions.csv:3:", "ref.metric"))
        #expect(has("inputs/metric_definitions.csv:4:", "value.date"))
        #expect(has("inputs/metric_definitions.csv:4:", "value.range"))
    }

    @Test("A missing organisation is one error with its row count; its metric is not then called missing")
    func oneErrorPerCause() throws {
        let rows = (4...12).map { "AE,A&E,RZZ,2026-\(String(format: "%02d", $0)),77,%,\n" }.joined()
        let (_, log) = try Self.load([
            "metrics.csv": Self.header + rows + "AE,A&E,RQQ,2026-04,70,%,\n",
            "metric_definitions.csv": "metric_id,direction,rebase,baseline_points,annotation\nAE,up,,,\n",
        ])
        let errors = log.errors
        #expect(errors.count == 2, "\(log.sorted)")
        let rzz = try #require(errors.first { $0.value == "RZZ" })
        #expect(rzz.code == "ref.organisation" && rzz.location.line == 2 && rzz.location.column > 0)
        #expect(rzz.message.contains("9 rows name it (the first here)"))
        #expect(rzz.hint?.contains("org_type PROVIDER") == true)
        #expect(errors.first { $0.value == "RQQ" }?.message.contains("1 row names it") == true)
        // The definition's metric exists: only its rows were refused.
        #expect(!log.sorted.contains { $0.code == "ref.metric" })
    }

    @Test("A single commissioner's pack shows its providers' and the system's measures; none is dropped silently")
    func providerMetricsReachThePack() throws {
        let work = try TestSupport.temporaryFolder("metrics-one")
        _ = try SampleGenerator.write(
            {
                var options = SampleOptions()
                options.commissioners = 1
                return options
            }(), to: work + "/inputs")
        let log = DiagnosticLog()
        // The sample's boardpack.toml maps one provider's own column names.
        var rules = try #require(Configuration.load(path: work + "/inputs/boardpack.toml", log: log))
        let dataset = try InputLoader.load(folder: work + "/inputs", log: log, settings: rules.ingest)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period, rules: rules)
        #expect(packs.count == 1)
        let orgs = Set(packs[0].metrics.map(\.org))
        let providers = Set(dataset.metrics.map(\.org)).subtracting([packs[0].code, "SYSTEM"])
        #expect(!providers.isEmpty)
        #expect(orgs == providers.union([packs[0].code, "SYSTEM"]), "\(orgs)")
        let quiet = DiagnosticLog()
        Pipeline.warnUnshownMetrics(dataset, packs: packs, period: period, rules: rules, log: quiet)
        #expect(quiet.warnings.isEmpty)
        // Narrowed in boardpack.toml: each provider's measure is then one warning, at its first row.
        rules.metricsOfProviders = false
        rules.metricsOfSystem = false
        let narrowed = Analysis.packs(dataset, period: period, rules: rules)
        #expect(Set(narrowed[0].metrics.map(\.org)) == [narrowed[0].code])
        let warned = DiagnosticLog()
        Pipeline.warnUnshownMetrics(dataset, packs: narrowed, period: period, rules: rules, log: warned)
        let codes = warned.warnings.filter { $0.code == "metric.no-pack" }
        #expect(Set(codes.compactMap(\.value)) == providers.union(["SYSTEM"]))
        #expect(codes.allSatisfy { $0.location.file.hasSuffix("metrics.csv") && $0.location.line > 1 })
    }

    @Test("A pack's measures: its own, up to the reporting month, each under its definition")
    func series() {
        func point(_ org: String, _ month: Int, _ value: Double) -> MetricPoint {
            let date = "2026-\(month < 10 ? "0" : "")\(month)-01"
            return MetricPoint(
                metricID: "AE", name: "A&E", org: org, date: date, written: String(date.prefix(7)), value: value,
                unit: "%", target: 95)
        }
        let points = (1...12).map { point("00B", $0, $0 <= 6 ? 70 : 80) } + [point("00A", 1, 50)]
        let definitions = [
            MetricDefinition(
                metricID: "AE", direction: "up", rebase: ["2026-07-01"], baselinePoints: nil, annotation: "")
        ]
        // Reporting month October 2026: November and December are left out.
        let period = FinancialMonth(year: .init(startYear: 2026), month: 7)
        let series = Analysis.metricSeries(
            points, definitions: definitions, orgs: ["00B"], names: ["00B": "Test CCG"], period: period,
            rules: SPCRules())
        #expect(series.count == 1)
        let s = series[0]
        #expect(s.dates.first == "2026-01" && s.dates.last == "2026-10" && s.orgName == "Test CCG")
        #expect(s.analysis.groups.map(\.count) == [6, 4])
        #expect(s.analysis.points[0].mean == 70 && s.analysis.points[6].mean == 80)
        #expect(s.direction == .up && s.latest?.assurance == .fail)
        // A standing target in the definition, when the rows give none.
        var untargeted = points
        for i in untargeted.indices { untargeted[i].target = nil }
        var standing = definitions
        standing[0].target = 60
        let passing = Analysis.metricSeries(
            untargeted, definitions: standing, orgs: ["00B"], names: [:], period: period, rules: SPCRules())
        #expect(passing[0].target == 60 && passing[0].latest?.assurance == .pass)
        #expect(passing[0].targets == Array(repeating: 60, count: 10))
    }

    @Test("A target that changes over time: each point keeps its own, assurance takes the latest, the chart steps")
    func changingTarget() throws {
        // 72 or 73 a month: its limits (about 70 to 75) miss a target of 80 from July.
        let points = (1...10).map { m -> MetricPoint in
            let date = "2026-\(m < 10 ? "0" : "")\(m)-01"
            return MetricPoint(
                metricID: "AE", name: "A&E", org: "00B", date: date, written: String(date.prefix(7)),
                value: 72 + Double(m % 2), unit: "%", target: m == 3 ? nil : (m < 7 ? 70 : 80))
        }
        let definitions = [
            MetricDefinition(
                metricID: "AE", direction: "up", rebase: [], baselinePoints: nil, annotation: "", target: 65)
        ]
        let series = Analysis.metricSeries(
            points, definitions: definitions, orgs: ["00B"], names: [:],
            period: FinancialMonth(year: .init(startYear: 2026), month: 7), rules: SPCRules())
        let s = try #require(series.first)
        // March has no target on its row: the standing target.
        #expect(s.targets == [70, 70, 65, 70, 70, 70, 80, 80, 80, 80])
        #expect(s.target == 80 && s.latest?.assurance == .fail)
        let svg = Charts.metric(id: "m", series: s).svg
        #expect(svg.contains("<polyline points=\"") && svg.contains("stroke=\"#d5281b\""))
        let json = FiguresJSON.metric(s).serialized()
        #expect(json.contains("\"target\": 65.000") && json.contains("\"target\": 80.000"))
    }
}

extension MetricsTests {
    @Test("A rebase, annotation and target for one organisation's series apply to it alone")
    func perOrganisation() throws {
        var rows = ""
        for org in ["00A", "00B"] {
            for month in 1...12 {
                rows += "AE,A&E,\(org),2025-\(String(format: "%02d", month)),\(70 + month % 4),%,\n"
            }
        }
        let (dataset, log) = try Self.load([
            "metrics.csv": Self.header + rows,
            "metric_definitions.csv": "metric_id,direction,rebase,baseline_points,annotation,target,org_code\n"
                + "AE,up,,,Standard,95,\nAE,up,2025-07,,Merger in July,90,00B\nAE,up,,,,,ZZZ\n",
        ])
        let unknown = log.errors.filter { $0.code == "ref.organisation" }
        #expect(unknown.count == 1 && unknown.first?.location.line == 4, "\(log.sorted)")
        let data = try #require(dataset)
        let period = try #require(FinancialMonth(calendarText: "2026-03"))
        let series = Analysis.metricSeries(
            data.metrics, definitions: data.metricDefinitions, orgs: ["00A", "00B"], names: [:], period: period,
            rules: SPCRules())
        let a = try #require(series.first { $0.org == "00A" })
        let b = try #require(series.first { $0.org == "00B" })
        #expect(a.rebase.isEmpty && a.annotation == "Standard" && a.target == 95)
        #expect(b.rebase == ["2025-07-01"] && b.annotation == "Merger in July" && b.target == 90)
        #expect(a.analysis.groups.count == 1 && b.analysis.groups.count == 2)
    }
}

extension MetricsTests {
    @Test("A proportion reads as a percentage; a rate keeps its decimals; a count is whole; the axis fits small values")
    func scales() throws {
        var rows = ""
        for month in 1...12 {
            rows += "P,Four-hour share,00B,2025-\(String(format: "%02d", month)),0.\(88 + month % 5)1,,0.95\n"
            rows += "R,Falls per 1000,00B,2025-\(String(format: "%02d", month)),0.3\(month % 7),,\n"
            rows += "C,Waiting list,00B,2025-\(String(format: "%02d", month)),\"12,34\(month % 10).6\",,\n"
        }
        let (dataset, log) = try Self.load([
            "metrics.csv": Self.header + rows,
            "metric_definitions.csv": "metric_id,direction,scale\nP,up,proportion\nR,down,rate\nC,down,count\n",
        ])
        #expect(!log.hasErrors, "\(log.sorted)")
        let data = try #require(dataset)
        let series = Analysis.metricSeries(
            data.metrics, definitions: data.metricDefinitions, orgs: ["00B"], names: [:],
            period: try #require(FinancialMonth(calendarText: "2026-03")), rules: SPCRules())
        let p = try #require(series.first { $0.metricID == "P" })
        #expect(p.unit == "%" && p.target == 95)
        let view = ViewBuilder.metricView(p)
        #expect(view.latest == "90.1 %" && view.target == "95 %", "\(view.latest) \(view.target)")
        let r = ViewBuilder.metricView(try #require(series.first { $0.metricID == "R" }))
        #expect(r.latest == "0.35", "\(r.latest)")
        let c = ViewBuilder.metricView(try #require(series.first { $0.metricID == "C" }))
        #expect(c.latest == "12,343", "\(c.latest)")
        // An axis over small values is scaled to them, its labels distinct.
        let scale = Scale(values: [0.30, 0.36], top: 0, bottom: 100, fromZero: false)
        #expect(scale.high - scale.low < 0.2, "\(scale.low) to \(scale.high)")
        #expect(SVG.axisLabel(0.25, money: false, step: 0.05) == "0.25")
        #expect(SVG.axisLabel(0.5, money: false, step: 0.1) == "0.5")
        #expect(SVG.axisLabel(1200, money: false) == "1,200")
        let bad = try Self.load([
            "metrics.csv": Self.header + "P,Share,00B,2025-01,0.9,,\n",
            "metric_definitions.csv": "metric_id,direction,scale\nP,up,fraction\n",
        ]).1
        #expect(bad.errors.first?.code == "value.choice")
    }
}
