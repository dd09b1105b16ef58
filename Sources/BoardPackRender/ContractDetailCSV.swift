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
        let rows = pack.contract.detailRows
        var csv = CSVBytes(header: columns, reserving: 256 * (rows.count + 1))
        let names = Dictionary(
            pack.contract.providers.compactMap { p in p.total.provider.map { ($0, p.total.providerName ?? "") } },
            uniquingKeysWith: { first, _ in first })
        // Each code's title looked up once per pack, not once per row.
        var podTitles: [ShortCode: String] = [:]
        var tfcTitles: [ShortCode: String] = [:]
        let year = Int64(pack.period.year.acmCode)
        let month = Int64(pack.period.month)
        for row in rows {
            csv.text(pack.code)
            csv.integer(year)
            csv.integer(month)
            csv.code(row.provider)
            csv.text(row.provider.flatMap { names[$0] } ?? "")
            csv.code(row.pointOfDelivery)
            csv.text(
                row.pointOfDelivery.map { code in
                    if let title = podTitles[code] { return title }
                    let title = ReferenceCodes.pointsOfDelivery[code.description]?.description ?? "Local code"
                    podTitles[code] = title
                    return title
                } ?? "Local code")
            csv.code(row.treatmentFunction)
            csv.text(
                row.treatmentFunction.map { code in
                    if let title = tfcTitles[code] { return title }
                    let title = ReferenceCodes.treatmentFunctions[code.description] ?? "Local code"
                    tfcTitles[code] = title
                    return title
                } ?? "Local code")
            quantity(row.plannedActivity, into: &csv)
            quantity(row.actualActivity, into: &csv)
            quantity(row.activityVariance, into: &csv)
            csv.fixed(row.plannedPrice.pence, scale: 2)
            csv.fixed(row.actualPrice.pence, scale: 2)
            csv.fixed(row.priceVariance.pence, scale: 2)
            quantity(row.forecastActivity, into: &csv)
            csv.fixed(row.forecastPrice.pence, scale: 2)
            csv.integer(Int64(row.lines))
            csv.endRow()
        }
        return csv.bytes
    }

    /// Exact decimal text with trailing zero decimals dropped, as `Quantity.description`: `12`, `12.5`.
    static func quantity(_ value: Quantity, into csv: inout CSVBytes) {
        let h = value.hundredths
        if h % 100 == 0 {
            csv.integer(h / 100)
        } else if h % 10 == 0 {
            csv.fixed(h / 10, scale: 1)
        } else {
            csv.fixed(h, scale: 2)
        }
    }
}
