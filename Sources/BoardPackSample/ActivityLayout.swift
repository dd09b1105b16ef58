/// How one provider's contract-monitoring CSV files look: real providers and data platforms each
/// export in their own way, so the sample's providers do too (docs/inputs.md lists what is read).
enum ActivityLayout: CaseIterable {
    /// Before real shapes: the ACM element names, or the short aliases, unquoted, one row per cell,
    /// rows in key order (`boardpack sample --plain`).
    case plainLong
    case plainShort
    /// A data platform's export: `ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER)`, day-first
    /// creation dates, rows for a site of the trust (`RXA00`), a CQUIN line a month.
    case platform
    /// SQL Server / SSIS: `Organisation Identifier (Code of Commissioner)`, every field quoted,
    /// CRLF; a line with local point-of-delivery and treatment-function codes.
    case quotedSpaced
    /// A provider's own system: its own column names, mapped in the sample's `boardpack.toml`;
    /// rows for a subcontracted provider missing from organisations.csv.
    case local

    /// The layout of CSV provider `index`.
    static func of(provider index: Int, realShaped: Bool) -> ActivityLayout {
        if !realShaped { return index % 2 == 1 ? .plainShort : .plainLong }
        return [.platform, .quotedSpaced, .local][index % 3]
    }

    /// The ACM names of the columns the sample writes, in order, the finer-grain one last.
    static let acm = [
        "financial_year", "financial_month", "organisation_identifier_code_of_commissioner",
        "organisation_identifier_code_of_provider", "point_of_delivery_code", "activity_treatment_function_code",
        "contract_monitoring_planned_activity", "contract_monitoring_actual_activity",
        "contract_monitoring_planned_price", "contract_monitoring_actual_price", "date_and_time_data_set_created",
    ]

    /// The local system's names for the ACM columns, and for the tariff code: mapped in boardpack.toml.
    static let localNames = [
        "FinYear", "FinMonth", "CCG", "Trust Code", "POD Code", "Specialty", "Plan Activity", "Actual Activity",
        "Plan Cost", "Actual Cost", "Extract Date", "HRG",
    ]

    /// The header cells, with `split` the name of the finer-grain column (tariff or local contract
    /// code) when rows are split.
    func header(split: String?) -> [String] {
        let split = split.map { [$0] } ?? []
        switch self {
        case .plainLong: return Self.acm + split
        case .plainShort:
            return [
                "Financial_Year", "Financial_Month", "Commissioner_Code", "Provider_Code", "POD", "TFC",
                "Planned_Activity", "Actual_Activity", "Planned_Price", "Actual_Price",
                "Date_And_Time_Data_Set_Created",
            ] + split
        case .platform: return (Self.acm + split).map(Self.platformName)
        case .quotedSpaced: return (Self.acm + split).map(Self.spacedName)
        case .local: return Array(Self.localNames.prefix(11)) + (split.isEmpty ? [] : [Self.localNames[11]])
        }
    }

    /// `organisation_identifier_code_of_commissioner` → `ORGANISATION_IDENTIFIER_(CODE_OF_COMMISSIONER)`.
    static func platformName(_ acm: String) -> String {
        let upper = acm.uppercased()
        for qualifier in ["CODE_OF_COMMISSIONER", "CODE_OF_PROVIDER"] where upper.hasSuffix(qualifier) {
            return upper.dropLast(qualifier.count) + "(" + qualifier + ")"
        }
        return upper
    }

    /// `organisation_identifier_code_of_commissioner` → `Organisation Identifier (Code of Commissioner)`.
    static func spacedName(_ acm: String) -> String {
        let small: Set<Substring> = ["of", "and"]
        var text = acm.split(separator: "_").map {
            small.contains($0) ? String($0) : $0.prefix(1).uppercased() + $0.dropFirst()
        }
        .joined(separator: " ")
        for qualifier in ["Code of Commissioner", "Code of Provider"] where text.hasSuffix(qualifier) {
            text = text.dropLast(qualifier.count) + "(" + qualifier + ")"
        }
        return text
    }

    /// The name of the tariff-code column in this layout.
    var tariffColumn: String {
        switch self {
        case .plainLong, .plainShort: "tariff_code"
        case .platform: "TARIFF_CODE"
        case .quotedSpaced: "Tariff Code"
        case .local: Self.localNames[11]
        }
    }

    var quotesEveryField: Bool { self == .quotedSpaced }

    /// An ISO creation time (`2026-05-14T09:17:00`) as this layout writes it.
    func created(_ iso: String) -> String {
        guard self == .platform else { return iso }
        let b = Array(iso)
        // 14/05/2026 09:17
        return String(b[8..<10]) + "/" + String(b[5..<7]) + "/" + String(b[0..<4]) + " " + String(b[11..<16])
    }

    /// HRG-shaped tariff codes that tell a cell's rows apart.
    static let tariffCodes = [
        "WF01A", "WF01B", "WF02A", "FZ12H", "FZ12J", "BZ34B", "HN12F", "LB35C", "EB14E", "DZ22K", "AA22G",
    ]
}
