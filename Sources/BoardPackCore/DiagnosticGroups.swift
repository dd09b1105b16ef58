/// Warnings as an analyst reads them: every repeat of one problem (the same code, field and value,
/// such as one local TFC code in 220 files, or one provider missing from organisations.csv) is one
/// group, shown once at its first location with how many files and rows carry it; and no code
/// shows more than `perCode` groups (a header of 100,000 unknown columns is 20 lines and a note).
/// The console, the JSON diagnostics and each pack's appendix all show this form; every single
/// location stays in the output folder's `diagnostics.csv`.
public struct DiagnosticGroup: Sendable, Equatable {
    /// The occurrence at the earliest location.
    public let first: Diagnostic
    /// How many times the problem was reported.
    public internal(set) var count: Int
    /// The files it was reported in, in first-seen order (sorted input: file order).
    public internal(set) var files: [String]

    /// The first occurrence's line, with where else it is seen.
    public var description: String {
        first.description + repeats
    }

    /// `; seen in 220 files (3,400 times), first here`, or "" for a single occurrence.
    public var repeats: String {
        guard count > 1 else { return "" }
        if files.count == 1 { return "; seen \(count) times in this file, first here" }
        if count == files.count { return "; seen in \(files.count) files, first here" }
        return "; seen \(count) times in \(files.count) files, first here"
    }
}

public enum DiagnosticGroups {
    /// The most groups of one code listed; the rest are counted in a note.
    public static let perCode = 20

    /// The groups of `diagnostics` (in the log's sorted order), in the order of their first
    /// occurrence. Errors are never merged: each stays a group of its own.
    public static func group(_ diagnostics: [Diagnostic]) -> [DiagnosticGroup] {
        struct Key: Hashable {
            let code: String
            let field: String?
            let value: String?
            let message: String
        }
        var groups: [DiagnosticGroup] = []
        var index: [Key: Int] = [:]
        var lastFile: [Int: String] = [:]
        for diagnostic in diagnostics {
            if diagnostic.severity == .error {
                groups.append(DiagnosticGroup(first: diagnostic, count: 1, files: [diagnostic.location.file]))
                continue
            }
            let key = Key(
                code: diagnostic.code, field: diagnostic.field, value: diagnostic.value, message: diagnostic.message)
            if let i = index[key] {
                groups[i].count += 1
                // Sorted input: a file's occurrences are together, so the last file tells a new one.
                if lastFile[i] != diagnostic.location.file {
                    groups[i].files.append(diagnostic.location.file)
                    lastFile[i] = diagnostic.location.file
                }
            } else {
                index[key] = groups.count
                lastFile[groups.count] = diagnostic.location.file
                groups.append(DiagnosticGroup(first: diagnostic, count: 1, files: [diagnostic.location.file]))
            }
        }
        return groups
    }

    /// What is listed of `groups`, and one note per code whose groups were not all listed.
    public struct Listing: Sendable {
        public var shown: [DiagnosticGroup]
        /// `[code.unknown-tfc] 38 more warnings of this kind (other values), in 120 files, are not listed`.
        public var notes: [String]
        /// Groups not listed, in all.
        public var hidden: Int
    }

    /// At most `perCode` warning groups of each code (errors are all listed), in the given order.
    public static func listing(_ groups: [DiagnosticGroup], perCode: Int = perCode, where more: String)
        -> Listing
    {
        var listed: [String: Int] = [:]
        var left: [String: (groups: Int, times: Int, files: Set<String>)] = [:]
        var order: [String] = []
        var shown: [DiagnosticGroup] = []
        for group in groups {
            let code = group.first.code
            if group.first.severity == .error || listed[code, default: 0] < perCode {
                listed[code, default: 0] += 1
                shown.append(group)
                continue
            }
            if left[code] == nil { order.append(code) }
            left[code, default: (0, 0, [])].groups += 1
            left[code]!.times += group.count
            left[code]!.files.formUnion(group.files)
        }
        let notes = order.map { code -> String in
            let l = left[code]!
            return "[\(code)] \(l.groups) more warning\(l.groups == 1 ? "" : "s") of this kind, for other values "
                + "(\(l.times) time\(l.times == 1 ? "" : "s") in \(l.files.count) file\(l.files.count == 1 ? "" : "s")), "
                + "not listed here; \(more)"
        }
        return Listing(shown: shown, notes: notes, hidden: left.values.reduce(0) { $0 + $1.groups })
    }
}
