import BoardPackCore

extension Charts {
    /// The plan's savings accumulated month by month: the phased plan over the year, the actual to
    /// the reporting month, and the forecast from there to March (dashed), with the target as a line.
    static func cumulative(
        id: String, title: String, description: String, months: [String], plan: [Money], actual: [Money?],
        forecast: [Money?], target: Money, targetLabel: String
    ) -> Chart {
        func pounds(_ m: Money) -> Double { Double(m.pence) / 100 }
        let values =
            plan.map(pounds) + actual.compactMap { $0.map(pounds) } + forecast.compactMap { $0.map(pounds) }
            + [pounds(target)]
        let scale = Scale(values: values, top: top, bottom: bottom)
        var svg = SVG.open(id: id, title: title, description: description, width: width, height: height)
        svg += scale.grid(left: left, right: right, money: true)
        let slot = (right - left) / Double(max(months.count, 1))
        func x(_ i: Int) -> Double { left + slot * (Double(i) + 0.5) }
        func point(_ i: Int, _ m: Money) -> String { "\(SVG.n(x(i))),\(SVG.n(scale.y(pounds(m))))" }
        func line(_ points: [String], colour: String, dash: String?) -> String {
            guard points.count > 1 else { return "" }
            return "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" "
                + "stroke-width=\"2\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
        }
        let ty = SVG.n(scale.y(pounds(target)))
        svg +=
            "<line x1=\"\(SVG.n(left))\" y1=\"\(ty)\" x2=\"\(SVG.n(right))\" y2=\"\(ty)\" stroke=\"#d5281b\" "
            + "stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n"
        svg += line(plan.indices.map { point($0, plan[$0]) }, colour: "#768692", dash: nil)
        let reported = actual.indices.compactMap { i in actual[i].map { point(i, $0) } }
        svg += line(reported, colour: "#005eb8", dash: nil)
        // The forecast continues from the last actual point.
        var ahead = reported.suffix(1).map { $0 }
        ahead += forecast.indices.compactMap { i in forecast[i].map { point(i, $0) } }
        svg += line(ahead, colour: "#005eb8", dash: "6 4")
        for i in actual.indices {
            if let a = actual[i] {
                svg += "<circle cx=\"\(SVG.n(x(i)))\" cy=\"\(SVG.n(scale.y(pounds(a))))\" r=\"3\" fill=\"#005eb8\"/>\n"
            }
        }
        for (i, label) in months.enumerated() {
            svg += SVG.text(x(i), bottom + 16, label, anchor: "middle", fill: "#4c6272")
        }
        svg += legend([
            ("Plan", "#768692", "solid"), ("Actual", "#005eb8", "solid"), ("Forecast", "#005eb8", "6 4"),
            (targetLabel, "#d5281b", "2 3"),
        ])
        svg += "</svg>\n"
        return Chart(id: id, title: title, description: description, svg: svg)
    }
}
