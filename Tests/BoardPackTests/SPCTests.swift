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
        #expect(last.specialCause == 1 && last.rules.contains("limit"))
        // Every earlier point is below 12.31: a run of 12 on one side, so a shift on the low side.
        #expect(chart.points.dropLast().allSatisfy { $0.specialCause == -1 && $0.rules == ["shift"] })
        #expect(chart.variation == .concernHigh)
        #expect(chart.assurance == .none)
        #expect(!chart.isShort)
        // Unscreened, MR̄ = 6: the limits widen to mean ± 15.96 and 40 is still outside.
        rules.screenMovingRanges = false
        let wide = SPC.chart(series, direction: .down, target: nil, rules: rules)
        #expect(Self.close(wide.points[0].upperLimit - wide.points[0].mean, 2.66 * 6))
        #expect(wide.points.last!.rules.contains("limit"))
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
        #expect(six.points[6].rules == ["shift"])
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
        #expect(p[0...6].allSatisfy { $0.specialCause == 1 && $0.rules.contains("trend") })
        // 15 and 16 are above 14.398 (2σ) within one window of three: two of three.
        #expect(p[5].rules.contains("two-of-three") && p[6].rules.contains("two-of-three"))
        #expect(!p[4].rules.contains("two-of-three"))
        // 16 is above 15.285.
        #expect(p[6].rules.contains("limit") && !p[5].rules.contains("limit"))
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
        #expect(!rebased.isShort)
    }
}
