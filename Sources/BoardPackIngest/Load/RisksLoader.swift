import BoardPackCore

/// `risks.csv` (optional): each commissioner's risks and opportunities behind its forecast.
enum RisksLoader {
    static func load(
        path: String, displayPath: String, sheet: String? = nil, commissioners: Set<ShortCode>, mapping: ColumnMapping,
        log: DiagnosticLog
    ) throws -> [RiskItem] {
        typealias R = Schemas.RiskColumn
        var items: [RiskItem] = []
        var seen: [String: Int] = [:]
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.risks, mapping: mapping, log: log
        ) {
            row in
            var f = FieldReader(row, log: log)
            let org = f.code(R.org, required: true)
            let id = f.text(R.id, required: true)?.trimmingSpaces
            let kind = f.choice(R.kind, required: true, RiskItem.Kind.self)
            let description = f.text(R.description, required: true)?.trimmingSpaces
            let category = f.text(R.category, required: true)?.trimmingSpaces
            let gross = f.money(R.gross, required: true)
            if let gross, gross.pence < 0 {
                f.fail(
                    "value.negative", R.gross, "the gross value cannot be negative",
                    hint: "give the size of the risk or opportunity; its kind says which way it goes")
            }
            let likelihood = f.integer(R.likelihood, required: true, range: 0...100)
            let owner = f.text(R.owner, required: true)?.trimmingSpaces
            let mitigation = f.text(R.mitigation, required: true)?.trimmingSpaces
            let baf = f.text(R.baf, required: false)?.trimmingSpaces ?? ""
            guard f.ok, let org, let id, let kind, let description, let category, let gross, let likelihood,
                let owner, let mitigation
            else { return }
            guard commissioners.contains(org) else {
                log.error(
                    "ref.commissioner", row.location(R.org), field: "org_code", value: org.description,
                    "the commissioner is not in organisations.csv")
                return
            }
            let key = org.description + "\u{0}" + id
            if let first = seen[key] {
                log.error(
                    "dup.risk", row.location(R.id), field: "risk_id", value: id,
                    "the risk is listed twice for this commissioner (first at line \(first))")
                return
            }
            seen[key] = row.line
            items.append(
                RiskItem(
                    commissioner: org, id: id, kind: kind, description: description, category: category, gross: gross,
                    likelihoodPercent: likelihood, owner: owner, mitigation: mitigation, bafReference: baf))
        }
        return items
    }
}
