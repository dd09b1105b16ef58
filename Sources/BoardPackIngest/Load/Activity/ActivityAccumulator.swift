import BoardPackCore

/// What a submission's rows are checked against.
struct ActivityRules: Sendable {
    var commissioners: Set<ShortCode>
    var knownProviders: Set<ShortCode>
    /// Points of delivery of financial-adjustment lines (CQUIN, block payments, adjustments): they
    /// carry price but no summable activity, so their activity may be blank.
    var adjustmentPODs: Set<ShortCode>

    static let knownPODs = Set(ReferenceCodes.pointsOfDeliveryInOrder.compactMap { ShortCode($0.code) })
    static let knownTFCs = Set(ReferenceCodes.treatmentFunctions.keys.compactMap { ShortCode($0) })
    static let defaultAdjustmentPODs: Set<ShortCode> = Set(["CQUIN", "BLOCK", "ADJ"].compactMap { ShortCode($0) })
}

/// Reads the records of one contract-monitoring submission — or of one part of a large file — into
/// sums by contract cell, with the facts the latest-submission rule needs. CSV and XML records
/// come here alike, as field spans over the reader's bytes.
///
/// Each value is read in its canonical form by `QuickValue`, or taken from the previous row when
/// written the same way (`RepeatedValue`), or else the whole row is read by `FieldReader`, which
/// reads every documented form and reports every problem with its line, column and field. Codes are
/// checked against the reference lists once per file (`CodeTable`), and rows add into their cell
/// (`CellTable`), so the cost of a row does not depend on what else the file holds, and memory
/// grows with cells, not rows.
struct ActivityAccumulator {
    typealias A = Schemas.Activity
    static let slots = 4
    let rules: ActivityRules
    let displayPath: String
    let log: DiagnosticLog

    private(set) var cells = CellTable()
    private(set) var codes = CodeTables()
    /// Records handed in (rows that could not be read included).
    private(set) var rows = 0
    /// The latest creation time of a row taken.
    private(set) var created: String?
    /// The latest financial month of a row taken, and where its financial year is.
    private(set) var latest: Int?
    private(set) var latestLocation: SourceLocation?
    /// Provider entries (`keyID`s) of rows taken.
    private(set) var providerSeen: [Bool] = []
    private(set) var forms = FormCounts()
    private var year = RepeatedValue<FinancialYear>()
    private var createdTime = RepeatedValue<String>()
    private var createdGenerationTaken = -1
    private var lastProvider = -1

    init(rules: ActivityRules, displayPath: String, log: DiagnosticLog) {
        self.rules = rules
        self.displayPath = displayPath
        self.log = log
    }

    /// One row's values, read.
    private struct Values {
        var year: FinancialYear
        var month: Int
        var entries: (Int, Int, Int, Int)
        var pa: Int64, aa: Int64, pp: Int64, ap: Int64
        /// The creation time is `createdTime`'s value (false: the row has none).
        var hasCreated: Bool
        var yearForm: Int
        var createdForm: Int
        /// Another form (blank activity on an adjustment line), or -1.
        var otherForm = -1
    }

    /// Adds one record: `spans` by schema column over `b`; `line` is where it starts.
    mutating func record(_ b: [UInt8], _ spans: [FieldSpan], line: Int) {
        record(b, SpanFields(spans: spans, line: line), line: line)
    }

    /// Adds one CSV record, its fields bound to schema columns by `columns` (a field index per
    /// column, or -1).
    mutating func record(_ b: [UInt8], _ fields: [CSVField], columns: [Int], line: Int) {
        record(b, CSVFields(fields: fields, columns: columns, line: line), line: line)
    }

    @inline(__always)
    mutating func record<F: RecordFields>(_ b: [UInt8], _ fields: F, line: Int) {
        rows += 1
        if let values = quick(b, fields) {
            take(values, fields, line: line)
        } else {
            let spans = fields.spans
            if let values = slow(Row(schema: Schemas.activity, file: displayPath, line: line, bytes: b, spans: spans)) {
                take(values, fields, line: line)
            }
        }
    }

    // MARK: Reading values

    /// The row's values when each is in its canonical form or repeats the previous row's; nil
    /// when any needs `FieldReader`.
    @inline(__always)
    private mutating func quick<F: RecordFields>(_ b: [UInt8], _ fields: F) -> Values? {
        @inline(__always) func range(_ column: Int) -> (Int, Int)? {
            guard var (s, e) = fields.plainRange(column) else { return nil }
            QuickValue.trim(b, &s, &e)
            return (s, e)
        }
        guard let (ys, ye) = range(A.year), let (ms, me) = range(A.month) else { return nil }
        let fy: FinancialYear
        var yearForm = -1
        if ye - ys == 6, let code = QuickValue.digits(b, ys, ye), let parsed = FinancialYear(acmCode: Int(code)) {
            fy = parsed
        } else if year.matches(b, ys, ye) {
            fy = year.value!
            yearForm = year.form
        } else {
            return nil
        }
        guard let month = QuickValue.digits(b, ms, me), month >= 1, month <= 12 else { return nil }
        guard let c = quickCode(0, range(A.commissioner), b), let p = quickCode(1, range(A.provider), b),
            let d = quickCode(2, range(A.pod), b), let t = quickCode(3, range(A.tfc), b),
            let (s0, e0) = range(A.plannedActivity), let pa = QuickValue.hundredths(b, s0, e0, money: false),
            let (s1, e1) = range(A.actualActivity), let aa = QuickValue.hundredths(b, s1, e1, money: false),
            let (s2, e2) = range(A.plannedPrice), let pp = QuickValue.hundredths(b, s2, e2, money: true),
            let (s3, e3) = range(A.actualPrice), let ap = QuickValue.hundredths(b, s3, e3, money: true)
        else { return nil }
        var hasCreated = false
        var createdForm = -1
        if fields.has(A.created) {
            guard let (cs, ce) = range(A.created) else { return nil }
            if ce == cs || (ce == cs + 1 && b[cs] == UInt8(ascii: "-")) {
                // Blank: no creation time.
            } else if createdTime.matches(b, cs, ce) {
                hasCreated = true
                createdForm = createdTime.form
            } else {
                guard QuickValue.isPlainText(b, cs, ce),
                    let (normal, form) = Timestamp.normalise(String(decoding: b[cs..<ce], as: UTF8.self))
                else { return nil }
                createdTime.set(
                    raw: b[cs..<ce], value: normal,
                    form: form.map { forms.number(FieldReader.timestampForm($0)) } ?? -1)
                hasCreated = true
                createdForm = createdTime.form
            }
        }
        return Values(
            year: fy, month: Int(month), entries: (c, p, d, t), pa: pa, aa: aa, pp: pp, ap: ap,
            hasCreated: hasCreated, yearForm: yearForm, createdForm: createdForm)
    }

    /// The entry of a code written as before, or plain and new; nil when it needs `FieldReader`
    /// (blank, `-`, a character a code may not hold).
    @inline(__always)
    private mutating func quickCode(_ slot: Int, _ range: (Int, Int)?, _ b: [UInt8]) -> Int? {
        guard let (s, e) = range, e > s else { return nil }
        if let entry = codes.entry(slot, raw: b, s, e) { return entry }
        guard !(e == s + 1 && b[s] == UInt8(ascii: "-")), case .success(let code) = ShortCode.parse(b[s..<e]) else {
            return nil
        }
        let entry = entry(slot, code)
        _ = codes.update(slot) {
            $0.remember(raw: b, s, e, entry: entry)
            return entry
        }
        return entry
    }

    private mutating func entry(_ slot: Int, _ code: ShortCode) -> Int {
        let rules = self.rules
        func classify(_ code: ShortCode) -> (CodeTable.Check, ShortCode?) {
            switch slot {
            case 0: return (rules.commissioners.contains(code) ? .known : .refuse, nil)
            case 1:
                if rules.knownProviders.contains(code) { return (.known, nil) }
                // A provider site code (`RRP00`) whose first three characters are a listed trust.
                if code.description.count == 5, let trust = ShortCode(String(code.description.prefix(3))),
                    rules.knownProviders.contains(trust)
                {
                    return (.site, trust)
                }
                return (.warn, nil)
            case 2: return (ActivityRules.knownPODs.contains(code) ? .known : .warn, nil)
            default: return (ActivityRules.knownTFCs.contains(code) ? .known : .warn, nil)
            }
        }
        return codes.update(slot) { $0.entry(code, classify: classify) }
    }

    /// The row read by `FieldReader`: every form, every problem reported. nil when it is not usable.
    private mutating func slow(_ row: Row) -> Values? {
        var f = FieldReader(row, log: log)
        func form(since count: Int) -> Int { f.forms.count > count ? forms.number(f.forms.last!) : -1 }
        var before = f.forms.count
        let fy = f.financialYear(A.year)
        if let fy, let raw = row.raw(A.year) { year.set(raw: raw, value: fy, form: form(since: before)) }
        let yearForm = fy == nil ? -1 : form(since: before)
        let month = f.financialMonth(A.month)
        let commissioner = f.code(A.commissioner, required: true)
        let provider = f.code(A.provider, required: true)
        let pod = f.code(A.pod, required: true)
        let tfc = f.code(A.tfc, required: true)
        // A financial-adjustment line counts in price only: its activity may be blank.
        let adjustment = pod.map { rules.adjustmentPODs.contains($0) } ?? false
        var plannedActivity = f.quantity(A.plannedActivity, required: !adjustment)
        var actualActivity = f.quantity(A.actualActivity, required: !adjustment)
        var otherForm = -1
        if adjustment, plannedActivity == nil || actualActivity == nil {
            if f.ok {
                otherForm = forms.number(
                    "blank activity on a financial-adjustment line (\(pod!)), counted in price only")
            }
            plannedActivity = plannedActivity ?? .zero
            actualActivity = actualActivity ?? .zero
        }
        let plannedPrice = f.money(A.plannedPrice, required: true)
        let actualPrice = f.money(A.actualPrice, required: true)
        var hasCreated = false
        var createdForm = -1
        if let raw = row.raw(A.created), !raw.isEmpty, !(raw.count == 1 && raw.first == UInt8(ascii: "-")) {
            if createdTime.matches(Array(raw), 0, raw.count) {
                hasCreated = true
                createdForm = createdTime.form
            } else {
                before = f.forms.count
                if let normal = f.timestamp(A.created) {
                    createdTime.set(raw: raw, value: normal, form: form(since: before))
                    hasCreated = true
                    createdForm = createdTime.form
                }
            }
        }
        guard f.ok, let fy, let month, let commissioner, let provider, let pod, let tfc, let plannedActivity,
            let actualActivity, let plannedPrice, let actualPrice
        else { return nil }
        return Values(
            year: fy, month: month,
            entries: (entry(0, commissioner), entry(1, provider), entry(2, pod), entry(3, tfc)),
            pa: plannedActivity.hundredths, aa: actualActivity.hundredths, pp: plannedPrice.pence,
            ap: actualPrice.pence, hasCreated: hasCreated, yearForm: yearForm, createdForm: createdForm,
            otherForm: otherForm)
    }

    // MARK: Taking a row

    private func location<F: RecordFields>(_ fields: F, _ column: Int, line: Int) -> SourceLocation {
        let (fieldLine, fieldColumn) = fields.position(column)
        return SourceLocation(file: displayPath, line: fieldLine, column: fieldColumn)
    }

    /// Gives a code's diagnostic on the first row taken that holds it; false when the row is refused.
    private mutating func check<F: RecordFields>(_ slot: Int, _ entry: Int, _ spans: F, line: Int) -> Bool {
        let info = codes.entry(slot, entry)
        let column = [A.commissioner, A.provider, A.pod, A.tfc][slot]
        let field = Schemas.activity.columns[column].name
        let at = location(spans, column, line: line)
        let value = info.code.description
        switch info.check {
        case .known: return true
        case .refuse, .tooMany:
            if info.settled {
                // Counted so that the run still fails, without repeating the message.
                log.report(
                    Diagnostic(
                        .error, info.check == .refuse ? "ref.commissioner" : "file.too-many-codes", at: at,
                        message: "\(field) \(value) (repeat)"),
                    counted: true)
            } else if info.check == .refuse {
                log.error(
                    "ref.commissioner", at, field: field, value: value, "the commissioner is not in organisations.csv",
                    hint: "add it to organisations.csv (this is reported once per file)")
            } else {
                log.error(
                    "file.too-many-codes", at, field: field, value: value,
                    "more than \(codes.table(slot).capacity - 1) distinct codes in this column of one file, the limit; rows with the codes past it are not read",
                    hint: "split the submission into several files (docs/inputs.md, Limits)")
            }
            codes.settle(slot, entry)
            return false
        case .site:
            if !info.settled {
                let trust = codes.entry(slot, info.keyID).code
                log.warning(
                    "ref.provider-site", at, field: field, value: value,
                    "a site code of the listed trust \(trust); read as \(trust)",
                    hint: "nothing to do; this is reported once per site code and file")
                codes.settle(slot, entry)
            }
            return true
        case .warn:
            if !info.settled {
                switch slot {
                case 1:
                    log.warning(
                        "ref.provider", at, field: field, value: value,
                        "the provider is not in organisations.csv; its activity counts, and the pack shows its code only",
                        hint:
                            "add it with org_type PROVIDER to show its name, or correct the code (reported once per file)"
                    )
                case 2:
                    log.warning(
                        "code.unknown-pod", at, field: field, value: value,
                        "not a point of delivery in the reference list (local codes are allowed); reported once per file"
                    )
                default:
                    log.warning(
                        "code.unknown-tfc", at, field: field, value: value,
                        "not a national treatment function code; reported once per file")
                }
                codes.settle(slot, entry)
            }
            return true
        }
    }

    @inline(__always)
    private mutating func take<F: RecordFields>(_ v: Values, _ spans: F, line: Int) {
        let (c, p, d, t) = v.entries
        // The provider's site code first, then the commissioner (which may refuse the row), then
        // the rest, as each is met in the row.
        if codes.entry(1, p).check == .site, !check(1, p, spans, line: line) { return }
        if codes.entry(0, c).check != .known, !check(0, c, spans, line: line) { return }
        if codes.entry(1, p).check != .known, codes.entry(1, p).check != .site,
            !check(1, p, spans, line: line)
        {
            return
        }
        if codes.entry(2, d).check != .known, !check(2, d, spans, line: line) { return }
        if codes.entry(3, t).check != .known, !check(3, t, spans, line: line) { return }
        let provider = codes.entry(1, p).keyID
        let period = FinancialMonth(year: v.year, month: v.month).ordinal
        let key = PackedCellKey.pack(
            codes.entry(0, c).keyID, provider, codes.entry(2, d).keyID, codes.entry(3, t).keyID,
            period: period)
        cells.add(key, v.pa, v.aa, v.pp, v.ap)
        if v.yearForm >= 0 { forms.count(v.yearForm, line: line) }
        if v.createdForm >= 0 { forms.count(v.createdForm, line: line) }
        if v.otherForm >= 0 { forms.count(v.otherForm, line: line) }
        if v.hasCreated, createdTime.generation != createdGenerationTaken {
            createdGenerationTaken = createdTime.generation
            if let time = createdTime.value, time > (created ?? "") { created = time }
        }
        if period > latest ?? Int.min {
            latest = period
            latestLocation = location(spans, A.year, line: line)
        }
        if provider != lastProvider {
            lastProvider = provider
            while providerSeen.count <= provider { providerSeen.append(false) }
            providerSeen[provider] = true
        }
    }

    // MARK: The result

    /// The facts and cells read, cells in key order (commissioner, provider, month, POD, TFC).
    func output() -> ActivityReadOutput {
        var out = ActivityReadOutput()
        out.rows = rows
        out.created = created
        out.latest = latest
        out.latestLocation = latestLocation
        out.overflowed = cells.overflowed
        for (provider, seen) in providerSeen.enumerated() where seen {
            out.providers.insert(codes.entry(1, provider).code)
        }
        for k in forms.names.indices where forms.rows[k] > 0 {
            out.forms[forms.names[k]] = (forms.rows[k], forms.first[k])
        }
        // Ids are in order of first appearance: rank them by code and sort packed integers, not cells.
        func ranks(_ table: CodeTable) -> [UInt64] {
            var rank = [UInt64](repeating: 0, count: table.entries.count)
            for (position, id) in table.entries.indices.sorted(by: { table.entries[$0].code < table.entries[$1].code })
                .enumerated()
            {
                rank[id] = UInt64(position)
            }
            return rank
        }
        let (rc, rp, rd, rt) = (
            ranks(codes.table(0)), ranks(codes.table(1)), ranks(codes.table(2)), ranks(codes.table(3))
        )
        typealias K = PackedCellKey
        var order: [(UInt64, UInt64, Int)] = cells.keys.enumerated().map { index, key in
            (
                rc[K.commissioner(key)] << 32 | rp[K.provider(key)] << 16 | UInt64(K.period(key) - K.firstPeriod),
                rd[K.pod(key)] << 16 | rt[K.tfc(key)], index
            )
        }
        order.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        out.cells.reserveCapacity(order.count)
        for (_, _, index) in order {
            let key = cells.keys[index]
            out.cells.append(
                ActivityCell(
                    key: ActivityKey(
                        commissioner: codes.entry(0, K.commissioner(key)).code,
                        provider: codes.entry(1, K.provider(key)).code,
                        pointOfDelivery: codes.entry(2, K.pod(key)).code,
                        treatmentFunction: codes.entry(3, K.tfc(key)).code,
                        period: FinancialMonth(ordinal: K.period(key))),
                    sums: cells.sums(index)))
        }
        return out
    }
}

/// The four code tables of a file (commissioner, provider, POD, TFC), each a stored property so
/// that reaching one by its slot never copies it.
struct CodeTables {
    private var commissioner = CodeTable(capacity: PackedCellKey.capacity[0])
    private var provider = CodeTable(capacity: PackedCellKey.capacity[1])
    private var pod = CodeTable(capacity: PackedCellKey.capacity[2])
    private var tfc = CodeTable(capacity: PackedCellKey.capacity[3])

    @inline(__always)
    mutating func entry(_ slot: Int, raw b: [UInt8], _ s: Int, _ e: Int) -> Int? {
        switch slot {
        case 0: commissioner.entry(raw: b, s, e)
        case 1: provider.entry(raw: b, s, e)
        case 2: pod.entry(raw: b, s, e)
        default: tfc.entry(raw: b, s, e)
        }
    }

    @inline(__always)
    func entry(_ slot: Int, _ index: Int) -> CodeTable.Entry {
        switch slot {
        case 0: commissioner.entries[index]
        case 1: provider.entries[index]
        case 2: pod.entries[index]
        default: tfc.entries[index]
        }
    }

    func table(_ slot: Int) -> CodeTable {
        switch slot {
        case 0: commissioner
        case 1: provider
        case 2: pod
        default: tfc
        }
    }

    mutating func settle(_ slot: Int, _ index: Int) {
        _ = update(slot) {
            $0.settle(index)
            return index
        }
    }

    mutating func update(_ slot: Int, _ body: (inout CodeTable) -> Int) -> Int {
        switch slot {
        case 0: body(&commissioner)
        case 1: body(&provider)
        case 2: body(&pod)
        default: body(&tfc)
        }
    }
}

/// A record's fields by schema column, as the CSV and XML readers give them.
protocol RecordFields {
    /// The bytes of the column's value, when it is present and holds no `""` escape.
    func plainRange(_ column: Int) -> (Int, Int)?
    func has(_ column: Int) -> Bool
    /// The line and column of the column's value (column 0: the record's line as a whole).
    func position(_ column: Int) -> (Int, Int)
    /// Every column's span, for `Row`.
    var spans: [FieldSpan] { get }
}

/// XML records come as spans by schema column.
struct SpanFields: RecordFields {
    let spans: [FieldSpan]
    let line: Int

    @inline(__always)
    func plainRange(_ column: Int) -> (Int, Int)? {
        let span = spans[column]
        guard span.isPresent, !span.hasEscapedQuote else { return nil }
        return (span.start, span.end)
    }

    func has(_ column: Int) -> Bool { spans[column].isPresent }

    func position(_ column: Int) -> (Int, Int) {
        let span = spans[column]
        return span.isPresent ? (span.line, span.column) : (line, 0)
    }
}

/// CSV records come as the reader's fields, with the field index of each schema column.
struct CSVFields: RecordFields {
    let fields: [CSVField]
    let columns: [Int]
    let line: Int

    @inline(__always)
    func plainRange(_ column: Int) -> (Int, Int)? {
        let index = columns[column]
        guard index >= 0 else { return nil }
        let field = fields[index]
        guard !field.hasEscapedQuote else { return nil }
        return (field.start, field.end)
    }

    func has(_ column: Int) -> Bool { columns[column] >= 0 }

    func position(_ column: Int) -> (Int, Int) {
        let index = columns[column]
        return index >= 0 ? (line, fields[index].column) : (line, 0)
    }

    var spans: [FieldSpan] {
        columns.map { index in
            guard index >= 0 else { return .absent }
            let field = fields[index]
            return FieldSpan(
                start: field.start, end: field.end, line: line, column: field.column,
                hasEscapedQuote: field.hasEscapedQuote)
        }
    }
}

/// What reading a submission (or a part of one) gives.
struct ActivityReadOutput {
    var rows = 0
    var created: String?
    var latest: Int?
    var latestLocation: SourceLocation?
    var providers: Set<ShortCode> = []
    /// Rows per value form, with the line of the first.
    var forms: [String: (rows: Int, firstLine: Int)] = [:]
    /// Cells in key order.
    var cells: [ActivityCell] = []
    var overflowed = false

    /// Adds `later`, the output of the part that follows, whose lines are numbered from
    /// `lineOffset` + 1.
    mutating func append(_ later: ActivityReadOutput, lineOffset: Int) {
        rows += later.rows
        if let time = later.created, time > (created ?? "") { created = time }
        if let month = later.latest, month > latest ?? Int.min {
            latest = month
            latestLocation = later.latestLocation.map {
                SourceLocation(file: $0.file, line: $0.line + lineOffset, column: $0.column)
            }
        }
        providers.formUnion(later.providers)
        for (form, seen) in later.forms {
            if let earlier = forms[form] {
                forms[form] = (earlier.rows + seen.rows, earlier.firstLine)
            } else {
                forms[form] = (seen.rows, seen.firstLine + lineOffset)
            }
        }
        overflowed = overflowed || later.overflowed
        // Merge two runs sorted by key; a cell in both adds up.
        var merged: [ActivityCell] = []
        merged.reserveCapacity(cells.count + later.cells.count)
        var i = 0
        var j = 0
        while i < cells.count || j < later.cells.count {
            if j == later.cells.count || (i < cells.count && cells[i].key < later.cells[j].key) {
                merged.append(cells[i])
                i += 1
            } else if i == cells.count || later.cells[j].key < cells[i].key {
                merged.append(later.cells[j])
                j += 1
            } else {
                var cell = cells[i]
                cell.sums.add(later.cells[j].sums)
                merged.append(cell)
                i += 1
                j += 1
            }
        }
        cells = merged
    }
}
