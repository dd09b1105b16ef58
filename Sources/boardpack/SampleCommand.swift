import ArgumentParser
import BoardPackCore
import BoardPackPipeline
import BoardPackPublish
import BoardPackRender
import BoardPackSample
import Foundation

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a realistic, deterministic sample input folder (invented organisations and figures).")

    @Option(
        help: "The folder to write; replaced as a whole (only an empty folder or a previous sample, unless --force).")
    var out = "inputs"

    @Flag(help: "Replace --out even when it holds files that are not a previous sample.")
    var force = false

    @Option(help: "Seed of the generator: the same seed and options give the same bytes.")
    var seed: UInt64 = 2026

    @Option(help: "Number of commissioners (CCGs).")
    var commissioners = 3

    @Option(help: "Number of providers (trusts).")
    var providers = 4

    @Option(help: "Reporting month of the current year (1 = April ... 12 = March): months with actuals.")
    var months = 7

    @Option(help: "The current financial year, as in contract monitoring (e.g. 202627).")
    var financialYear = 202627

    @Option(help: "How many of the providers submit XML instead of CSV.")
    var xmlProviders = 1

    @Option(help: "Monthly submissions per provider this year, each restating the year to date.")
    var submissions = 3

    @Option(help: "Contract lines between a commissioner and its main provider.")
    var mainContractLines = 16

    @Option(help: "Contract lines between a commissioner and each other provider.")
    var otherContractLines = 6

    @Option(help: "Rows per contract cell in CSV submissions, split exactly; they differ in tariff code.")
    var linesPerCell = 2

    @Flag(
        help:
            "The earlier plain files: one layout, unquoted, rows in key order, no site codes, local codes or CQUIN lines (one row per cell unless --lines-per-cell)."
    )
    var plain = false

    @Flag(help: "Quote every field of every CSV submission.")
    var quoteAll = false

    @Flag(help: "Write the QIPP tracker (qipp_schemes, qipp_monthly) and the finance ledger as .xlsx workbooks.")
    var xlsx = false

    @Flag(help: "Write every CSV submission as an .xlsx workbook too (for benchmarks).")
    var xlsxActivity = false

    @Option(help: "Schemes per commissioner (default: 12 to 15).")
    var schemesPerCommissioner: Int?

    @Flag(help: "A national-size set: 100 commissioners, 200 providers, 12 months, ~10M CSV rows, 2,000 schemes.")
    var national = false

    @Flag(
        help:
            "With --national: the many-cells shape (every commissioner at every provider, 64 TFC codes of which 40 local, one row per cell, 100 unlisted providers)."
    )
    var manyCells = false

    @Option(help: "How many providers (the last ones) organisations.csv leaves out.")
    var unlistedProviders = 0

    func run() throws {
        guard let year = FinancialYear(acmCode: financialYear) else {
            throw ValidationError("--financial-year must be six digits such as 202627")
        }
        if manyCells && !national { throw ValidationError("--many-cells is a form of --national: give both") }
        var options = manyCells ? SampleOptions.nationalManyCells : national ? SampleOptions.national : SampleOptions()
        options.seed = seed
        options.year = year
        // An option given on the command line wins over the national preset.
        func given(_ name: String) -> Bool { !national || CommandLine.arguments.contains("--" + name) }
        if given("commissioners") { options.commissioners = commissioners }
        if given("providers") { options.providers = providers }
        if given("months") { options.months = months }
        if given("submissions") { options.submissions = submissions }
        if given("main-contract-lines") { options.mainContractLines = mainContractLines }
        if given("other-contract-lines") { options.otherContractLines = otherContractLines }
        if given("lines-per-cell") { options.linesPerCell = linesPerCell }
        if given("unlisted-providers") { options.unlistedProviders = unlistedProviders }
        if given("schemes-per-commissioner") { options.schemesPerCommissioner = schemesPerCommissioner }
        options.xmlProviders = given("xml-providers") ? min(xmlProviders, options.providers) : 0
        options.realShaped = !plain
        options.quoteAll = quoteAll
        options.xlsx = xlsx
        options.xlsxActivity = xlsxActivity
        if plain, !national, !CommandLine.arguments.contains("--lines-per-cell") { options.linesPerCell = 1 }
        let destination: String
        do {
            destination = try OutputFolder.resolve(out, kind: .sample, force: force)
        } catch {
            DiagnosticPrinter.fail(String(describing: error))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        Interruption.shared.install()
        let summary: SampleSummary
        do {
            summary = try Publisher.publishFolder(to: destination, kind: .sample) { staging in
                try SampleGenerator.write(options, to: staging)
            }
        } catch let error as SampleError {
            if case .badOption(let why) = error { throw ValidationError(why) }
            DiagnosticPrinter.fail(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        } catch {
            DiagnosticPrinter.fail(String(describing: error))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        print(
            "Wrote \(summary.files) files (\(summary.activityRows) activity rows, \(summary.schemes) schemes) to \(out)/"
        )
    }
}
