import BoardPackCore

/// Entry points for the fuzz targets in `Fuzz/`: run one input through the
/// whole contract-monitoring ingest (reader, typing, validation, sums) from
/// memory. Returns the number of diagnostics, so the work cannot be optimised away.
public enum IngestFuzzing {

    public static func activityCSV(_ bytes: [UInt8]) -> Int {
        run(bytes, format: .csv)
    }

    public static func activityXML(_ bytes: [UInt8]) -> Int {
        run(bytes, format: .xml)
    }

    static func run(_ bytes: [UInt8], format: Submission.Format) -> Int {
        let log = DiagnosticLog(maxErrors: 1_000)
        let loader = ActivityLoader(
            log: log, commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        let result = try? loader.load(
            source: .memory(bytes), displayPath: "fuzz", relativePath: "fuzz", id: "fuzz", format: format)
        return log.diagnostics.count + (result?.cells.count ?? 0)
    }
}
