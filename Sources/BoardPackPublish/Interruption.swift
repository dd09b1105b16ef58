import BoardPackCore
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stops a run cleanly on SIGINT (Ctrl-C), SIGTERM (`kill`, cron's timeout, a CI cancel) or SIGHUP
/// (a closed terminal, an ssh session ending), so that the output folder is always one complete set.
///
/// A run is in one phase at a time, and a signal and the run's own progress change the phase under
/// one lock, so whichever comes first decides:
///
/// - **writing** (before the swap): the signal wins. The staging folder is moved aside and deleted,
///   every registered clean-up runs (child processes, temporary folders), one line says nothing was
///   published, and the process exits 128 + N. A run that reaches the swap after that never swaps: it
///   waits for the exit.
/// - **swapping** (the exchange, then deleting the old folder): the signal is held. When the old
///   folder is gone the run says it was stopped after the new output was published and exits 128 + N.
/// - **published**: nothing is left to undo; the same line, and 128 + N.
///
/// The output lock is released with the process.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    /// The signals handled, each as its name.
    public static let signals: [(number: Int32, name: String)] = [
        (SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"),
    ]

    enum Phase {
        case writing
        case swapping
        case published
    }

    private let lock = NSLock()
    private var phase = Phase.writing
    private var staging: String?
    /// The signal that stopped (or, during the swap, will stop) the run.
    private var received: Int32?
    /// True once a signal has taken over the exit: the run's own thread only waits for it.
    private var stopping = false
    private var sources: [DispatchSourceSignal] = []
    private var cleanups: [Int: @Sendable () -> Void] = [:]
    private var nextCleanup = 0

    private init() {}

    /// Handles SIGINT, SIGTERM and SIGHUP from now on, for the rest of the process.
    public func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for (number, _) in Self.signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in receive(number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// True once a signal has been received: writers stop starting new files.
    public var isInterrupted: Bool { lock.withLock { received != nil } }

    /// Registers work to do when a signal stops the run (ending child processes, deleting their
    /// temporary files); returns a token for `removeCleanup`, or nil when a signal is already
    /// stopping the run (then start nothing). Runs on the signal's thread, once, before the exit.
    public func addCleanup(_ body: @escaping @Sendable () -> Void) -> Int? {
        lock.withLock {
            if stopping { return nil }
            nextCleanup += 1
            cleanups[nextCleanup] = body
            return nextCleanup
        }
    }

    public func removeCleanup(_ token: Int) { _ = lock.withLock { cleanups.removeValue(forKey: token) } }

    /// When a signal has taken over the exit, waits for it (the process ends there); else returns.
    /// Called before a run reports a failure, so that a write refused because of the signal is not
    /// printed as an error of its own.
    public func waitIfStopping() {
        guard lock.withLock({ stopping }) else { return }
        Self.waitForExit()
    }

    /// Waits, on the run's own thread, for the signal's thread to end the process.
    private static func waitForExit() -> Never {
        while true { pause() }
    }

    /// The staging folder to remove if the run is interrupted (nil: none).
    func removeOnInterrupt(_ path: String?) { lock.withLock { staging = path } }

    /// Enters the swap: from now on a signal waits until `finishPublishing`. When a signal has
    /// already stopped the run, never returns (the signal's thread is removing the staging folder
    /// and exiting).
    func beginSwap() {
        let proceed = lock.withLock { () -> Bool in
            if stopping { return false }
            phase = .swapping
            return true
        }
        if !proceed { Self.waitForExit() }
    }

    /// The swap failed: the staging folder is still the run's to remove, and a held signal acts now.
    func swapFailed() {
        let held = lock.withLock { () -> Int32? in
            phase = .writing
            if received != nil { stopping = true }
            return received
        }
        if let held { stop(held, published: false) }
    }

    /// The new folder is in place and the old one deleted: a held signal ends the run now, saying
    /// that the new output was published.
    func finishPublishing() {
        let held = lock.withLock { () -> Int32? in
            phase = .published
            staging = nil
            if received != nil { stopping = true }
            return received
        }
        if let held { stop(held, published: true) }
    }

    private func receive(_ number: Int32) {
        let action = lock.withLock { () -> Phase? in
            if stopping { return nil }
            received = received ?? number
            switch phase {
            case .writing, .published:
                stopping = true
                return phase
            case .swapping:
                return nil
            }
        }
        if let action { stop(number, published: action == .published) }
    }

    private func stop(_ number: Int32, published: Bool) {
        let (folder, work) = lock.withLock { (staging, cleanups.sorted { $0.key < $1.key }.map(\.value)) }
        for body in work { body() }
        if let folder, !published { Self.discard(folder) }
        let name = Self.signals.first { $0.number == number }?.name ?? "signal \(number)"
        let line =
            published
            ? "boardpack: stopped by \(name) after the new output was published; it is complete\n"
            : "boardpack: stopped by \(name); nothing was published and the previous output is unchanged\n"
        FileHandle.standardError.write(Data(line.utf8))
        _exit(128 + number)
    }

    /// Deletes a staging folder that writers may still be adding to: first moved aside in one
    /// rename, so that every later write into it fails, then deleted. The name moved to still
    /// starts with the staging prefix, so a run killed here leaves it for the next run to remove.
    static func discard(_ folder: String) {
        let aside = folder + ".discarded"
        let target = rename(folder, aside) == 0 ? aside : folder
        for _ in 0..<20 {
            try? FileManager.default.removeItem(atPath: target)
            if FileStatus.of(target, followLinks: false).kind == .missing { return }
            usleep(20_000)
        }
    }
}
