import BoardPackCore

/// Reads QIPP schemes and their monthly phasing from `qipp_schemes.csv` and
/// `qipp_monthly.csv`, or from one `qipp.xml`.
struct QippLoader {
    let log: DiagnosticLog
    let commissioners: Set<ShortCode>
    let providers: Set<ShortCode>
    private var schemes: [Scheme] = []
    private var index: [String: (Int, SourceLocation)] = [:]
    /// Ids of scheme rows rejected with an error: their months are not reported again.
    private var rejectedIDs: Set<String> = []
    private var months: [String: [Int: (SchemeMonth, SourceLocation)]] = [:]
    private var monthRows: [(id: String, month: SchemeMonth, location: SourceLocation, idLocation: SourceLocation)] = []

    /// Local column names from `boardpack.toml`.
    var settings = IngestSettings()

    init(log: DiagnosticLog, commissioners: Set<ShortCode>, providers: Set<ShortCode>) {
        self.log = log
        self.commissioners = commissioners
        self.providers = providers
    }

    mutating func readCSV(
        schemesPath: String, schemesDisplay: String, schemesSheet: String? = nil, monthlyPath: String,
        monthlyDisplay: String, monthlySheet: String? = nil
    ) throws {
        try CSVTable.read(
            path: schemesPath, displayPath: schemesDisplay, sheet: schemesSheet, schema: Schemas.schemes,
            mapping: Schemas.schemes.mapping(settings), log: log
        ) { row in addScheme(row) }
        try CSVTable.read(
            path: monthlyPath, displayPath: monthlyDisplay, sheet: monthlySheet, schema: Schemas.monthly,
            mapping: Schemas.monthly.mapping(settings), log: log
        ) { row in addMonth(row) }
    }

    mutating func readXML(path: String, displayPath: String) throws {
        let reader = XMLRecordReader(
            path: path, displayPath: displayPath, namespace: XMLNamespaces.qipp, root: "QippTracker",
            kinds: [
                .init(element: "Scheme", schema: Schemas.schemes, mapping: Schemas.schemes.mapping(settings)),
                .init(element: "Month", schema: Schemas.monthly, mapping: Schemas.monthly.mapping(settings)),
            ],
            log: log)
        // Months may come before their scheme in the file; they are matched at the end.
        try reader.forEachRecord { kind, row in
            if kind == 0 { addScheme(row) } else { addMonth(row) }
        }
    }

    private mutating func addScheme(_ row: Row) {
        typealias S = Schemas.SchemeColumn
        var f = FieldReader(row, log: log)
        let id = f.text(S.id, required: true)?.trimmingSpaces
        let commissioner = f.code(S.commissioner, required: true)
        let name = f.text(S.name, required: true)
        let programme = f.text(S.programme, required: true)
        let sro = f.text(S.sro, required: true)
        let stage = f.choice(S.stage, required: true, GatewayStage.self)
        let recurrence = f.choice(S.recurrence, required: true, Recurrence.self)
        let target = f.money(S.annualTarget, required: true)
        let rag = f.choice(S.rag, required: false, RAG.self)
        let manager = f.text(S.projectManager, required: false)
        let financeLead = f.text(S.financeLead, required: false)
        let provider = f.code(S.provider, required: false)
        let pod = f.code(S.pod, required: false)
        let tfc = f.code(S.tfc, required: false)
        let start = f.integer(S.startMonth, required: false, range: 1...12)
        let investment = f.money(S.investment, required: false)
        guard f.ok, let id, let commissioner, let name, let programme, let sro, let stage, let recurrence,
            let target
        else {
            if let id { rejectedIDs.insert(id) }
            return
        }
        if let (_, earlier) = index[id] {
            log.error(
                "dup.scheme", row.location(S.id), field: "scheme_id", value: id,
                "the scheme is listed twice (first at \(earlier))", hint: "scheme ids must be unique")
            return
        }
        if !commissioners.contains(commissioner) {
            rejectedIDs.insert(id)
            log.error(
                "ref.commissioner", row.location(S.commissioner), field: "commissioner_code",
                value: commissioner.description,
                "the commissioner is not in organisations.csv", hint: "add it there or correct the code")
            return
        }
        if let provider, !providers.isEmpty, !providers.contains(provider) {
            rejectedIDs.insert(id)
            log.error(
                "ref.provider", row.location(S.provider), field: "provider_code", value: provider.description,
                "the provider is not in organisations.csv", hint: "add it with org_type PROVIDER or correct the code")
            return
        }
        index[id] = (schemes.count, row.location(S.id))
        schemes.append(
            Scheme(
                id: id, commissioner: commissioner, name: name, programme: programme, sro: sro, stage: stage,
                recurrence: recurrence, annualTarget: target, reportedRAG: rag, projectManager: manager,
                financeLead: financeLead, provider: provider, pointOfDelivery: pod, treatmentFunction: tfc,
                startMonth: start.map(Int.init), investment: investment, location: row.recordLocation))
    }

    private mutating func addMonth(_ row: Row) {
        typealias M = Schemas.MonthColumn
        var f = FieldReader(row, log: log)
        let id = f.text(M.id, required: true)?.trimmingSpaces
        let year = f.financialYear(M.year)
        let month = f.financialMonth(M.month)
        let planned = f.money(M.planned, required: true)
        let actual = f.money(M.actual, required: false)
        let forecast = f.money(M.forecast, required: false)
        let best = f.money(M.best, required: false)
        let worst = f.money(M.worst, required: false)
        guard f.ok, let id, let year, let month, let planned else { return }
        let period = FinancialMonth(year: year, month: month)
        let likely = forecast ?? planned
        Scenarios.check(
            best: best, worst: worst, likely: likely, higherIsBetter: true, row: row, bestColumn: M.best,
            worstColumn: M.worst, subject: "scheme \(id) \(period)", likelyName: forecast == nil ? "plan" : "forecast",
            log: log)
        monthRows.append(
            (
                id,
                SchemeMonth(
                    period: period, planned: planned, actual: actual, forecast: forecast, bestForecast: best,
                    worstForecast: worst, location: row.recordLocation),
                row.location(M.month), row.location(M.id)
            ))
    }

    /// A warning when a year's monthly plan does not add up to the annual target.
    private func checkPhasing(_ scheme: Scheme) {
        var byYear: [FinancialYear: Money] = [:]
        for month in scheme.months { byYear[month.period.year, default: .zero] += month.planned }
        for (year, total) in byYear.sorted(by: { $0.key < $1.key }) where total != scheme.annualTarget {
            log.warning(
                "plan.phasing", scheme.location ?? SourceLocation(file: "qipp"), field: "annual_target_gbp",
                value: scheme.annualTarget.description,
                "scheme \(scheme.id): the monthly plan for \(year) adds up to \(total), not the annual target \(scheme.annualTarget)",
                hint: "correct the phasing in the monthly file or the annual target")
        }
    }

    /// Attaches months to schemes and returns the schemes sorted by commissioner and id.
    mutating func finish() -> [Scheme] {
        var attached: [[Int: SchemeMonth]] = Array(repeating: [:], count: schemes.count)
        var firstSeen: [String: SourceLocation] = [:]
        for entry in monthRows {
            guard let (position, _) = index[entry.id] else {
                if rejectedIDs.contains(entry.id) { continue }
                log.error(
                    "ref.scheme", entry.idLocation, field: "scheme_id", value: entry.id,
                    "monthly figures for a scheme that is not in the scheme list",
                    hint: "add the scheme to the scheme list or correct the id")
                continue
            }
            let ordinal = entry.month.period.ordinal
            if attached[position][ordinal] != nil {
                log.error(
                    "dup.scheme-month", entry.location, field: "financial_month",
                    value: String(entry.month.period.month),
                    "scheme \(entry.id) has this month twice (first at \(firstSeen["\(entry.id)#\(ordinal)"]!))",
                    hint: "keep one row per scheme and month")
                continue
            }
            firstSeen["\(entry.id)#\(ordinal)"] = entry.location
            attached[position][ordinal] = entry.month
        }
        for position in schemes.indices {
            schemes[position].months = attached[position].values.sorted { $0.period < $1.period }
            checkPhasing(schemes[position])
        }
        return schemes.sorted { ($0.commissioner, $0.id) < ($1.commissioner, $1.id) }
    }
}
