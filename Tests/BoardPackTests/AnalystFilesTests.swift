import BoardPackSample
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackCore
@testable import BoardPackIngest
@testable import BoardPackPipeline
@testable import BoardPackRender

/// Small things an analyst's own files showed.
@Suite("Analyst's files: small items")
struct AnalystSmallTests {
    @Test("A decimal count (a weighted population) is a located error, never rounded")
    func decimalPopulation() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "00A,NHS Alpha CCG,100000,", with: "00A,NHS Alpha CCG,3928.020356,")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: log)
        let error = try #require(log.errors.first { $0.code == "value.whole-number" })
        #expect(error.location.file.hasSuffix("organisations.csv") && error.location.line == 2)
        #expect(error.value == "3928.020356")
        // Zeros after the point are a whole number still.
        try text.replacingOccurrences(of: "00A,NHS Alpha CCG,100000,", with: "00A,NHS Alpha CCG,100000.00,")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let clean = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: clean)
        #expect(!clean.hasErrors)
        #expect(dataset.commissioners.first { $0.code.description == "00A" }?.registeredPopulation == 100_000)
    }

    @Test("A forecast that has not moved reads 'unchanged since M2', not 'unchanged than at M2'")
    func unchangedSince() {
        let movement = Movement(
            previousPeriod: FinancialMonth(year: FinancialYear(startYear: 2026), month: 2),
            previousRiskAdjusted: Money(pence: 100_000), previousGap: Money(pence: 0), forecastChange: Money(pence: 20),
            schemes: [])
        #expect(ViewBuilder.movementView(movement).summary == "Risk-adjusted forecast unchanged since M2.")
        var better = movement
        better.forecastChange = Money(pence: 150_000)
        #expect(ViewBuilder.movementView(better).summary == "Risk-adjusted forecast £1,500 better than at M2.")
    }

    @Test("A commissioner with no data gets a pack that says so, with its QIPP gap not rated green")
    func emptyCommissioner() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += (text.hasSuffix("\n") ? "" : "\n") + "00Z,NHS Zed CCG,20000,30000000,0,CCG\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: log)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period)
        let empty = try #require(packs.first { $0.code == "00Z" })
        let view = ViewBuilder.pack(empty, warnings: [Diagnostic]())
        #expect(view.isEmpty && view.emptyNotice.contains("NHS Zed CCG (00Z)"))
        let gap = try #require(view.ratings.first)
        #expect(gap.ragLabel != "Green", "\(gap)")
        #expect(gap.rule == "no QIPP target and no schemes: not rated")
        // A commissioner with data has no such notice.
        let full = try #require(packs.first { $0.code == "00A" })
        #expect(!ViewBuilder.pack(full, warnings: [Diagnostic]()).isEmpty)
    }

    @Test("Measures read 1,234 as money does; dd/mm/yyyy dates are read; a form not read is named as such")
    func metricForms() throws {
        let (dataset, log) = try MetricsTests.load([
            "metrics.csv": MetricsTests.header
                + "AE,A&E,00B,01/04/2026,\"1,234.5\",,\nAE,A&E,00B,2026-05,\"12,345\",,\n"
                + "AE,A&E,00B,2026/06/01,1,,\nAE,A&E,00B,2026-02-30,1,,\nAE,A&E,00B,2026-07,\"1,23\",,\n"
        ])
        let points = try #require(dataset?.metrics)
        #expect(points.map(\.value) == [1234.5, 12345])
        #expect(points.first?.date == "2026-04-01" && points.first?.written == "01/04/2026")
        let messages = log.errors.map { "\($0.location.line) \($0.code) \($0.message)" }
        #expect(
            messages == [
                "4 value.date not a date in a form BoardPack reads (YYYY-MM-DD, YYYY-MM or day first dd/mm/yyyy)",
                "5 value.date not a date that exists", "6 value.number not a plain number",
            ], "\(messages)")
    }

    @Test("A special cause in a table says what it means where a direction is set")
    func specialCauseText() {
        #expect(ViewBuilder.specialCause(-1, rules: [.shift], direction: .down) == "Low (shift): improvement")
        #expect(ViewBuilder.specialCause(1, rules: [.shift], direction: .down) == "High (shift): concern")
        #expect(ViewBuilder.specialCause(1, rules: [.shift], direction: .up) == "High (shift): improvement")
        #expect(ViewBuilder.specialCause(-1, rules: [.shift], direction: .neither) == "Low (shift)")
        #expect(ViewBuilder.specialCause(0, rules: [], direction: .up) == "")
    }

    @Test("boardpack spc names the side of a neutral special cause, and its advice names no setting it does not read")
    func spcNeutral() throws {
        // Twelve points about 10, then eight at 20: a shift up.
        let values = [10, 11, 9, 10, 10, 11, 9, 10, 11, 9, 10, 10, 20, 21, 19, 20, 20, 21, 19, 20]
        let csv =
            "date,value\n"
            + values.enumerated().map { i, value in
                "\(2024 + i / 12)-\(String(format: "%02d", i % 12 + 1)),\(value)"
            }.joined(separator: "\n") + "\n"
        let path = try TestSupport.write(csv, as: "series.csv")
        var options = SPCTool.Options()
        options.direction = .neither
        let output = try #require(try SPCTool.run(path: path, options: options, log: DiagnosticLog()))
        let causes = Set(
            output.csv.split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false)[5]
            })
        #expect(causes.contains("high") && !causes.contains("neither"), "\(causes)")
        let bad = try TestSupport.write("day,amount\n2025-01-01,3\n", as: "series.csv")
        let log = DiagnosticLog()
        _ = try SPCTool.run(path: bad, options: options, log: log)
        let hint = try #require(log.errors.first?.hint)
        #expect(!hint.contains("[columns.") && hint.contains("date and value"), "\(hint)")
    }

    @Test("A measure that ended over a year before the reporting month is shown with its date, and warned of once")
    func staleMeasure() throws {
        let inputs = try TestSupport.temporaryFolder("stale") + "/inputs"
        try FileManager.default.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let rows = (1...12).map { "AE,A&E,SYSTEM,2018-\(String(format: "%02d", $0)),\(70 + $0 % 3),%,\n" }.joined()
        try (MetricsTests.header + rows).write(toFile: inputs + "/metrics.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates), log: log, publish: false)
        #expect(outcome.status == .success, "\(log.sorted)")
        let stale = log.warnings.filter { $0.code == "metric.stale" }
        #expect(stale.count == 1 && stale.first?.value == "2018-12", "\(log.sorted)")
        #expect(stale.first?.location.line == 13)
        let series = try #require(outcome.packs.first?.metrics.first)
        #expect(series.staleSince == "2018-12")
        #expect(ViewBuilder.metricView(series).latest.hasSuffix("(2018-12, over a year before the reporting month)"))
    }

    @Test("A folder with measures and no actuals reports up to its latest measure instead of failing")
    func measuresOnly() throws {
        let inputs = try TestSupport.temporaryFolder("measures-only")
        try FileManager.default.copyItem(
            atPath: TestSupport.fixture("small") + "/organisations.csv", toPath: inputs + "/organisations.csv")
        for name in ["qipp_schemes.csv", "qipp_monthly.csv"] {
            let header = try String(contentsOfFile: TestSupport.root + "/inputs/" + name, encoding: .utf8)
                .split(separator: "\n").first!
            try (header + "\n").write(toFile: inputs + "/" + name, atomically: true, encoding: .utf8)
        }
        try (MetricsTests.header + "AE,A&E,SYSTEM,2019-02,70,%,\nAE,A&E,SYSTEM,2019-03,71,%,\n").write(
            toFile: inputs + "/metrics.csv", atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: inputs, log: log)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        #expect(period.calendarText == "2019-03" && period.month == 12)
    }

    @Test("A published list with no header row is named as such; a provider row with no org_type says to give one")
    func referenceLists() throws {
        let folder = try HostileInputTests.small()
        let path = folder + "/organisations.csv"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        // As the ODS trust list is published: no header, every field quoted.
        try
            (#""RXX","KINGSMOOR HOSPITALS NHS TRUST","Y56","Q72","1 HIGH STREET","","","","","LS1 1AA","19990401","","","0113 000 0000","",""\#n"#
            + #""RYY","RIVERSIDE NHS TRUST","Y61","Q74","2 LOW ROAD","","","","","M1 1AA","19990401","","","0161 000 0000","",""\#n"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let log = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: log)
        let error = try #require(log.errors.first)
        #expect(error.code == "csv.no-header" && error.location.line == 1, "\(log.sorted)")
        #expect(error.message.contains("'RXX', 'KINGSMOOR HOSPITALS NHS TRUST', 'Y56'"), "\(error.message)")
        #expect(error.hint?.contains("org_code") == true)
        // With a header but no org_type column, a trust's row says what is missing.
        let lines = original.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let typeColumn = try #require(header.firstIndex(of: "org_type"))
        let trimmed = lines.map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count == header.count { fields.remove(at: typeColumn) }
            return fields.joined(separator: ",")
        }
        var rows = trimmed.filter { !$0.isEmpty }
        rows.append("RZZ,A Trust NHS Trust" + String(repeating: ",", count: header.count - 3))
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let second = DiagnosticLog()
        _ = try? InputLoader.load(folder: folder, log: second)
        let rzz = second.errors.filter { $0.location.line == rows.count }
        #expect(rzz.count == 1, "\(second.sorted)")
        #expect(rzz.first?.hint?.contains("org_type PROVIDER") == true, "\(second.sorted)")
    }
}
