import BoardPackCore
import Foundation

/// Streams one contract-monitoring submission (CSV or XML) into sums by
/// `ActivityKey`. Memory grows with the number of distinct keys, never with
/// the number of rows. Rows with the same key within one submission are added
/// (a file may be at a finer grain than BoardPack's).
struct ActivityLoader {
    let log: DiagnosticLog
    let commissioners: Set<ShortCode>
    let knownProviders: Set<ShortCode>
    /// Try `ActivityFastPath` first for CSV files (false: always the general path, for tests).
    var fastPath = true
    /// Threads a large plain file may be read on.
    var parts = Parallel.processorCount
    static let knownPODs = Set(ReferenceCodes.pointsOfDeliveryInOrder.compactMap { ShortCode($0.code) })
    /// Points of delivery of financial-adjustment lines (CQUIN, block payments, adjustments): they
    /// carry price but no summable activity, so their activity may be blank.
    static let defaultAdjustmentPODs: Set<ShortCode> = Set(["CQUIN", "BLOCK", "ADJ"].compactMap { ShortCode($0) })
    var adjustmentPODs = Self.defaultAdjustmentPODs
    /// This file's local column names (folded) to columns, from `boardpack.toml`.
    var mapping: [String: Int] = [:]
    static let knownTFCs = Set(ReferenceCodes.treatmentFunctions.keys.compactMap { ShortCode($0) })

    struct Result {
        var submission: Submission
        /// One per contract cell.
        var cells: [ActivityCell]
        /// `cells` are in key order.
        var sorted = false
    }

    private struct FileState {
        /// The sums of every contract cell of the file. Real extracts carry many rows per cell (told
        /// apart by tariff code, local POD, service code, local contract code…); every row adds in,
        /// and nothing else about them is kept, so memory grows with cells, not rows.
        var cells: [ActivityKey: ActivitySums] = [:]
        var lastProvider: ShortCode?
        var created: String?
        var latest: Int?
        var providers: Set<ShortCode> = []
        var rows = 0
        var reportedCodes: Set<String> = []
        var latestLocation: SourceLocation?
        /// The last `date_and_time_data_set_created` as read, and normalised: a file usually repeats one.
        var lastCreatedRaw: [UInt8] = []
        var lastCreated: String?
        var lastCreatedForm: String?
        /// Rows that gave a value in another form than the canonical one (`2026/27`, a day-first
        /// date, a site code…), by form, with the first such row: reported once per file, counted.
        var forms: [String: (rows: Int, first: SourceLocation)] = [:]
        /// Site codes (`RRP00`) folded to their trust (`RRP`).
        var sites: [ShortCode: ShortCode] = [:]
        /// The last commissioner, provider, POD and TFC found known: rows repeat them, so most
        /// rows need no set lookup.
        var knownCommissioner: ShortCode?
        var knownProvider: ShortCode?
        var knownPOD: ShortCode?
        var knownTFC: ShortCode?
    }

    func load(
        source: ByteSource, displayPath: String, relativePath: String, id: String, format: Submission.Format
    ) throws -> Result {
        func fastResult(_ fast: ActivityFastPath.Output) -> Result {
            var submission = Submission(
                id: id, path: relativePath, format: format, created: fast.created,
                latestPeriod: fast.latest.map { FinancialMonth(ordinal: $0) }, providers: fast.providers.sorted(),
                rowsRead: fast.rows)
            submission.latestPeriodLocation = SourceLocation(
                file: displayPath, line: fast.latestLine, column: fast.latestColumn)
            return Result(submission: submission, cells: fast.cells, sorted: true)
        }
        if fastPath, format == .csv {
            var reader = ActivityFastPath(commissioners: commissioners, knownProviders: knownProviders)
            reader.columns = mapping
            reader.parts = parts
            let fast: ActivityFastPath.Output?
            switch source {
            case .file(let path): fast = try reader.read(path: path)
            case .memory(let bytes): fast = reader.read(bytes: bytes)
            }
            if let fast { return fastResult(fast) }
        }
        var state = FileState()
        let errorsBefore = log.errorCount
        let handle: (Row) -> Void = { row in add(row, to: &state) }
        switch format {
        case .csv:
            try CSVTable.read(
                source: source, displayPath: displayPath, schema: Schemas.activity, mapping: mapping, log: log, handle)
        case .xml:
            let reader = XMLRecordReader(
                source: source, displayPath: displayPath, namespace: XMLNamespaces.contractMonitoring,
                root: "ContractMonitoringSubmission",
                kinds: [.init(element: "Line", schema: Schemas.activity, mapping: mapping)],
                log: log)
            // Records go to the fast accumulator while they are plain; at the first that is not, what it
            // holds passes to the general path, which reads that record and the rest.
            var fast: ActivityFastPath.State? =
                fastPath
                ? ActivityFastPath.State(commissioners: commissioners, knownProviders: knownProviders, columns: mapping)
                : nil
            fast?.headerDone = true
            try reader.forEachRecord { _, row in
                if let accepted = fast?.record(row.bytes, spans: row.spans, line: row.line) {
                    if accepted { return }
                    adopt(fast!, into: &state, displayPath: displayPath)
                    fast = nil
                }
                handle(row)
            }
            if let fast {
                if let output = fast.finish() { return fastResult(output) }
                adopt(fast, into: &state, displayPath: displayPath)
            }
        }
        for (form, seen) in state.forms.sorted(by: { $0.value.first < $1.value.first }) {
            log.warning(
                "value.form", seen.first,
                "\(seen.rows) row\(seen.rows == 1 ? "" : "s") \(seen.rows == 1 ? "gives" : "give") \(form); read as documented",
                hint: "nothing to do (docs/inputs.md lists the forms read); this is reported once per file")
        }
        // An empty submission is worth a warning only when nothing else went wrong with the file.
        if state.rows == 0 && log.errorCount == errorsBefore {
            log.warning(
                "file.empty-submission", SourceLocation(file: displayPath), "the submission holds no rows",
                hint: "remove the file or check the export")
        }
        var submission = Submission(
            id: id, path: relativePath, format: format, created: state.created,
            latestPeriod: state.latest.map { FinancialMonth(ordinal: $0) }, providers: state.providers.sorted(),
            rowsRead: state.rows)
        submission.latestPeriodLocation = state.latestLocation
        return Result(
            submission: submission, cells: state.cells.map { ActivityCell(key: $0.key, sums: $0.value) })
    }

    /// Carries on from the fast accumulator: the general path's state as if it had read those records.
    private func adopt(_ fast: ActivityFastPath.State, into state: inout FileState, displayPath: String) {
        for cell in fast.cellsSoFar() { state.cells[cell.key] = cell.sums }
        let out = fast.out
        state.rows = out.rows
        state.created = out.created
        state.latest = out.latest
        if out.latest != nil {
            state.latestLocation = SourceLocation(file: displayPath, line: out.latestLine, column: out.latestColumn)
        }
        state.providers = out.providers
        if fast.lastCreated != nil {
            state.lastCreatedRaw = fast.lastCreatedRaw
            state.lastCreated = fast.lastCreated
        }
    }

    private func add(_ row: Row, to state: inout FileState) {
        typealias A = Schemas.Activity
        state.rows += 1
        var f = FieldReader(row, log: log)
        let year = f.financialYear(A.year)
        let month = f.financialMonth(A.month)
        let commissioner = f.code(A.commissioner, required: true)
        let provider = f.code(A.provider, required: true)
        let pod = f.code(A.pod, required: true)
        let tfc = f.code(A.tfc, required: true)
        // A financial-adjustment line counts in price only: its activity may be blank.
        let adjustment = pod.map { adjustmentPODs.contains($0) } ?? false
        var plannedActivity = f.quantity(A.plannedActivity, required: !adjustment)
        var actualActivity = f.quantity(A.actualActivity, required: !adjustment)
        if adjustment, plannedActivity == nil || actualActivity == nil {
            if f.ok { f.forms.append("blank activity on a financial-adjustment line (\(pod!)), counted in price only") }
            plannedActivity = plannedActivity ?? .zero
            actualActivity = actualActivity ?? .zero
        }
        let plannedPrice = f.money(A.plannedPrice, required: true)
        let actualPrice = f.money(A.actualPrice, required: true)
        var created: String?
        if let raw = row.raw(A.created), !raw.isEmpty {
            if raw.elementsEqual(state.lastCreatedRaw) {
                created = state.lastCreated
                if let form = state.lastCreatedForm { f.forms.append(form) }
            } else {
                let before = f.forms.count
                created = f.timestamp(A.created)
                if created != nil {
                    state.lastCreatedRaw = Array(raw)
                    state.lastCreated = created
                    state.lastCreatedForm = f.forms.count > before ? f.forms.last : nil
                }
            }
        }
        guard f.ok, let year, let month, let commissioner, var provider, let pod, let tfc, let plannedActivity,
            let actualActivity, let plannedPrice, let actualPrice
        else { return }
        // A provider site code (`RRP00`) whose first three characters are a listed trust is the trust.
        if let trust = state.sites[provider] {
            provider = trust
        } else if provider != state.knownProvider, !knownProviders.contains(provider), provider.description.count == 5,
            let trust = ShortCode(String(provider.description.prefix(3))), knownProviders.contains(trust)
        {
            state.sites[provider] = trust
            log.warning(
                "ref.provider-site", row.location(A.provider), field: Schemas.activity.columns[A.provider].name,
                value: provider.description, "a site code of the listed trust \(trust); read as \(trust)",
                hint: "nothing to do; this is reported once per site code and file")
            provider = trust
        }
        if commissioner == state.knownCommissioner {
            // Known: checked on an earlier row.
        } else if commissioners.contains(commissioner) {
            state.knownCommissioner = commissioner
        } else {
            if state.reportedCodes.insert("C" + commissioner.description).inserted {
                log.error(
                    "ref.commissioner", row.location(A.commissioner),
                    field: Schemas.activity.columns[A.commissioner].name,
                    value: commissioner.description, "the commissioner is not in organisations.csv",
                    hint: "add it to organisations.csv (this is reported once per file)")
            } else {
                // Counted so that the run still fails, without repeating the message.
                log.report(
                    Diagnostic(
                        .error, "ref.commissioner", at: row.location(A.commissioner), field: nil, value: nil,
                        message: "commissioner \(commissioner) is not in organisations.csv (repeat)"),
                    counted: true)
            }
            return
        }
        if provider == state.knownProvider {
            // Known: checked on an earlier row.
        } else if knownProviders.contains(provider) {
            state.knownProvider = provider
        } else {
            if state.reportedCodes.insert("P" + provider.description).inserted {
                log.warning(
                    "ref.provider", row.location(A.provider), field: Schemas.activity.columns[A.provider].name,
                    value: provider.description,
                    "the provider is not in organisations.csv; its activity counts, and the pack shows its code only",
                    hint: "add it with org_type PROVIDER to show its name, or correct the code (reported once per file)"
                )
            }
        }
        if pod != state.knownPOD, Self.knownPODs.contains(pod) { state.knownPOD = pod }
        if pod != state.knownPOD, state.reportedCodes.insert("D" + pod.description).inserted {
            log.warning(
                "code.unknown-pod", row.location(A.pod), field: Schemas.activity.columns[A.pod].name,
                value: pod.description,
                "not a point of delivery in the reference list (local codes are allowed); reported once per file")
        }
        if tfc != state.knownTFC, Self.knownTFCs.contains(tfc) { state.knownTFC = tfc }
        if tfc != state.knownTFC, state.reportedCodes.insert("T" + tfc.description).inserted {
            log.warning(
                "code.unknown-tfc", row.location(A.tfc), field: Schemas.activity.columns[A.tfc].name,
                value: tfc.description,
                "not a national treatment function code; reported once per file")
        }
        for form in f.forms { state.forms[form, default: (0, row.recordLocation)].rows += 1 }
        let period = FinancialMonth(year: year, month: month)
        if let created, created > (state.created ?? "") { state.created = created }
        if period.ordinal > state.latest ?? Int.min {
            state.latest = period.ordinal
            state.latestLocation = row.location(A.year)
        }
        if provider != state.lastProvider {
            state.providers.insert(provider)
            state.lastProvider = provider
        }
        let key = ActivityKey(
            commissioner: commissioner, provider: provider, pointOfDelivery: pod, treatmentFunction: tfc,
            period: period)
        let rowSums = ActivitySums(
            plannedActivity: plannedActivity, actualActivity: actualActivity, plannedPrice: plannedPrice,
            actualPrice: actualPrice)
        state.cells[key, default: ActivitySums()].add(rowSums)
    }
}
