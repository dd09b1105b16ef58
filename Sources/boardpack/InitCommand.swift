import ArgumentParser
import BoardPackPipeline
import BoardPackPublish
import BoardPackRender
import Foundation

/// `boardpack init DIR`: a working folder to start from.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a working folder: input files with their headers and one example row each, "
            + "the default templates, and a configuration file with every default explained.")

    @Argument(help: "The folder to create (it must not exist, or be empty).")
    var directory: String

    static let examples: [(String, String)] = [
        (
            "inputs/organisations.csv",
            """
            org_code,org_name,org_type,parent_org_code,registered_population,programme_allocation_gbp,qipp_target_gbp,running_cost_allowance_gbp
            00X,NHS Example CCG,CCG,,250000,375000000.00,12000000.00,6250000.00
            RXX,Example Hospitals NHS Trust,PROVIDER,,,,,

            """
        ),
        (
            "inputs/qipp_schemes.csv",
            """
            scheme_id,commissioner_code,scheme_name,programme,sro,project_manager,finance_lead,gateway_stage,recurrence,annual_target_gbp,rag_status,provider_code,point_of_delivery_code,activity_treatment_function_code,start_month,investment_gbp
            00X-Q01,00X,Outpatient follow-up reduction,Outpatients,Dr A Example,B Example,C Example,IMPLEMENTING,R,120000.00,,RXX,OPFUP,330,1,

            """
        ),
        (
            "inputs/qipp_monthly.csv",
            "scheme_id,financial_year,financial_month,planned_saving_gbp,actual_saving_gbp,forecast_saving_gbp\n"
                + (1...12).map { "00X-Q01,202627,\($0),10000.00,\($0 == 1 ? "9500.00" : ""),\n" }.joined()
        ),
        (
            "inputs/activity/RXX-202627-M01.csv",
            """
            financial_year,financial_month,organisation_identifier_code_of_commissioner,organisation_identifier_code_of_provider,point_of_delivery_code,activity_treatment_function_code,contract_monitoring_planned_activity,contract_monitoring_actual_activity,contract_monitoring_planned_price,contract_monitoring_actual_price,date_and_time_data_set_created,local_contract_code
            202627,1,00X,RXX,OPFUP,330,400,380,40000.00,38000.00,2026-05-14T09:00:00,

            """
        ),
        ("boardpack.toml", Configuration.defaultText),
    ]

    func run() throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw ValidationError("\(directory) exists and is not empty; choose a new folder")
        }
        var files = Self.examples.map { Publisher.File(path: $0.0, contents: $0.1) }
        files += DefaultTemplates.files.map { Publisher.File(path: "templates/" + $0.path, contents: $0.contents) }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Publisher.write(files, into: directory)
        } catch {
            DiagnosticPrinter.fail("\(directory): cannot write: \(error)")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        print(
            """
            Created \(directory)/ with inputs/, templates/ and boardpack.toml. Next:
              cd \(directory) && boardpack build
            (edit the example rows first; docs/inputs.md describes every column)
            """)
    }
}
