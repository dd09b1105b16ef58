import Foundation

/// A y axis over [low, high] drawn into a plot area.
struct Scale {
    var low: Double
    var high: Double
    var top: Double
    var bottom: Double
    var step: Double

    /// `fromZero`: bars need a zero baseline; an SPC chart is scaled to its points and limits.
    init(values: [Double], top: Double, bottom: Double, fromZero: Bool = true) {
        var lo = fromZero ? min(0, values.min() ?? 0) : (values.min() ?? 0)
        var hi = fromZero ? max(0, values.max() ?? 0) : (values.max() ?? 0)
        if !fromZero {
            // A margin of a tenth of the span either side, and never below zero for activity that cannot be.
            // Counts keep a margin of at least one unit; a series of small values (a rate, a
            // proportion) a tenth of its own span, so its points are not squeezed into a few pixels.
            let span = hi - lo
            let small = max(abs(hi), abs(lo)) < 10
            let margin = small ? (span > 0 ? span * 0.1 : max(abs(hi) * 0.1, 0.01)) : max(span * 0.1, 1)
            lo = (values.min() ?? 0) >= 0 ? max(0, lo - margin) : lo - margin
            hi += margin
        }
        if hi == lo { hi = lo + 1 }
        let step = SVG.niceStep(hi - lo)
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
        self.low = lo
        self.high = hi
        self.top = top
        self.bottom = bottom
        self.step = step
    }

    func y(_ v: Double) -> Double { bottom - (v - low) / (high - low) * (bottom - top) }

    func grid(left: Double, right: Double, money: Bool) -> String {
        var out = ""
        var v = low
        while v <= high + step / 2 {
            let y = self.y(v)
            out +=
                "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(y))\" x2=\"\(SVG.n(right))\" y2=\"\(SVG.n(y))\" "
                + "stroke=\"\(v == 0 ? "#425563" : "#d8dde0")\" stroke-width=\"1\"/>\n"
            out += SVG.text(
                left - 6, y + 4, SVG.axisLabel(v, money: money, step: step), anchor: "end", fill: "#4c6272")
            v += step
        }
        return out
    }
}
