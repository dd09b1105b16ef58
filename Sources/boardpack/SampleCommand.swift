import ArgumentParser
import BoardPackCore
import BoardPackPipeline
import BoardPackRender
import BoardPackSample
import Foundation

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a realistic, deterministic sample input folder (invented organisations and figures).")

    @Option(help: "The folder to write; replaced as a whole.")
    var out = "inputs"

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

    func run() throws {
        guard let year = FinancialYear(acmCode: financialYear) else {
            throw ValidationError("--financial-year must be six digits such as 202627")
        }
        var options = SampleOptions()
        options.seed = seed
        options.commissioners = commissioners
        options.providers = providers
        options.months = months
        options.year = year
        options.xmlProviders = min(xmlProviders, providers)
        options.submissions = submissions
        options.mainContractLines = mainContractLines
        options.otherContractLines = otherContractLines
        let summary: SampleSummary
        do {
            summary = try Publisher.publishFolder(to: out) { staging in
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
