import ArgumentParser
import BoardPackCore
import BoardPackPipeline
import Foundation

@main
struct BoardPackMain {
    static func main() {
        do {
            var command = try BoardPackCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = BoardPackCommand.exitCode(for: error)
            if code == .success {
                BoardPackCommand.exit(withError: error)
            }
            // Every usage error exits 2, as documented.
            FileHandle.standardError.write(Data((BoardPackCommand.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage.rawValue)
        }
    }
}

struct BoardPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boardpack",
        abstract: "QIPP and contract-monitoring board packs for NHS commissioners.",
        discussion: """
            Exit codes: 0 success (warnings allowed); 1 input errors, nothing published; \
            2 usage or configuration error; 3 I/O or internal failure.
            """,
        version: "BoardPack 0.1.0",
        subcommands: [BuildCommand.self, ValidateCommand.self, SampleCommand.self],
        defaultSubcommand: BuildCommand.self
    )
}

/// Prints diagnostics compiler-style to standard error, with a summary line.
enum DiagnosticPrinter {
    static func print(_ log: DiagnosticLog) {
        var text = ""
        for diagnostic in log.sorted { text += diagnostic.description + "\n" }
        if log.errorCount > log.maxErrors {
            text += "note: \(log.errorCount - log.maxErrors) more errors not shown (raise --max-errors)\n"
        }
        if log.errorCount > 0 || log.warningCount > 0 {
            text += "\(log.errorCount) error\(log.errorCount == 1 ? "" : "s"), "
            text += "\(log.warningCount) warning\(log.warningCount == 1 ? "" : "s")\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }
}

struct InputOptions: ParsableArguments {
    @Option(help: "The input folder.")
    var inputs = "inputs"

    @Option(help: "Stop listing errors after this many (all are still counted).")
    var maxErrors = 100

    func validate() throws {
        guard maxErrors > 0 else { throw ValidationError("--max-errors must be at least 1") }
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Validate the inputs and write every board pack, or nothing when there is an error.")

    @OptionGroup var input: InputOptions

    @Option(help: "The output folder; replaced as a whole only when every pack is written.")
    var out = "outputs"

    @Option(help: "The templates folder (html/ and markdown/ inside).")
    var templates = "templates"

    @Option(help: "The reporting month as YYYY-MM (calendar). Default: the latest month with actuals.")
    var period: String?

    func validate() throws {
        if let period, FinancialMonth(calendarText: period) == nil {
            throw ValidationError("--period must be a calendar month written YYYY-MM, e.g. 2026-10")
        }
    }

    func run() throws {
        let log = DiagnosticLog(maxErrors: input.maxErrors)
        let options = BuildOptions(
            inputs: input.inputs, output: out, templates: templates,
            period: period.flatMap(FinancialMonth.init(calendarText:)))
        let outcome = Pipeline.build(options, log: log)
        DiagnosticPrinter.print(log)
        if let failure = outcome.failure { DiagnosticPrinter.fail(failure) }
        guard outcome.status == .success, let period = outcome.period else {
            if outcome.status == .inputErrors {
                FileHandle.standardError.write(Data("nothing was published: fix the errors above\n".utf8))
            }
            throw ExitCode(outcome.status.rawValue)
        }
        Swift.print(
            "Built \(outcome.packs.count) pack\(outcome.packs.count == 1 ? "" : "s") for \(period) (\(period.longName)) in \(out)/"
        )
        for pack in outcome.packs {
            Swift.print("  \(out)/\(pack.code)/  \(pack.name)")
        }
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Read and validate the inputs only; write nothing.")

    @OptionGroup var input: InputOptions

    func run() throws {
        let log = DiagnosticLog(maxErrors: input.maxErrors)
        let (dataset, outcome) = Pipeline.validate(inputs: input.inputs, log: log)
        DiagnosticPrinter.print(log)
        if let failure = outcome.failure { DiagnosticPrinter.fail(failure) }
        guard outcome.status == .success, let dataset else { throw ExitCode(outcome.status.rawValue) }
        let rows = dataset.submissions.reduce(0) { $0 + $1.rowsRead }
        let superseded = dataset.submissions.reduce(0) { $0 + $1.rowsSuperseded }
        Swift.print(
            "OK: \(dataset.commissioners.count) commissioners, \(dataset.schemes.count) schemes, "
                + "\(dataset.submissions.count) submissions (\(rows) rows, \(superseded) superseded by later submissions)"
        )
    }
}
