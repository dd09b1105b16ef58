import ArgumentParser
import BoardPackCore
import BoardPackPipeline
import BoardPackPublish
import BoardPackRender
import Foundation
import Logging

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
            2 usage or configuration error; 3 I/O or internal failure; \
            4 another run held the output folder for longer than --wait.
            """,
        version: "BoardPack \(BoardPackVersion.current)",
        subcommands: [BuildCommand.self, ValidateCommand.self, SampleCommand.self, InitCommand.self, SPCCommand.self],
        defaultSubcommand: BuildCommand.self
    )
}

enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Prints diagnostics to standard error: compiler-style with a summary line,
/// or as one JSON document for machines.
enum DiagnosticPrinter {
    static func print(
        _ log: DiagnosticLog, format: DiagnosticsFormat = .text, quiet: Bool = false,
        more: String = "a build lists every one in diagnostics.csv in its output folder"
    ) {
        let shown = log.diagnostics.filter { $0.severity == .error }.count
        // Repeats of one warning are one group; each kind lists at most DiagnosticGroups.perCode.
        let groups = DiagnosticGroups.group(log.sorted.filter { !(quiet && $0.severity == .warning) })
        let listing = DiagnosticGroups.listing(groups, where: more)
        if format == .json {
            let document = JSONValue.object([
                ("errors", .int(Int64(log.errorCount))),
                ("warnings", .int(Int64(log.warningCount))),
                ("errors_not_listed", .int(Int64(log.errorCount - shown))),
                (
                    "diagnostics",
                    .array(
                        listing.shown.map { g in
                            let d = g.first
                            return .object([
                                ("severity", .string(d.severity.rawValue)),
                                ("code", .string(d.code)),
                                ("file", .string(d.location.file)),
                                ("line", .int(Int64(d.location.line))),
                                ("column", .int(Int64(d.location.column))),
                                ("field", d.field.map(JSONValue.string) ?? .null),
                                ("value", d.value.map(JSONValue.string) ?? .null),
                                ("message", .string(d.message)),
                                ("hint", d.hint.map(JSONValue.string) ?? .null),
                                ("occurrences", .int(Int64(g.count))),
                                ("files", .int(Int64(g.files.count))),
                            ])
                        })
                ),
                ("not_listed", .array(listing.notes.map(JSONValue.string))),
            ])
            FileHandle.standardError.write(Data(document.serialized().utf8))
            return
        }
        var text = ""
        // Values and file names come from the inputs: escaped, so none can drive the terminal.
        for group in listing.shown {
            text += TerminalText.escaped(group.description) + "\n"
        }
        for note in listing.notes { text += "note: " + TerminalText.escaped(note) + "\n" }
        if log.errorCount > shown {
            text += "note: \(log.errorCount - shown) more errors not listed (repeats, or beyond --max-errors)\n"
        }
        if log.errorCount > 0 || (log.warningCount > 0 && !quiet) {
            text += "\(log.errorCount) error\(log.errorCount == 1 ? "" : "s"), "
            text += "\(log.warningCount) warning\(log.warningCount == 1 ? "" : "s")\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + TerminalText.escaped(message) + "\n").utf8))
    }
}

struct InputOptions: ParsableArguments {
    @Option(help: "The input folder.")
    var inputs = "inputs"

    @Option(help: "Stop listing errors after this many (all are still counted).")
    var maxErrors = 100

    @Option(help: "How to print diagnostics on standard error: text or json.")
    var diagnosticsFormat: DiagnosticsFormat = .text

    func validate() throws {
        guard maxErrors > 0 else { throw ValidationError("--max-errors must be at least 1") }
    }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Log lines on standard error: text or json (one object per line, for cron).")
    var logFormat: LogFormat = .text

    @Flag(name: .shortAndLong, help: "Print errors only.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print more detail, with the time of each stage.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    func logger() -> Logger {
        let level: Logger.Level = quiet ? .error : (verbose ? .debug : .info)
        let format = logFormat
        return Logger(label: "boardpack") { _ in ConsoleLogHandler(format: format, level: level) }
    }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Validate the inputs and write every board pack, or nothing when there is an error.")

    @OptionGroup var input: InputOptions

    @Option(help: "The output folder; replaced as a whole only when every pack is written.")
    var out = "outputs"

    @Flag(help: "Replace --out even when it holds files that are not a previous BoardPack output.")
    var force = false

    @Option(
        help: """
            The templates folder (html/ and markdown/ inside). Default: templates/ when there is one here, \
            else the built-in templates.
            """
    )
    var templates: String?

    @Option(help: "The reporting month as YYYY-MM (calendar). Default: the latest month with actuals.")
    var period: String?

    @Option(
        name: .customLong("commissioner"),
        help: "Build only this commissioner's pack (repeatable); the index lists the packs built.")
    var commissioners: [String] = []

    @Option(help: "Seconds to wait while another run is writing the same output folder (then exit 4).")
    var wait = 30

    @Option(help: "The configuration file. Default: boardpack.toml in the input folder, when present.")
    var config: String?

    @Option(
        help:
            "Comma-separated formats of each pack: html, md, pdf (pdf prints the HTML with headless Chromium), docx (Word)."
    )
    var format = "html,md"

    @Option(help: "Seconds headless Chromium may take to print one pack to PDF; then the build fails (exit 3).")
    var pdfTimeout = 120

    @Option(
        help:
            "A Word document (.docx) whose styles the docx packs take, as pandoc's reference document (--format docx).")
    var docxReference: String?

    @Option(help: "Worker threads for reading and rendering (default: every core); the packs do not depend on it.")
    var threads: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if case .failure(let error) = PackFormat.parseList(format) { throw ValidationError(error.description) }
        if let period, FinancialMonth(calendarText: period) == nil {
            throw ValidationError("--period must be a calendar month written YYYY-MM, e.g. 2026-10")
        }
        guard wait >= 0 else { throw ValidationError("--wait must be 0 or more seconds") }
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more") }
        guard pdfTimeout >= 1 else { throw ValidationError("--pdf-timeout must be 1 or more seconds") }
        if docxReference != nil, !format.lowercased().contains("docx") {
            throw ValidationError("--docx-reference styles the Word packs: add docx to --format")
        }
    }

    /// `templates/` in the working folder when it is a folder, else the built-in templates.
    static func defaultTemplates() -> String {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: "templates", isDirectory: &isFolder)
        return exists && isFolder.boolValue ? "templates" : PackRenderer.builtInFolder
    }

    func run() throws {
        let log = DiagnosticLog(maxErrors: input.maxErrors)
        var options = BuildOptions(
            inputs: input.inputs, output: out, templates: templates ?? Self.defaultTemplates(),
            period: period.flatMap(FinancialMonth.init(calendarText:)), commissioners: commissioners, wait: wait,
            config: config)
        if case .success(let formats) = PackFormat.parseList(format) { options.formats = formats }
        options.threads = threads
        options.force = force
        options.pdfTimeout = pdfTimeout
        options.docxReference = docxReference
        Interruption.shared.install()
        let logger = output.logger()
        let progress = ProgressLine(enabled: !output.quiet)
        let outcome = Pipeline.build(options, log: log, logger: logger, progress: progress.update)
        // A signal that stopped the run prints its own line and exits: no failure of a write it
        // refused is reported as an error of its own.
        Interruption.shared.waitIfStopping()
        progress.finish()
        if output.verbose {
            for timing in outcome.timings {
                logger.debug(
                    "stage",
                    metadata: ["stage": "\(timing.stage)", "seconds": "\(String(format: "%.3f", timing.seconds))"])
            }
        }
        DiagnosticPrinter.print(
            log, format: input.diagnosticsFormat, quiet: output.quiet,
            more: outcome.status == .success
                ? "every one is listed in \(out)/diagnostics.csv"
                : "a successful build lists every one in diagnostics.csv")
        if let failure = outcome.failure { DiagnosticPrinter.fail(failure) }
        guard outcome.status == .success, let period = outcome.period else {
            if outcome.status == .inputErrors {
                FileHandle.standardError.write(Data("nothing was published: fix the errors above\n".utf8))
            }
            throw ExitCode(outcome.status.rawValue)
        }
        guard !output.quiet else { return }
        Swift.print(
            TerminalText.escaped(
                "Built \(outcome.packs.count) pack\(outcome.packs.count == 1 ? "" : "s") for \(period) (\(period.longName)) in \(out)/"
            ))
        for pack in outcome.packs {
            Swift.print(TerminalText.escaped("  \(out)/\(pack.code)/  \(pack.name)"))
        }
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Read and validate the inputs only; write nothing.")

    @OptionGroup var input: InputOptions

    @Option(help: "The configuration file. Default: boardpack.toml in the input folder, when present.")
    var config: String?

    func run() throws {
        let log = DiagnosticLog(maxErrors: input.maxErrors)
        // The configuration says how the inputs are read (local column names, adjustment lines).
        var settings = IngestSettings()
        var options = BuildOptions(inputs: input.inputs, output: "", templates: "")
        options.config = config
        if let path = options.configPath {
            guard let rules = Configuration.load(path: path, log: log) else {
                DiagnosticPrinter.print(log, format: input.diagnosticsFormat)
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            settings = rules.ingest
        }
        let (dataset, outcome) = Pipeline.validate(inputs: input.inputs, log: log, settings: settings)
        DiagnosticPrinter.print(log, format: input.diagnosticsFormat)
        if let failure = outcome.failure { DiagnosticPrinter.fail(failure) }
        guard outcome.status == .success, let dataset else { throw ExitCode(outcome.status.rawValue) }
        let rows = dataset.submissions.reduce(0) { $0 + $1.rowsRead }
        let superseded = dataset.submissions.reduce(0) { $0 + $1.rowsSuperseded }
        Swift.print(
            "OK: \(dataset.commissioners.count) commissioner\(dataset.commissioners.count == 1 ? "" : "s"), "
                + "\(dataset.schemes.count) scheme\(dataset.schemes.count == 1 ? "" : "s"), "
                + "\(dataset.submissions.count) submissions (\(rows) rows, \(superseded) superseded by later submissions)"
        )
    }
}
