import BoardPackCore

/// Statistical process control settings (the `[spc]` table of the configuration file).
public struct SPCRules: Sendable, Equatable {
    /// Points in a row on one side of the mean that make a shift.
    public var runLength = 7
    /// Points in a row each above (or each below) the one before that make a trend.
    public var trendLength = 7
    /// Leave moving ranges at or above 3.267 × their mean out of the mean moving range.
    public var screenMovingRanges = true
    /// Take each group's mean and limits from its first this many points only (a fixed baseline;
    /// nil: from every point of the group).
    public var fixAfterPoints: Int?
    /// Months from which the limits are recalculated (a new process from that month).
    public var rebaseFrom: [FinancialMonth] = []
    /// Which way is better for the monthly activity of a contract line, and of a scheme's linked activity.
    public var contractDirection: SPCDirection = .down
    public var schemeDirection: SPCDirection = .down
    /// Recalculate a scheme's chart limits from its go-live month (`start_month`).
    public var rebaseAtGoLive = true
    /// How many of the commissioner's contract lines (provider and point of delivery) get a chart.
    public var contractLines = 5
    /// How many schemes (largest annual target first) get a chart of their linked activity.
    public var schemes = 10
    /// A group of fewer points than this has trial limits, flagged as not yet reliable.
    public static let shortSeries = 13

    public init() {}

    public var presetName: String {
        switch (runLength, trendLength) {
        case (7, 7): "7-point shift and trend (NHSRplotthedots)"
        case (6, 6): "6-point shift and trend (Making Data Count tools)"
        default: "\(runLength)-point shift, \(trendLength)-point trend"
        }
    }

    public var ruleText: [String] {
        [
            "SPC (XmR): centre line the mean; process limits the mean ± 2.66 × the mean moving range"
                + (screenMovingRanges
                    ? ", leaving out moving ranges at or above 3.267 × their mean." : " (moving ranges not screened).")
                + (fixAfterPoints.map { " Limits fixed from the first \($0) points of each group." } ?? ""),
            "Special cause, by precedence: a point outside the limits; \(trendLength) or more points in a row "
                + "each higher (or lower) than the one before; two of three points in a row between two sigma "
                + "and the limits, all three on the same side of the mean; \(runLength) or more points in a row "
                + "above (or below) the mean (\(presetName)).",
            "Assurance compares the limits with the target (the plan for the latest month): passing when "
                + "every point within the limits meets it, failing when none can, otherwise hit and miss.",
            "Series of fewer than \(Self.shortSeries) points are charted with a warning: the limits are not yet "
                + "reliable."
                + (rebaseFrom.isEmpty
                    ? "" : " Limits recalculated from " + rebaseFrom.map(\.description).joined(separator: ", ") + "."),
        ]
    }
}

/// Which way a measure improves.
public enum SPCDirection: String, Sendable, Equatable, CaseIterable {
    case up
    case down
    case neither
}

/// What the latest point says about variation (the Making Data Count variation icon).
public enum SPCVariation: String, Sendable, Equatable {
    case commonCause = "common-cause"
    case improvementHigh = "improvement-high"
    case improvementLow = "improvement-low"
    case concernHigh = "concern-high"
    case concernLow = "concern-low"
    case neitherHigh = "neither-high"
    case neitherLow = "neither-low"

    public var label: String {
        switch self {
        case .commonCause: "Common cause variation"
        case .improvementHigh: "Special cause: improvement (high)"
        case .improvementLow: "Special cause: improvement (low)"
        case .concernHigh: "Special cause: concern (high)"
        case .concernLow: "Special cause: concern (low)"
        case .neitherHigh: "Special cause: higher"
        case .neitherLow: "Special cause: lower"
        }
    }
}

/// Whether the process can be expected to meet its target (the assurance icon).
public enum SPCAssurance: String, Sendable, Equatable {
    case pass
    case fail
    case hitAndMiss = "hit-and-miss"
    case none

    public var label: String {
        switch self {
        case .pass: "Consistently passing the target"
        case .fail: "Consistently failing the target"
        case .hitAndMiss: "Hit and miss: the target lies within the limits"
        case .none: "No assurance (no target or no direction)"
        }
    }
}

/// Whether a scheme's change shows in its linked activity, judged against the process before
/// go-live: the points from go-live on, tested against limits fixed from the points before it.
public struct SPCBenefit: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        /// The latest point is special-cause improvement against the limits before go-live.
        case sustained = "evidenced-and-sustained"
        /// Some point since go-live was improvement against them, but the latest is not.
        case waning
        /// No point since go-live is improvement against them (or there is no baseline yet).
        case notYetEvidenced = "not-yet-evidenced"

        public var label: String {
            switch self {
            case .sustained: "Evidenced and sustained"
            case .waning: "Waning"
            case .notYetEvidenced: "Not yet evidenced"
            }
        }
    }

    public var verdict: Verdict
    /// The rule that shows it: the deciding rule of the latest improving point.
    public var rule: SPCRule?
    public var goLive: FinancialMonth
    /// Points before go-live (the baseline) and since.
    public var before: Int
    public var since: Int

    /// `Jun 2026`
    var goLiveText: String { "\(goLive.shortMonthName) \(goLive.calendarYear)" }

    /// A sentence for the pack.
    public var text: String {
        switch verdict {
        case .sustained:
            "\(verdict.label): the latest month is special-cause improvement (\(rule?.label ?? "")) against the "
                + "limits of the \(before) months before go-live in \(goLiveText)."
        case .waning:
            "\(verdict.label): \(rule.map { "special-cause improvement (\($0.label))" } ?? "improvement") was seen "
                + "after go-live in \(goLiveText), but the latest month no longer shows it against the limits "
                + "of the \(before) months before."
        case .notYetEvidenced:
            before < 2
                ? "\(verdict.label): fewer than two months of activity before go-live in \(goLiveText), so no baseline."
                : "\(verdict.label): none of the \(since) months since go-live in \(goLiveText) is special-cause "
                    + "improvement against the limits of the \(before) months before."
        }
    }

    /// The verdict for `series` with go-live at `goLive` (improvement in `direction`).
    public static func judge(
        _ series: [(FinancialMonth, Double)], goLive: FinancialMonth, direction: SPCDirection, rules: SPCRules
    ) -> SPCBenefit {
        let before = series.filter { $0.0 < goLive }.count
        let since = series.count - before
        var baseline = rules
        baseline.fixAfterPoints = max(before, 2)
        var verdict = Verdict.notYetEvidenced
        var rule: SPCRule?
        if before >= 2, since > 0, direction != .neither {
            let analysis = SPC.analyse(
                series.map(\.1), groupStarts: [], direction: direction, target: nil, rules: baseline)
            let improving = direction == .up ? 1 : -1
            let after = analysis.points[before...]
            if let latest = after.last, latest.specialCause == improving {
                verdict = .sustained
                rule = latest.rule
            } else if let seen = after.last(where: { $0.specialCause == improving }) {
                verdict = .waning
                rule = seen.rule
            }
        }
        return SPCBenefit(verdict: verdict, rule: rule, goLive: goLive, before: before, since: since)
    }
}

/// The rules that mark a point as special cause, in order of precedence: when several fire, the
/// first decides the point's side (NHSRplotthedots 0.2.2, `ptd_special_cause_type`).
public enum SPCRule: String, Sendable, Equatable, CaseIterable {
    /// Outside the process limits.
    case limit
    /// Part of a run of points each higher (or each lower) than the one before.
    case trend
    /// Between two sigma and the limit, in a window of three points in a row all on the same side
    /// of the mean of which at least two are that close.
    case twoOfThree = "two_of_three"
    /// Part of a run of points on one side of the mean.
    case shift

    /// How the pack names the rule.
    public var label: String {
        switch self {
        case .limit: "outside the limits"
        case .trend: "trend"
        case .twoOfThree: "two of three close to the limits"
        case .shift: "shift"
        }
    }
}

/// One point of an analysed series.
public struct SPCPoint: Sendable, Equatable {
    public var value: Double
    public var mean: Double
    public var upperLimit: Double
    public var lowerLimit: Double
    /// The moving range from the previous point of the same group (nil at a group's start).
    public var movingRange: Double?
    /// The rebase group, numbered from 0.
    public var group: Int
    /// +1 special cause on the high side, −1 on the low side, 0 none.
    public var specialCause: Int
    /// The rule that decides the point (the first that fires, by precedence).
    public var rule: SPCRule?
    /// Every rule that fires at the point, in order of precedence.
    public var rules: [SPCRule]
}

/// A series analysed: its points and, per rebase group, what its latest point and limits say.
public struct SPCAnalysis: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var start: Int
        public var count: Int
        /// Fewer points than `SPCRules.shortSeries`: trial limits.
        public var isShort: Bool
        public var variation: SPCVariation
        public var assurance: SPCAssurance
    }

    public var points: [SPCPoint]
    public var groups: [Group]
}

/// One XmR chart: the points, their limits and the special causes found.
public struct SPCChart: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var period: FinancialMonth
        public var value: Double
        public var mean: Double
        public var upperLimit: Double
        public var lowerLimit: Double
        /// The moving range from the previous point of the same segment (nil at a segment's start).
        public var movingRange: Double?
        /// +1 special cause on the high side, −1 on the low side, 0 none.
        public var specialCause: Int
        /// The deciding rule, and every rule that fired.
        public var rule: SPCRule?
        public var rules: [SPCRule]
    }

    public var points: [Point]
    public var direction: SPCDirection
    public var target: Double?
    public var variation: SPCVariation
    public var assurance: SPCAssurance
    /// Points in the latest group, fewer than `SPCRules.shortSeries`.
    public var isShort: Bool
}

public enum SPC {
    /// The XmR chart of `series` (months in order, one value each) under `rules`; the limits are
    /// recalculated from each of `rebase` (default: the rules' months).
    public static func chart(
        _ series: [(FinancialMonth, Double)], direction: SPCDirection, target: Double?, rules: SPCRules,
        rebase: [FinancialMonth]? = nil
    ) -> SPCChart {
        let months = Set(rebase ?? rules.rebaseFrom)
        let starts = series.indices.filter { $0 > 0 && months.contains(series[$0].0) }
        let analysis = analyse(series.map(\.1), groupStarts: starts, direction: direction, target: target, rules: rules)
        let points = zip(series, analysis.points).map { item, p in
            SPCChart.Point(
                period: item.0, value: p.value, mean: p.mean, upperLimit: p.upperLimit, lowerLimit: p.lowerLimit,
                movingRange: p.movingRange, specialCause: p.specialCause, rule: p.rule, rules: p.rules)
        }
        let latest = analysis.groups.last
        return SPCChart(
            points: points, direction: direction, target: target, variation: latest?.variation ?? .commonCause,
            assurance: latest?.assurance ?? .none, isShort: latest?.isShort ?? true)
    }

    /// Analyses `values` (in time order, any period) split into rebase groups starting at
    /// `groupStarts` (indices; 0 always starts one), under `rules`. NHSRplotthedots 0.2.2's method,
    /// each group on its own: mean and mean moving range (screened, and from a fixed baseline when
    /// the rules say), limits at ± 2.66 × the mean moving range, then the rules by precedence.
    public static func analyse(
        _ values: [Double], groupStarts: [Int], direction: SPCDirection, target: Double?, rules: SPCRules
    ) -> SPCAnalysis {
        var bounds = Set(groupStarts.filter { $0 > 0 && $0 < values.count })
        if !values.isEmpty { bounds.insert(0) }
        let starts = bounds.sorted()
        var points: [SPCPoint] = []
        var groups: [SPCAnalysis.Group] = []
        for (g, start) in starts.enumerated() {
            let end = g + 1 < starts.count ? starts[g + 1] : values.count
            let group = Array(values[start..<end])
            let limits = limitsOf(group, screen: rules.screenMovingRanges, baseline: rules.fixAfterPoints)
            let flags = specialCauses(group, limits: limits, rules: rules)
            for (k, value) in group.enumerated() {
                points.append(
                    SPCPoint(
                        value: value, mean: limits.mean, upperLimit: limits.upper, lowerLimit: limits.lower,
                        movingRange: k == 0 ? nil : abs(value - group[k - 1]), group: g, specialCause: flags[k].side,
                        rule: flags[k].rules.first, rules: flags[k].rules))
            }
            let last = points.last!
            groups.append(
                SPCAnalysis.Group(
                    start: start, count: group.count, isShort: group.count < SPCRules.shortSeries,
                    variation: variation(of: last.specialCause, direction: direction),
                    assurance: assurance(target: target, lower: limits.lower, upper: limits.upper, direction: direction)
                ))
        }
        return SPCAnalysis(points: points, groups: groups)
    }

    /// The variation icon of a point with special cause on `side`.
    static func variation(of side: Int, direction: SPCDirection) -> SPCVariation {
        guard side != 0 else { return .commonCause }
        let high = side > 0
        switch direction {
        case .up: return high ? .improvementHigh : .concernLow
        case .down: return high ? .concernHigh : .improvementLow
        case .neither: return high ? .neitherHigh : .neitherLow
        }
    }

    /// The assurance icon: the target against the limits (a target beyond a limit is consistently
    /// met or missed; one between them, hit and miss).
    static func assurance(target: Double?, lower: Double, upper: Double, direction: SPCDirection) -> SPCAssurance {
        guard let target, direction != .neither else { return .none }
        let passAbove = direction == .up
        if target > upper { return passAbove ? .fail : .pass }
        if target < lower { return passAbove ? .pass : .fail }
        return .hitAndMiss
    }

    struct Limits {
        var mean: Double
        var meanMovingRange: Double
        var upper: Double { mean + 2.66 * meanMovingRange }
        var lower: Double { mean - 2.66 * meanMovingRange }
        /// Two sigma either side: sigma is the mean moving range ÷ 1.128, so 2σ = 2 × 2.66 ÷ 3 × MR̄.
        var upperTwoSigma: Double { mean + 2.0 * 2.66 / 3.0 * meanMovingRange }
        var lowerTwoSigma: Double { mean - 2.0 * 2.66 / 3.0 * meanMovingRange }
    }

    /// The mean and mean moving range of `values`, or of its first `baseline` values. With `screen`,
    /// moving ranges at or above 3.267 × their mean are left out and the mean taken again.
    static func limitsOf(_ values: [Double], screen: Bool, baseline: Int? = nil) -> Limits {
        let used = Array(values.prefix(max(1, baseline ?? values.count)))
        guard !used.isEmpty else { return Limits(mean: 0, meanMovingRange: 0) }
        let mean = used.reduce(0, +) / Double(used.count)
        var ranges: [Double] = []
        for i in used.indices.dropFirst() { ranges.append(abs(used[i] - used[i - 1])) }
        guard !ranges.isEmpty else { return Limits(mean: mean, meanMovingRange: 0) }
        var meanRange = ranges.reduce(0, +) / Double(ranges.count)
        if screen {
            let ceiling = 3.267 * meanRange
            let kept = ranges.filter { $0 < ceiling }
            if !kept.isEmpty { meanRange = kept.reduce(0, +) / Double(kept.count) }
        }
        return Limits(mean: mean, meanMovingRange: meanRange)
    }

    /// For each point of one group: the side of its special cause (+1 high, −1 low, 0 none) and
    /// the rules that fire at it, by precedence.
    static func specialCauses(_ values: [Double], limits: Limits, rules: SPCRules) -> [(side: Int, rules: [SPCRule])] {
        let n = values.count
        func sign(_ d: Double) -> Int { d > 0 ? 1 : (d < 0 ? -1 : 0) }
        let sideOfMean = values.map { sign($0 - limits.mean) }
        let outside = values.map { $0 > limits.upper || $0 < limits.lower }
        let close = values.indices.map {
            !outside[$0] && (values[$0] > limits.upperTwoSigma || values[$0] < limits.lowerTwoSigma)
        }
        // Trend: a run of `trendLength` points each strictly higher (or lower) than the one before
        // marks all of them. A point's side is the way the series moves from it to the next point
        // when that one is part of a trend too, else the way it moved into it — so the peak between
        // a rising and a falling trend belongs to the falling one, as in the reference.
        var inTrend = [Bool](repeating: false, count: n)
        let trend = max(2, rules.trendLength)
        if n >= trend {
            for last in (trend - 1)..<n {
                let first = last - trend + 1
                let d = sign(values[first + 1] - values[first])
                guard d != 0, (first + 1...last).allSatisfy({ sign(values[$0] - values[$0 - 1]) == d }) else {
                    continue
                }
                for i in first...last { inTrend[i] = true }
            }
        }
        let trendSide = values.indices.map { i -> Int in
            guard inTrend[i] else { return 0 }
            if i + 1 < n, inTrend[i + 1] { return sign(values[i + 1] - values[i]) }
            return i > 0 ? sign(values[i] - values[i - 1]) : 0
        }
        // Two of three: a window of three points in a row, all on one side of the mean, at least two
        // of them close to the limits; the close points of such a window are marked.
        var twoOfThree = [Bool](repeating: false, count: n)
        if n >= 3 {
            for first in 0...(n - 3) {
                let window = first...(first + 2)
                let side = sideOfMean[first]
                guard side != 0, window.allSatisfy({ sideOfMean[$0] == side }),
                    window.filter({ close[$0] }).count >= 2
                else { continue }
                for i in window where close[i] { twoOfThree[i] = true }
            }
        }
        // Shift: a run of `runLength` points on one side of the mean (a point on the mean breaks it)
        // marks all of them.
        var shift = [Bool](repeating: false, count: n)
        let run = max(1, rules.runLength)
        if n >= run {
            for last in (run - 1)..<n {
                let first = last - run + 1
                let side = sideOfMean[last]
                guard side != 0, (first...last).allSatisfy({ sideOfMean[$0] == side }) else { continue }
                for i in first...last { shift[i] = true }
            }
        }
        return values.indices.map { i in
            var fired: [SPCRule] = []
            if outside[i] { fired.append(.limit) }
            if inTrend[i] { fired.append(.trend) }
            if twoOfThree[i] { fired.append(.twoOfThree) }
            if shift[i] { fired.append(.shift) }
            let side: Int
            switch fired.first {
            case .none: side = 0
            case .trend: side = trendSide[i]
            default: side = sideOfMean[i] == 0 ? (values[i] > limits.mean ? 1 : -1) : sideOfMean[i]
            }
            return (side, fired)
        }
    }
}
