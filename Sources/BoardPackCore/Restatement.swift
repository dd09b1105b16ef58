import Foundation

/// One contract cell of a submission: the sums of its rows with the same key.
public struct ActivityCell: Sendable {
    public var key: ActivityKey
    public var sums: ActivitySums

    public init(key: ActivityKey, sums: ActivitySums) {
        self.key = key
        self.sums = sums
    }
}

/// The latest-submission rule for cumulative year-to-date restatements.
///
/// Every provider file restates the year to date, so adding files together
/// double counts. For each (provider, commissioner, financial year, month)
/// only the rows of the latest submission (`Submission.isSuperseded`) count.
public enum Restatement {
    /// - Parameters:
    ///   - submissions: the submissions, in any order; their `rowsSuperseded` is filled in.
    ///   - aggregates: for each submission (same index), its rows summed by key.
    /// - Returns: the surviving lines, sorted by key.
    public static func resolve(
        submissions: inout [Submission], aggregates: [[ActivityKey: ActivitySums]]
    ) -> [ActivityLine] {
        precondition(submissions.count == aggregates.count)
        let store = RestatementStore()
        for (index, aggregate) in aggregates.enumerated() {
            store.add(
                index: index, submission: submissions[index],
                cells: aggregate.map { ActivityCell(key: $0.key, sums: $0.value) })
        }
        return store.finish(submissions: &submissions)
    }
}

/// Applies the latest-submission rule as submissions arrive, in any order and from any thread,
/// keeping only the cells of the submission that currently wins each (provider, commissioner,
/// month). So memory holds the surviving data (and the files being read), never every
/// submission's rows. The result does not depend on the order of arrival: the winner of each unit
/// is the latest under a total order, and every losing cell is counted as superseded exactly once.
public final class RestatementStore: @unchecked Sendable {
    private struct Unit {
        var submission: Int
        /// Sorted by point of delivery, then treatment function.
        var cells: [ActivityCell]
        var rows: Int
    }

    private let lock = NSLock()
    private var units: [RestatementKey: Unit] = [:]
    private var submissions: [Int: Submission] = [:]
    private var superseded: [Int: Int] = [:]

    public init() {}

    /// Adds the cells of the submission at `index` (its position in the final submission list);
    /// `sorted`: the cells are already in key order.
    public func add(index: Int, submission: Submission, cells: [ActivityCell], sorted isSorted: Bool = false) {
        // Group by unit outside the lock: sorted by (commissioner, provider, month, POD, TFC), each
        // unit's cells are one run, already in the order of the final lines.
        let sorted = isSorted ? cells : cells.sorted { $0.key < $1.key }
        var runs: [(RestatementKey, Range<Int>, Int)] = []
        var start = 0
        while start < sorted.count {
            let unit = sorted[start].key.restatementKey
            var end = start + 1
            var rows = sorted[start].sums.rows
            while end < sorted.count, sorted[end].key.restatementKey == unit {
                rows += sorted[end].sums.rows
                end += 1
            }
            runs.append((unit, start..<end, rows))
            start = end
        }
        lock.withLock {
            submissions[index] = submission
            for (unit, range, rows) in runs {
                if let current = units[unit] {
                    if Submission.isSuperseded(submissions[current.submission]!, by: submission) {
                        superseded[current.submission, default: 0] += current.rows
                        units[unit] = Unit(submission: index, cells: Array(sorted[range]), rows: rows)
                    } else {
                        superseded[index, default: 0] += rows
                    }
                } else {
                    units[unit] = Unit(submission: index, cells: Array(sorted[range]), rows: rows)
                }
            }
        }
    }

    /// The surviving lines, sorted by key; fills in each submission's `rowsSuperseded`.
    public func finish(submissions list: inout [Submission]) -> [ActivityLine] {
        lock.withLock {
            for index in list.indices { list[index].rowsSuperseded = superseded[index] ?? 0 }
            let order = units.keys.sorted { a, b in
                (a.commissioner, a.provider, a.periodOrdinal) < (b.commissioner, b.provider, b.periodOrdinal)
            }
            var lines: [ActivityLine] = []
            lines.reserveCapacity(units.values.reduce(0) { $0 + $1.cells.count })
            for unit in order {
                let entry = units[unit]!
                for cell in entry.cells {
                    lines.append(ActivityLine(key: cell.key, sums: cell.sums, submission: entry.submission))
                }
            }
            units = [:]
            return lines
        }
    }
}
