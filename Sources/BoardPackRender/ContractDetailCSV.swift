import BoardPackAnalysis
import BoardPackCore

/// `contract-detail.csv`: a pack's contract monitoring year to date, one row per provider, point of
/// delivery and treatment function, for a spreadsheet. It holds the detail behind the pack's
/// contract tables, which show it for the largest providers only, and `figures.json`'s
/// `contract.detail` reconciles it. Documented in docs/figures.md.
public enum ContractDetailCSV {
    public static let fileName = "contract-detail.csv"

    static let columns = [
        "pack", "financial_year", "financial_month", "provider", "provider_name", "point_of_delivery",
        "point_of_delivery_description", "treatment_function", "treatment_function_title", "planned_activity",
        "actual_activity", "activity_variance", "planned_price_gbp", "actual_price_gbp", "price_variance_gbp",
        "forecast_activity_run_rate", "forecast_price_run_rate_gbp", "contract_lines",
    ]

    public static func bytes(_ pack: PackFigures) -> [UInt8] {
        var text = columns.joined(separator: ",") + "\r\n"
        let names = Dictionary(
            pack.contract.providers.compactMap { p in p.total.provider.map { ($0, p.total.providerName) } },
            uniquingKeysWith: { first, _ in first })
        for row in pack.contract.detailRows {
            let provider = row.provider?.description ?? ""
            let pod = row.pointOfDelivery?.description ?? ""
            let tfc = row.treatmentFunction?.description ?? ""
            let fields = [
                field(pack.code), String(pack.period.year.acmCode), String(pack.period.month), field(provider),
                field((row.provider.flatMap { names[$0] } ?? nil) ?? ""), field(pod),
                field(ReferenceCodes.pointsOfDelivery[pod]?.description ?? "Local code"), field(tfc),
                field(ReferenceCodes.treatmentFunctions[tfc] ?? "Local code"), row.plannedActivity.description,
                row.actualActivity.description, row.activityVariance.description, pounds(row.plannedPrice),
                pounds(row.actualPrice), pounds(row.priceVariance), row.forecastActivity.description,
                pounds(row.forecastPrice), String(row.lines),
            ]
            text += fields.joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// Exact pounds and pence: `-1234.50`.
    static func pounds(_ money: Money) -> String { FixedPoint.format(money.pence, scale: 2) }

    /// A text field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
    /// `@`, which a spreadsheet would take for a formula, is kept as text by a leading `'`.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
