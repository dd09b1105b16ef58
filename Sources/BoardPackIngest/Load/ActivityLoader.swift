import BoardPackCore

/// Streams one contract-monitoring submission (CSV or XML) into sums by
/// `ActivityKey`. Memory grows with the number of distinct keys, never with
/// the number of rows. Rows with the same key within one submission are added
/// (a file may be at a finer grain than BoardPack's).
struct ActivityLoader {
    let log: DiagnosticLog
    let commissioners: Set<ShortCode>
    let knownProviders: Set<ShortCode>

    struct Result {
        var submission: Submission
        var sums: [ActivityKey: ActivitySums]
    }

    private struct FileState {
        var sums: [ActivityKey: ActivitySums] = [:]
        var created: String?
        var latest: Int?
        var providers: Set<ShortCode> = []
        var rows = 0
        var reportedCodes: Set<String> = []
    }

    func load(path: String, displayPath: String, relativePath: String, id: String, format: Submission.Format) throws
        -> Result
    {
        var state = FileState()
        let handle: (Row) -> Void = { row in add(row, to: &state) }
        switch format {
        case .csv:
            try CSVTable.read(path: path, displayPath: displayPath, schema: Schemas.activity, log: log, handle)
        case .xml:
            let reader = XMLRecordReader(
                path: path, displayPath: displayPath, namespace: XMLNamespaces.contractMonitoring,
                root: "ContractMonitoringSubmission", kinds: [.init(element: "Line", schema: Schemas.activity)],
                log: log)
            try reader.forEachRecord { _, row in handle(row) }
        }
        if state.rows == 0 {
            log.warning(
                SourceLocation(file: displayPath), "the submission holds no rows",
                hint: "remove the file or check the export")
        }
        let submission = Submission(
            id: id, path: relativePath, format: format, created: state.created,
            latestPeriod: state.latest.map { FinancialMonth(ordinal: $0) }, providers: state.providers.sorted(),
            rowsRead: state.rows)
        return Result(submission: submission, sums: state.sums)
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
        let plannedActivity = f.quantity(A.plannedActivity, required: true)
        let actualActivity = f.quantity(A.actualActivity, required: true)
        let plannedPrice = f.money(A.plannedPrice, required: true)
        let actualPrice = f.money(A.actualPrice, required: true)
        let created = f.timestamp(A.created)
        guard f.ok, let year, let month, let commissioner, let provider, let pod, let tfc, let plannedActivity,
            let actualActivity, let plannedPrice, let actualPrice
        else { return }
        if !commissioners.contains(commissioner) {
            if state.reportedCodes.insert("C" + commissioner.description).inserted {
                log.error(
                    row.location(A.commissioner), field: Schemas.activity.columns[A.commissioner].name,
                    value: commissioner.description, "the commissioner is not in organisations.csv",
                    hint: "add it to organisations.csv (this is reported once per file)")
            } else {
                // Counted so that the run still fails, without repeating the message.
                log.report(
                    Diagnostic(
                        .error, at: row.location(A.commissioner), field: nil, value: nil,
                        message: "commissioner \(commissioner) is not in organisations.csv (repeat)"))
            }
            return
        }
        if !knownProviders.contains(provider), state.reportedCodes.insert("P" + provider.description).inserted {
            log.warning(
                row.location(A.provider), field: Schemas.activity.columns[A.provider].name,
                value: provider.description, "the provider is not in organisations.csv; the pack shows its code only",
                hint: "add it with org_type PROVIDER to show its name")
        }
        if !ReferenceCodes.pointsOfDelivery.keys.contains(pod.description),
            state.reportedCodes.insert("D" + pod.description).inserted
        {
            log.warning(
                row.location(A.pod), field: Schemas.activity.columns[A.pod].name, value: pod.description,
                "not a point of delivery in the reference list (local codes are allowed); reported once per file")
        }
        if ReferenceCodes.treatmentFunctions[tfc.description] == nil,
            state.reportedCodes.insert("T" + tfc.description).inserted
        {
            log.warning(
                row.location(A.tfc), field: Schemas.activity.columns[A.tfc].name, value: tfc.description,
                "not a national treatment function code; reported once per file")
        }
        let period = FinancialMonth(year: year, month: month)
        if let created, created > (state.created ?? "") { state.created = created }
        state.latest = max(state.latest ?? Int.min, period.ordinal)
        state.providers.insert(provider)
        let key = ActivityKey(
            commissioner: commissioner, provider: provider, pointOfDelivery: pod, treatmentFunction: tfc,
            period: period)
        state.sums[key, default: ActivitySums()].add(
            ActivitySums(
                plannedActivity: plannedActivity, actualActivity: actualActivity, plannedPrice: plannedPrice,
                actualPrice: actualPrice))
    }
}
