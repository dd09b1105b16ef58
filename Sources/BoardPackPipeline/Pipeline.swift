import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import BoardPackRender
import Foundation

/// The documented exit codes of `boardpack` (README, "Exit codes").
public enum ExitStatus: Int32, Sendable {
    /// Success; warnings allowed.
    case success = 0
    /// The inputs have errors; nothing was published.
    case inputErrors = 1
    /// A usage or configuration error (bad option, missing or broken template).
    case usage = 2
    /// An I/O or internal failure.
    case failure = 3
}

public struct BuildOptions: Sendable {
    public var inputs: String
    public var output: String
    public var templates: String
    public var period: FinancialMonth?

    public init(inputs: String, output: String, templates: String, period: FinancialMonth? = nil) {
        self.inputs = inputs
        self.output = output
        self.templates = templates
        self.period = period
    }
}

/// What a build produced, or why it stopped.
public struct BuildOutcome: Sendable {
    public var status: ExitStatus
    /// A failure that is not an input diagnostic (missing file, bad template, I/O).
    public var failure: String?
    public var period: FinancialMonth?
    public var packs: [PackFigures] = []
    public var files: [Publisher.File] = []
}

/// ingest → analysis → render → publish. Only this module sees every stage.
public enum Pipeline {
    /// Reads and validates the inputs only.
    public static func validate(inputs: String, log: DiagnosticLog) -> (Dataset?, BuildOutcome) {
        do {
            let dataset = try InputLoader.load(folder: inputs, log: log)
            return (dataset, BuildOutcome(status: log.hasErrors ? .inputErrors : .success))
        } catch let error as InputError {
            if case .readFailed = error { return (nil, BuildOutcome(status: .failure, failure: error.description)) }
            return (nil, BuildOutcome(status: .inputErrors, failure: error.description))
        } catch {
            return (nil, BuildOutcome(status: .failure, failure: String(describing: error)))
        }
    }

    /// Renders every pack in memory; publishes only when there is no error.
    public static func build(_ options: BuildOptions, log: DiagnosticLog, publish: Bool = true) -> BuildOutcome {
        let renderer: PackRenderer
        do {
            renderer = try PackRenderer(templatesFolder: options.templates)
        } catch {
            return BuildOutcome(status: .usage, failure: String(describing: error))
        }
        let (loaded, validation) = validate(inputs: options.inputs, log: log)
        guard let dataset = loaded, validation.status == .success else { return validation }
        guard let period = options.period ?? Analysis.latestMonthWithActuals(dataset) else {
            return BuildOutcome(status: .inputErrors, failure: AnalysisError.noActuals.description)
        }
        checkPeriod(dataset, period: period, log: log)
        if log.hasErrors { return BuildOutcome(status: .inputErrors, period: period) }
        var outcome = BuildOutcome(status: .success, period: period)
        outcome.packs = Analysis.packs(dataset, period: period)
        // Packs name input files relative to the input folder, so that the same
        // inputs give the same bytes wherever they are.
        var root = options.inputs
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        let warnings = log.sorted.filter { $0.severity == .warning }.map { diagnostic in
            var relative = diagnostic
            if relative.location.file.hasPrefix(root + "/") {
                relative.location.file.removeFirst(root.count + 1)
            }
            return relative
        }
        outcome.files = files(for: outcome.packs, renderer: renderer, warnings: warnings)
        if publish {
            do {
                try Publisher.publish(outcome.files, to: options.output)
            } catch {
                outcome.status = .failure
                outcome.failure = String(describing: error)
            }
        }
        return outcome
    }

    /// Data for a financial year after the reporting year is an error: the
    /// period is probably wrong, or the data is. Earlier years are history.
    public static func checkPeriod(_ dataset: Dataset, period: FinancialMonth, log: DiagnosticLog) {
        for submission in dataset.submissions {
            if let latest = submission.latestPeriod, latest.year > period.year {
                log.error(
                    "period.future-year", submission.latestPeriodLocation ?? SourceLocation(file: submission.path),
                    field: "financial_year", value: String(latest.year.acmCode),
                    "the submission holds \(latest.year), after the reporting year \(period.year)",
                    hint: "check --period, or remove the later data")
            }
        }
        for scheme in dataset.schemes {
            if let month = scheme.months.first(where: { $0.period.year > period.year }) {
                log.error(
                    "period.future-year", month.location ?? scheme.location ?? SourceLocation(file: "qipp"),
                    field: "financial_year", value: String(month.period.year.acmCode),
                    "scheme \(scheme.id) has months in \(month.period.year), after the reporting year \(period.year)",
                    hint: "check --period, or remove the later months")
            }
        }
    }

    public static func files(for packs: [PackFigures], renderer: PackRenderer, warnings: [Diagnostic])
        -> [Publisher.File]
    {
        var files: [Publisher.File] = []
        for pack in packs {
            let view = ViewBuilder.pack(pack, warnings: warnings)
            files.append(.init(path: "\(pack.code)/board-pack.html", contents: renderer.render(pack: view, as: .html)))
            files.append(
                .init(path: "\(pack.code)/board-pack.md", contents: renderer.render(pack: view, as: .markdown)))
            files.append(.init(path: "\(pack.code)/figures.json", contents: FiguresJSON.document(pack).serialized()))
        }
        let index = ViewBuilder.index(packs)
        files.append(.init(path: "index.html", contents: renderer.render(index: index, as: .html)))
        files.append(.init(path: "index.md", contents: renderer.render(index: index, as: .markdown)))
        return files
    }
}
