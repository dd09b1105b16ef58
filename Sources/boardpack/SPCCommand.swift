import ArgumentParser
import BoardPackAnalysis
import BoardPackCore
import BoardPackPipeline
import Foundation

extension SPCDirection: ExpressibleByArgument {}

struct SPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spc",
        abstract: "Run the pack's SPC engine (XmR, Making Data Count) on a series in a CSV of date,value.",
        discussion: """
            Prints the points as CSV (date,value,mean,lpl,upl,special_cause,rule,group) on stdout, and one \
            line per rebase group on stderr: its variation and assurance. Dates are YYYY-MM-DD (daily or weekly \
            series) or YYYY-MM (monthly). The rules are NHSRplotthedots 0.2.2's (docs/figures.md, SPC).
            """)

    @Argument(help: "The series: a CSV file with the columns date and value.")
    var file: String

    @Option(help: "Which way is better: up, down or neither.")
    var improvement: SPCDirection = .up

    @Option(help: "A target, for the assurance.")
    var target: Double?

    @Option(help: "A date from which the limits are recalculated (repeatable).")
    var rebase: [String] = []

    @Option(name: .customLong("fix-after"), help: "Take each group's limits from its first N points only.")
    var fixAfter: Int?

    @Flag(name: .customLong("no-screen"), help: "Keep every moving range (no screening at 3.267 × their mean).")
    var noScreen = false

    @Option(help: "Also write the chart to this SVG file.")
    var svg: String?

    @Option(help: "Points in a row on one side of the mean that make a shift.")
    var runLength: Int = 7

    @Option(help: "Points in a row each higher (or lower) than the one before that make a trend.")
    var trendLength: Int = 7

    func validate() throws {
        guard (2...50).contains(runLength), (3...50).contains(trendLength) else {
            throw ValidationError("--run-length must be 2 to 50 and --trend-length 3 to 50")
        }
        if let fixAfter, fixAfter < 2 { throw ValidationError("--fix-after must be at least 2") }
    }

    func run() throws {
        var options = SPCTool.Options()
        options.direction = improvement
        options.target = target
        options.rebase = rebase
        options.rules.fixAfterPoints = fixAfter
        options.rules.screenMovingRanges = !noScreen
        options.rules.runLength = runLength
        options.rules.trendLength = trendLength
        let log = DiagnosticLog()
        let output: SPCTool.Output?
        do {
            output = try SPCTool.run(path: file, options: options, log: log)
        } catch {
            DiagnosticPrinter.fail(String(describing: error))
            throw ExitCode(ExitStatus.inputErrors.rawValue)
        }
        DiagnosticPrinter.print(log, format: .text)
        guard let output else { throw ExitCode(ExitStatus.inputErrors.rawValue) }
        if let svg {
            let title = "SPC: " + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            do {
                try Data(output.svg(title: title, options: options).utf8).write(to: URL(fileURLWithPath: svg))
            } catch {
                DiagnosticPrinter.fail("\(svg): cannot write the chart: \(error.localizedDescription)")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
        print(output.csv, terminator: "")
        for line in output.summary { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
