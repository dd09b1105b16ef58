import BoardPackCore
import Foundation

/// SHA-256 of the input files for the manifest, worked out from the start of a build on a thread of
/// its own at a lower priority, so that hashing takes a core only when the build's other work leaves
/// one idle (the serial steps between stages, waiting for the disk). When the manifest is written the
/// thread stops after its current file, and the manifest hashes the rest on every core.
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
            #if os(Linux)
                // On Linux the nice value is per thread: below the build's threads, which keep priority.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
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

    /// The digests worked out so far, by path relative to the folder; the thread stops after the
    /// file it is hashing.
    func stop() -> [String: String] {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        while !finished { condition.wait() }
        return digests
    }

    /// Stops after the file being hashed (the build ended without a manifest).
    func cancel() { condition.withLock { cancelled = true } }
}
