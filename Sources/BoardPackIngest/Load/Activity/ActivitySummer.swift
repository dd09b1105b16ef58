import BoardPackCore
import Foundation

/// Sums a submission's rows on a thread of its own while the caller reads them (a workbook sheet,
/// whose XML parse is the slower half): rows cross in batches of `ActivityRowBatch.capacity`
/// through a `Handoff`, and at most `ActivitySummer.depth` batches wait. The sums and their
/// diagnostics (in a log of their own, taken into the file's log by the caller) are what
/// `ActivityAccumulator` gives on one thread: it sees the same rows in the same order.
struct ActivitySummer {
    /// The batches that may wait to be summed.
    static let depth = 4

    struct Summed: Sendable {
        var output: ActivityReadOutput
        var log: DiagnosticLog
    }

    private let batches = Handoff<ActivityRowBatch>(depth: ActivitySummer.depth)
    private let result = Handoff<Summed>(depth: 1)

    init(rules: ActivityRules, displayPath: String, maxErrors: Int) {
        let batches = self.batches
        let result = self.result
        let thread = Thread {
            let log = DiagnosticLog(maxErrors: maxErrors)
            var accumulator = ActivityAccumulator(rules: rules, displayPath: displayPath, log: log)
            while let batch = batches.take() {
                for k in 0..<batch.count {
                    accumulator.record(
                        batch.bytes,
                        BatchFields(all: batch.spans, base: k * batch.width, width: batch.width, line: batch.lines[k]),
                        line: batch.lines[k])
                }
            }
            result.give(Summed(output: accumulator.output(), log: log))
            result.close()
        }
        thread.name = "boardpack-sum"
        thread.start()
    }

    /// Hands a full batch over (waiting while `depth` wait).
    func give(_ batch: ActivityRowBatch) { batches.give(batch) }

    /// No more rows: waits for the sums.
    func finish() -> Summed {
        batches.close()
        // The thread always gives its result once its hand-off is closed.
        return result.take()!
    }
}

/// Rows of one submission as one buffer: row `k`'s schema columns are
/// `spans[k * width ..< (k + 1) * width]`, its line `lines[k]`.
struct ActivityRowBatch: Sendable {
    /// Rows per batch.
    static let capacity = 1024
    let width: Int
    private(set) var bytes: [UInt8] = []
    private(set) var spans: [FieldSpan] = []
    private(set) var lines: [Int] = []

    init(width: Int) {
        self.width = width
        spans.reserveCapacity(width * Self.capacity)
        lines.reserveCapacity(Self.capacity)
    }

    var count: Int { lines.count }
    var isFull: Bool { count >= Self.capacity }

    /// Adds a row: its bytes, and its columns' spans over them.
    mutating func append(_ rowBytes: [UInt8], _ rowSpans: [FieldSpan], line: Int) {
        precondition(rowSpans.count == width)
        let offset = bytes.count
        bytes.append(contentsOf: rowBytes)
        for var span in rowSpans {
            if span.isPresent {
                span.start += offset
                span.end += offset
            }
            spans.append(span)
        }
        lines.append(line)
    }
}

/// A batched row's columns: spans by schema column, from `base` in the batch's spans.
struct BatchFields: RecordFields {
    let all: [FieldSpan]
    let base: Int
    let width: Int
    let line: Int

    @inline(__always)
    func plainRange(_ column: Int) -> (Int, Int)? {
        let span = all[base + column]
        guard span.isPresent, !span.hasEscapedQuote else { return nil }
        return (span.start, span.end)
    }

    func has(_ column: Int) -> Bool { all[base + column].isPresent }

    func position(_ column: Int) -> (Int, Int) {
        let span = all[base + column]
        return span.isPresent ? (span.line, span.column) : (line, 0)
    }

    var spans: [FieldSpan] { Array(all[base..<(base + width)]) }
}
