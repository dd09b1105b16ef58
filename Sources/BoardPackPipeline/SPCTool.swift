import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import BoardPackRender
import Foundation

/// `boardpack spc`: the pack's SPC engine on any dated series, for checking a chart by hand or
/// against another tool. The output is the points as CSV and one summary line per rebase group.
public enum SPCTool {
    public struct Options: Sendable {
        public var direction: SPCDirection = .up
        public var target: Double?
        /// Dates (`YYYY-MM-DD` or `YYYY-MM`) from which the limits are recalculated.
        public var rebase: [String] = []
        public var rules = SPCRules()

        public init() {}
    }

    public struct Output: Sendable {
        public var csv: String
        public var summary: [String]
        public var analysis: SPCAnalysis
        /// The dates as written, for the chart's labels.
        public var dates: [String]

        /// The chart as a standalone SVG file.
        public func svg(title: String, options: Options) -> String {
            XmRChartFile.svg(
                title: title, labels: dates, analysis: analysis, direction: options.direction, target: options.target)
        }
    }

    /// nil when the series cannot be read (the reasons are in `log`).
    public static func run(path: String, options: Options, log: DiagnosticLog) throws -> Output? {
        let points = try SeriesLoader.load(path: path, displayPath: path, log: log)
        var rebase: [String] = []
        for date in options.rebase {
            guard let normal = SeriesLoader.normalisedDate(date) else {
                log.error(
                    "config.value", SourceLocation(file: "--rebase"), value: date, "not a date that exists",
                    hint: "write it as YYYY-MM-DD or YYYY-MM")
                continue
            }
            rebase.append(normal)
        }
        if points.isEmpty && !log.hasErrors {
            log.error("file.empty-series", SourceLocation(file: path), "the series holds no points")
        }
        guard !log.hasErrors else { return nil }
        // A group starts at the first point on or after each rebase date.
        let starts = rebase.compactMap { date in points.firstIndex { $0.date >= date } }
        let analysis = SPC.analyse(
            points.map(\.value), groupStarts: starts, direction: options.direction, target: options.target,
            rules: options.rules)
        var csv = "date,value,mean,lpl,upl,special_cause,rule,group\n"
        for (point, p) in zip(points, analysis.points) {
            let cause: String
            switch (p.specialCause, options.direction) {
            case (0, _): cause = ""
            case (let side, .neither): cause = side > 0 ? "high" : "low"
            case (let side, .up): cause = side > 0 ? "improvement" : "concern"
            case (let side, .down): cause = side < 0 ? "improvement" : "concern"
            }
            csv +=
                [
                    point.written, number(p.value), number(p.mean), number(p.lowerLimit), number(p.upperLimit), cause,
                    p.rule?.rawValue ?? "", String(p.group + 1),
                ].joined(separator: ",") + "\n"
        }
        let summary = analysis.groups.enumerated().map { g, group in
            let first = points[group.start].date
            let last = points[group.start + group.count - 1].date
            return "group \(g + 1): \(first) to \(last), \(group.count) point\(group.count == 1 ? "" : "s"); "
                + "variation: \(group.variation.rawValue); assurance: \(group.assurance.rawValue)"
                + (group.isShort ? "; fewer than \(SPCRules.shortSeries) points: trial limits" : "")
        }
        return Output(csv: csv, summary: summary, analysis: analysis, dates: points.map(\.written))
    }

    /// Fifteen significant digits, as `%.15g` writes them.
    public static func number(_ value: Double) -> String { String(format: "%.15g", value) }
}
