import Foundation

/// A bounded first-in, first-out hand-off from one thread to another: the giver waits while
/// `depth` items wait, the taker while none does. The giver ends with `close()`; the taker may stop
/// early with `cancel()`, after which `give` refuses. Used where one stage of a file's read runs on a
/// thread of its own (inflating a workbook part, summing a sheet's rows).
///
/// The state is guarded by `condition` (a pthread mutex and condition variable, which the thread
/// sanitizer run in CI sees; see `Parallel`), hence `@unchecked Sendable`.
public final class Handoff<Item: Sendable>: @unchecked Sendable {
    private let depth: Int
    private let condition = NSCondition()
    private var items: [Item?] = []
    private var taken = 0
    private var closed = false
    private var cancelled = false

    public init(depth: Int) {
        precondition(depth > 0)
        self.depth = depth
    }

    /// Waits for room, then hands `item` over; false (the item dropped) once the taker has stopped.
    @discardableResult
    public func give(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - taken >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        if taken > 0 && taken == items.count {
            items.removeAll(keepingCapacity: true)
            taken = 0
        }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// No more items: `take` gives nil after the last.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The taker needs no more: waiting and later gives are refused.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for it; nil once the hand-off is closed and empty, or cancelled.
    public func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while taken == items.count && !closed && !cancelled { condition.wait() }
        guard taken < items.count, !cancelled else { return nil }
        let item = items[taken]
        items[taken] = nil
        taken += 1
        condition.broadcast()
        return item
    }
}
