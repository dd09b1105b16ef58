import Foundation

/// Results that concurrent workers fill in by index (one slot per job), read
/// back in index order so the outcome never depends on timing.
public final class IndexedResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    /// Every slot, in index order. Call after the workers have finished.
    public var all: [T] { lock.withLock { slots.map { $0! } } }
}

extension String {
    /// A folder path without trailing slashes (`inputs/` → `inputs`; `/` stays).
    public var withoutTrailingSlashes: String {
        var path = self
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

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
