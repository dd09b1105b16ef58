import BoardPackCore

/// `metrics.csv` and `metric_definitions.csv` (both optional): performance measures for the
/// integrated-performance section. Every problem is a located error; nothing is dropped quietly.
enum MetricsLoader {
    /// The points, and every metric id a row names (rows refused for another reason included), so
    /// that `metric_definitions.csv` is not told a metric is missing when only its rows were refused.
    ///
    /// The points of several files (metrics.csv, then each `[files.NAME]` file of measures), as of
    /// one: a metric, organisation and period given twice is an error wherever the two rows are.
    static func load(
        sources: [TableSource], organisations: Set<String>, log: DiagnosticLog
    ) throws -> (points: [MetricPoint], ids: Set<String>) {
        typealias M = Schemas.MetricColumn
        var points: [MetricPoint] = []
        var ids: Set<String> = []
        // One error per organisation missing from organisations.csv, at its first row, with the count.
        var unknown: [String: (location: SourceLocation, rows: Int)] = [:]
        var unknownOrder: [String] = []
        var seen: [String: SourceLocation] = [:]
        var names: [String: (String, SourceLocation)] = [:]
        for source in sources {
            try CSVTable.read(
                path: source.path, displayPath: source.displayPath, sheet: source.sheet, schema: Schemas.metrics,
                mapping: source.mapping, log: log
            ) {
                row in
                var f = FieldReader(row, log: log)
                let id = f.text(M.id, required: true)?.trimmingSpaces
                if let id { ids.insert(id) }
                let name = f.text(M.name, required: true)?.trimmingSpaces
                let org = f.text(M.org, required: true)?.trimmingSpaces.uppercased()
                let period = f.date(M.period, required: true)
                let value = f.plainNumber(M.value, required: true)
                let unit = f.text(M.unit, required: false)?.trimmingSpaces ?? ""
                let target = f.plainNumber(M.target, required: false)
                guard f.ok, let id, let name, let org, let period, let value else { return }
                guard org == "SYSTEM" || organisations.contains(org) else {
                    if unknown[org] == nil { unknownOrder.append(org) }
                    unknown[org, default: (row.location(M.org), 0)].rows += 1
                    return
                }
                if let (earlier, place) = names[id], earlier != name {
                    log.error(
                        "metrics.name", row.location(M.name), field: "metric_name", value: name,
                        "the metric has another name at \(place.file == row.file ? "line \(place.line)" : place.description) "
                            + "('\(earlier)')", hint: "give each metric_id one name")
                    return
                }
                names[id] = names[id] ?? (name, row.recordLocation)
                let key = id + "\u{0}" + org + "\u{0}" + period.0
                if let first = seen[key] {
                    log.error(
                        "dup.metric", row.location(M.period), field: "period", value: period.1,
                        "this metric already has a value for \(org) in this period "
                            + "(\(first.file == row.file ? "line \(first.line)" : first.description))",
                        hint: "keep one row per metric, organisation and period")
                    return
                }
                seen[key] = row.recordLocation
                var point = MetricPoint(
                    metricID: id, name: name, org: org, date: period.0, written: period.1, value: value, unit: unit,
                    target: target)
                point.location = row.location(M.org)
                points.append(point)
            }
        }
        for org in unknownOrder {
            let (location, rows) = unknown[org]!
            log.error(
                "ref.organisation", location, field: "org_code", value: org,
                "not an organisation in organisations.csv, nor SYSTEM; \(rows) row\(rows == 1 ? " names" : "s name") it "
                    + "(the first here), and none of them is read",
                hint: "add it to organisations.csv (org_type PROVIDER for a trust, CCG or ICB for a commissioner), "
                    + "or write SYSTEM for a system-wide measure")
        }
        return (points.sorted { ($0.metricID, $0.org, $0.date) < ($1.metricID, $1.org, $1.date) }, ids)
    }

    static func definitions(
        path: String, displayPath: String, sheet: String? = nil, metrics: Set<String>,
        organisations: Set<String>? = nil, mapping: ColumnMapping, log: DiagnosticLog
    ) throws -> [MetricDefinition] {
        typealias D = Schemas.DefinitionColumn
        var definitions: [MetricDefinition] = []
        var seen: [String: Int] = [:]
        try CSVTable.read(
            path: path, displayPath: displayPath, sheet: sheet, schema: Schemas.metricDefinitions, mapping: mapping,
            log: log
        ) { row in
            var f = FieldReader(row, log: log)
            let id = f.text(D.id, required: true)?.trimmingSpaces
            let direction = f.text(D.direction, required: true)?.trimmingSpaces.lowercased()
            if let direction, !["up", "down", "neither"].contains(direction) {
                f.fail("value.choice", D.direction, "not one of the allowed values", hint: "use up, down or neither")
            }
            var rebase: [String] = []
            if let text = f.text(D.rebase, required: false) {
                for part in text.split(separator: ";").map({ String($0).trimmingSpaces }) where !part.isEmpty {
                    if let normal = SeriesLoader.normalisedDate(part) {
                        rebase.append(normal)
                    } else {
                        f.fail(
                            "value.date", D.rebase, "'\(part)' is not a date that exists",
                            hint: "write dates as YYYY-MM-DD or YYYY-MM, separated by ;")
                    }
                }
            }
            let baseline = f.integer(D.baseline, required: false, range: 2...1000)
            let annotation = f.text(D.annotation, required: false)?.trimmingSpaces ?? ""
            let target = f.plainNumber(D.target, required: false)
            let org = f.text(D.org, required: false)?.trimmingSpaces.uppercased()
            let scale = f.text(D.scale, required: false)?.trimmingSpaces.lowercased()
            if let scale, !MetricDefinition.scales.contains(scale) {
                f.fail(
                    "value.choice", D.scale, "not one of the allowed values",
                    hint: "use " + MetricDefinition.scales.joined(separator: ", ") + ", or leave it blank")
            }
            guard f.ok, let id, let direction else { return }
            if let org, let organisations, org != "SYSTEM", !organisations.contains(org) {
                log.error(
                    "ref.organisation", row.location(D.org), field: "org_code", value: org,
                    "not an organisation in organisations.csv, nor SYSTEM",
                    hint:
                        "leave org_code blank for every organisation's series of the measure, or name one that is listed"
                )
                return
            }
            guard metrics.contains(id) else {
                log.error(
                    "ref.metric", row.location(D.id), field: "metric_id", value: id, "no such metric in metrics.csv",
                    hint: "define only metrics that metrics.csv holds")
                return
            }
            let key = id + "\u{0}" + (org ?? "")
            if let first = seen[key] {
                log.error(
                    "dup.metric-definition", row.location(D.id), field: "metric_id", value: id,
                    "the metric is defined twice" + (org.map { " for \($0)" } ?? "") + " (first at line \(first))")
                return
            }
            seen[key] = row.line
            var definition = MetricDefinition(
                metricID: id, direction: direction, rebase: rebase.sorted(), baselinePoints: baseline.map(Int.init),
                annotation: annotation, target: target)
            definition.org = org
            definition.scale = scale
            definitions.append(definition)
        }
        return definitions.sorted { ($0.metricID, $0.org ?? "") < ($1.metricID, $1.org ?? "") }
    }
}
