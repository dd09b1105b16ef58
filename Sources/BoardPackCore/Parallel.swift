import Foundation

/// Runs `body` for 0..<count on up to `threads` workers (default: every core); one worker runs
/// them in order on the calling thread. Results must not depend on the thread count (tested).
public enum Parallel {
    /// The cores this process may use, read once (each `activeProcessorCount` reads cgroup files).
    public static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    public static func forEach(_ count: Int, threads: Int? = nil, _ body: (Int) -> Void) {
        let workers = max(1, min(threads ?? processorCount, count))
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = NextIndex()
        withoutActuallyEscaping(body) { body in
            let work = Work(body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = next.take(below: count) { work.body(i) }
            }
        }
    }

    /// The body, shared by the workers of one synchronous call (which is why it may cross threads).
    private final class Work: @unchecked Sendable {
        let body: (Int) -> Void
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }

    /// A pthread lock (NSLock), not `Synchronization.Mutex`: the thread sanitizer CI runs sees
    /// pthread locks, but not the standard library's uninstrumented Mutex, and reported races
    /// that were not there.
    private final class NextIndex: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                value += 1
                return value - 1
            }
        }
    }
}
