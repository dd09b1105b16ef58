import BoardPackCore

/// `commentary.csv` (optional): commentary on a pack's subjects, month by month. A subject that
/// does not exist is a located error, so a typo never leaves commentary silently unshown.
enum CommentaryLoader {
    /// The section names a `SECTION` row may name: the pack's sections.
    static let sections = [
        "summary", "qipp", "exceptions", "pipeline", "contract", "finance", "risks", "performance", "spc",
    ]

    /// The subjects that exist, by type, for checking ids.
    struct Known {
        var commissioners: Set<String>
        var providers: Set<String>
        var schemes: [String: String]  // id → commissioner
        var budgetLines: Set<String>  // "commissioner\0line"
        var metrics: Set<String>
    }

    static func load(
        path: String, displayPath: String, sheet: String? = nil, known: Known, mapping: ColumnMapping,
        log: DiagnosticLog
    ) throws
        -> [CommentaryEntry]
    {
        typealias C = Schemas.CommentaryColumn
        var entries: [CommentaryEntry] = []
        var seen: [String: Int] = [:]
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.commentary, mapping: mapping, log: log
        ) {
            row in
            var f = FieldReader(row, log: log)
            let org = f.text(C.org, required: true)?.trimmingSpaces.uppercased()
            let subject = f.choice(C.subjectType, required: true, CommentaryEntry.Subject.self)
            let id = f.text(C.subjectID, required: true)?.trimmingSpaces
            let year = f.financialYear(C.year)
            let month = f.financialMonth(C.month)
            let author = f.text(C.author, required: true)?.trimmingSpaces
            let text = f.text(C.text, required: true)?.trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = f.text(C.reason, required: false)?.trimmingSpaces ?? ""
            let action = f.text(C.action, required: false)?.trimmingSpaces ?? ""
            let owner = f.text(C.owner, required: false)?.trimmingSpaces ?? ""
            let due = f.date(C.due, required: false)?.normal ?? ""
            guard f.ok, let org, let subject, let id, let year, let month, let author, let text else { return }
            guard org == "SYSTEM" || known.commissioners.contains(org) else {
                log.error(
                    "ref.commissioner", row.location(C.org), field: "org_code", value: org,
                    "not a commissioner in organisations.csv, nor SYSTEM",
                    hint: "commentary belongs to a commissioner's pack, or SYSTEM for the system pack")
                return
            }
            var exists: Bool
            switch subject {
            case .scheme: exists = known.schemes[id] != nil && (org == "SYSTEM" || known.schemes[id] == org)
            case .provider: exists = known.providers.contains(id.uppercased())
            case .budgetLine: exists = known.budgetLines.contains(org + "\u{0}" + id)
            case .metric: exists = known.metrics.contains(id)
            case .section: exists = sections.contains(id.lowercased())
            }
            guard exists else {
                let what: String
                switch subject {
                case .scheme: what = "no scheme with this id for \(org) in qipp_schemes.csv"
                case .provider: what = "no provider with this code in organisations.csv"
                case .budgetLine: what = "no budget line with this name for \(org) in finance_ledger.csv"
                case .metric: what = "no metric with this id in metrics.csv"
                case .section: what = "not a section of the pack (\(sections.joined(separator: ", ")))"
                }
                log.error(
                    "ref.subject", row.location(C.subjectID), field: "subject_id", value: id, what,
                    hint: "correct the subject_id, or the subject_type")
                return
            }
            let normalID = subject == .provider ? id.uppercased() : (subject == .section ? id.lowercased() : id)
            let period = FinancialMonth(year: year, month: month)
            let key = [org, subject.rawValue, normalID, String(period.ordinal)].joined(separator: "\u{0}")
            if let first = seen[key] {
                log.error(
                    "dup.commentary", row.location(C.subjectID), field: "subject_id", value: id,
                    "this subject already has commentary for this month (line \(first))",
                    hint: "keep one row per subject and month; paragraphs and bullets go in one text")
                return
            }
            seen[key] = row.line
            entries.append(
                CommentaryEntry(
                    org: org, subject: subject, subjectID: normalID, period: period, author: author, text: text,
                    reason: reason, action: action, actionOwner: owner, actionDue: due,
                    location: row.location(C.subjectID)))
        }
        return entries
    }
}
