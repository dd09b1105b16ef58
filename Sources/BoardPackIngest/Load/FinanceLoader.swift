import BoardPackCore

/// The optional finance_ledger.csv and quality_premium.csv.
enum FinanceLoader {
    static func ledger(
        path: String, displayPath: String, sheet: String? = nil, commissioners: Set<ShortCode>,
        mapping: ColumnMapping = [:],
        log: DiagnosticLog
    ) throws -> [LedgerLine] {
        typealias L = Schemas.LedgerColumn
        var lines: [LedgerLine] = []
        var seen: [String: Int] = [:]
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.ledger, mapping: mapping, log: log
        ) {
            row in
            var f = FieldReader(row, log: log)
            let commissioner = f.code(L.commissioner, required: true)
            let name = f.text(L.line, required: true)?.trimmingSpaces
            let category = f.choice(L.category, required: true, LedgerLine.Category.self)
            let annual = f.money(L.annual, required: true)
            let ytdBudget = f.money(L.ytdBudget, required: true)
            let ytdActual = f.money(L.ytdActual, required: true)
            let forecast = f.money(L.forecast, required: true)
            let best = f.money(L.best, required: false)
            let worst = f.money(L.worst, required: false)
            guard f.ok, let commissioner, let name, let category, let annual, let ytdBudget, let ytdActual,
                let forecast
            else { return }
            Scenarios.check(
                best: best, worst: worst, likely: forecast, higherIsBetter: category.isIncome, row: row,
                bestColumn: L.best, worstColumn: L.worst, subject: "\(commissioner) \(name)",
                likelyName: "forecast outturn", log: log)
            guard commissioners.contains(commissioner) else {
                log.error(
                    "ref.commissioner", row.location(L.commissioner), field: "commissioner_code",
                    value: commissioner.description, "the commissioner is not in organisations.csv")
                return
            }
            let key = commissioner.description + "\u{0}" + name
            if let first = seen[key] {
                log.error(
                    "dup.ledger-line", row.location(L.line), field: "budget_line", value: name,
                    "the budget line is given twice for this commissioner (first at line \(first))")
                return
            }
            seen[key] = row.line
            lines.append(
                LedgerLine(
                    commissioner: commissioner, budgetLine: name, category: category, annualBudget: annual,
                    ytdBudget: ytdBudget, ytdActual: ytdActual, forecastOutturn: forecast, bestForecastOutturn: best,
                    worstForecastOutturn: worst))
        }
        return lines
    }

    static func qualityPremium(
        path: String, displayPath: String, sheet: String? = nil, commissioners: Set<ShortCode>,
        mapping: ColumnMapping = [:],
        log: DiagnosticLog
    ) throws -> [QualityPremiumItem] {
        typealias Q = Schemas.QualityColumn
        var items: [QualityPremiumItem] = []
        var seen: [String: Int] = [:]
        var weights: [ShortCode: (Int64, SourceLocation)] = [:]
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.quality, mapping: mapping, log: log
        ) {
            row in
            var f = FieldReader(row, log: log)
            let commissioner = f.code(Q.commissioner, required: true)
            let kind = f.choice(Q.kind, required: true, QualityPremiumItem.Kind.self)
            let name = f.text(Q.item, required: true)?.trimmingSpaces
            let weight = f.quantity(Q.weight, required: kind == .measure)
            let met = f.choice(Q.met, required: true, YesNo.self)
            guard f.ok, let commissioner, let kind, let name, let met else { return }
            guard commissioners.contains(commissioner) else {
                log.error(
                    "ref.commissioner", row.location(Q.commissioner), field: "commissioner_code",
                    value: commissioner.description, "the commissioner is not in organisations.csv")
                return
            }
            let key = commissioner.description + "\u{0}" + name
            if let first = seen[key] {
                log.error(
                    "dup.quality-item", row.location(Q.item), field: "item", value: name,
                    "the item is given twice for this commissioner (first at line \(first))")
                return
            }
            seen[key] = row.line
            let basisPoints = kind == .measure ? (weight?.hundredths ?? 0) : 0
            if kind == .measure {
                weights[commissioner, default: (0, row.recordLocation)].0 += basisPoints
            }
            items.append(
                QualityPremiumItem(
                    commissioner: commissioner, kind: kind, name: name, weightBasisPoints: basisPoints,
                    met: met == .yes))
        }
        for (commissioner, (total, location)) in weights.sorted(by: { $0.key < $1.key }) where total != 10_000 {
            log.warning(
                "qp.weights", location, field: "weight_percent", value: FixedPoint.format(total, scale: 2),
                "the measure weights of \(commissioner) add up to \(FixedPoint.format(total, scale: 2))%, not 100%")
        }
        return items
    }

    enum YesNo: String, CaseIterable {
        case yes = "Y"
        case no = "N"
    }
}
