import BoardPackAnalysis
import BoardPackCore
import BoardPackPipeline
import BoardPackRender
import Foundation
import Testing

@Suite("Configuration and embedded templates")
struct ConfigurationTests {
    @Test("The file `init` writes parses to the defaults")
    func defaults() {
        let log = DiagnosticLog()
        #expect(Configuration.parse(Configuration.defaultText, file: "b.toml", log: log) == Rules())
        #expect(log.diagnostics.isEmpty)
    }

    @Test("Settings are read; comments and blank lines are ignored")
    func settings() throws {
        let log = DiagnosticLog()
        let rules = try #require(
            Configuration.parse(
                "# c\n[rag]  # table\ngreen_at_percent = 90 # ninety\namber_at_percent=70\nuse_reported_rag = true\n",
                file: "b.toml", log: log))
        #expect(rules.greenAtPercent == 90 && rules.amberAtPercent == 70 && rules.useReportedRAG)
    }

    @Test(
        "Bad configuration is a located error",
        arguments: [
            ("[rag]\ngreen_at_percent = 101\n", "config.value", 2),
            ("[rag]\nshiny = 1\n", "config.unknown-key", 2),
            ("[risk]\n", "config.unknown-table", 1),
            ("[rag]\ngreen_at_percent = 90\ngreen_at_percent = 91\n", "config.duplicate-key", 3),
            ("[rag]\nuse_reported_rag = yes\n", "config.value", 2),
            ("[rag]\ngreen_at_percent\n", "config.syntax", 2),
            ("[rag]\ngreen_at_percent = 50\namber_at_percent = 60\n", "config.value", 3),
        ])
    func bad(text: String, code: String, line: Int) {
        let log = DiagnosticLog()
        #expect(Configuration.parse(text, file: "b.toml", log: log) == nil)
        #expect(log.errors.first?.code == code)
        #expect(log.errors.first?.location.line == line)
    }

    @Test("use_reported_rag takes the tracker's rating and says so")
    func reportedRAG() {
        var rules = Rules()
        rules.useReportedRAG = true
        let scheme = Scheme(
            id: "S", commissioner: ShortCode("00A")!, name: "n", programme: "p", sro: "s", stage: .implementing,
            recurrence: .recurrent, annualTarget: .pounds(1_200), reportedRAG: .green,
            months: [
                SchemeMonth(
                    period: FinancialMonth(calendarText: "2026-04")!, planned: .pounds(100), actual: .pounds(10))
            ])
        let figures = Analysis.schemeFigures(scheme, period: FinancialMonth(calendarText: "2026-04")!, rules: rules)
        #expect(figures.rag == .green)
        #expect(figures.ragRule.hasPrefix("tracker rating used"))
        #expect(Analysis.schemeFigures(scheme, period: FinancialMonth(calendarText: "2026-04")!).rag == .red)
    }

    @Test("The templates built into the binary for `init` are the ones in templates/")
    func embeddedTemplates() throws {
        let onDisk = TestSupport.files(under: TestSupport.templates)
        #expect(DefaultTemplates.files.map(\.path).sorted() == onDisk)
        for file in DefaultTemplates.files {
            let disk = try #require(TestSupport.read(TestSupport.templates + "/" + file.path))
            #expect(Data(file.contents.utf8) == disk, "\(file.path): run scripts/gen-default-templates")
        }
    }
}
