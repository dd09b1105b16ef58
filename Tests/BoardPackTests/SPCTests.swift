import BoardPackAnalysis
import BoardPackCore
import Testing

/// XmR charts on short series whose results are worked out by hand in the comments.
@Suite struct SPCTests {
    static func months(
        _ values: [Double], from start: FinancialMonth = FinancialMonth(year: .init(startYear: 2025), month: 1)
    )
        -> [(FinancialMonth, Double)]
    {
        values.enumerated().map { (FinancialMonth(ordinal: start.ordinal + $0.offset), $0.element) }
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    @Test func screenedMovingRangeAndAPointOutsideTheLimits() {
        // 8,12 six times, then 40: mean 160/13; moving ranges eleven 4s and 28 (mean 72/12 = 6).
        // 28 > 3.267 × 6 = 19.6 is screened out, so MR̄ = 4 and the limits are mean ± 10.64.
        let series = Self.months(Array(repeating: [8.0, 12.0], count: 6).flatMap { $0 } + [40])
        var rules = SPCRules()
        let chart = SPC.chart(series, direction: .down, target: nil, rules: rules)
        let last = chart.points.last!
        #expect(Self.close(last.mean, 160.0 / 13.0))
        #expect(Self.close(last.upperLimit - last.mean, 2.66 * 4))
        #expect(last.specialCause == 1 && last.rules.contains(.limit))
        // Every earlier point is below 12.31: a run of 12 on one side, so a shift on the low side.
        #expect(chart.points.dropLast().allSatisfy { $0.specialCause == -1 && $0.rules == [.shift] })
        #expect(chart.variation == .concernHigh)
        #expect(chart.assurance == .none)
        #expect(!chart.isShort)
        // Unscreened, MR̄ = 6: the limits widen to mean ± 15.96 and 40 is still outside.
        rules.screenMovingRanges = false
        let wide = SPC.chart(series, direction: .down, target: nil, rules: rules)
        #expect(Self.close(wide.points[0].upperLimit - wide.points[0].mean, 2.66 * 6))
        #expect(wide.points.last!.rules.contains(.limit))
    }

    @Test func sixPointShiftOnlyUnderTheSixPointPreset() {
        // 15,5 three times then six 11s: mean 126/12 = 10.5; the six 11s sit above it and the 5
        // before them breaks the run. MR̄ = 56/11; limits ±13.54 and 2σ ±9.03 hold every point.
        let series = Self.months([15, 5, 15, 5, 15, 5, 11, 11, 11, 11, 11, 11])
        var rules = SPCRules()
        let seven = SPC.chart(series, direction: .up, target: nil, rules: rules)
        #expect(seven.points.allSatisfy { $0.specialCause == 0 })
        #expect(seven.variation == .commonCause)
        (rules.runLength, rules.trendLength) = (6, 6)
        let six = SPC.chart(series, direction: .up, target: nil, rules: rules)
        #expect(six.points.map(\.specialCause) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        #expect(six.points[6].rules == [.shift])
        #expect(six.variation == .improvementHigh)
        #expect(Self.close(six.points[0].mean, 10.5))
        #expect(Self.close(six.points[0].upperLimit, 10.5 + 2.66 * 56 / 11))
    }

    @Test func trendTwoOfThreeAndAShortSeries() {
        // 10…16 rising then 10: mean 101/8 = 12.625. Moving ranges six 1s and a 6; the 6 is above
        // 3.267 × 12/7 and is screened, so MR̄ = 1: limits 12.625 ± 2.66, 2σ ± 1.7733.
        let series = Self.months([10, 11, 12, 13, 14, 15, 16, 10])
        let chart = SPC.chart(series, direction: .neither, target: nil, rules: SPCRules())
        let p = chart.points
        // Seven points each higher than the last: a trend, all flagged high.
        #expect(p[0...6].allSatisfy { $0.specialCause == 1 && $0.rules.contains(.trend) })
        // 16 is above 15.285: outside the limits, which decides it. 15 is between 2σ (14.398) and
        // the limit, but the only other point of its windows above 2σ is 16, which is beyond the
        // limit and does not count: no two of three anywhere.
        #expect(p[6].rules == [.limit, .trend] && p[6].rule == .limit)
        #expect(p.allSatisfy { !$0.rules.contains(.twoOfThree) })
        #expect(p[7].specialCause == 0 && p[7].rules.isEmpty)
        #expect(chart.variation == .commonCause)
        #expect(chart.isShort)
    }

    @Test func assuranceAgainstTheTarget() {
        // 8,12 six times: mean 10, MR̄ 4, limits −0.64 and 20.64; no special cause.
        let series = Self.months(Array(repeating: [8.0, 12.0], count: 6).flatMap { $0 })
        let rules = SPCRules()
        #expect(SPC.chart(series, direction: .down, target: 25, rules: rules).assurance == .pass)
        #expect(SPC.chart(series, direction: .up, target: 25, rules: rules).assurance == .fail)
        #expect(SPC.chart(series, direction: .up, target: -5, rules: rules).assurance == .pass)
        #expect(SPC.chart(series, direction: .down, target: 10, rules: rules).assurance == .hitAndMiss)
        #expect(SPC.chart(series, direction: .neither, target: 10, rules: rules).assurance == .none)
        #expect(
            SPC.chart(series, direction: .down, target: 25, rules: rules).points.allSatisfy { $0.specialCause == 0 })
    }

    @Test func rebasingGivesEachSegmentItsOwnLimits() {
        // 8,12 six times then 30,34 six times. One process: mean 21 and two runs of 12 either side.
        // Rebased at the 13th month: means 10 and 32, MR̄ 4 in each, nothing special.
        let start = FinancialMonth(year: .init(startYear: 2025), month: 1)
        let values =
            Array(repeating: [8.0, 12.0], count: 6).flatMap { $0 }
            + Array(repeating: [30.0, 34.0], count: 6).flatMap { $0 }
        let series = Self.months(values, from: start)
        var rules = SPCRules()
        let whole = SPC.chart(series, direction: .up, target: nil, rules: rules)
        #expect(Self.close(whole.points[0].mean, 21))
        #expect(whole.points.allSatisfy { $0.specialCause != 0 })
        rules.rebaseFrom = [FinancialMonth(ordinal: start.ordinal + 12)]
        let rebased = SPC.chart(series, direction: .up, target: nil, rules: rules)
        #expect(Self.close(rebased.points[0].mean, 10) && Self.close(rebased.points[12].mean, 32))
        #expect(Self.close(rebased.points[12].upperLimit, 32 + 2.66 * 4))
        #expect(rebased.points[12].movingRange == nil)
        #expect(rebased.points.allSatisfy { $0.specialCause == 0 })
        // Twelve points in the latest group: fewer than 13, trial limits.
        #expect(rebased.isShort)
        // The same rebase asked for by this chart alone, the rules' months left empty.
        rules.rebaseFrom = []
        let own = SPC.chart(
            series, direction: .up, target: nil, rules: rules, rebase: [FinancialMonth(ordinal: start.ordinal + 12)])
        #expect(own == rebased)
    }

    static func analyse(_ values: [Double], direction: SPCDirection = .up, rules: SPCRules = SPCRules()) -> SPCAnalysis
    {
        SPC.analyse(values, groupStarts: [], direction: direction, target: nil, rules: rules)
    }

    /// Forty points alternating 10 and 12 (mean 11, MR̄ 2, limits 11 ± 5.32, 2σ ± 3.5467), with
    /// the given changes.
    static func base(_ changes: [Int: Double], count: Int = 40) -> [Double] {
        (0..<count).map { changes[$0] ?? ($0 % 2 == 0 ? 10 : 12) }
    }

    @Test func twoOfThreeNeedsTwoCloseAndAllThreeOnOneSide() throws {
        // Changing points moves the mean and MR̄ a little; each case is checked against the limits it gets.
        // Two close high in a window of three all above the mean: both flagged, deciding the side.
        // (mean 11.29, 2σ 15.08, limit 16.98)
        let high = Self.analyse(Self.base([20: 15.6, 21: 12.5, 22: 15.6]))
        let p = high.points
        let twoSigma = p[0].mean + 2 * (p[0].upperLimit - p[0].mean) / 3
        try #require(p[20].value > twoSigma && p[20].value < p[20].upperLimit)
        #expect(p[20].rule == .twoOfThree && p[22].rule == .twoOfThree && p[20].specialCause == 1)
        #expect(p[21].rules.isEmpty)  // between them but not close
        // The same two close points with the middle one below the mean: the window is not on one side.
        let split = Self.analyse(Self.base([20: 15.6, 21: 10, 22: 15.6]))
        #expect(split.points.allSatisfy { !$0.rules.contains(.twoOfThree) })
        // Close on opposite sides of the mean (15.6 above 14.69, 6.6 below 7.32): never two of three.
        let opposite = Self.analyse(Self.base([20: 15.6, 21: 6.6]))
        let o = opposite.points[0]
        try #require(6.6 < o.mean - 2 * (o.mean - o.lowerLimit) / 3 && 6.6 > o.lowerLimit)
        #expect(opposite.points.allSatisfy { !$0.rules.contains(.twoOfThree) })
        // One close and one beyond the limit: the one beyond does not count.
        let beyond = Self.analyse(Self.base([20: 15.6, 21: 12.5, 22: 30]))
        #expect(beyond.points[22].rule == .limit)
        #expect(beyond.points.allSatisfy { !$0.rules.contains(.twoOfThree) })
    }

    @Test func precedenceDecidesTheSide() {
        // Seven falling points all above the mean: a trend (low) and a shift (high) at once. The
        // trend comes first, so they are special cause on the low side.
        let calm: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
        let falling: [Double] = [20, 19, 18, 17, 16, 15, 14]
        let values: [Double] = calm + falling + [9, 11, 9, 11, 9, 11]
        var unscreened = SPCRules()
        unscreened.screenMovingRanges = false
        let a = Self.analyse(values, rules: unscreened)
        let run = a.points[12...18]
        #expect(run.allSatisfy { $0.value > $0.mean })
        #expect(run.allSatisfy { $0.rules.contains(.trend) && $0.rules.contains(.shift) })
        #expect(run.allSatisfy { $0.rules.first == .trend || $0.rules.first == .limit })
        #expect(run.filter { $0.rule == .trend }.allSatisfy { $0.specialCause == -1 })
        // A peak between a rising and a falling trend belongs to the falling one.
        // (Wide limits from the first six points, so nothing is outside them.)
        let peak = Self.analyse([0, 20, 0, 20, 0, 20, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], rules: unscreened)
        #expect(peak.points[12].rules == [.trend] && peak.points[12].specialCause == -1)
        #expect(peak.points[11].specialCause == 1 && peak.points[13].specialCause == -1)
    }

    @Test func screeningExactlyAtTheThreshold() throws {
        // Moving ranges six 1s and one b with b = 3.267 × their mean: at the threshold, so screened
        // (a moving range is kept only below it) and MR̄ is 1.
        let b = 3.267 * 6 / (7 - 3.267)
        try #require(3.267 * ((1.0 + 1 + 1 + 1 + 1 + 1 + b) / 7) == b, "b must sit exactly at the threshold")
        let values: [Double] = [0, 1, 0, 1, 0, 1, 0, b]
        let screened = Self.analyse(values).points[0]
        #expect(Self.close((screened.upperLimit - screened.mean) / 2.66, 1))
        var rules = SPCRules()
        rules.screenMovingRanges = false
        let kept = Self.analyse(values, rules: rules).points[0]
        #expect(Self.close((kept.upperLimit - kept.mean) / 2.66, (6 + b) / 7))
        // Just below the threshold it is kept.
        let below = Self.analyse([0, 1, 0, 1, 0, 1, 0, 4]).points[0]
        #expect(Self.close((below.upperLimit - below.mean) / 2.66, 10.0 / 7))
    }

    @Test func fixedBaselineAndGroupsOfAnyPeriod() {
        // The first 12 points alternate 10, 12: a fixed baseline of 12 gives mean 11 and MR̄ 2 whatever
        // follows, so a later jump to 20 is outside the limits (11 + 5.32).
        var rules = SPCRules()
        rules.fixAfterPoints = 12
        let values = Self.base([:], count: 12) + Array(repeating: 20.0, count: 8)
        let fixed = Self.analyse(Array(values), rules: rules)
        #expect(Self.close(fixed.points[0].mean, 11) && Self.close(fixed.points[19].upperLimit, 11 + 2.66 * 2))
        #expect(fixed.points[12...].allSatisfy { $0.rule == .limit && $0.specialCause == 1 })
        // Without it the jump is part of the process: the mean moves up to 14.6.
        let free = Self.analyse(Array(values))
        #expect(Self.close(free.points[0].mean, 14.6))
        // Groups are indices: daily or weekly points work the same; each group has its own warning.
        let groups = SPC.analyse(Array(values), groupStarts: [12], direction: .up, target: 15, rules: SPCRules())
        #expect(groups.groups.map(\.count) == [12, 8] && groups.groups.map(\.isShort) == [true, true])
        #expect(groups.points[12].group == 1 && groups.points[12].movingRange == nil)
        #expect(groups.groups[1].assurance == .pass)  // all 20: the target 15 is below the lower limit
    }

    @Test func benefitsAgainstTheProcessBeforeGoLive() {
        // Twelve months alternating 100 and 104 before go-live (mean 102, MR̄ 4, limits 102 ± 10.64),
        // then activity down by 20 (lower is better).
        let start = FinancialMonth(year: .init(startYear: 2025), month: 1)
        let goLive = FinancialMonth(ordinal: start.ordinal + 12)
        let before: [Double] = Array(repeating: [100, 104], count: 6).flatMap { $0 }
        func judge(_ after: [Double]) -> SPCBenefit {
            SPCBenefit.judge(
                Self.months(before + after, from: start), goLive: goLive, direction: .down, rules: SPCRules())
        }
        let sustained = judge([80, 84, 80, 84, 80, 84])
        #expect(sustained.verdict == .sustained && sustained.rule == .limit)
        #expect(sustained.before == 12 && sustained.since == 6)
        // Down, then back to the old level: the improvement was seen and has gone.
        let waning = judge([80, 84, 80, 100, 104, 100])
        #expect(waning.verdict == .waning && waning.rule == .limit)
        #expect(
            waning.text.hasPrefix("Waning: special-cause improvement (outside the limits) was seen after go-live in"))
        // No change: not yet evidenced; and with one month before go-live there is no baseline.
        #expect(judge([100, 104, 100, 104]).verdict == .notYetEvidenced)
        let early = SPCBenefit.judge(
            Self.months([100, 80, 84], from: FinancialMonth(ordinal: goLive.ordinal - 1)), goLive: goLive,
            direction: .down, rules: SPCRules())
        #expect(early.verdict == .notYetEvidenced && early.before == 1)
        #expect(early.text.contains("no baseline"))
        // An improvement that only a shift shows: eight months a little lower, inside the limits.
        let shift = judge([98, 99, 98, 99, 98, 99, 98, 99])
        #expect(shift.verdict == .sustained && shift.rule == .shift)
    }
}
