import BoardPackCore
import Foundation

/// Progress shared by concurrent workers; reports one at a time.
final class ProgressState: @unchecked Sendable {
    private var state: InputLoader.Progress
    private let report: ((InputLoader.Progress) -> Void)?
    private let lock = NSLock()
    init(_ state: InputLoader.Progress, report: ((InputLoader.Progress) -> Void)?) {
        self.state = state
        self.report = report
    }
    func advance(bytes: Int64, rows: Int) {
        lock.withLock {
            state.files += 1
            state.bytes += bytes
            state.rows += rows
            report?(state)
        }
    }
}

/// Reads an input folder (see docs/inputs.md) into a `Dataset`, reporting
/// every problem to the log. Only I/O failures throw.
public enum InputLoader {
    /// The tabular inputs `boardpack.toml` can map columns for, by key, with BoardPack's column names.
    public static let mappableColumns: [String: [String]] = Dictionary(
        uniqueKeysWithValues: Schemas.all.map { ($0.key, $0.columns.map(\.name)) })

    /// The inputs that may be a sheet of a workbook named in `[workbooks.INPUT]` (activity
    /// submissions are workbooks by their own name).
    public static let workbookInputs = Schemas.all.map(\.key).filter { $0 != "activity" }

    /// BoardPack's name for `column` of input `key` in any spelling it matches, or nil.
    public static func column(_ column: String, of key: String) -> String? {
        guard let schema = Schemas.all.first(where: { $0.key == key }), let index = schema.match(header: column)
        else { return nil }
        return schema.columns[index].name
    }

    /// Progress of the activity files: files done, files in all, bytes done, bytes in all, rows read so far.
    public struct Progress: Sendable {
        public var files: Int
        public var totalFiles: Int
        public var bytes: Int64
        public var totalBytes: Int64
        public var rows: Int
    }

    /// - Parameters:
    ///   - settings: local column names and adjustment points of delivery, from `boardpack.toml`.
    public static func load(
        folder: String, log: DiagnosticLog, settings: IngestSettings = IngestSettings(),
        progress: ((Progress) -> Void)? = nil, threads: Int? = nil
    ) throws -> Dataset {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError.missingFile(folder)
        }
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func display(_ name: String) -> String {
            (folder.withoutTrailingSlashes as NSString).appendingPathComponent(name)
        }
        var read: [InputFileRecord] = []
        var readNames: Set<String> = []
        /// Whether a file is there to read: absent, false; a regular file inside the folder, true
        /// (and it is recorded as read); anything else, an error located at the file, and false.
        func admit(_ name: String, required: Bool = false) throws -> Bool {
            if let problem = FileRules.check(path(name), within: folder) {
                if problem == .missing {
                    if required { throw InputError.missingFile(display(name)) }
                    return false
                }
                if required { throw InputError.notReadable(display(name), problem) }
                log.error(
                    problem.code, SourceLocation(file: display(name)), problem.message,
                    hint: "replace it with a regular file, or move it out of the input folder")
                return false
            }
            if readNames.insert(name).inserted {
                read.append(InputFileRecord(path: name, status: FileStatus.of(path(name))))
            }
            return true
        }
        func present(_ name: String) -> Bool { FileStatus.of(path(name), followLinks: false).kind != .missing }
        /// Where input `key` is: `KEY.csv`, or `KEY.xlsx`, or the workbook and sheet `[workbooks.KEY]`
        /// names; nil when absent (a legacy `KEY.xls` is named as such) or given twice (an error).
        func table(_ key: String) -> (name: String, sheet: String?)? {
            let csv = key + ".csv"
            let configured = settings.workbooks.last { $0.input == key }
            let book = configured?.file ?? key + ".xlsx"
            let hasCSV = present(csv)
            let hasBook = present(book)
            if hasCSV && (hasBook || configured != nil) {
                log.error(
                    "file.input-twice", SourceLocation(file: display(csv)),
                    "\(key) is given twice, as \(csv) and as \(book)" + (configured?.sheet.map { " [\($0)]" } ?? ""),
                    hint: "keep one form (boardpack.toml's [workbooks.\(key)] names the workbook)")
                return nil
            }
            if hasCSV { return (csv, nil) }
            if hasBook { return (book, configured?.sheet) }
            if let configured {
                log.error(
                    "file.missing-workbook", configured.source, value: book,
                    "boardpack.toml reads \(key) from \(book), which is not in the input folder",
                    hint: "put the workbook in the input folder, or correct [workbooks.\(key)]")
                return nil
            }
            if present(key + ".xls") {
                log.error(
                    "xlsx.legacy-xls", SourceLocation(file: display(key + ".xls")),
                    "\(key).xls is a legacy Excel 97-2003 workbook, which BoardPack does not read",
                    hint: "save it as \(key).xlsx (Excel Workbook) or \(key).csv (CSV UTF-8)")
            }
            return nil
        }

        /// The files of `input`: `INPUT.csv` (or its workbook), then each `[files.NAME]` file of it.
        func sources(_ input: String, schema: InputSchema, required: Bool) throws -> [TableSource] {
            var result: [TableSource] = []
            let extra = settings.files.filter { $0.input == input }
            if let t = table(input) ?? (required && extra.isEmpty ? (input + ".csv", nil) : nil),
                try admit(t.name, required: required && extra.isEmpty)
            {
                result.append(
                    TableSource(
                        path: path(t.name), displayPath: display(t.name), sheet: t.sheet,
                        mapping: schema.mapping(settings)))
            }
            for file in extra {
                guard present(file.file) else {
                    log.error(
                        "file.missing", file.source, value: file.file,
                        "boardpack.toml reads \(input) from \(file.file), which is not in the input folder",
                        hint: "put the file in the input folder, or correct [files.\(file.name)]")
                    continue
                }
                guard try admit(file.file) else { continue }
                result.append(
                    TableSource(
                        path: path(file.file), displayPath: display(file.file), sheet: nil,
                        mapping: schema.mapping(settings, table: file.name)))
            }
            return result
        }

        // Organisations first: every other file refers to them.
        let organisationSources = try sources("organisations", schema: Schemas.organisations, required: true)
        let (organisations, rejected, unknownType, unreadable) = try OrganisationsLoader.load(
            sources: organisationSources, log: log)
        if let list = unreadable.first {
            // An organisation list that cannot be read at all would make every code that names an
            // organisation it holds an error of its own, in every other file (thousands, for one
            // bad header): one cause, one error. The other inputs are read once it is fixed.
            log.warning(
                "file.not-read", SourceLocation(file: list),
                "this organisation list could not be read (the error here), so the other inputs were not read: "
                    + "every organisation code in them would be reported as unknown",
                hint: "fix the list and run again")
            var dataset = Dataset(organisations: organisations, schemes: [], submissions: [], activity: [])
            dataset.files = read
            return dataset
        }
        let commissioners = Set(organisations.filter(\.isCommissioner).map(\.code))
            .union(rejected.filter { $0.value }.keys)

        // QIPP: the CSV pair or one XML file.
        let providers = Set(organisations.filter { !$0.isCommissioner }.map(\.code))
            .union(rejected.filter { !$0.value }.keys).union(unknownType)
        var qipp = QippLoader(log: log, commissioners: commissioners, providers: providers)
        qipp.settings = settings
        let hasCSV =
            present("qipp_schemes.csv") || present("qipp_monthly.csv") || present("qipp_schemes.xlsx")
            || present("qipp_monthly.xlsx") || settings.workbooks.contains { $0.input.hasPrefix("qipp_") }
        let hasXML = present("qipp.xml")
        if hasCSV && hasXML {
            log.error(
                "file.qipp-twice", SourceLocation(file: display("qipp.xml")),
                "QIPP data is given twice, as qipp.xml and as qipp_schemes.csv/qipp_monthly.csv",
                hint: "keep one form")
        } else if hasXML {
            if try admit("qipp.xml") {
                try qipp.readXML(path: path("qipp.xml"), displayPath: display("qipp.xml"))
            }
        } else {
            let schemesTable = table("qipp_schemes") ?? ("qipp_schemes.csv", nil)
            let monthlyTable = table("qipp_monthly") ?? ("qipp_monthly.csv", nil)
            for name in [schemesTable.name, monthlyTable.name] { _ = try admit(name, required: true) }
            try qipp.readCSV(
                schemesPath: path(schemesTable.name), schemesDisplay: display(schemesTable.name),
                schemesSheet: schemesTable.sheet, monthlyPath: path(monthlyTable.name),
                monthlyDisplay: display(monthlyTable.name), monthlySheet: monthlyTable.sheet)
        }
        let schemes = qipp.finish()

        // Contract monitoring submissions.
        let activityFolder = path("activity")
        var files: [String] = []
        if fm.fileExists(atPath: activityFolder, isDirectory: &isDirectory), isDirectory.boolValue {
            do {
                files = try fm.contentsOfDirectory(atPath: activityFolder)
            } catch {
                throw InputError.readFailed(display("activity"), "cannot list the folder")
            }
            if files.count > settings.activityFileLimit {
                throw InputError.tooManyFiles(
                    display("activity"), count: files.count, limit: settings.activityFileLimit)
            }
            files = files.map { ($0, Array($0.utf8)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)
        } else {
            log.warning(
                "file.no-activity", SourceLocation(file: display("activity")),
                "there is no activity/ folder: packs show no contract data")
        }
        // First, in name order, decide which files are submissions.
        struct Job {
            let name: String
            let id: String
            let format: Submission.Format
            let size: Int64
            let displayPath: String
        }
        var jobs: [Job] = []
        var ids: [String: String] = [:]
        for name in files {
            // A name that could drive a terminal or break a line is refused, shown escaped.
            if name.unicodeScalars.contains(where: TerminalText.isUnsafe) {
                log.error(
                    "file.control-character", SourceLocation(file: display("activity/" + TerminalText.escaped(name))),
                    "the file name holds control characters (shown escaped), which BoardPack does not read",
                    hint: "rename the file with letters, digits, '-', '_' and '.' only")
                continue
            }
            if FileRules.isHiddenOrEditorFile(name) {
                log.warning(
                    "file.skipped", SourceLocation(file: display("activity/" + name)),
                    "a hidden or editor lock file; skipped",
                    hint: "nothing to do, unless it was meant to be a submission (then rename it)")
                continue
            }
            let lower = name.lowercased()
            let format: Submission.Format
            if lower.hasSuffix(".csv") {
                format = .csv
            } else if lower.hasSuffix(".xml") {
                format = .xml
            } else if lower.hasSuffix(".xlsx") {
                format = .xlsx
            } else if lower.hasSuffix(".xls") {
                log.error(
                    "xlsx.legacy-xls", SourceLocation(file: display("activity/" + name)),
                    "a legacy Excel 97-2003 (.xls) workbook, which BoardPack does not read",
                    hint: "save it as .xlsx (Excel Workbook) or .csv (CSV UTF-8)")
                continue
            } else {
                log.warning(
                    "file.ignored", SourceLocation(file: display("activity/" + name)),
                    "not a .csv, .xml or .xlsx file; ignored")
                continue
            }
            let id = String(name.dropLast(format == .xlsx ? 5 : 4))
            if let other = ids[id] {
                log.error(
                    "dup.submission", SourceLocation(file: display("activity/" + name)),
                    "two submissions share the name \(id) (also \(other))",
                    hint: "a submission is one file; remove the duplicate form")
                continue
            }
            guard try admit("activity/" + name) else { continue }
            ids[id] = name
            jobs.append(
                Job(
                    name: name, id: id, format: format, size: read.last!.status.size,
                    displayPath: display("activity/" + name)))
        }
        // Then read the submissions on every core: each is independent, with its own log,
        // merged afterwards in name order so the result does not depend on timing.
        let work = jobs
        // Each submission joins the latest-submission rule as soon as it is read, so superseded
        // cells are dropped early and memory holds the surviving data, not every file's.
        let store = RestatementStore()
        let results = IndexedResults<(Result<Submission, Error>, DiagnosticLog)>(count: work.count)
        let progressState = ProgressState(
            Progress(files: 0, totalFiles: jobs.count, bytes: 0, totalBytes: jobs.reduce(0) { $0 + $1.size }, rows: 0),
            report: progress)
        Parallel.forEach(work.count, threads: threads) { i in
            let job = work[i]
            let fileLog = DiagnosticLog(maxErrors: log.maxErrors)
            var loader = ActivityLoader(log: fileLog, commissioners: commissioners, knownProviders: providers)
            loader.mapping = Schemas.activity.mapping(settings, file: job.name)
            loader.adjustmentPODs = Set(settings.adjustmentPODs)
            loader.parts = threads ?? Parallel.processorCount
            let result = Result {
                let read = try loader.load(
                    source: .file((activityFolder as NSString).appendingPathComponent(job.name)),
                    displayPath: job.displayPath, relativePath: "activity/" + job.name, id: job.id,
                    format: job.format)
                // ActivityLoader gives the cells in key order.
                store.add(index: i, submission: read.submission, cells: read.cells, sorted: true)
                return read.submission
            }
            results.set(i, (result, fileLog))
            progressState.advance(bytes: job.size, rows: (try? result.get())?.rowsRead ?? 0)
        }
        var submissions: [Submission] = []
        for (outcome, fileLog) in results.all {
            submissions.append(try outcome.get())
            log.absorb(fileLog)
        }
        let activity = store.finish(submissions: &submissions)
        var dataset = Dataset(
            organisations: organisations, schemes: schemes, submissions: submissions, activity: activity)
        if let t = table("finance_ledger"), try admit(t.name) {
            dataset.ledger = try FinanceLoader.ledger(
                path: path(t.name), displayPath: display(t.name), sheet: t.sheet,
                commissioners: commissioners, mapping: Schemas.ledger.mapping(settings), log: log)
        }
        if let t = table("quality_premium"), try admit(t.name) {
            dataset.qualityPremium = try FinanceLoader.qualityPremium(
                path: path(t.name), displayPath: display(t.name), sheet: t.sheet,
                commissioners: commissioners, mapping: Schemas.quality.mapping(settings), log: log)
        }
        var metricIDs: Set<String> = []
        let metricSources = try sources("metrics", schema: Schemas.metrics, required: false)
        if !metricSources.isEmpty {
            (dataset.metrics, metricIDs) = try MetricsLoader.load(
                sources: metricSources, organisations: Set(organisations.map(\.code.description)), log: log)
        }
        if let t = table("metric_definitions"), try admit(t.name) {
            dataset.metricDefinitions = try MetricsLoader.definitions(
                path: path(t.name), displayPath: display(t.name), sheet: t.sheet,
                metrics: metricIDs, organisations: Set(organisations.map(\.code.description)),
                mapping: Schemas.metricDefinitions.mapping(settings),
                log: log)
        }
        if let t = table("risks"), try admit(t.name) {
            dataset.risks = try RisksLoader.load(
                path: path(t.name), displayPath: display(t.name), sheet: t.sheet, commissioners: commissioners,
                mapping: Schemas.risks.mapping(settings), log: log)
        }
        if let t = table("commentary"), try admit(t.name) {
            let known = CommentaryLoader.Known(
                commissioners: Set(commissioners.map(\.description)),
                providers: Set(organisations.filter { !$0.isCommissioner }.map(\.code.description)),
                schemes: Dictionary(
                    dataset.schemes.map { ($0.id, $0.commissioner.description) }, uniquingKeysWith: { a, _ in a }),
                budgetLines: Set(dataset.ledger.map { $0.commissioner.description + "\u{0}" + $0.budgetLine }),
                metrics: metricIDs)
            dataset.commentary = try CommentaryLoader.load(
                path: path(t.name), displayPath: display(t.name), sheet: t.sheet, known: known,
                mapping: Schemas.commentary.mapping(settings), log: log)
        }
        dataset.files = read
        return dataset
    }

}
