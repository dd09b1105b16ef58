import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import BoardPackPipeline
import Foundation
import Testing

/// The bad-input corpus: each folder under `BadInputs/` holds files that
/// replace or join the `small` fixture (`files/…`), the diagnostics expected
/// (`expected.txt`: severity, code, file, line, column; -1 for "any"), and
/// optionally the reporting period to build for (`period.txt`).
@Suite("Bad-input corpus")
struct BadInputTests {
    static let corpus = TestSupport.root + "/Tests/BoardPackTests/BadInputs"
    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    struct Expected: CustomStringConvertible {
        let severity: String
        let code: String
        let file: String
        let line: Int
        let column: Int

        func matches(_ d: Diagnostic, root: String) -> Bool {
            d.severity.rawValue == severity && d.code == code && d.location.file == root + "/" + file
                && (line < 0 || d.location.line == line) && (column < 0 || d.location.column == column)
        }

        var description: String { "\(severity) \(code) \(file):\(line):\(column)" }
    }

    static func expected(_ name: String) throws -> [Expected] {
        let text = try String(contentsOfFile: corpus + "/" + name + "/expected.txt", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let p = line.split(separator: " ").map(String.init)
            return Expected(severity: p[0], code: p[1], file: p[2], line: Int(p[3])!, column: Int(p[4])!)
        }
    }

    /// Copies the small fixture, lays the case's files over it, and builds in memory.
    static func run(_ name: String) throws -> (DiagnosticLog, String) {
        let fm = FileManager.default
        let inputs = try TestSupport.temporaryFolder("bad") + "/inputs"
        try fm.copyItem(atPath: TestSupport.fixture("small"), toPath: inputs)
        let files = corpus + "/" + name + "/files"
        for relative in TestSupport.files(under: files) {
            let target = inputs + "/" + relative
            try? fm.removeItem(atPath: target)
            try fm.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: files + "/" + relative, toPath: target)
        }
        let periodText = try? String(contentsOfFile: corpus + "/" + name + "/period.txt", encoding: .utf8)
        let period = periodText.flatMap {
            FinancialMonth(calendarText: $0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let log = DiagnosticLog()
        _ = Pipeline.build(
            BuildOptions(inputs: inputs, output: "", templates: TestSupport.templates, period: period), log: log,
            publish: false)
        return (log, inputs)
    }

    @Test("The corpus has at least 40 cases across CSV and XML")
    func size() {
        #expect(Self.cases.count >= 40)
        #expect(Self.cases.filter { $0.hasPrefix("xml-") }.count >= 10)
    }

    @Test("Each bad input gives its expected diagnostic, and no unexpected error", arguments: cases)
    func badInput(name: String) throws {
        let expected = try Self.expected(name)
        let (log, root) = try Self.run(name)
        for e in expected {
            #expect(
                log.diagnostics.contains { e.matches($0, root: root) },
                "expected \(e); got:\n\(log.sorted.map(\.description).joined(separator: "\n"))")
        }
        for error in log.diagnostics where error.severity == .error {
            #expect(
                expected.contains { $0.severity == "error" && $0.code == error.code },
                "unexpected error: \(error)")
        }
        if expected.contains(where: { $0.severity == "error" }) {
            #expect(log.hasErrors)
        }
    }
}
