import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import BoardPackPublish
import BoardPackRender
import Foundation
import Logging

/// ingest → analysis → render → publish. Only this module sees every stage.
public enum Pipeline {
    /// Reads and validates the inputs only.
    public static func validate(
        inputs: String, log: DiagnosticLog, settings: IngestSettings = IngestSettings(),
        progress: ((InputLoader.Progress) -> Void)? = nil, threads: Int? = nil
    ) -> (Dataset?, BuildOutcome) {
        do {
            let dataset = try InputLoader.load(
                folder: inputs, log: log, settings: settings, progress: progress, threads: threads)
            return (dataset, BuildOutcome(status: log.hasErrors ? .inputErrors : .success))
        } catch let error as InputError {
            if case .readFailed = error { return (nil, BuildOutcome(status: .failure, failure: error.description)) }
            return (nil, BuildOutcome(status: .inputErrors, failure: error.description))
        } catch {
            return (nil, BuildOutcome(status: .failure, failure: String(describing: error)))
        }
    }

    /// Renders every pack in memory; publishes only when there is no error.
    public static func build(
        _ options: BuildOptions, log: DiagnosticLog, publish: Bool = true,
        logger: Logger = Logger(label: "boardpack", factory: { _ in SwiftLogNoOpLogHandler() }),
        progress: ((InputLoader.Progress) -> Void)? = nil
    ) -> BuildOutcome {
        var clock = Stopwatch()
        // Before anything is read or written: may this output folder be replaced at all?
        var destination = options.output
        if publish {
            do {
                destination = try OutputFolder.resolve(
                    options.output, kind: .packs, inputs: options.inputs, force: options.force)
            } catch {
                return BuildOutcome(status: .usage, failure: String(describing: error))
            }
        }
        let configPath = options.configPath
        // The configuration's identity as it is read, for the manifest's list of files read.
        let configStatus = configPath.map { FileStatus.of($0) }
        var rules = Rules()
        if let configPath {
            guard let loaded = Configuration.load(path: configPath, log: log) else {
                return BuildOutcome(status: .usage)
            }
            rules = loaded
        }
        let renderer: PackRenderer
        do {
            if options.templates == PackRenderer.builtInFolder {
                logger.info(
                    "no templates folder here: using the built-in templates (boardpack init DIR writes a copy to edit)")
            }
            renderer = try PackRenderer(templatesFolder: options.templates)
        } catch {
            return BuildOutcome(status: .usage, failure: String(describing: error))
        }
        var docxStyles: String?
        if let reference = options.docxReference {
            do {
                docxStyles = try DocxPackage.referenceStyles(path: reference)
            } catch {
                log.error(
                    "config.docx-reference", SourceLocation(file: reference), String(describing: error),
                    hint: "give a .docx saved by Word or LibreOffice (File, Save As, Word Document)")
                return BuildOutcome(status: .usage)
            }
        }
        var printer: PDFPrinter?
        if options.formats.contains(.pdf) {
            guard var found = PDFPrinter.find() else {
                return BuildOutcome(status: .failure, failure: PDFError.noBrowser.description)
            }
            found.timeout = options.pdfTimeout
            printer = found
        }
        // Held until this function returns: no other run writes this output folder meanwhile.
        var lock: OutputLock?
        if publish {
            do {
                lock = try OutputLock(destination: destination, wait: options.wait)
            } catch let error as PublishError {
                if case .busy = error { return BuildOutcome(status: .busy, failure: error.description) }
                return BuildOutcome(status: .failure, failure: error.description)
            } catch {
                return BuildOutcome(status: .failure, failure: String(describing: error))
            }
            Publisher.removeLeftovers(of: destination)
        }
        defer { withExtendedLifetime(lock) {} }
        _ = clock.lap("prepare")
        let (loaded, validation) = validate(
            inputs: options.inputs, log: log, settings: rules.ingest, progress: progress, threads: options.threads)
        guard let dataset = loaded, validation.status == .success else { return validation }
        // The one list of files read; hashed in the background while the packs are made.
        let filesRead = FileRead.all(
            options: options, dataset: dataset, templates: renderer.files, configuration: configStatus)
        let inputDigests = publish ? InputDigests(files: filesRead) : nil
        // However the build ends, the hashing thread has stopped before it returns: a process that
        // exits while that thread is inside libcrypto would crash in libcrypto's exit handler.
        defer { _ = inputDigests?.stop() }
        let ingestSeconds = clock.lap("ingest")
        let rows = dataset.submissions.reduce(0) { $0 + $1.rowsRead }
        logger.info(
            "read the inputs",
            metadata: [
                "submissions": "\(dataset.submissions.count)", "rows": "\(rows)",
                "seconds": "\(String(format: "%.3f", ingestSeconds))",
            ])
        guard let period = options.period ?? Analysis.latestMonthWithActuals(dataset) else {
            return BuildOutcome(status: .inputErrors, failure: AnalysisError.noActuals.description)
        }
        checkPeriod(dataset, period: period, log: log)
        if log.hasErrors { return BuildOutcome(status: .inputErrors, period: period) }
        var outcome = BuildOutcome(status: .success, period: period)
        let known = Set(dataset.commissioners.map(\.code.description))
        if let paper = rules.paper {
            for (code, location) in paper.tables.sorted(by: { $0.value.line < $1.value.line })
            where !known.contains(code) {
                log.error(
                    "config.value", location, value: "paper.\(code)",
                    "a cover sheet for \(code), which is not a commissioner in the inputs",
                    hint: "the commissioners are " + known.sorted().joined(separator: ", "))
            }
            if log.hasErrors { return BuildOutcome(status: .usage, period: period) }
        }
        let wanted = Set(options.commissioners.map { $0.uppercased() })
        if let unknown = wanted.subtracting(known).sorted().first {
            return BuildOutcome(
                status: .usage,
                failure:
                    "--commissioner \(unknown): not a commissioner in organisations.csv (\(known.sorted().joined(separator: ", ")))"
            )
        }
        var packs = Analysis.packs(dataset, period: period, rules: rules)
        // A scheme linked to activity the inputs do not hold: its patient impact says nothing.
        let locations = Dictionary(dataset.schemes.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        for impact in packs.filter({ $0.scope != .system }).flatMap(\.patientImpact) where impact.linesFound == 0 {
            log.warning(
                "qipp.link-no-activity",
                (locations[impact.schemeID] ?? nil) ?? SourceLocation(file: "qipp_schemes.csv"),
                field: "provider_code", value: impact.schemeID,
                "the scheme links to \(impact.provider) \(impact.pointOfDelivery)"
                    + (impact.treatmentFunction.map { " TFC \($0)" } ?? "")
                    + ", but the inputs hold no contract activity for it in the months compared",
                hint: "check the scheme's provider_code, point_of_delivery_code and activity_treatment_function_code")
        }
        // A scheme of an older plan (every month before the reporting year, and not the previous
        // year's delivered scheme kept for its benefits) is in no table: say so where it is.
        for scheme in dataset.schemes
        where !Analysis.isInPlanYear(scheme, period: period) && !Analysis.isCarried(scheme, period: period) {
            log.warning(
                "qipp.earlier-plan", scheme.location ?? SourceLocation(file: "qipp_schemes.csv"), field: "scheme_id",
                value: scheme.id,
                "the scheme's monthly rows are all for \(scheme.planYear(reporting: period.year)) or earlier, so it is "
                    + "not in the \(period.year) plan"
                    + (scheme.stage == .delivered ? "" : " (only a DELIVERED scheme of the previous year is carried)"),
                hint: "add its \(period.year) rows to qipp_monthly.csv, or remove it from the tracker")
        }
        // A scheme's best case below its most likely (risk-adjusted) forecast, or its worst above it.
        for f in packs.filter({ $0.scope != .system }).flatMap(\.schemes) {
            let location = (locations[f.scheme.id] ?? nil) ?? SourceLocation(file: "qipp_monthly.csv")
            let likely = f.riskAdjustedForecast
            if let best = f.bestCase, best < likely {
                log.warning(
                    "qipp.scenario-order", location, field: "best_forecast_saving_gbp", value: f.scheme.id,
                    "the scheme's best case \(best) is below its most likely (risk-adjusted) forecast \(likely)",
                    hint: "check the scheme's best_forecast_saving_gbp in qipp_monthly.csv")
            }
            if let worst = f.worstCase, worst > likely {
                log.warning(
                    "qipp.scenario-order", location, field: "worst_forecast_saving_gbp", value: f.scheme.id,
                    "the scheme's worst case \(worst) is above its most likely (risk-adjusted) forecast \(likely)",
                    hint: "check the scheme's worst_forecast_saving_gbp in qipp_monthly.csv")
            }
        }
        // An exception whose latest commentary is from an earlier month: the pack marks it "no update
        // this month"; data quality says so at that commentary's row.
        for pack in packs {
            for f in pack.slippage {
                guard let latest = pack.latestCommentary(.scheme, f.scheme.id), latest.period < period else { continue }
                log.warning(
                    "commentary.stale", latest.location ?? SourceLocation(file: "commentary.csv"), field: "subject_id",
                    value: f.scheme.id,
                    "the scheme is behind plan and its latest commentary is for \(latest.period), not \(period)",
                    hint: "add this month's update for \(f.scheme.id) to commentary.csv")
            }
        }
        warnUnshownMetrics(dataset, packs: packs, period: period, rules: rules, log: log)
        warnStaleMetrics(dataset, packs: packs, period: period, log: log)
        if !wanted.isEmpty {
            packs = packs.filter { wanted.contains($0.code) }
        }
        outcome.packs = packs
        _ = clock.lap("analysis")
        // Packs name input files relative to the input folder, so that the same
        // inputs give the same bytes wherever they are.
        let root = options.inputs.withoutTrailingSlashes
        let warnings = log.sorted.filter { $0.severity == .warning }.map { diagnostic in
            var relative = diagnostic
            if relative.location.file.hasPrefix(root + "/") {
                relative.location.file.removeFirst(root.count + 1)
            }
            return relative
        }
        guard publish else {
            do {
                outcome.files = try files(
                    for: outcome.packs, renderer: renderer, warnings: warnings, submissions: dataset.submissions,
                    formats: options.formats, printer: printer, threads: options.threads, docxStyles: docxStyles)
            } catch {
                outcome.status = .failure
                outcome.failure = String(describing: error)
                return outcome
            }
            _ = clock.lap("render")
            outcome.timings = clock.timings
            return outcome
        }
        // Each pack's files go into the staging folder as soon as they are rendered, so the disk is
        // busy writing while later packs render; the folder is swapped into place only when all of
        // it, manifest included, is written and flushed. Any failure leaves the old folder alone.
        do {
            try Publisher.publishFolder(to: destination, kind: .packs) { staging in
                let writer = Publisher.FolderWriter(staging)
                var written: [Manifest.Output] = []
                _ = try files(
                    for: outcome.packs, renderer: renderer,
                    warnings: PackWarnings(warnings, submissions: dataset.submissions), formats: options.formats,
                    printer: printer, threads: options.threads, docxStyles: docxStyles, writer: writer,
                    written: &written)
                // Every warning, one row per occurrence, beside the packs that show them grouped.
                let diagnostics = Publisher.File(path: DiagnosticsCSV.fileName, bytes: DiagnosticsCSV.bytes(warnings))
                try writer.write([diagnostics])
                written.append(try Manifest.Output(diagnostics))
                _ = clock.lap("render")
                let manifest = try Manifest.document(
                    options: options, dataset: dataset, read: filesRead, period: period, files: written, log: log,
                    timings: clock.timings, packs: outcome.packs, inputDigests: inputDigests?.stop() ?? [:])
                try writer.write([Publisher.File(path: "manifest.json", contents: manifest.serialized())])
                _ = clock.lap("manifest")
            }
            _ = clock.lap("publish")
            logger.info(
                "published", metadata: ["packs": "\(outcome.packs.count)", "folder": "\(options.output)"])
        } catch let changed as Manifest.InputChanged {
            outcome.status = .inputErrors
            outcome.failure = changed.description
        } catch {
            outcome.status = .failure
            outcome.failure = String(describing: error)
        }
        outcome.timings = clock.timings
        return outcome
    }

    /// A measure of an organisation that no pack shows (a provider no commissioner names, with
    /// `[metrics] providers = false`, or with one commissioner and so no system pack) is a warning
    /// at its first row, with its row count: never dropped without a word.
    static func warnUnshownMetrics(
        _ dataset: Dataset, packs: [PackFigures], period: FinancialMonth, rules: Rules, log: DiagnosticLog
    ) {
        let shown = Set(packs.flatMap { $0.metrics.map { $0.metricID + "\u{0}" + $0.org } })
        let last = period.calendarText
        var unshown: [String: (first: MetricPoint, rows: Int)] = [:]
        var order: [String] = []
        for point in dataset.metrics where String(point.date.prefix(7)) <= last {
            let key = point.metricID + "\u{0}" + point.org
            guard !shown.contains(key) else { continue }
            if unshown[key] == nil { order.append(key) }
            unshown[key, default: (point, 0)].rows += 1
        }
        for key in order {
            let (point, rows) = unshown[key]!
            let why =
                rules.metricsOfProviders
                ? "no pack shows it: a commissioner's pack shows the measures of the \(rules.contractDetailProviders) "
                    + "providers with its largest contract spend, and only the system pack (built for more than one "
                    + "commissioner) shows every provider's"
                : "no pack shows it: [metrics] providers = false keeps providers' measures to the system pack"
            log.warning(
                "metric.no-pack", point.location ?? SourceLocation(file: "metrics.csv"), field: "org_code",
                value: point.org,
                "\(rows) row\(rows == 1 ? "" : "s") of \(point.metricID) for \(point.org): " + why,
                hint: rules.metricsOfProviders
                    ? "check org_code, or raise [contract] detail_providers (docs/configuration.md)"
                    : "check org_code, or set [metrics] providers = true (docs/configuration.md)")
        }
    }

    /// A measure a pack shows whose latest value is a year or more before the reporting month is
    /// shown with its date (`MetricSeries.staleSince`), and warned of once, at its latest row.
    static func warnStaleMetrics(_ dataset: Dataset, packs: [PackFigures], period: FinancialMonth, log: DiagnosticLog) {
        var staleWarned: Set<String> = []
        let lastRows = Dictionary(
            dataset.metrics.map { ($0.metricID + "\u{0}" + $0.org, $0.location) }, uniquingKeysWith: { _, last in last }
        )
        for series in packs.flatMap(\.metrics) {
            guard let since = series.staleSince, staleWarned.insert(series.metricID + "\u{0}" + series.org).inserted
            else { continue }
            log.warning(
                "metric.stale",
                (lastRows[series.metricID + "\u{0}" + series.org] ?? nil)
                    ?? SourceLocation(file: "metrics.csv"), field: "period", value: since,
                "the latest value of \(series.metricID) for \(series.org) is for \(since), over a year before the "
                    + "reporting month \(period.calendarText); the pack shows it with its date",
                hint: "add its recent values to metrics.csv, or remove the measure")
        }
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

    public static func files(
        for packs: [PackFigures], renderer: PackRenderer, warnings: [Diagnostic], submissions: [Submission] = [],
        formats: [PackFormat] = [.html, .md], printer: PDFPrinter? = nil, threads: Int? = nil,
        docxStyles: String? = nil
    ) throws -> [Publisher.File] {
        var unused: [Manifest.Output] = []
        return try files(
            for: packs, renderer: renderer, warnings: PackWarnings(warnings, submissions: submissions),
            formats: formats,
            printer: printer, threads: threads, docxStyles: docxStyles, writer: nil, written: &unused)
    }

    /// The governing-body paper's file name, without its extension.
    static let paperName = "board-paper"

    /// A pack's Word documents, each written from its HTML page (`pages`: file name and HTML; an
    /// empty page is not written), with the charts also drawn as PNG pictures by `chartPrinter`.
    static func wordDocuments(
        _ pack: PackFigures, view: PackView, pages: [(name: String, html: [UInt8])], styles: String?,
        chartPrinter: PDFPrinter?
    ) throws -> [Publisher.File] {
        let author = pack.paperValue("author")
        var documents: [Publisher.File] = []
        for (name, html) in pages where !html.isEmpty {
            let title =
                name == paperName
                ? "\(view.name): governing-body paper, \(view.reportingMonth)"
                : "\(view.name): \(view.title), \(view.reportingMonth)"
            let draft = DocxPackage.Draft(html: html)
            let fallbacks = try chartPrinter.map { printer in
                try draft.chartSheets.enumerated().flatMap { k, sheet in
                    try sheet.pictures(
                        screenshot: printer.screenshot(
                            html: sheet.page, name: "\(pack.code)/\(name).docx charts \(k + 1)",
                            width: DocxPackage.ChartSheet.width, height: sheet.height))
                }
            }
            documents.append(
                .init(
                    path: "\(pack.code)/\(name).docx",
                    data: try DocxPackage.document(
                        draft, properties: .init(title: title, author: author.isEmpty ? "BoardPack" : author),
                        styles: styles, fallbacks: fallbacks)))
        }
        return documents
    }

    /// Renders the packs; with a `writer`, writes each pack's files as soon as they are rendered,
    /// records in `written` what the manifest needs of them, and returns none of them.
    static func files(
        for packs: [PackFigures], renderer: PackRenderer, warnings: PackWarnings, formats: [PackFormat],
        printer: PDFPrinter?, threads: Int?, docxStyles: String? = nil, writer: Publisher.FolderWriter?,
        written: inout [Manifest.Output]
    ) throws -> [Publisher.File] {
        let html = formats.contains(.html)
        let docx = formats.contains(.docx)
        // Chromium, when installed, also draws the Word packs' charts as PNG pictures.
        let chartPrinter = docx ? (printer ?? PDFPrinter.find()) : nil
        let markdown = formats.contains(.md)
        let pdf = formats.contains(.pdf)
        // Packs are independent: render them on every core, then keep pack order.
        let rendered = IndexedResults<[Publisher.File]>(count: packs.count)
        let outputs = IndexedResults<Result<[Manifest.Output], Error>>(count: packs.count)
        let printed = IndexedResults<Result<[Data], Error>>(count: pdf ? packs.count : 0)
        // With PDF, the workers' files wait for the printed packs: all are written at the end.
        let writeAsRendered = writer != nil && !pdf
        // The system pack is the largest: start it first so that it does not finish alone at the end.
        Parallel.forEach(packs.count, threads: threads) { k in
            let i = (k + packs.count - 1) % packs.count
            let pack = packs[i]
            let view = ViewBuilder.pack(pack, warnings: warnings.forPack(pack))
            var files: [Publisher.File] = []
            var docxError: Error?
            // The governing-body paper beside the committee pack, when boardpack.toml has [paper].
            let paper = pack.rules.paper?.governingBody == true
            if html || pdf || docx {
                let page = renderer.renderBytes(pack: view, as: .html)
                let paperPage = paper ? renderer.renderPaperBytes(pack: view, as: .html) : []
                if html { files.append(.init(path: "\(pack.code)/board-pack.html", bytes: page)) }
                if html, !paperPage.isEmpty {
                    files.append(.init(path: "\(pack.code)/\(Self.paperName).html", bytes: paperPage))
                }
                if docx {
                    do {
                        files += try Self.wordDocuments(
                            pack, view: view, pages: [("board-pack", page), (Self.paperName, paperPage)],
                            styles: docxStyles, chartPrinter: chartPrinter)
                    } catch {
                        docxError = error
                    }
                }
                if pdf, let printer {
                    printed.set(
                        i,
                        Result {
                            var documents = [
                                try printer.print(
                                    html: String(decoding: page, as: UTF8.self), name: "\(pack.code)/board-pack.html")
                            ]
                            if !paperPage.isEmpty {
                                documents.append(
                                    try printer.print(
                                        html: String(decoding: paperPage, as: UTF8.self),
                                        name: "\(pack.code)/\(Self.paperName).html"))
                            }
                            return documents
                        })
                }
            }
            if markdown {
                files.append(
                    .init(
                        path: "\(pack.code)/board-pack.md", bytes: renderer.renderBytes(pack: view, as: .markdown))
                )
                if paper, renderer.hasPaper(.markdown) {
                    files.append(
                        .init(
                            path: "\(pack.code)/\(Self.paperName).md",
                            bytes: renderer.renderPaperBytes(pack: view, as: .markdown)))
                }
                for chart in view.charts {
                    files.append(.init(path: "\(pack.code)/\(chart.file)", contents: chart.fileSVG))
                }
            }
            files.append(
                .init(path: "\(pack.code)/figures.json", bytes: FiguresJSON.document(pack).serializedBytes()))
            files.append(
                .init(path: "\(pack.code)/\(ContractDetailCSV.fileName)", bytes: ContractDetailCSV.bytes(pack)))
            outputs.set(
                i,
                Result {
                    if let docxError { throw docxError }
                    guard let writer, writeAsRendered else { return [] }
                    try writer.write(files)
                    return try files.map(Manifest.Output.init)
                })
            rendered.set(i, writeAsRendered ? [] : files)
        }
        written = try outputs.all.flatMap { try $0.get() }
        var files: [Publisher.File] = []
        let perPack = rendered.all
        let pdfs = pdf ? printed.all : []
        for (i, pack) in packs.enumerated() {
            files += perPack[i]
            if pdf {
                let documents = try pdfs[i].get()
                files.append(.init(path: "\(pack.code)/board-pack.pdf", data: documents[0]))
                if documents.count > 1 {
                    files.append(.init(path: "\(pack.code)/\(Self.paperName).pdf", data: documents[1]))
                }
            }
        }
        let index = ViewBuilder.index(packs, formats: Set(formats.map(\.rawValue)))
        var indexes: [Publisher.File] = []
        if html || pdf { indexes.append(.init(path: "index.html", contents: renderer.render(index: index, as: .html))) }
        if markdown { indexes.append(.init(path: "index.md", contents: renderer.render(index: index, as: .markdown))) }
        files += indexes
        if let writer {
            try writer.write(files)
            written += try files.map(Manifest.Output.init)
            return []
        }
        return files
    }
}
