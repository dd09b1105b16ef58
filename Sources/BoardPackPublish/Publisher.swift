import BoardPackCore
import CPlatform
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public enum PublishError: Error, CustomStringConvertible, Sendable {
    case notADirectory(String)
    case failed(String, String)
    case busy(String, seconds: Int)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): exists and is not a folder"
        case .failed(let path, let why): "\(path): cannot publish: \(why)"
        case .busy(let path, let seconds):
            "\(path): another boardpack run is writing this output folder; waited \(seconds) s (raise --wait)"
        }
    }
}

/// Where a run stages and publishes one output folder `DIR`: the lock file
/// `.DIR.lock`, the staging folder `.DIR.staging-PID` and, briefly, the old
/// folder `.DIR.previous-PID`, all beside `DIR`.
struct PublishPaths {
    let destination: URL
    let parent: URL
    let base: String

    init(_ path: String) {
        destination = URL(fileURLWithPath: path.withoutTrailingSlashes).standardizedFileURL
        parent = destination.deletingLastPathComponent()
        base = destination.lastPathComponent
    }

    var lock: URL { parent.appendingPathComponent(".\(base).lock") }
    func staging(_ pid: Int32) -> URL { parent.appendingPathComponent(".\(base).staging-\(pid)") }
    func previous(_ pid: Int32) -> URL { parent.appendingPathComponent(".\(base).previous-\(pid)") }
    var leftoverPrefixes: [String] { [".\(base).staging-", ".\(base).previous-"] }
}

/// An exclusive lock on an output folder, held from the start of a run to the
/// end of its publish, so two runs never interleave. Released when freed.
public final class OutputLock: Sendable {
    private let fd: Int32

    /// Waits up to `wait` seconds for the lock.
    public init(destination: String, wait: Int) throws {
        let paths = PublishPaths(destination)
        do {
            try FileManager.default.createDirectory(at: paths.parent, withIntermediateDirectories: true)
        } catch {
            throw PublishError.failed(destination, String(describing: error))
        }
        let fd = open(paths.lock.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PublishError.failed(
                destination, "cannot open the lock file \(paths.lock.path): \(Publisher.errnoText(errno))")
        }
        let deadline = Date().addingTimeInterval(TimeInterval(wait))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                close(fd)
                throw PublishError.busy(destination, seconds: wait)
            }
            usleep(100_000)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Publishes a complete output folder or nothing.
///
/// Files are written to a staging folder beside the destination; only when
/// every file is written does the staging folder take the destination's
/// place, by an atomic exchange of the two (Linux `renameat2`), so a reader —
/// or a run killed at any moment — sees either the old complete folder or the
/// new one. Where the exchange is unsupported, two renames are used. The old
/// folder is then removed. Leftovers of killed runs are removed by the next
/// run (which holds the lock, so no other run can own them).
public enum Publisher {
    public struct File: Sendable {
        public let path: String
        /// The bytes, as rendered: written as they are, with no copy on the way.
        public let contents: [UInt8]
        public init(path: String, contents: String) {
            self.path = path
            self.contents = Array(contents.utf8)
        }
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.contents = bytes
        }
        public init(path: String, data: Data) {
            self.path = path
            self.contents = Array(data)
        }
    }

    private struct FillError: Error { let underlying: any Error }

    public static func write(_ files: [File], into folder: String) throws {
        let writer = FolderWriter(folder)
        // Independent files: write them on every core.
        let failures = IndexedResults<Error?>(count: files.count)
        Parallel.forEach(files.count) { i in
            do {
                try writer.write([files[i]])
                failures.set(i, nil)
            } catch {
                failures.set(i, error)
            }
        }
        if let error = failures.all.compactMap({ $0 }).first { throw error }
    }

    /// Writes files into a folder from any thread, making the subfolders they need. Written
    /// without a sync per file: `publishFolder` flushes the whole folder once before swapping it
    /// into place (one journal commit rather than one per file).
    public final class FolderWriter: @unchecked Sendable {
        public let folder: String
        private let lock = NSLock()
        private var made: Set<String> = []

        public init(_ folder: String) { self.folder = folder }

        /// Makes `path` and the folders between it and `folder`, one level at a time and never
        /// `folder` itself: when an interruption has removed the staging folder, a writer still at
        /// work fails here instead of making it again.
        private func makeBelowFolder(_ path: String) throws {
            guard path.hasPrefix(folder + "/") else { return }
            var current = folder
            for component in path.dropFirst(folder.count + 1).split(separator: "/") {
                current += "/" + component
                do {
                    try FileManager.default.createDirectory(atPath: current, withIntermediateDirectories: false)
                } catch {
                    var isFolder: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: current, isDirectory: &isFolder), isFolder.boolValue
                    else { throw PublishError.failed(current, "cannot make the folder (was the run interrupted?)") }
                }
            }
        }

        public func write(_ files: [File]) throws {
            for file in files {
                if Interruption.shared.isInterrupted { throw PublishError.failed(folder, "interrupted") }
                let target = folder + "/" + file.path
                let parent = (target as NSString).deletingLastPathComponent
                try lock.withLock {
                    if made.insert(parent).inserted { try makeBelowFolder(parent) }
                }
                let status = boardpack_write_file(target, file.contents, file.contents.count)
                if status != 0 { throw PublishError.failed(target, String(cString: strerror(status))) }
            }
        }
    }

    /// Removes staging and previous folders left by killed runs. Call with the lock held.
    public static func removeLeftovers(of destination: String) {
        let paths = PublishPaths(destination)
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: paths.parent.path) else { return }
        for name in names where paths.leftoverPrefixes.contains(where: { name.hasPrefix($0) }) {
            try? fm.removeItem(at: paths.parent.appendingPathComponent(name))
        }
    }

    /// Lets `fill` write a complete folder into a fresh staging folder, with the marker of `kind`
    /// that lets a later run recognise it (`OutputFolder`), then swaps it into place at
    /// `destination`, which `OutputFolder.resolve` has approved. The staging folder is given the
    /// access of the folder it replaces (mode, group, setgid bit) before anything is written in
    /// it, so the files and folders made inside take the same group as before.
    public static func publishFolder<T>(
        to destination: String, kind: OutputFolder.Kind, _ fill: (String) throws -> T
    ) throws -> T {
        let fm = FileManager.default
        let paths = PublishPaths(destination)
        let existing = FileStatus.of(paths.destination.path, followLinks: false)
        if existing.kind != .missing && existing.kind != .directory {
            throw PublishError.notADirectory(destination)
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = paths.staging(pid)
        let previous = paths.previous(pid)
        do {
            try fm.createDirectory(at: paths.parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            // Known to the interruption handler before it exists, so that a signal arriving as it
            // is made still removes it.
            Interruption.shared.removeOnInterrupt(staging.path)
            defer { Interruption.shared.removeOnInterrupt(nil) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            let result: T
            do {
                let access = existing.kind == .directory ? try FolderAccess(of: paths.destination.path) : nil
                try access?.apply(to: staging.path, writable: true)
                try FolderWriter(staging.path).write([File(path: kind.marker, contents: kind.markerText)])
                result = try fill(staging.path)
                try access?.apply(to: staging.path, writable: false)
                // Everything written reaches the disk before the folder is swapped in: after a power
                // cut the output is the old complete set or the new one.
                let flushed = boardpack_sync_filesystem(staging.path)
                if flushed != 0 {
                    throw PublishError.failed(destination, "cannot flush the new files to disk: \(errnoText(flushed))")
                }
            } catch {
                Interruption.shared.waitIfStopping()
                try? fm.removeItem(at: staging)
                throw FillError(underlying: error)
            }
            // The swap and the deletion of the old folder are one step that a signal cannot split:
            // a signal before it has already removed the staging folder (and this run only waits
            // for the exit); a signal during it is held until the old folder is gone.
            Interruption.shared.beginSwap()
            let old: URL?
            do {
                old = try swap(staging: staging, destination: paths.destination, previous: previous)
            } catch {
                Interruption.shared.swapFailed()
                try? fm.removeItem(at: staging)
                throw PublishError.failed(destination, "cannot move the new folder into place: \(describe(error))")
            }
            if let old { try? fm.removeItem(at: old) }
            Interruption.shared.finishPublishing()
            return result
        } catch let error as FillError {
            throw error.underlying
        } catch let error as PublishError {
            throw error
        } catch {
            Interruption.shared.waitIfStopping()
            try? fm.removeItem(at: staging)
            throw PublishError.failed(destination, describe(error))
        }
    }

    /// Puts `staging` at `destination`; returns where the old folder is now, if there was one.
    private static func swap(staging: URL, destination: URL, previous: URL) throws -> URL? {
        let fm = FileManager.default
        guard FileStatus.of(destination.path, followLinks: false).kind != .missing else {
            try fm.moveItem(at: staging, to: destination)
            return nil
        }
        // After the exchange `staging` holds the old folder.
        if boardpack_exchange_paths(staging.path, destination.path) == 0 { return staging }
        try fm.moveItem(at: destination, to: previous)
        do {
            try fm.moveItem(at: staging, to: destination)
        } catch {
            try? fm.moveItem(at: previous, to: destination)
            throw error
        }
        return previous
    }

    /// One line for an I/O error: the system's reason where there is one, never an error dump.
    public static func describe(_ error: any Error) -> String {
        if let publish = error as? PublishError { return publish.description }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return errnoText(Int32(underlying.code))
        }
        if ns.domain == NSPOSIXErrorDomain { return errnoText(Int32(ns.code)) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file of that name exists"
        case .fileWriteVolumeReadOnly: return "the filesystem is read-only"
        default: break
        }
        let text = ns.localizedDescription
        return text.contains("\n") ? String(text.prefix { $0 != "\n" }) : text
    }

    public static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }
}

/// The access of an output folder: its permission bits (setgid included), and its group.
struct FolderAccess {
    let mode: mode_t
    let group: gid_t
    let path: String

    init(of path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw PublishError.failed(path, "cannot read the folder's access: \(Publisher.errnoText(errno))")
        }
        mode = info.st_mode & 0o7777
        group = info.st_gid
        self.path = path
    }

    /// Gives `target` this group and mode; `writable` keeps the owner's rwx while files are still
    /// being written. A group that cannot be kept (the user is not a member of it) is an error:
    /// the readers who relied on it would lose the packs.
    func apply(to target: String, writable: Bool) throws {
        var own = stat()
        if stat(target, &own) == 0, own.st_gid != group, chown(target, uid_t.max, group) != 0 {
            throw PublishError.failed(
                path,
                "cannot give the new folder this folder's group (gid \(group)): \(Publisher.errnoText(errno)); "
                    + "run as a member of that group, or change the folder's group")
        }
        guard chmod(target, writable ? mode | 0o700 : mode) == 0 else {
            throw PublishError.failed(
                path, "cannot give the new folder this folder's mode: \(Publisher.errnoText(errno))")
        }
    }
}
