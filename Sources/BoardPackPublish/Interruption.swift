import BoardPackCore
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stops a run cleanly on SIGINT (Ctrl-C) or SIGTERM (`kill`, cron's timeout, a CI cancel): the
/// staging folder being written is removed, a one-line message is printed, and the process exits
/// 130 or 143; the output lock is released with the process. A signal that arrives while the
/// finished folder is being swapped into place waits until the swap is over, so the output is
/// always the old complete folder or the new one.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    private var staging: String?
    private var swapping = false
    private var pending: Int32?
    private var sources: [DispatchSourceSignal] = []
    private var interrupted = false
    private var hasPublished = false

    private init() {}

    /// Handles SIGINT and SIGTERM from now on, for the rest of the process.
    public func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in received(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// True once a signal has been received: writers stop starting new files.
    public var isInterrupted: Bool { lock.withLock { interrupted } }

    /// The staging folder to remove if the run is interrupted (nil: none).
    func removeOnInterrupt(_ path: String?) { lock.withLock { staging = path } }

    /// The new folder is in place: a signal from now on stops the run without undoing anything.
    /// The new output is in place; `leftover` (the previous output, where the swap left it) is
    /// being deleted, and a signal now still deletes it before exiting.
    func published(leftover: String? = nil) {
        lock.withLock {
            staging = leftover
            hasPublished = true
        }
    }

    /// Runs `body` (the swap into place) with signals held back until it returns.
    func withoutInterruption<T>(_ body: () throws -> T) rethrows -> T {
        lock.withLock { swapping = true }
        defer {
            let held = lock.withLock { () -> Int32? in
                swapping = false
                return pending
            }
            if let held { stop(held) }
        }
        return try body()
    }

    private func received(_ number: Int32) {
        let hold = lock.withLock { () -> Bool in
            interrupted = true
            if swapping {
                pending = pending ?? number
                return true
            }
            return false
        }
        if !hold { stop(number) }
    }

    private func stop(_ number: Int32) {
        let (folder, done) = lock.withLock { (staging, hasPublished) }
        if let folder {
            // Writers already inside a write may add a file while the folder goes: try again.
            for _ in 0..<5 {
                try? FileManager.default.removeItem(atPath: folder)
                if FileStatus.of(folder, followLinks: false).kind == .missing { break }
                usleep(20_000)
            }
        }
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        let line =
            done
            ? "boardpack: stopped by \(name) after the new output was published\n"
            : "boardpack: stopped by \(name); nothing was published and the previous output is unchanged\n"
        FileHandle.standardError.write(Data(line.utf8))
        _exit(128 + number)
    }
}
