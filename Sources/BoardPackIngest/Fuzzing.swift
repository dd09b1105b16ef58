import BoardPackCore

/// Entry points for the fuzz targets in `Fuzz/`: run one input through the whole
/// contract-monitoring ingest (reader, typing, validation, sums) from memory, in one pass and again
/// read in parts of every few bytes with small reads, and stop the process if the two disagree in
/// any figure, fact or diagnostic. For CSV it also checks `QuickValue` against `FieldReader` on
/// the input's bytes. Returns the number of diagnostics, so the work cannot be optimised away.
public enum IngestFuzzing {

    public static func activityCSV(_ bytes: [UInt8]) -> Int {
        checkQuickValues(bytes)
        return run(bytes, format: .csv)
    }

    public static func activityXML(_ bytes: [UInt8]) -> Int {
        run(bytes, format: .xml)
    }

    /// Reads `bytes` as one submission: in one pass, or in `parts` parts of at least `splitBytes`.
    static func load(
        _ bytes: [UInt8], format: Submission.Format, parts: Int = 1, splitBytes: Int = 32 << 20,
        chunkSize: Int = 1 << 20,
        scanner: Bool = true
    )
        -> (ActivityLoader.Result?, [String])
    {
        let log = DiagnosticLog(maxErrors: 1_000)
        var loader = ActivityLoader(
            log: log, commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        loader.parts = parts
        loader.splitBytes = splitBytes
        loader.chunkSize = chunkSize
        loader.scanner = scanner
        let result = try? loader.load(
            source: .memory(bytes), displayPath: "fuzz", relativePath: "fuzz", id: "fuzz", format: format)
        return (result, log.sorted.map(\.description))
    }

    static func run(_ bytes: [UInt8], format: Submission.Format) -> Int {
        let (whole, wholeLog) = load(bytes, format: format)
        if format == .csv {
            // Parts at arbitrary offsets (inside quoted fields too), each read a few bytes at a time.
            let parts = 2 + bytes.count % 5
            let (split, splitLog) = load(
                bytes, format: format, parts: parts, splitBytes: 1, chunkSize: 1 + bytes.count % 7)
            precondition(wholeLog == splitLog, "parts report differently from one pass")
            precondition(whole?.submission == split?.submission, "parts read another submission")
            precondition(whole?.cells == split?.cells, "parts sum differently")
            // Framed by CSVReader throughout: the same, whatever the scanner leaves to it.
            let (framed, framedLog) = load(bytes, format: format, scanner: false)
            precondition(wholeLog == framedLog, "CSVReader framing reports differently from the scanner")
            precondition(whole?.submission == framed?.submission, "CSVReader framing reads another submission")
            precondition(whole?.cells == framed?.cells, "CSVReader framing sums differently")
        }
        return wholeLog.count + (whole?.cells.count ?? 0)
    }

    /// Every field of `bytes` (split at commas and line ends) read by `QuickValue` and, where it
    /// accepts it, by `DecimalParser` as `FieldReader` does: the two must agree.
    static func checkQuickValues(_ bytes: [UInt8]) {
        // Whole lines too, so that thousands separators reach the readers.
        checkQuickValues(bytes, splitAt: [0x0A, 0x0D])
        checkQuickValues(bytes, splitAt: [0x2C, 0x0A, 0x0D])
    }

    static func checkQuickValues(_ bytes: [UInt8], splitAt separators: Set<UInt8>) {
        var start = 0
        for end in 0...bytes.count where end == bytes.count || separators.contains(bytes[end]) {
            var (s, e) = (start, end)
            QuickValue.trim(bytes, &s, &e)
            let slice = bytes[s..<e]
            for money in [false, true] {
                if let quick = QuickValue.hundredths(bytes, s, e, money: money) {
                    guard case .success(let value) = DecimalParser.parse(slice, scale: 2, allowCurrency: money) else {
                        preconditionFailure("QuickValue reads a number FieldReader refuses")
                    }
                    precondition(value == quick, "QuickValue reads another number than FieldReader")
                }
            }
            if let quick = QuickValue.digits(bytes, s, e) {
                guard case .success(let value) = DecimalParser.parse(slice, scale: 0, allowCurrency: false) else {
                    preconditionFailure("QuickValue reads digits FieldReader refuses")
                }
                precondition(value == quick, "QuickValue reads other digits than FieldReader")
            }
            start = end + 1
        }
    }
}

extension IngestFuzzing {
    /// Reads `sheet` as the one sheet of a workbook whose other parts are well-formed (written to
    /// `path`), as an activity submission: the sheet reader, cell decoding and the accumulator.
    public static func activitySheet(_ sheet: [UInt8], path: String) -> Int {
        guard (try? XLSXFuzzBook.write(sheet: sheet, to: path)) != nil else { return 0 }
        let log = DiagnosticLog(maxErrors: 1_000)
        let loader = ActivityLoader(
            log: log, commissioners: [ShortCode("00A")!, ShortCode("00B")!], knownProviders: [ShortCode("RXX")!])
        _ = try? loader.load(
            source: .file(path), displayPath: "fuzz.xlsx", relativePath: "activity/fuzz.xlsx", id: "fuzz",
            format: .xlsx)
        return log.diagnostics.count
    }
}
