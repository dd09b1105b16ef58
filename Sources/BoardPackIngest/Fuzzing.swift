import BoardPackCore

/// Entry points for the fuzz targets in `Fuzz/`: run one input through the
/// whole contract-monitoring ingest (reader, typing, validation, sums) from
/// memory, once on the general path and once allowing the fast path, and stop the
/// process if the two disagree in any figure or diagnostic. Returns the number of
/// diagnostics, so the work cannot be optimised away.
public enum IngestFuzzing {

    public static func activityCSV(_ bytes: [UInt8]) -> Int {
        run(bytes, format: .csv)
    }

    public static func activityXML(_ bytes: [UInt8]) -> Int {
        run(bytes, format: .xml)
    }

    static func load(_ bytes: [UInt8], format: Submission.Format, fastPath: Bool)
        -> (ActivityLoader.Result?, [String])
    {
        let log = DiagnosticLog(maxErrors: 1_000)
        var loader = ActivityLoader(
            log: log, commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        loader.fastPath = fastPath
        let result = try? loader.load(
            source: .memory(bytes), displayPath: "fuzz", relativePath: "fuzz", id: "fuzz", format: format)
        return (result, log.sorted.map(\.description))
    }

    static func run(_ bytes: [UInt8], format: Submission.Format) -> Int {
        let (general, generalLog) = load(bytes, format: format, fastPath: false)
        let (fast, fastLog) = load(bytes, format: format, fastPath: true)
        func cells(_ r: ActivityLoader.Result?) -> [String] {
            (r?.cells ?? []).map { "\($0.key) \($0.sums)" }.sorted()
        }
        precondition(generalLog == fastLog, "fast and general paths report differently")
        precondition(general?.submission == fast?.submission, "fast and general paths read different submissions")
        precondition(cells(general) == cells(fast), "fast and general paths sum differently")
        return generalLog.count + (general?.cells.count ?? 0)
    }
}
