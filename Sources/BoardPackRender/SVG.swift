import Foundation

/// The SVG text primitives every chart is drawn with.
enum SVG {
    static func escape(_ text: String) -> String { FastHTMLEscaping.escape(text) }

    /// One decimal place, no locale, no exponent.
    static func n(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = tenths.magnitude
        return m % 10 == 0 ? "\(sign)\(m / 10)" : "\(sign)\(m / 10).\(m % 10)"
    }

    static func open(id: String, title: String, description: String, width: Int, height: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
            + "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"12\">\n"
            + "<title id=\"\(id)-title\">\(escape(title))</title>\n<desc id=\"\(id)-desc\">\(escape(description))</desc>\n"
            + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
    }

    static func text(
        _ x: Double, _ y: Double, _ s: String, anchor: String = "start", fill: String = "#212b32", size: Int? = nil,
        weight: String? = nil
    ) -> String {
        var attrs = "x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let size { attrs += " font-size=\"\(size)\"" }
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        return "<text \(attrs)>\(escape(s))</text>\n"
    }

    /// A rounded step of 1, 2 or 5 × 10ⁿ giving about `ticks` intervals over the span.
    static func niceStep(_ span: Double, ticks: Double = 5) -> Double {
        guard span > 0 else { return 1 }
        let raw = span / ticks
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where m * power >= raw { return m * power }
        return 10 * power
    }

    /// `£1.2m`, `£350k`, `£900`, a negative amount in brackets `(£1.1m)`; `1,200` for counts.
    /// With a `step` under 1, a count's label keeps the decimals the step needs (`0.25`, `0.5`).
    static func axisLabel(_ value: Double, money: Bool, step: Double = 1) -> String {
        let a = abs(value)
        if !money, step < 1 {
            var decimals = 0
            var scaled = step
            while scaled < 0.999, decimals < 6 {
                scaled *= 10
                decimals += 1
            }
            return (value < 0 && a >= pow(10, -Double(decimals)) / 2 ? "-" : "") + String(format: "%.\(decimals)f", a)
        }
        guard money else { return (value < 0 ? "-" : "") + Format.count(Int64(a.rounded())) }
        var text = "£" + Format.count(Int64(a.rounded()))
        if a >= 1_000_000 {
            text = "£" + trimmed(a / 1_000_000) + "m"
        } else if a >= 1_000 {
            text = "£" + trimmed(a / 1_000) + "k"
        }
        return value < 0 && text != "£0" ? "(" + text + ")" : text
    }

    static func trimmed(_ v: Double) -> String {
        let s = n(v)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
}
