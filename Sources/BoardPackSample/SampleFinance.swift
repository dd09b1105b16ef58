import BoardPackCore
import Foundation

// The sample's finance ledger and Quality Premium returns.
extension SampleGenerator {
    /// A ledger per commissioner whose budget plans a 1 % surplus and holds the reserves the
    /// rules ask for (one commissioner holds too little non-recurrent reserve), and a Quality
    /// Premium return per commissioner.
    mutating func writeFinance(_ commissioners: [Commissioner], rng: inout SplitMix64) throws {
        let ledger = try TextSink(path: path("finance_ledger.csv"))
        try ledger.write(
            "commissioner_code,budget_line,category,annual_budget_gbp,ytd_budget_gbp,ytd_actual_gbp,forecast_outturn_gbp,"
                + "best_forecast_outturn_gbp,worst_forecast_outturn_gbp\n"
        )
        let shares: [(String, String, Int64)] = [
            ("Acute contracts", "PROGRAMME", 5_500), ("Mental health", "PROGRAMME", 1_200),
            ("Community services", "PROGRAMME", 1_000), ("Primary care prescribing", "PROGRAMME", 1_200),
            ("Continuing healthcare", "PROGRAMME", 750),
        ]
        for (c, commissioner) in commissioners.enumerated() {
            let allocation = commissioner.allocation.pence / 100
            let runningAllowance = commissioner.population * 25
            var lines: [(String, String, Int64)] = [
                ("Programme allocation", "INCOME", allocation), ("Running cost allocation", "INCOME", runningAllowance),
            ]
            lines += shares.map { ($0.0, $0.1, allocation * $0.2 / 10_000) }
            lines.append(("Running costs", "RUNNING_COSTS", runningAllowance * 97 / 100))
            lines.append(("Contingency reserve", "CONTINGENCY", allocation * 50 / 10_000))
            lines.append(
                ("Non-recurrent transformation fund", "NR_RESERVE", allocation * (c == 1 ? 150 : 200) / 10_000))
            for (name, category, annual) in lines {
                let ytdBudget = annual * Int64(options.months) / 12
                let income = category == "INCOME"
                let ytdActual = income ? ytdBudget : ytdBudget * rng.int(Int64(985)...Int64(1_025)) / 1_000
                let forecast = income ? annual : annual * rng.int(Int64(992)...Int64(1_018)) / 1_000
                // The volatile lines carry a best and a worst case: half a percent of budget better,
                // one percent worse.
                var cases = ["", ""]
                if name == "Acute contracts" || name == "Primary care prescribing" {
                    cases = [
                        Money.pounds(forecast - annual * 5 / 1_000).description,
                        Money.pounds(forecast + annual / 100).description,
                    ]
                }
                try ledger.write(
                    [
                        commissioner.code, Self.csv(name), category, Money.pounds(annual).description,
                        Money.pounds(ytdBudget).description, Money.pounds(ytdActual).description,
                        Money.pounds(forecast).description,
                    ].joined(separator: ",") + "," + cases.joined(separator: ",") + "\n")
            }
        }
        try ledger.close()
        let quality = try TextSink(path: path("quality_premium.csv"))
        try quality.write("commissioner_code,item_type,item,weight_percent,met\n")
        let measures: [(String, String)] = [
            ("Potential years of life lost from amenable causes", "12.5"),
            ("Avoidable emergency admissions", "25"), ("A&E four-hour waits", "12.5"),
            ("Friends and family test roll-out", "12.5"), ("Healthcare-acquired infection (MRSA)", "12.5"),
            ("Local measure: dementia diagnosis", "25"),
        ]
        for (c, commissioner) in commissioners.enumerated() {
            try quality.write("\(commissioner.code),GATE,Financial balance,,Y\n")
            try quality.write(
                "\(commissioner.code),GATE,No serious quality failure at providers,,\(c == 2 ? "N" : "Y")\n")
            for (m, (name, weight)) in measures.enumerated() {
                let met = !((m + c) % 4 == 0)
                try quality.write("\(commissioner.code),MEASURE,\(Self.csv(name)),\(weight),\(met ? "Y" : "N")\n")
            }
        }
        try quality.close()
        summary.files += 2
    }
}
