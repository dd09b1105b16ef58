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
        guard fd >= 0 else { throw PublishError.failed(destination, "cannot open \(paths.lock.path)") }
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
    /// `destination`, which `OutputFolder.resolve` has approved.
    public static func publishFolder<T>(
        to destination: String, kind: OutputFolder.Kind, _ fill: (String) throws -> T
    ) throws -> T {
        let fm = FileManager.default
        let paths = PublishPaths(destination)
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: paths.destination.path, isDirectory: &isDirectory), !isDirectory.boolValue {
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
                try FolderWriter(staging.path).write([File(path: kind.marker, contents: kind.markerText)])
                result = try fill(staging.path)
            } catch {
                try? fm.removeItem(at: staging)
                throw FillError(underlying: error)
            }
            // Everything written reaches the disk before the folder is swapped in: after a power cut
            // the output is the old complete set or the new one.
            _ = boardpack_sync_filesystem(staging.path)
            // The swap alone is held back from signals; once it is done the run has published, and
            // the old folder (where the swap left it) is deleted after.
            let old: URL? = try Interruption.shared.withoutInterruption {
                func swap() throws -> URL? {
                    guard fm.fileExists(atPath: paths.destination.path) else {
                        try fm.moveItem(at: staging, to: paths.destination)
                        return nil
                    }
                    // After the exchange `staging` holds the old folder.
                    if boardpack_exchange_paths(staging.path, paths.destination.path) == 0 { return staging }
                    try fm.moveItem(at: paths.destination, to: previous)
                    do {
                        try fm.moveItem(at: staging, to: paths.destination)
                    } catch {
                        try? fm.moveItem(at: previous, to: paths.destination)
                        throw error
                    }
                    return previous
                }
                let old = try swap()
                Interruption.shared.published(leftover: old?.path)
                return old
            }
            if let old { try? fm.removeItem(at: old) }
            Interruption.shared.removeOnInterrupt(nil)
            return result
        } catch let error as FillError {
            throw error.underlying
        } catch {
            try? fm.removeItem(at: staging)
            throw PublishError.failed(destination, String(describing: error))
        }
    }
}
