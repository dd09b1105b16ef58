import BoardPackCore

/// A performance measure of one organisation (or the system) as an XmR chart: the
/// integrated-performance section of a pack.
public struct MetricSeries: Sendable {
    public var metricID: String
    /// A stable name for files and anchors: `metric-AE4HR-00C`.
    public var slug: String
    public var name: String
    /// The organisation's code, or `SYSTEM`, and its name.
    public var org: String
    public var orgName: String
    public var unit: String
    public var direction: SPCDirection
    /// The latest point's target, or the definition's standing target: the one assurance is judged
    /// against.
    public var target: Double?
    /// Each point's target (its row's, else the standing target), in time order: a target that
    /// changes over time is drawn as steps.
    public var targets: [Double?] = []
    /// The points' dates as written, in time order.
    public var dates: [String]
    public var analysis: SPCAnalysis
    public var annotation: String
    /// Dates (`YYYY-MM-DD`) from which the limits are recalculated.
    public var rebase: [String]
    /// `metric_definitions.csv`'s scale: how values are formatted (`count` whole, `rate` to two
    /// places, `money` in pounds, otherwise one place). A `proportion` is already ×100 here.
    public var scale: String? = nil
    /// The latest point's month (`YYYY-MM`) when it is more than twelve months before the
    /// reporting month: the pack says so beside "latest", and the build warns (`metric.stale`).
    public var staleSince: String? = nil

    /// The latest group: what the summary matrix shows.
    public var latest: SPCAnalysis.Group? { analysis.groups.last }
}

extension Analysis {
    /// The series of `points` for the organisations `orgs` (codes, or `SYSTEM`), up to the end of
    /// `period`, each under its definition (direction, rebase dates, baseline; `neither` and the
    /// pack's rules when it has none). Sorted by metric and organisation.
    public static func metricSeries(
        _ points: [MetricPoint], definitions: [MetricDefinition], orgs: Set<String>, names: [String: String],
        period: FinancialMonth, rules: SPCRules
    ) -> [MetricSeries] {
        let last = period.calendarText  // YYYY-MM: every date of the month sorts before its successor
        // An organisation's own definition of a measure wins over the measure's definition for all.
        let byDefinition = Dictionary(
            definitions.map { ($0.metricID + "\u{0}" + ($0.org ?? ""), $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [String: [MetricPoint]] = [:]
        var order: [String] = []
        for point in points where orgs.contains(point.org) && String(point.date.prefix(7)) <= last {
            let key = point.metricID + "\u{0}" + point.org
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(point)
        }
        return order.sorted().compactMap { key in
            let series = groups[key]!.sorted { $0.date < $1.date }
            guard let first = series.first else { return nil }
            let definition =
                byDefinition[first.metricID + "\u{0}" + first.org] ?? byDefinition[first.metricID + "\u{0}"]
            let direction = definition.flatMap { SPCDirection(rawValue: $0.direction) } ?? .neither
            var settings = rules
            if let baseline = definition?.baselinePoints { settings.fixAfterPoints = baseline }
            let rebase = definition?.rebase ?? []
            let starts = rebase.compactMap { date in series.firstIndex { $0.date >= date } }
            // A proportion (0 to 1) is shown as a percentage: values and targets ×100. The SPC
            // rules are the same on either scale; the limits scale with the values.
            let factor = definition?.scale == "proportion" ? 100.0 : 1.0
            let target = (series.last?.target ?? definition?.target).map { $0 * factor }
            let analysis = SPC.analyse(
                series.map { $0.value * factor }, groupStarts: starts, direction: direction, target: target,
                rules: settings)
            // Twelve months or more before the reporting month: shown, but not as if it were current.
            let lastMonth = String(series.last!.date.prefix(7))
            let yearBefore = FinancialMonth(ordinal: period.ordinal - 12).calendarText
            var result = MetricSeries(
                metricID: first.metricID, slug: "metric-" + slug(first.metricID + "-" + first.org), name: first.name,
                org: first.org, orgName: first.org == "SYSTEM" ? "System" : (names[first.org] ?? first.org),
                unit: factor == 100 || (definition?.scale == "percent" && first.unit.isEmpty) ? "%" : first.unit,
                direction: direction, target: target,
                targets: series.map { ($0.target ?? definition?.target).map { $0 * factor } },
                dates: series.map(\.written),
                analysis: analysis, annotation: definition?.annotation ?? "", rebase: rebase)
            if lastMonth <= yearBefore { result.staleSince = lastMonth }
            result.scale = definition?.scale
            return result
        }
    }
}
