import BoardPackCore

/// Statistical process control settings (the `[spc]` table of the configuration file).
public struct SPCRules: Sendable, Equatable {
    /// Points in a row on one side of the mean that make a shift.
    public var runLength = 7
    /// Points in a row each above (or each below) the one before that make a trend.
    public var trendLength = 7
    /// Leave moving ranges above 3.267 × their mean out of the mean moving range.
    public var screenMovingRanges = true
    /// Months from which the limits are recalculated (a new process from that month).
    public var rebaseFrom: [FinancialMonth] = []
    /// Which way is better for the monthly activity of a contract line, and of a scheme's linked activity.
    public var contractDirection: SPCDirection = .down
    public var schemeDirection: SPCDirection = .down
    /// How many of the commissioner's contract lines (provider and point of delivery) get a chart.
    public var contractLines = 5
    /// How many schemes (largest annual target first) get a chart of their linked activity.
    public var schemes = 10
    /// Below this many points the limits are flagged as unreliable.
    public static let shortSeries = 12

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
                    ? ", leaving out moving ranges above 3.267 × their mean." : " (moving ranges not screened)."),
            "Special cause: a point outside the limits; \(runLength) or more points in a row above (or below) "
                + "the mean; \(trendLength) or more points in a row each higher (or lower) than the one before; "
                + "two of three points in a row beyond two sigma on the same side of the mean "
                + "(\(presetName)).",
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
        /// Which rules flagged the point: "limit", "shift", "trend", "two-of-three".
        public var rules: [String]
    }

    public var points: [Point]
    public var direction: SPCDirection
    public var target: Double?
    public var variation: SPCVariation
    public var assurance: SPCAssurance
    /// Points in the latest segment, fewer than `SPCRules.shortSeries`.
    public var isShort: Bool
}

public enum SPC {
    /// The XmR chart of `series` (months in order, one value each) under `rules`.
    public static func chart(
        _ series: [(FinancialMonth, Double)], direction: SPCDirection, target: Double?, rules: SPCRules
    ) -> SPCChart {
        // Split at the rebase months; each segment has its own mean and limits.
        var segments: [[Int]] = []
        for (i, item) in series.enumerated() {
            if i == 0 || rules.rebaseFrom.contains(item.0) {
                segments.append([i])
            } else {
                segments[segments.count - 1].append(i)
            }
        }
        var points: [SPCChart.Point] = []
        for segment in segments {
            let values = segment.map { series[$0].1 }
            let limits = limitsOf(values, screen: rules.screenMovingRanges)
            var flags = specialCauses(values, limits: limits, rules: rules)
            for (k, index) in segment.enumerated() {
                let (side, names) = flags[k]
                points.append(
                    SPCChart.Point(
                        period: series[index].0, value: values[k], mean: limits.mean, upperLimit: limits.upper,
                        lowerLimit: limits.lower, movingRange: k == 0 ? nil : abs(values[k] - values[k - 1]),
                        specialCause: side, rules: names))
            }
            flags.removeAll()
        }
        let latestSegment = segments.last?.count ?? 0
        var variation = SPCVariation.commonCause
        if let last = points.last, last.specialCause != 0 {
            let high = last.specialCause > 0
            switch direction {
            case .up: variation = high ? .improvementHigh : .concernLow
            case .down: variation = high ? .concernHigh : .improvementLow
            case .neither: variation = high ? .neitherHigh : .neitherLow
            }
        }
        var assurance = SPCAssurance.none
        if let target, let last = points.last, direction != .neither {
            let passAbove = direction == .up
            if last.lowerLimit > target {
                assurance = passAbove ? .pass : .fail
            } else if last.upperLimit < target {
                assurance = passAbove ? .fail : .pass
            } else {
                assurance = .hitAndMiss
            }
        }
        return SPCChart(
            points: points, direction: direction, target: target, variation: variation, assurance: assurance,
            isShort: latestSegment < SPCRules.shortSeries)
    }

    struct Limits {
        var mean: Double
        var meanMovingRange: Double
        var upper: Double { mean + 2.66 * meanMovingRange }
        var lower: Double { mean - 2.66 * meanMovingRange }
        /// Two sigma either side: sigma is the mean moving range ÷ 1.128, so 2σ = 1.773… × MR̄.
        var upperTwoSigma: Double { mean + 2.0 / 3.0 * 2.66 * meanMovingRange }
        var lowerTwoSigma: Double { mean - 2.0 / 3.0 * 2.66 * meanMovingRange }
    }

    static func limitsOf(_ values: [Double], screen: Bool) -> Limits {
        guard !values.isEmpty else { return Limits(mean: 0, meanMovingRange: 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        var ranges: [Double] = []
        for i in values.indices.dropFirst() { ranges.append(abs(values[i] - values[i - 1])) }
        guard !ranges.isEmpty else { return Limits(mean: mean, meanMovingRange: 0) }
        var meanRange = ranges.reduce(0, +) / Double(ranges.count)
        if screen {
            let ceiling = 3.267 * meanRange
            let kept = ranges.filter { $0 <= ceiling }
            if !kept.isEmpty { meanRange = kept.reduce(0, +) / Double(kept.count) }
        }
        return Limits(mean: mean, meanMovingRange: meanRange)
    }

    /// For each point: the side of a special cause (+1 high, −1 low, 0 none) and the rules that flagged it.
    static func specialCauses(_ values: [Double], limits: Limits, rules: SPCRules) -> [(Int, [String])] {
        var side = [Int](repeating: 0, count: values.count)
        var names = [[String]](repeating: [], count: values.count)
        func flag(_ i: Int, _ s: Int, _ rule: String) {
            side[i] = s
            if !names[i].contains(rule) { names[i].append(rule) }
        }
        for (i, v) in values.enumerated() {
            if v > limits.upper { flag(i, 1, "limit") }
            if v < limits.lower { flag(i, -1, "limit") }
        }
        // Shift: a run of points strictly on one side of the mean (a point on the mean breaks the run).
        var start = 0
        while start < values.count {
            let s = values[start] > limits.mean ? 1 : (values[start] < limits.mean ? -1 : 0)
            var end = start
            while end + 1 < values.count, s != 0,
                (values[end + 1] > limits.mean ? 1 : (values[end + 1] < limits.mean ? -1 : 0)) == s
            {
                end += 1
            }
            if s != 0, end - start + 1 >= rules.runLength {
                for i in start...end { flag(i, s, "shift") }
            }
            start = end + 1
        }
        // Trend: points each strictly higher (or lower) than the one before.
        start = 0
        while start + 1 < values.count {
            let s = values[start + 1] > values[start] ? 1 : (values[start + 1] < values[start] ? -1 : 0)
            var end = start + 1
            while s != 0, end + 1 < values.count,
                (values[end + 1] > values[end] ? 1 : (values[end + 1] < values[end] ? -1 : 0)) == s
            {
                end += 1
            }
            if s != 0, end - start + 1 >= rules.trendLength {
                for i in start...end { flag(i, s, "trend") }
            }
            start = s == 0 ? start + 1 : end
        }
        // Two of three points in a row beyond two sigma on the same side: the points beyond are flagged.
        if values.count >= 3, limits.meanMovingRange > 0 {
            for first in 0...(values.count - 3) {
                let window = first...(first + 2)
                let high = window.filter { values[$0] > limits.upperTwoSigma }
                let low = window.filter { values[$0] < limits.lowerTwoSigma }
                if high.count >= 2 { for i in high { flag(i, 1, "two-of-three") } }
                if low.count >= 2 { for i in low { flag(i, -1, "two-of-three") } }
            }
        }
        return Array(zip(side, names))
    }
}
