import BoardPackAnalysis
import BoardPackCore
import Foundation

/// The pack's chart kinds, each drawn from the figures with the `SVG` primitives on a `Scale`:
/// monthly bars, the waterfall, XmR charts and their icons (the cumulative chart is in
/// CumulativeChart.swift).
enum Charts {
    static let width = 720
    static let height = 300
    static let left = 78.0
    static let right = 700.0
    static let top = 40.0
    static let bottom = 250.0

    static func legend(_ items: [(String, String, String)]) -> String {
        // (label, fill, dash pattern or "" for a solid swatch)
        var out = ""
        var x = left
        for (label, colour, dash) in items {
            if dash.isEmpty {
                out += "<rect x=\"\(SVG.n(x))\" y=\"18\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
            } else {
                out +=
                    "<line x1=\"\(SVG.n(x))\" y1=\"24\" x2=\"\(SVG.n(x + 14))\" y2=\"24\" stroke=\"\(colour)\" "
                    + "stroke-width=\"2\"\(dash == "solid" ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            }
            out += SVG.text(x + 18, 29, label)
            x += 26 + Double(label.count) * 6.5
        }
        return out
    }

    /// Planned against actual by month: a pair of bars per month (the actual bar is absent after the
    /// reporting month).
    static func monthlyBars(
        id: String, title: String, description: String, months: [String], planned: [Money], actual: [Money?],
        plannedLabel: String, actualLabel: String
    ) -> Chart {
        let values = planned.map { Double($0.pence) / 100 } + actual.compactMap { $0.map { Double($0.pence) / 100 } }
        let scale = Scale(values: values, top: top, bottom: bottom)
        var svg = SVG.open(id: id, title: title, description: description, width: width, height: height)
        svg += scale.grid(left: left, right: right, money: true)
        let slot = (right - left) / Double(max(months.count, 1))
        let bar = slot * 0.36
        for (i, label) in months.enumerated() {
            let x = left + Double(i) * slot + slot * 0.12
            svg += rectangle(
                x: x, width: bar, from: 0, to: Double(planned[i].pence) / 100, scale: scale, fill: "#768692")
            if let a = actual[i] {
                svg += rectangle(
                    x: x + bar, width: bar, from: 0, to: Double(a.pence) / 100, scale: scale, fill: "#005eb8")
            }
            svg += SVG.text(x + bar, bottom + 16, label, anchor: "middle", fill: "#4c6272")
        }
        svg += legend([(plannedLabel, "#768692", ""), (actualLabel, "#005eb8", "")])
        svg += "</svg>\n"
        return Chart(id: id, title: title, description: description, svg: svg)
    }

    static func rectangle(x: Double, width: Double, from a: Double, to b: Double, scale: Scale, fill: String)
        -> String
    {
        let y1 = scale.y(max(a, b))
        let y2 = scale.y(min(a, b))
        return "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y1))\" width=\"\(SVG.n(width))\" "
            + "height=\"\(SVG.n(max(y2 - y1, 0.5)))\" fill=\"\(fill)\"/>\n"
    }

    /// Target → identified → risk-adjusted forecast, with the steps between them and the gap.
    static func waterfall(id: String, qipp: QippTotals, programme: String = "QIPP") -> Chart {
        let target = Double(qipp.target.pence) / 100
        let identified = Double(qipp.identified.pence) / 100
        let forecast = Double(qipp.riskAdjustedForecast.pence) / 100
        // (label, from, to, kind): kind "total" bars start at zero.
        let steps: [(String, Double, Double, String)] = [
            ("\(programme) target", 0, target, "total"),
            ("Unidentified", target, identified, "step"),
            ("Identified", 0, identified, "total"),
            ("Risk to delivery", identified, forecast, "step"),
            ("Risk-adjusted", 0, forecast, "total"),
            ("Gap", forecast, target, "gap"),
        ]
        let title = "From \(programme) target to risk-adjusted forecast"
        let description =
            "Waterfall: target \(Format.pounds(qipp.target)); unidentified \(Format.pounds(qipp.unidentified)); "
            + "identified \(Format.pounds(qipp.identified)); risk to delivery "
            + "\(Format.pounds(qipp.identified - qipp.riskAdjustedForecast)); risk-adjusted forecast "
            + "\(Format.pounds(qipp.riskAdjustedForecast)); gap \(Format.pounds(qipp.gap))."
        let scale = Scale(values: steps.flatMap { [$0.1, $0.2] }, top: top, bottom: bottom)
        var svg = SVG.open(id: id, title: title, description: description, width: width, height: height)
        svg += scale.grid(left: left, right: right, money: true)
        let slot = (right - left) / Double(steps.count)
        for (i, step) in steps.enumerated() {
            let x = left + Double(i) * slot + slot * 0.15
            let fill =
                switch step.3 {
                case "total": "#005eb8"
                case "gap": step.2 > step.1 ? "#d5281b" : "#007f3b"
                default: "#768692"
                }
            svg += rectangle(x: x, width: slot * 0.7, from: step.1, to: step.2, scale: scale, fill: fill)
            svg += SVG.text(x + slot * 0.35, bottom + 16, step.0, anchor: "middle", fill: "#4c6272")
            let value = step.3 == "total" ? step.2 : step.2 - step.1
            svg += SVG.text(
                x + slot * 0.35, scale.y(max(step.1, step.2)) - 4, SVG.axisLabel(value, money: true), anchor: "middle",
                size: 11)
        }
        svg += "</svg>\n"
        return Chart(id: id, title: title, description: description, svg: svg)
    }

    /// An XmR chart: the series, the mean, the process limits, the target, special causes marked
    /// by colour and by shape (a larger point with a ring, and the rule in the table).
    static func spc(id: String, series: SPCSeries) -> Chart {
        let chart = series.chart
        let points = chart.points
        var description =
            "XmR chart of monthly actual activity, \(points.first.map { $0.period.calendarText } ?? "") to "
            + "\(points.last.map { $0.period.calendarText } ?? ""), \(points.count) points. "
        if let last = points.last {
            description +=
                "Latest \(ViewBuilder.activity(last.value)); mean \(ViewBuilder.activity(last.mean)); process limits "
                + "\(ViewBuilder.activity(last.lowerLimit)) to \(ViewBuilder.activity(last.upperLimit)). "
        }
        description += chart.variation.label + ". " + chart.assurance.label + "."
        if chart.isShort { description += " Fewer than \(SPCRules.shortSeries) points: limits not yet reliable." }
        if let goLive = series.goLive { description += " Go-live \(goLive.calendarText)." }
        let marker = series.goLive.flatMap { goLive in points.firstIndex { $0.period >= goLive } }
        return xmr(
            id: id, title: "SPC: " + series.title, description: description,
            points: points.map(XmRPoint.init),
            labels: points.map { "\($0.period.shortMonthName) \($0.period.calendarYear % 100)" },
            direction: chart.direction,
            target: chart.target, targetLabel: "Target (plan)", marker: marker.map { ($0, "Go-live") })
    }

    /// A performance measure's XmR chart.
    static func metric(id: String, series: MetricSeries) -> Chart {
        let points = series.analysis.points
        var description =
            "XmR chart of \(series.name) for \(series.orgName), \(series.dates.first ?? "") to "
            + "\(series.dates.last ?? ""), \(points.count) points. "
        if let last = points.last {
            let value = { (v: Double) in ViewBuilder.measureValue(v, scale: series.scale) }
            description +=
                "Latest \(value(last.value)); mean \(value(last.mean)); process limits "
                + "\(value(last.lowerLimit)) to \(value(last.upperLimit)). "
        }
        if let group = series.latest {
            description += group.variation.label + ". " + group.assurance.label + "."
            if group.isShort { description += " Fewer than \(SPCRules.shortSeries) points: trial limits." }
        }
        return xmr(
            id: id, title: "\(series.name): \(series.orgName)", description: description,
            points: points.map(XmRPoint.init),
            labels: series.dates, direction: series.direction, target: series.target, targetLabel: "Target",
            marker: nil, targetSteps: series.targets)
    }

    /// A standalone SVG of an analysed series (`boardpack spc --svg`).
    static func xmrSVG(
        title: String, labels: [String], analysis: SPCAnalysis, direction: SPCDirection, target: Double?
    ) -> String {
        let points = analysis.points
        var description = "XmR chart, \(labels.first ?? "") to \(labels.last ?? ""), \(points.count) points."
        if let group = analysis.groups.last {
            description += " " + group.variation.label + ". " + group.assurance.label + "."
        }
        return xmr(
            id: "spc", title: title, description: description,
            points: points.map(XmRPoint.init),
            labels: labels, direction: direction, target: target, targetLabel: "Target", marker: nil
        ).fileSVG
    }

    /// One point of an XmR chart as drawn.
    struct XmRPoint {
        var value: Double
        var mean: Double
        var upper: Double
        var lower: Double
        /// The first point of a group (its limits are drawn from here).
        var startsGroup: Bool
        var specialCause: Int

        init(_ p: SPCPoint) {
            (value, mean, upper, lower) = (p.value, p.mean, p.upperLimit, p.lowerLimit)
            (startsGroup, specialCause) = (p.movingRange == nil, p.specialCause)
        }

        init(_ p: SPCChart.Point) {
            (value, mean, upper, lower) = (p.value, p.mean, p.upperLimit, p.lowerLimit)
            (startsGroup, specialCause) = (p.movingRange == nil, p.specialCause)
        }
    }

    /// Draws an XmR chart: the limits and mean group by group, the target, an optional marked
    /// point (a scheme's go-live), the points coloured by special cause, and the labels.
    static func xmr(
        id: String, title: String, description: String, points: [XmRPoint], labels: [String], direction: SPCDirection,
        target: Double?, targetLabel: String, marker: (Int, String)?, targetSteps: [Double?] = []
    ) -> Chart {
        var values = points.flatMap { [$0.value, $0.upper, $0.lower] }
        if let t = target { values.append(t) }
        values += targetSteps.compactMap { $0 }
        // A target that changes over the series is drawn month by month, as steps.
        let stepped = targetSteps.count == points.count && Set(targetSteps).count > 1
        let scale = Scale(values: values, top: top, bottom: bottom, fromZero: false)
        var svg = SVG.open(id: id, title: title, description: description, width: width, height: height)
        svg += scale.grid(left: left, right: right, money: false)
        let slot = (right - left) / Double(max(points.count, 1))
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
        // Limits and mean, group by group.
        var start = 0
        while start < points.count {
            var end = start
            while end + 1 < points.count, !points[end + 1].startsGroup { end += 1 }
            let x1 = x(start) - slot / 2
            let x2 = x(end) + slot / 2
            for (value, style) in [
                (points[start].mean, "stroke=\"#212b32\" stroke-width=\"1.5\""),
                (points[start].upper, "stroke=\"#425563\" stroke-width=\"1\" stroke-dasharray=\"6 4\""),
                (points[start].lower, "stroke=\"#425563\" stroke-width=\"1\" stroke-dasharray=\"6 4\""),
            ] {
                svg +=
                    "<line x1=\"\(SVG.n(x1))\" y1=\"\(SVG.n(scale.y(value)))\" x2=\"\(SVG.n(x2))\" "
                    + "y2=\"\(SVG.n(scale.y(value)))\" \(style)/>\n"
            }
            start = end + 1
        }
        if stepped {
            var path: [String] = []
            for (i, t) in targetSteps.enumerated() {
                guard let t else { continue }
                let y = SVG.n(scale.y(t))
                path.append("\(SVG.n(x(i) - slot / 2)),\(y) \(SVG.n(x(i) + slot / 2)),\(y)")
            }
            svg +=
                "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#d5281b\" "
                + "stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
        } else if let t = target {
            svg +=
                "<line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(scale.y(t)))\" x2=\"\(SVG.n(right))\" "
                + "y2=\"\(SVG.n(scale.y(t)))\" stroke=\"#d5281b\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
        }
        if let (i, label) = marker, i > 0, i < points.count {
            let gx = x(i) - slot / 2
            svg +=
                "<line x1=\"\(SVG.n(gx))\" y1=\"\(SVG.n(top))\" x2=\"\(SVG.n(gx))\" y2=\"\(SVG.n(bottom))\" "
                + "stroke=\"#330072\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n"
            svg += SVG.text(gx + 4, top + 12, label, anchor: "start", fill: "#330072", size: 11)
        }
        if !points.isEmpty {
            let path = points.indices.map { "\(SVG.n(x($0))),\(SVG.n(scale.y(points[$0].value)))" }
                .joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"#768692\" stroke-width=\"1.5\"/>\n"
        }
        for (i, p) in points.enumerated() {
            let colour = colourOf(side: p.specialCause, direction: direction)
            if p.specialCause != 0 {
                // Meaning by shape as well as colour: improvement a circle, concern a square,
                // neither a diamond.
                let cx = x(i)
                let cy = scale.y(p.value)
                let outline = "fill=\"\(colour)\" stroke=\"#212b32\" stroke-width=\"1\"/>\n"
                switch colour {
                case concernColour:
                    svg +=
                        "<rect x=\"\(SVG.n(cx - 5.5))\" y=\"\(SVG.n(cy - 5.5))\" width=\"11\" height=\"11\" " + outline
                case neitherColour:
                    svg +=
                        "<polygon points=\"\(SVG.n(cx)),\(SVG.n(cy - 7)) \(SVG.n(cx + 7)),\(SVG.n(cy)) "
                        + "\(SVG.n(cx)),\(SVG.n(cy + 7)) \(SVG.n(cx - 7)),\(SVG.n(cy))\" " + outline
                default:
                    svg += "<circle cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(cy))\" r=\"6\" " + outline
                }
            } else {
                svg += "<circle cx=\"\(SVG.n(x(i)))\" cy=\"\(SVG.n(scale.y(p.value)))\" r=\"3\" fill=\"#768692\"/>\n"
            }
        }
        // Labels: the first point always, others when there is room.
        let widest = labels.map(\.count).max() ?? 6
        let every = max(1, Int((Double(points.count) * Double(max(44, widest * 7)) / (right - left)).rounded(.up)))
        for (i, label) in labels.enumerated() where i % every == 0 {
            svg += SVG.text(x(i), bottom + 16, label, anchor: "middle", fill: "#4c6272", size: 12)
        }
        var items: [(String, String, String)] = [
            ("Mean", "#212b32", "solid"), ("Process limits", "#425563", "6 4"),
        ]
        if target != nil || stepped { items.append((targetLabel, "#d5281b", "2 3")) }
        svg += legend(items)
        svg += "</svg>\n"
        return Chart(id: id, title: title, description: description, svg: svg)
    }

    /// Special cause that is a concern (orange), and special cause where neither way is better (purple).
    static let concernColour = "#ed8b00"
    static let neitherColour = "#7c2855"

    static func colourOf(side: Int, direction: SPCDirection) -> String {
        guard side != 0 else { return "#768692" }
        switch direction {
        case .neither: return neitherColour
        case .up: return side > 0 ? "#005eb8" : concernColour
        case .down: return side < 0 ? "#005eb8" : concernColour
        }
    }

    /// The variation icon: a circle coloured by meaning (grey common cause, blue improvement, orange
    /// concern, purple neither) carrying a letter (H higher, L lower, ~ common cause), so it reads
    /// without colour.
    static func variationIcon(id: String, _ variation: SPCVariation) -> String {
        let (fill, letter): (String, String) =
            switch variation {
            case .commonCause: ("#a6a6a6", "~")
            case .improvementHigh: ("#005eb8", "H")
            case .improvementLow: ("#005eb8", "L")
            case .concernHigh: ("#ed8b00", "H")
            case .concernLow: ("#ed8b00", "L")
            case .neitherHigh: ("#7c2855", "H")
            case .neitherLow: ("#7c2855", "L")
            }
        return icon(id: id, label: variation.label, fill: fill, letter: letter)
    }

    /// The assurance icon: P passing, F failing, ? hit and miss; none without a target or direction.
    static func assuranceIcon(id: String, _ assurance: SPCAssurance) -> String {
        let (fill, letter): (String, String) =
            switch assurance {
            case .pass: ("#005eb8", "P")
            case .fail: ("#ed8b00", "F")
            case .hitAndMiss: ("#a6a6a6", "?")
            case .none: ("#ffffff", "–")
            }
        return icon(id: id, label: assurance.label, fill: fill, letter: letter)
    }

    static func icon(id: String, label: String, fill: String, letter: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"icon\" viewBox=\"0 0 40 40\" width=\"40\" height=\"40\" "
            + "role=\"img\" aria-labelledby=\"\(id)-title\"><title id=\"\(id)-title\">\(SVG.escape(label))</title>"
            + "<circle cx=\"20\" cy=\"20\" r=\"18\" fill=\"\(fill)\" stroke=\"#425563\" stroke-width=\"2\"/>"
            + "<text x=\"20\" y=\"27\" text-anchor=\"middle\" font-family=\"Arial, Helvetica, sans-serif\" "
            + "font-size=\"20\" font-weight=\"bold\" fill=\"\(["#005eb8", "#7c2855"].contains(fill) ? "#ffffff" : "#212b32")\">"
            + "\(SVG.escape(letter))</text></svg>"
    }
}

/// The XmR chart of any analysed series as a standalone SVG file, drawn as the pack draws its SPC
/// charts (`boardpack spc --svg`).
public enum XmRChartFile {
    public static func svg(
        title: String, labels: [String], analysis: SPCAnalysis, direction: SPCDirection, target: Double?
    ) -> String {
        Charts.xmrSVG(title: title, labels: labels, analysis: analysis, direction: direction, target: target)
    }
}
