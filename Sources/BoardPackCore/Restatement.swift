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
        var winner: [RestatementKey: Int] = [:]
        for (index, aggregate) in aggregates.enumerated() {
            for key in aggregate.keys {
                let unit = key.restatementKey
                if let current = winner[unit] {
                    if current != index, Submission.isSuperseded(submissions[current], by: submissions[index]) {
                        winner[unit] = index
                    }
                } else {
                    winner[unit] = index
                }
            }
        }
        var lines: [ActivityLine] = []
        for index in submissions.indices { submissions[index].rowsSuperseded = 0 }
        for (index, aggregate) in aggregates.enumerated() {
            for (key, sums) in aggregate {
                if winner[key.restatementKey] == index {
                    lines.append(ActivityLine(key: key, sums: sums, submission: index))
                } else {
                    submissions[index].rowsSuperseded += sums.rows
                }
            }
        }
        lines.sort { $0.key < $1.key }
        return lines
    }
}
