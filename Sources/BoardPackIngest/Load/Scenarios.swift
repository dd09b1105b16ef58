import BoardPackCore

/// The check on a row's optional best and worst cases: the best no worse than the most likely, the
/// worst no better. A case out of order is kept as given and reported, so the analyst sees it.
enum Scenarios {
    /// `higherIsBetter`: savings and income; spending is better lower.
    static func check(
        best: Money?, worst: Money?, likely: Money, higherIsBetter: Bool, row: Row, bestColumn: Int,
        worstColumn: Int, subject: String, likelyName: String, log: DiagnosticLog
    ) {
        func worse(_ a: Money, than b: Money) -> Bool { higherIsBetter ? a < b : a > b }
        let below = higherIsBetter ? "below" : "above"
        let above = higherIsBetter ? "above" : "below"
        if let best, worse(best, than: likely) {
            log.warning(
                "scenario.order", row.location(bestColumn), field: row.schema.columns[bestColumn].name,
                value: best.description,
                "\(subject): the best case \(best) is \(below) the most likely (\(likelyName)) \(likely)",
                hint: "the best case should be no worse than the \(likelyName)")
        }
        if let worst, worse(likely, than: worst) {
            log.warning(
                "scenario.order", row.location(worstColumn), field: row.schema.columns[worstColumn].name,
                value: worst.description,
                "\(subject): the worst case \(worst) is \(above) the most likely (\(likelyName)) \(likely)",
                hint: "the worst case should be no better than the \(likelyName)")
        }
    }
}
