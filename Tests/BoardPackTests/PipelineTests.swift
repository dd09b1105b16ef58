import BoardPackAnalysis
import BoardPackCore
import BoardPackIngest
import BoardPackPipeline
import BoardPackRender
import Foundation
import Testing

@Suite("Figures from the small fixture, worked out by hand")
struct PipelineTests {
    func dataset(_ name: String = "small") throws -> (Dataset, DiagnosticLog) {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.fixture(name), log: log)
        return (dataset, log)
    }

    func packs(_ name: String = "small") throws -> [PackFigures] {
        let (dataset, log) = try dataset(name)
        #expect(!log.hasErrors, "\(log.sorted)")
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        return Analysis.packs(dataset, period: period)
    }

    @Test("The default period is the latest month with actuals")
    func period() throws {
        let (dataset, _) = try dataset()
        #expect(Analysis.latestMonthWithActuals(dataset)?.calendarText == "2026-05")
    }

    @Test("A restated month counts once, from the latest submission")
    func restatement() throws {
        let packs = try packs()
        #expect(packs.map(\.code) == ["00A", "00B", "system"])
        let alpha = packs[0].contract
        // RXX: M1 from the M02 submission (EL 11 actual, not 12 and not 12 + 11), M2 from M02;
        // the two OPFA rows of M2 (finer grain) are added within the submission.
        let rxx = try #require(alpha.providers.first { $0.total.provider?.description == "RXX" })
        let el = try #require(rxx.byPointOfDelivery.first { $0.pointOfDelivery?.description == "EL" })
        #expect(el.plannedActivity == .units(20))
        #expect(el.actualActivity == .units(20))
        #expect(el.actualPrice == .pounds(2_000))
        let opfa = try #require(rxx.byPointOfDelivery.first { $0.pointOfDelivery?.description == "OPFA" })
        #expect(opfa.actualActivity == .units(201))
        #expect(opfa.actualPrice == .pounds(20_100))
        #expect(rxx.total.priceVariance == .pounds(100))
        // RYY: "£1,234.56" planned and "1,000.50" actual.
        #expect(alpha.total.plannedPrice == Money(pence: 2_323_456))
        #expect(alpha.total.actualPrice == Money(pence: 2_310_050))
        #expect(alpha.total.priceVariance == Money(pence: -13_406))
        // Last year's M12 is history: not in this year's YTD.
        #expect(alpha.total.plannedActivity == .units(222))
        // 00B: M1 5 (restated, unchanged) + M2 6.
        #expect(packs[1].contract.total.actualActivity == .units(11))
        #expect(packs[1].contract.total.actualPrice == .pounds(1_100))
        // System: both commissioners.
        #expect(packs[2].contract.total.actualPrice == Money(pence: 2_310_050 + 110_000))
    }

    @Test("Superseded rows are counted per submission")
    func superseded() throws {
        let (dataset, _) = try dataset()
        let byID = Dictionary(uniqueKeysWithValues: dataset.submissions.map { ($0.id, $0) })
        #expect(byID["RXX-M01"]?.rowsRead == 3)
        #expect(byID["RXX-M01"]?.rowsSuperseded == 3)
        #expect(byID["RXX-M02"]?.rowsSuperseded == 0)
        #expect(byID["RXX-202526-M12"]?.rowsSuperseded == 0)
    }

    @Test("The pack says which submission each provider's months come from")
    func currency() throws {
        let alpha = try packs()[0]
        #expect(alpha.dataCurrency.map(\.provider.description) == ["RXX", "RYY"])
        #expect(alpha.dataCurrency[0].submissions.map(\.id) == ["RXX-M02"])
        #expect(alpha.dataCurrency[0].submissions[0].months == [1, 2])
        #expect(alpha.dataCurrency[1].submissions[0].created == nil)
    }

    @Test("QIPP by scheme: YTD, variance, RAG by rule, missing actuals flagged")
    func qipp() throws {
        let alpha = try packs()[0]
        let byID = Dictionary(uniqueKeysWithValues: alpha.schemes.map { ($0.scheme.id, $0) })
        let a1 = try #require(byID["A1"])
        #expect(a1.ytdPlan == .pounds(20_000))
        #expect(a1.ytdActual == .pounds(19_000))
        #expect(a1.deliveredPerMille == 950)
        #expect(a1.rag == .green)  // exactly 95 %
        let a2 = try #require(byID["A2"])
        #expect(a2.ytdActual == .pounds(3_000))
        #expect(a2.missingActualMonths == [2])
        #expect(a2.rag == .red)
        #expect(byID["A3"]?.rag == nil)
        #expect(alpha.qipp.target == .pounds(1_000_000))
        #expect(alpha.qipp.identified == .pounds(180_000))
        #expect(alpha.qipp.unidentified == .pounds(820_000))
        #expect(alpha.qipp.pipeline == .pounds(40_000))
        #expect(alpha.qipp.ytdVariance == .pounds(-8_000))
        #expect(alpha.qipp.deliveredPerMille == 733)
        let beta = try packs()[1]
        #expect(beta.schemes.first?.rag == .amber)  // 3,700 / 4,000 = 92.5 %
        #expect(beta.schemes.first?.scheme.name == "Scheme with \"quotes\", comma")
    }

    @Test("RAG thresholds at their edges")
    func ragEdges() {
        #expect(Analysis.rate(ytdPlan: .pounds(100), ytdActual: .pounds(95), stage: .approved).0 == .green)
        #expect(Analysis.rate(ytdPlan: .pounds(100), ytdActual: Money(pence: 9_499), stage: .approved).0 == .amber)
        #expect(Analysis.rate(ytdPlan: .pounds(100), ytdActual: .pounds(80), stage: .delivered).0 == .amber)
        #expect(Analysis.rate(ytdPlan: .pounds(100), ytdActual: Money(pence: 7_999), stage: .implementing).0 == .red)
        #expect(Analysis.rate(ytdPlan: .zero, ytdActual: .zero, stage: .approved).0 == nil)
        #expect(Analysis.rate(ytdPlan: .pounds(100), ytdActual: .pounds(100), stage: .businessCase).0 == nil)
    }

    @Test("CSV and XML forms of one data set give byte-identical figures.json")
    func csvAndXMLAgree() throws {
        let csv = try packs("small")
        let xml = try packs("small-xml")
        #expect(csv.count == xml.count)
        for (a, b) in zip(csv, xml) {
            #expect(FiguresJSON.document(a).serialized() == FiguresJSON.document(b).serialized())
        }
    }

    @Test("HTML escapes every input string; Markdown escapes what breaks a table")
    func escaping() throws {
        let out = try TestSupport.temporaryFolder()
        let log = DiagnosticLog()
        let outcome = Pipeline.build(
            BuildOptions(inputs: TestSupport.fixture("small"), output: out, templates: TestSupport.templates), log: log)
        #expect(outcome.status == .success)
        let html = try #require(String(data: TestSupport.read(out + "/00B/board-pack.html")!, encoding: .utf8))
        #expect(html.contains("NHS Beta | Gamma &lt;CCG&gt;"))
        #expect(html.contains("&lt;b&gt;Dr Four&lt;/b&gt;"))
        #expect(!html.contains("<b>Dr Four"))
        #expect(html.contains("Scheme with &quot;quotes&quot;, comma"))
        let md = try #require(String(data: TestSupport.read(out + "/00B/board-pack.md")!, encoding: .utf8))
        #expect(md.contains("# NHS Beta \\| Gamma \\<CCG\\>"))
        #expect(md.contains("\\<b\\>Dr Four\\</b\\>"))
        // Every table row of the Markdown pack has the same number of unescaped cell separators as its header.
        var expected: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                expected = nil
                continue
            }
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            if let expected { #expect(cells == expected, "\(line)") } else { expected = cells }
        }
    }

    @Test("A build with an input error publishes nothing and keeps the previous packs")
    func errorsPublishNothing() throws {
        let inputs = try TestSupport.temporaryFolder()
        for name in ["organisations.csv", "qipp_schemes.csv", "qipp_monthly.csv", "activity/RXX-M01.csv"] {
            let data = try #require(TestSupport.read(TestSupport.fixture("small/" + name)))
            _ = try TestSupport.write(String(decoding: data, as: UTF8.self), as: name, in: inputs)
        }
        let out = try TestSupport.temporaryFolder() + "/out"
        let good = Pipeline.build(
            BuildOptions(inputs: inputs, output: out, templates: TestSupport.templates), log: DiagnosticLog())
        #expect(good.status == .success)
        let before = TestSupport.files(under: out)
        #expect(before.contains("00A/figures.json"))
        _ = try TestSupport.write(
            "financial_year,financial_month,commissioner_code,provider_code,pod,tfc,planned_activity,actual_activity,planned_price,actual_price\n202627,13,00A,RXX,EL,100,1,TBC,1,1\n",
            as: "activity/RXX-M02.csv", in: inputs)
        let log = DiagnosticLog()
        let bad = Pipeline.build(BuildOptions(inputs: inputs, output: out, templates: TestSupport.templates), log: log)
        #expect(bad.status == .inputErrors)
        #expect(log.errors.count == 2)
        #expect(log.errors.map(\.field) == ["financial_month", "contract_monitoring_actual_activity"])
        #expect(log.errors.allSatisfy { $0.location.line == 2 && $0.location.file.hasSuffix("activity/RXX-M02.csv") })
        #expect(TestSupport.files(under: out) == before)
    }

    @Test("A missing template stops the build before anything is written")
    func missingTemplate() throws {
        let templates = try TestSupport.temporaryFolder()
        _ = try TestSupport.write("<html></html>", as: "html/board-pack.mustache", in: templates)
        let out = try TestSupport.temporaryFolder() + "/out"
        let outcome = Pipeline.build(
            BuildOptions(inputs: TestSupport.fixture("small"), output: out, templates: templates), log: DiagnosticLog())
        #expect(outcome.status == .usage)
        #expect(outcome.failure?.contains("index.mustache") == true)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite("Forecast, risk adjustment, gap and movement, worked out by hand")
struct ForecastTests {
    func alpha() throws -> PackFigures {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: TestSupport.fixture("small"), log: log)
        return Analysis.packs(dataset, period: FinancialMonth(calendarText: "2026-05")!)[0]
    }

    @Test("Forecast outturn and risk-adjusted forecast per scheme")
    func schemes() throws {
        let byID = Dictionary(uniqueKeysWithValues: try alpha().schemes.map { ($0.scheme.id, $0) })
        // A1: 19,000 to date + 10 × 10,000 still phased; green counts 100 %.
        #expect(byID["A1"]?.forecastOutturn == .pounds(119_000))
        #expect(byID["A1"]?.riskAdjustedForecast == .pounds(119_000))
        // A2: 3,000 + 10 × 5,000; red counts 25 % of the unrealised 50,000.
        #expect(byID["A2"]?.forecastOutturn == .pounds(53_000))
        #expect(byID["A2"]?.riskAdjustedForecast == .pounds(15_500))
        // Pipeline: not in the plan.
        #expect(byID["A3"]?.riskAdjustedForecast == .zero)
    }

    @Test("Gap, pipeline cover, concentration, recurrence, slippage")
    func totals() throws {
        let pack = try alpha()
        #expect(pack.qipp.forecastOutturn == .pounds(172_000))
        #expect(pack.qipp.riskAdjustedForecast == .pounds(134_500))
        #expect(pack.qipp.gap == .pounds(865_500))
        #expect(!pack.qipp.pipelineCoversGap)
        #expect(pack.qipp.topFiveSharePerMille == 180)
        #expect(pack.qipp.recurrent == .pounds(120_000))
        #expect(pack.qipp.nonRecurrent == .pounds(60_000))
        #expect(pack.slippage.map(\.scheme.id) == ["A2", "A1"])
    }

    @Test("Movement since the previous month, from the same data")
    func movement() throws {
        let m = try #require(try alpha().movement)
        #expect(m.previousPeriod.month == 1)
        // At M1: A1 amber (9,000 of 10,000): 9,000 + 110,000 × 50 %; A2 red: 3,000 + 55,000 × 25 %.
        #expect(m.previousRiskAdjusted == .pounds(64_000 + 16_750))
        #expect(m.previousGap == .pounds(1_000_000 - 80_750))
        #expect(m.forecastChange == .pounds(53_750))
        #expect(m.schemes.map(\.id) == ["A1", "A2"])
        #expect(m.schemes[0].ragBefore == .amber && m.schemes[0].ragAfter == .green)
    }

    @Test("A supplied forecast wins over the phased plan for its month; risk factors come from the configuration")
    func suppliedForecastAndFactors() throws {
        var rules = Rules()
        rules.riskRedPercent = 0
        let april = FinancialMonth(calendarText: "2026-04")!
        let months = (1...12).map { m in
            SchemeMonth(
                period: FinancialMonth(year: april.year, month: m), planned: .pounds(100),
                actual: m == 1 ? .pounds(10) : nil, forecast: m == 12 ? .pounds(40) : nil)
        }
        let scheme = Scheme(
            id: "S", commissioner: ShortCode("00A")!, name: "n", programme: "p", sro: "s", stage: .approved,
            recurrence: .recurrent, annualTarget: .pounds(1_200), investment: .pounds(50), months: months)
        let f = Analysis.schemeFigures(scheme, period: april, rules: rules)
        #expect(f.forecastOutturn == .pounds(10 + 10 * 100 + 40))
        #expect(f.rag == .red)
        #expect(f.riskAdjustedForecast == .pounds(10))
        #expect(f.netForecast == .pounds(1_050 - 50))
    }
}

@Suite("Contract drill-down, run rate and reconciliation")
struct ContractTests {
    func packs(_ folder: String) throws -> [PackFigures] {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: log)
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        return Analysis.packs(dataset, period: period)
    }

    @Test("Forecast outturn at run rate: YTD actual × 12 ÷ months to date")
    func runRate() throws {
        let alpha = try packs(TestSupport.fixture("small"))[0]
        let rxx = try #require(alpha.contract.providers.first { $0.total.provider?.description == "RXX" })
        #expect(rxx.total.forecastPrice == .pounds(132_600))
        #expect(rxx.total.forecastActivity == .units(1_326))
        #expect(alpha.contract.total.forecastPrice == Money(pence: 2_310_050 * 6))
    }

    @Test("Largest variances: provider × POD × TFC, largest £ either way first")
    func largest() throws {
        let alpha = try packs(TestSupport.fixture("small"))[0]
        #expect(alpha.contract.largestVariances.map(\.priceVariance) == [Money(pence: -23_406), .pounds(100), .zero])
        #expect(alpha.contract.largestVariances.first?.treatmentFunction?.description == "100")
    }

    @Test("Every contract table reconciles: TFC rows to POD rows to provider totals to the grand total")
    func reconciles() throws {
        for pack in try packs(TestSupport.root + "/inputs") {
            var grand = Money.zero
            var grandPlanned = Money.zero
            var grandActivity = Quantity.zero
            for provider in pack.contract.providers {
                var sum = Money.zero
                for pod in provider.byPointOfDelivery {
                    #expect(pod.treatmentFunctions.reduce(Money.zero) { $0 + $1.actualPrice } == pod.actualPrice)
                    #expect(
                        pod.treatmentFunctions.reduce(Quantity.zero) { $0 + $1.plannedActivity } == pod.plannedActivity)
                    sum += pod.actualPrice
                }
                #expect(sum == provider.total.actualPrice)
                grand += provider.total.actualPrice
                grandPlanned += provider.total.plannedPrice
                grandActivity += provider.total.actualActivity
            }
            #expect(grand == pack.contract.total.actualPrice, "\(pack.code)")
            #expect(grandPlanned == pack.contract.total.plannedPrice)
            #expect(grandActivity == pack.contract.total.actualActivity)
            // QIPP: the identified total is the sum of the plan rows; the gap reconciles.
            let plan = pack.schemes.filter { $0.scheme.stage.isIdentified }
            #expect(plan.reduce(Money.zero) { $0 + $1.scheme.annualTarget } == pack.qipp.identified)
            #expect(plan.reduce(Money.zero) { $0 + $1.riskAdjustedForecast } == pack.qipp.riskAdjustedForecast)
            #expect(pack.qipp.target - pack.qipp.riskAdjustedForecast == pack.qipp.gap)
            #expect(plan.reduce(Money.zero) { $0 + $1.ytdPlan } == pack.qipp.ytdPlan)
            #expect(plan.reduce(Money.zero) { $0 + $1.ytdActual } == pack.qipp.ytdActual)
            #expect(plan.reduce(Money.zero) { $0 + $1.forecastOutturn } == pack.qipp.forecastOutturn)
            let pipeline = pack.schemes.filter { $0.scheme.stage.isPipeline }
            #expect(pipeline.reduce(Money.zero) { $0 + $1.scheme.annualTarget } == pack.qipp.pipeline)
            if let movement = pack.movement {
                #expect(movement.schemes.reduce(Money.zero) { $0 + $1.change } == movement.forecastChange)
            }
            if let finance = pack.finance {
                let income = finance.lines.filter { $0.category.isIncome }
                let spend = finance.lines.filter { !$0.category.isIncome }
                for column in [\FinancialPosition.Line.annualBudget, \.ytdBudget, \.ytdActual, \.forecastOutturn] {
                    #expect(income.reduce(Money.zero) { $0 + $1[keyPath: column] } == finance.income[keyPath: column])
                    #expect(
                        spend.reduce(Money.zero) { $0 + $1[keyPath: column] } == finance.expenditure[keyPath: column])
                }
            }
            if pack.scope == .system {
                // The commissioner table adds up to the system's figures.
                let rows = pack.commissioners
                #expect(rows.reduce(Money.zero) { $0 + $1.qipp.target } == pack.qipp.target)
                #expect(rows.reduce(Money.zero) { $0 + $1.qipp.identified } == pack.qipp.identified)
                #expect(rows.reduce(Money.zero) { $0 + $1.qipp.ytdActual } == pack.qipp.ytdActual)
                #expect(rows.reduce(Money.zero) { $0 + $1.qipp.riskAdjustedForecast } == pack.qipp.riskAdjustedForecast)
                #expect(
                    rows.reduce(Money.zero) { $0 + $1.contractTotal.priceVariance } == pack.contract.total.priceVariance
                )
                let estimates = try packs(TestSupport.root + "/inputs").compactMap(\.qualityPremium)
                #expect(estimates.dropLast().reduce(Money.zero) { $0 + $1.estimate } == pack.qualityPremium?.estimate)
            }
        }
    }
}

@Suite("A £14m target with a gap of about £940k after risk adjustment")
struct FourteenMillionTests {
    /// Twelve equal monthly plans and six equal monthly actuals (reporting month M6).
    static func scheme(_ id: String, annual: Int64, monthlyActual: Int64) -> Scheme {
        let year = FinancialYear(startYear: 2026)
        let months = (1...12).map { m in
            SchemeMonth(
                period: FinancialMonth(year: year, month: m), planned: .pounds(annual / 12),
                actual: m <= 6 ? .pounds(monthlyActual) : nil)
        }
        return Scheme(
            id: id, commissioner: ShortCode("00A")!, name: id, programme: "p", sro: "s", stage: .implementing,
            recurrence: .recurrent, annualTarget: .pounds(annual), months: months)
    }

    @Test("Green, amber and red schemes leave a £939,500 gap against £14m")
    func gap() throws {
        let organisation = Organisation(
            code: ShortCode("00A")!, name: "NHS Example CCG", type: .ccg, registeredPopulation: 400_000,
            programmeAllocation: .pounds(560_000_000), qippTarget: .pounds(14_000_000))
        let dataset = Dataset(
            organisations: [organisation],
            schemes: [
                // On plan: green, all 11.1m counted.
                Self.scheme("A", annual: 11_100_000, monthlyActual: 925_000),
                // 90.1 % of plan: amber; 1,081,500 delivered + 50 % of the 1.2m still to come.
                Self.scheme("B", annual: 2_400_000, monthlyActual: 180_250),
                // 68 % of plan: red; 204,000 delivered + 25 % of the 300,000 still to come.
                Self.scheme("C", annual: 600_000, monthlyActual: 34_000),
            ], submissions: [], activity: [])
        let pack = try #require(Analysis.packs(dataset, period: FinancialMonth(calendarText: "2026-09")!).first)
        #expect(pack.schemes.map(\.rag) == [.green, .amber, .red])
        #expect(pack.qipp.identified == .pounds(14_100_000))
        #expect(pack.qipp.riskAdjustedForecast == .pounds(11_100_000 + 1_681_500 + 279_000))
        #expect(pack.qipp.gap == .pounds(939_500))
        #expect(!pack.qipp.pipelineCoversGap)
    }
}

@Suite("Financial position, Quality Premium and patient impact")
struct FinanceTests {
    static let period = FinancialMonth(calendarText: "2026-09")!
    static let code = ShortCode("00A")!

    @Test("Quality Premium: the published worked example")
    func qualityPremium() throws {
        let rules = Rules()
        func items(missed: [Int64], gate: Bool = true) -> [QualityPremiumItem] {
            var list = [
                QualityPremiumItem(
                    commissioner: Self.code, kind: .gate, name: "Financial balance", weightBasisPoints: 0, met: gate)
            ]
            for (i, w) in ([1_250, 2_500, 1_250, 1_250, 1_250, 2_500] as [Int64]).enumerated() {
                list.append(
                    QualityPremiumItem(
                        commissioner: Self.code, kind: .measure, name: "m\(i)", weightBasisPoints: w,
                        met: !missed.contains(Int64(i))))
            }
            return list
        }
        // 160,000 people × £5 = £800,000 potential.
        let all = try #require(Analysis.qualityPremium(items(missed: []), population: 160_000, rules: rules))
        #expect(all.potential == .pounds(800_000))
        #expect(all.estimate == .pounds(800_000))
        // One missed 12.5 % measure (an MRSA case) takes 12.5 % away.
        let mrsa = try #require(Analysis.qualityPremium(items(missed: [4]), population: 160_000, rules: rules))
        #expect(mrsa.estimate == .pounds(700_000))
        // Missing 62.5 % of the weight leaves £300,000 (about £2 a head), as published.
        let published = try #require(
            Analysis.qualityPremium(items(missed: [1, 3, 5]), population: 160_000, rules: rules))
        #expect(published.missedBasisPoints == 6_250)
        #expect(published.estimate == .pounds(300_000))
        // A failed gate: nothing.
        let gateFailed = try #require(
            Analysis.qualityPremium(items(missed: [], gate: false), population: 160_000, rules: rules))
        #expect(gateFailed.estimate == .zero)
    }

    static func line(_ name: String, _ category: LedgerLine.Category, _ annual: Int64, _ forecast: Int64) -> LedgerLine
    {
        LedgerLine(
            commissioner: code, budgetLine: name, category: category, annualBudget: .pounds(annual),
            ytdBudget: .pounds(annual / 2), ytdActual: .pounds(annual / 2), forecastOutturn: .pounds(forecast))
    }

    @Test("Financial position: I&E, surplus against the rule, reserves, running costs per head")
    func position() throws {
        let organisation = Organisation(
            code: Self.code, name: "A", type: .ccg, registeredPopulation: 100_000,
            programmeAllocation: .pounds(100_000_000), qippTarget: .pounds(1_000_000))
        var dataset = Dataset(organisations: [organisation], schemes: [], submissions: [], activity: [])
        dataset.ledger = [
            Self.line("Allocation", .income, 102_500_000, 102_500_000),
            Self.line("Acute", .programme, 95_000_000, 95_600_000),
            Self.line("Running costs", .runningCosts, 2_400_000, 2_600_000),
            Self.line("Contingency", .contingency, 500_000, 0),
            Self.line("NR fund", .nonRecurrentReserve, 1_500_000, 1_500_000),
        ]
        let pack = try #require(Analysis.packs(dataset, period: Self.period).first)
        let f = try #require(pack.finance)
        #expect(f.income.annualBudget == .pounds(102_500_000))
        #expect(f.expenditure.annualBudget == .pounds(99_400_000))
        #expect(f.plannedSurplus == .pounds(3_100_000))
        #expect(f.forecastSurplus == .pounds(102_500_000 - 99_700_000))
        #expect(f.requiredSurplus == .pounds(1_000_000))
        #expect(f.surplusMet)
        #expect(f.contingencyRequired == .pounds(500_000) && f.contingencyHeld == .pounds(500_000))
        #expect(f.nonRecurrentReserveRequired == .pounds(2_000_000) && f.nonRecurrentReserveHeld == .pounds(1_500_000))
        // 100,000 people × £25 = £2.5m allowance; forecast £2.6m is over it.
        #expect(f.runningCostAllowance == .pounds(2_500_000))
        #expect(!f.runningCostsWithinAllowance)
        // The table reconciles.
        #expect(
            f.lines.filter { !$0.category.isIncome }.reduce(Money.zero) { $0 + $1.forecastOutturn }
                == f.expenditure.forecastOutturn)
    }

    @Test("Patient impact: activity since the start month against the same months a year earlier")
    func impact() throws {
        let organisation = Organisation(
            code: Self.code, name: "A", type: .ccg, registeredPopulation: 1, programmeAllocation: .pounds(1),
            qippTarget: .pounds(1))
        func line(_ year: Int, _ month: Int, _ actual: Int64) -> ActivityLine {
            ActivityLine(
                key: ActivityKey(
                    commissioner: Self.code, provider: ShortCode("RXX")!, pointOfDelivery: ShortCode("OPFUP")!,
                    treatmentFunction: ShortCode("330")!,
                    period: FinancialMonth(year: FinancialYear(startYear: year), month: month)),
                sums: ActivitySums(
                    plannedActivity: .zero, actualActivity: .units(actual), plannedPrice: .zero, actualPrice: .zero),
                submission: 0)
        }
        var lines: [ActivityLine] = []
        for m in 1...6 {
            lines.append(line(2025, m, 100))
            lines.append(line(2026, m, m >= 4 ? 80 : 100))
        }
        let scheme = Scheme(
            id: "S", commissioner: Self.code, name: "Follow-ups", programme: "p", sro: "s", stage: .implementing,
            recurrence: .recurrent, annualTarget: .pounds(1_200), provider: ShortCode("RXX"),
            pointOfDelivery: ShortCode("OPFUP"), treatmentFunction: ShortCode("330"), startMonth: 4)
        let submission = Submission(
            id: "RXX", path: "activity/RXX.csv", format: .csv, created: nil, latestPeriod: nil,
            providers: [ShortCode("RXX")!], rowsRead: lines.count)
        let dataset = Dataset(
            organisations: [organisation], schemes: [scheme], submissions: [submission], activity: lines)
        let pack = try #require(Analysis.packs(dataset, period: Self.period).first)
        let impact = try #require(pack.patientImpact.first)
        #expect(impact.months == [4, 5, 6])
        #expect(impact.baselineActivity == .units(300))
        #expect(impact.currentActivity == .units(240))
        #expect(impact.change == .units(-60))
        #expect(impact.changePerMille == -200)
    }
}
