import BoardPackCore
import Foundation

/// SHA-256 of the input files for the manifest, worked out from the start of a build on a
/// background thread at a lower priority, so that hashing takes a core only when the build's other
/// work leaves one idle (the serial steps between stages, waiting for the disk). When the manifest
/// is written the work stops after its current file, and the manifest hashes the rest on every core.
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
        BackgroundWorker.shared.run { [self] in
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
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
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

/// One long-lived thread for background work, below the priority of the build's own threads. It
/// never exits: a thread ending while the process exits could still be inside libcrypto (its
/// per-thread clean-up) when libcrypto's exit handler runs.
final class BackgroundWorker: @unchecked Sendable {
    static let shared = BackgroundWorker()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [self] in
            #if os(Linux)
                // On Linux the nice value belongs to the thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.start()
    }

    func run(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }
}
