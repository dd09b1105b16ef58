import BoardPackCore
import Foundation

/// Reads one contract-monitoring submission (CSV or XML) into sums by `ActivityKey`, with the
/// facts of the submission. Every file takes the same path whatever it holds: quoting, CRLF, a
/// byte order mark, local codes, unlisted providers, value forms and column order change which
/// bytes are read, never which code reads them (`ActivityAccumulator`). A large CSV file is read in
/// parts on several threads, and its parts' sums, facts and diagnostics are merged into exactly
/// what one pass gives.
struct ActivityLoader {
    let log: DiagnosticLog
    let commissioners: Set<ShortCode>
    let knownProviders: Set<ShortCode>
    var adjustmentPODs = ActivityRules.defaultAdjustmentPODs
    /// This file's local column names (folded) to columns, from `boardpack.toml`.
    var mapping: ColumnMapping = [:]
    /// Threads a large CSV file may be read on.
    var parts = Parallel.processorCount
    /// CSV files with more than this many bytes after the header are read in parts.
    var splitBytes = 32 << 20
    /// How much of a file one read takes.
    var chunkSize = 1 << 20
    /// False frames every CSV record with `CSVReader`, as for a file that is not well-formed from
    /// its first record (tests and fuzzing check that both framings read the same).
    var scanner = true

    init(log: DiagnosticLog, commissioners: Set<ShortCode>, knownProviders: Set<ShortCode>) {
        self.log = log
        self.commissioners = commissioners
        self.knownProviders = knownProviders
    }

    struct Result {
        var submission: Submission
        /// One per contract cell, in key order.
        var cells: [ActivityCell]
    }

    private var rules: ActivityRules {
        ActivityRules(commissioners: commissioners, knownProviders: knownProviders, adjustmentPODs: adjustmentPODs)
    }

    func load(
        source: ByteSource, displayPath: String, relativePath: String, id: String, format: Submission.Format
    ) throws -> Result {
        let errorsBefore = log.errorCount
        let out: ActivityReadOutput
        switch format {
        case .csv:
            out = try readCSV(source, displayPath: displayPath)
        case .xml:
            var accumulator = ActivityAccumulator(rules: rules, displayPath: displayPath, log: log)
            let reader = XMLRecordReader(
                source: source, displayPath: displayPath, namespace: XMLNamespaces.contractMonitoring,
                root: "ContractMonitoringSubmission",
                kinds: [.init(element: "Line", schema: Schemas.activity, mapping: mapping)],
                log: log)
            try reader.forEachRecord { _, row in accumulator.record(row.bytes, row.spans, line: row.line) }
            out = accumulator.output()
        case .xlsx:
            // The workbook's first visible sheet; its cells are located as `book.xlsx[Sheet]!F12`.
            guard case .file(let path) = source,
                let workbook = XLSXWorkbook.open(path: path, displayPath: displayPath, log: log),
                let sheet = workbook.sheet(named: nil)
            else {
                out = ActivityReadOutput()
                break
            }
            let reader = XLSXSheetReader(workbook: workbook, sheet: sheet)
            // The rows are summed on another thread while the sheet is parsed here.
            let summer = ActivitySummer(rules: rules, displayPath: reader.displayPath, maxErrors: log.maxErrors)
            let width = Schemas.activity.columns.count
            var batch = ActivityRowBatch(width: width)
            var thrown: Error?
            do {
                _ = try XLSXTable.read(reader, schema: Schemas.activity, mapping: mapping) { row in
                    batch.append(row.bytes, row.spans, line: row.line)
                    if batch.isFull {
                        summer.give(batch)
                        batch = ActivityRowBatch(width: width)
                    }
                }
            } catch {
                thrown = error
            }
            if batch.count > 0 { summer.give(batch) }
            let summed = summer.finish()
            log.absorb(summed.log)
            if let thrown { throw thrown }
            out = summed.output
        }
        if out.overflowed {
            log.error(
                "value.too-large", SourceLocation(file: displayPath),
                "a contract cell's sums go past what BoardPack can hold (about £92 million million)",
                hint: "check the money and activity columns for values in the wrong unit")
        }
        for (form, seen) in out.forms.sorted(by: { $0.value.firstLine < $1.value.firstLine }) {
            log.warning(
                "value.form", SourceLocation(file: displayPath, line: seen.firstLine),
                "\(seen.rows) row\(seen.rows == 1 ? "" : "s") \(seen.rows == 1 ? "gives" : "give") \(form); read as documented",
                hint: "nothing to do (docs/inputs.md lists the forms read); this is reported once per file")
        }
        // An empty submission is worth a warning only when nothing else went wrong with the file.
        if out.rows == 0 && log.errorCount == errorsBefore {
            log.warning(
                "file.empty-submission", SourceLocation(file: displayPath), "the submission holds no rows",
                hint: "remove the file or check the export")
        }
        var submission = Submission(
            id: id, path: relativePath, format: format, created: out.created,
            latestPeriod: out.latest.map { FinancialMonth(ordinal: $0) }, providers: out.providers.sorted(),
            rowsRead: out.rows)
        submission.latestPeriodLocation = out.latestLocation
        return Result(submission: submission, cells: out.cells)
    }

    // MARK: CSV, in parts

    /// One part of a file, read.
    private struct Part {
        var start: Int
        var output: ActivityReadOutput
        var log: DiagnosticLog
        /// Where the record after the part's last starts.
        var next: Int
        var lines: Int
    }

    private func readCSV(_ source: ByteSource, displayPath: String) throws -> ActivityReadOutput {
        // The header first: every part needs its columns.
        let header = try CSVReader(source: source, displayPath: displayPath, log: log, chunkSize: chunkSize)
        var found: CSVTable.Binding?
        try header.readRecords(while: { record in
            found = CSVTable.Binding(
                header: record, schema: Schemas.activity, mapping: mapping, displayPath: displayPath, log: log)
            return false
        })
        guard let binding = found else {
            if !header.failed { CSVTable.reportEmpty(Schemas.activity, displayPath: displayPath, log: log) }
            return ActivityReadOutput()
        }
        guard binding.usable else { return ActivityReadOutput() }
        let bodyStart = header.nextOffset
        let size: Int
        switch source {
        case .file(let path): size = FileReader.size(path) ?? 0
        case .memory(let bytes): size = bytes.count
        }
        // Part boundaries just after a line end. A line end inside a quoted field makes a wrong
        // boundary; the part before then ends past it, and the part after is read again from where
        // it really starts (below).
        var bounds = [bodyStart]
        if parts > 1, size - bodyStart > splitBytes {
            for k in 1..<parts {
                let nominal = max(bodyStart + (size - bodyStart) * k / parts, bounds.last!)
                guard let lineEnd = try Self.lineEnd(in: source, from: nominal, limit: size) else { break }
                if lineEnd < size, lineEnd > bounds.last! { bounds.append(lineEnd) }
            }
        }
        bounds.append(size)
        let count = bounds.count - 1
        let read = IndexedResults<Swift.Result<Part, Error>>(count: count)
        Parallel.forEach(count, threads: min(count, parts)) { k in
            read.set(
                k,
                Swift.Result {
                    try readPart(source, displayPath: displayPath, binding, from: bounds[k], to: bounds[k + 1])
                })
        }
        var merged = ActivityReadOutput()
        var lineOffset = header.linesRead
        var expected = bodyStart
        var reported = Set<String>()
        for k in 0..<count {
            var part = try read.all[k].get()
            if part.start != expected {
                part = try readPart(source, displayPath: displayPath, binding, from: expected, to: bounds[k + 1])
            }
            replay(part.log, lineOffset: lineOffset, reported: &reported)
            merged.append(part.output, lineOffset: lineOffset)
            lineOffset += part.lines
            expected = part.next
        }
        return merged
    }

    /// Reads the records that start in `start..<end`, framed by `ActivityCSVScanner` straight
    /// from the read buffer; from a record that is not well-formed on, by `CSVReader`.
    private func readPart(
        _ source: ByteSource, displayPath: String, _ header: CSVTable.Binding, from start: Int, to end: Int
    ) throws -> Part {
        let partLog = DiagnosticLog(maxErrors: log.maxErrors)
        var accumulator = ActivityAccumulator(rules: rules, displayPath: displayPath, log: partLog)
        var framer = ActivityCSVScanner(columns: header.fieldOfColumn, fieldCount: header.fieldCount)
        let stream = try ByteStream(source, displayPath: displayPath)
        // One buffer, refilled in place: the bytes of a record cut by a read move to its front.
        var buffer = [UInt8](repeating: 0, count: max(1, min(chunkSize, max(0, stream.size - start) + 1)))
        var bufferOffset = start  // the source offset of buffer[0]
        var filled = 0
        var atEOF = false
        var position = 0
        var lines = 0
        while scanner {
            if bufferOffset + position >= end || (atEOF && position >= filled) { break }
            let step: ActivityCSVScanner.Step =
                position < filled || atEOF
                ? framer.frame(buffer, from: position, end: filled, atEOF: atEOF) : .incomplete
            switch step {
            case .record(let next, let count, let blank):
                if !blank { accumulator.record(buffer, framer.fields(line: lines + 1), line: lines + 1) }
                lines += count
                position = next
                continue
            case .incomplete:
                if atEOF { break }
                // Move the unread bytes to the front, and read more (doubling the buffer for a
                // record longer than it, up to the limit).
                let pending = filled - position
                if pending > CSVLimits.maxRecordBytes { break }  // CSVReader reports it
                if position > 0 {
                    for k in 0..<pending { buffer[k] = buffer[position + k] }
                    bufferOffset += position
                    filled = pending
                    position = 0
                }
                if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
                let count = try stream.read(
                    into: &buffer, at: filled, count: buffer.count - filled, offset: bufferOffset + filled)
                filled += count
                atEOF = count == 0
                continue
            case .malformed:
                break
            }
            break
        }
        var next = bufferOffset + position
        if next < end && !(atEOF && position >= filled) {
            // A record that is not well-formed: CSVReader reads from it to the part's end, and
            // reports what is wrong.
            let reader = try CSVReader(
                source: source, displayPath: displayPath, log: partLog, chunkSize: chunkSize, range: next..<end,
                firstLine: lines + 1)
            let binding = header.logging(to: partLog)
            let columns = binding.fieldOfColumn
            try reader.forEachRecord { record in
                guard binding.check(record) else { return }
                accumulator.record(record.bytes, record.fields, columns: columns, line: record.line)
            }
            next = reader.nextOffset
            lines += reader.linesRead
        }
        return Part(start: start, output: accumulator.output(), log: partLog, next: next, lines: lines)
    }

    /// Diagnostics that a file gives once, whatever number of rows hold the problem, by code.
    private static let oncePerFile: Set<String> = [
        "ref.commissioner", "ref.provider", "ref.provider-site", "code.unknown-pod", "code.unknown-tfc",
        "file.too-many-codes",
    ]

    /// Takes in a part's diagnostics, its lines numbered from the file's start, and what the file
    /// gives once only if an earlier part has not given it.
    private func replay(_ partLog: DiagnosticLog, lineOffset: Int, reported: inout Set<String>) {
        log.absorb(partLog) { diagnostic in
            var shifted = diagnostic
            if shifted.location.line > 0 { shifted.location.line += lineOffset }
            guard Self.oncePerFile.contains(diagnostic.code) else { return (shifted, false) }
            let key = diagnostic.code + " " + (diagnostic.field ?? "") + " " + (diagnostic.value ?? "")
            if reported.insert(key).inserted { return (shifted, false) }
            // Given by an earlier part: an error still counts (the run fails), a warning goes.
            return diagnostic.severity == .error ? (shifted, true) : nil
        }
    }

    /// Reads a file or bytes in memory at any offset.
    private struct ByteStream {
        let file: FileReader?
        let memory: [UInt8]
        let size: Int
        let displayPath: String

        init(_ source: ByteSource, displayPath: String) throws {
            self.displayPath = displayPath
            switch source {
            case .file(let path):
                file = try FileReader.input(path, displayPath: displayPath)
                memory = []
                size = FileReader.size(path) ?? 0
            case .memory(let bytes):
                file = nil
                memory = bytes
                size = bytes.count
            }
        }

        func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws -> Int {
            if let file {
                do {
                    return try file.read(into: &buffer, at: index, count: count, offset: offset)
                } catch {
                    throw InputError.readFailed(displayPath, String(describing: error))
                }
            }
            let n = max(0, min(count, memory.count - offset))
            for k in 0..<n { buffer[index + k] = memory[offset + k] }
            return n
        }
    }

    /// The offset just after the first line end at or after `offset`, or nil when none is found
    /// within the longest record allowed.
    private static func lineEnd(in source: ByteSource, from offset: Int, limit: Int) throws -> Int? {
        let window = min(CSVLimits.maxRecordBytes + 1, limit - offset)
        guard window > 0 else { return nil }
        var bytes: [UInt8]
        switch source {
        case .memory(let all): bytes = Array(all[offset..<offset + window])
        case .file(let path):
            bytes = [UInt8](repeating: 0, count: window)
            let count = try FileReader(path: path).read(into: &bytes, at: 0, count: window, offset: offset)
            bytes.removeSubrange(count...)
        }
        return bytes.firstIndex(of: UInt8(ascii: "\n")).map { offset + $0 + 1 }
    }
}
