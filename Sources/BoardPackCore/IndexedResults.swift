import Foundation

/// Results that concurrent workers fill in by index (one slot per job), read
/// back in index order so the outcome never depends on timing. Unchecked: `T` (a loader's result,
/// an error) need not be Sendable; each value is handed over once, under the lock, to one reader.
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
