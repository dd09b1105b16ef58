import BoardPackCore
import Foundation

/// SHA-256 of the input files for the manifest, worked out on a thread of its own from the start
/// of a build, so that hashing fills the moments the build's other work leaves a core idle (the
/// serial steps between stages, waiting for the disk) instead of adding a stage of its own.
/// A file's digest is of its bytes when hashed; the manifest hashes any file not covered here.
final class InputDigests: @unchecked Sendable {
    private let condition = NSCondition()
    private var digests: [String: String] = [:]
    private var finished = false
    private var cancelled = false

    /// Starts hashing the files a build may read under `folder`: its top-level CSV and XML files and
    /// those in `activity/`, in name order.
    init(folder: String) {
        let fm = FileManager.default
        var paths: [String] = []
        func add(_ relative: String) {
            let names = (try? fm.contentsOfDirectory(atPath: relative.isEmpty ? folder : folder + "/" + relative)) ?? []
            for name in names.sorted() where name.hasSuffix(".csv") || name.hasSuffix(".xml") {
                paths.append(relative.isEmpty ? name : relative + "/" + name)
            }
        }
        add("")
        add("activity")
        let files = paths
        let thread = Thread { [self] in
            for path in files {
                if condition.withLock({ cancelled }) { break }
                guard let digest = try? SHA256.hex(file: folder + "/" + path) else { continue }
                condition.withLock { digests[path] = digest }
            }
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
        thread.start()
    }

    /// The digests by path relative to the folder, once every file is hashed.
    func all() -> [String: String] {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return digests
    }

    /// Stops after the file being hashed (the build ended without a manifest).
    func cancel() { condition.withLock { cancelled = true } }
}
