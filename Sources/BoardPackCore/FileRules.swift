import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The rules for a file BoardPack reads from a folder (inputs, templates, configuration): it must
/// be a regular file inside that folder. A symbolic link is followed only when its target stays
/// inside the folder; a folder, FIFO, device or socket is refused before anything reads from it.
public enum FileRules {
    public enum Problem: Error, Equatable, Sendable {
        case missing
        case notRegular(FileStatus.Kind)
        /// A symbolic link whose target is outside the folder (the target is never read or named).
        case linkLeavesFolder
        case brokenLink

        /// What is wrong, for a diagnostic that names the file.
        public var message: String {
            switch self {
            case .missing: "is missing"
            case .notRegular(let kind): "is a \(kind.rawValue), not a regular file; BoardPack reads regular files only"
            case .linkLeavesFolder: "is a symbolic link to a file outside its folder; it is not followed"
            case .brokenLink: "is a symbolic link to nothing"
            }
        }

        public var code: String {
            switch self {
            case .missing: "file.missing"
            case .notRegular: "file.not-regular"
            case .linkLeavesFolder: "file.link-outside"
            case .brokenLink: "file.broken-link"
            }
        }
    }

    /// Why a small text file (a template, the configuration) could not be read.
    public enum TextProblem: Error, Equatable, Sendable {
        case rule(Problem)
        case tooLarge(limit: Int)
        case notUTF8
        case unreadable

        public var message: String {
            switch self {
            case .rule(let problem): problem.message
            case .tooLarge(let limit): "is larger than \(limit) bytes, the limit"
            case .notUTF8: "is not UTF-8"
            case .unreadable: "cannot be read"
            }
        }
    }

    /// The whole of a UTF-8 text file that obeys the rules for `folder`, of at most `limit` bytes.
    public static func readText(_ path: String, within folder: String, limit: Int) throws(TextProblem) -> String {
        if let problem = check(path, within: folder) { throw .rule(problem) }
        let read: [UInt8]?
        do {
            read = try FileReader(path: path).readAll(limit: limit)
        } catch {
            throw .unreadable
        }
        guard let bytes = read else { throw .tooLarge(limit: limit) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    /// The canonical absolute path of an existing `path` (symbolic links resolved), or nil.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path.isEmpty ? "." : path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// nil when `path` may be read as a file of `folder`.
    public static func check(_ path: String, within folder: String) -> Problem? {
        let own = FileStatus.of(path, followLinks: false)
        switch own.kind {
        case .missing: return .missing
        case .regular: return nil
        case .symbolicLink:
            guard let target = realPath(path) else { return .brokenLink }
            guard let root = realPath(folder), isInside(target, root) else { return .linkLeavesFolder }
            let kind = FileStatus.of(target).kind
            return kind == .regular ? nil : .notRegular(kind)
        default: return .notRegular(own.kind)
        }
    }

    /// True when the absolute path `path` is `folder` or lies below it (both canonical).
    public static func isInside(_ path: String, _ folder: String, orEqual: Bool = false) -> Bool {
        if path == folder { return orEqual }
        return path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    /// Names of hidden files and of the lock and backup files editors leave beside a file they
    /// have open (`.~lock.X.csv#`, `~$X.xlsx`, `X.csv~`, macOS `._X.csv`): never inputs.
    public static func isHiddenOrEditorFile(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("~$") || name.hasSuffix("~") || name.hasSuffix("#")
    }
}
