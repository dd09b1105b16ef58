import BoardPackCore
import Foundation

/// SHA-256 of the input files for the manifest, worked out once ingest is done on a thread of its
/// own at a lower priority, so that hashing takes a core only when the build's other work leaves
/// one idle (the serial steps between stages, waiting for the disk). When the manifest is written
/// the work stops after its current file, and the manifest hashes the rest on every core. The
/// thread lives while it hashes: it releases its libcrypto state and ends once it is done or
/// stopped.
///
/// Its state is guarded by `condition` (a pthread mutex and condition variable), hence
/// `@unchecked Sendable`.
final class InputDigests: @unchecked Sendable {
    private let condition = NSCondition()
    private var digests: [String: SHA256.FileDigest] = [:]
    private var started = false
    private var finished = false
    private var cancelled = false

    /// Starts hashing `read`, the files the build read (`FileRead.all`), largest first; digests are
    /// keyed by each file's location.
    init(files read: [FileRead]) {
        let files = read.sorted { ($0.status.size, $1.location) > ($1.status.size, $0.location) }.map(\.location)
        let thread = Thread { [self] in
            #if os(Linux)
                // On Linux the nice value belongs to the thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            guard
                condition.withLock({ () -> Bool in
                    if finished { return false }  // stopped before it began
                    started = true
                    return true
                })
            else { return }
            for path in files {
                if condition.withLock({ cancelled }) { break }
                guard let digest = try? SHA256.digest(file: path) else { continue }
                condition.withLock { digests[path] = digest }
            }
            SHA256.releaseThread()
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
        thread.name = "boardpack-digests"
        thread.start()
    }

    /// The digests worked out so far, without stopping the work.
    func peek() -> [String: SHA256.FileDigest] { condition.withLock { digests } }

    /// The digests worked out so far, by path relative to the folder; the work stops after the file
    /// it is hashing (or never starts).
    func stop() -> [String: SHA256.FileDigest] {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        if !started { finished = true }
        while !finished { condition.wait() }
        return digests
    }
}
