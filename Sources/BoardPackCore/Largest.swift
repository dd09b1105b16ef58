extension Array {
    /// The `count` elements with the largest `amount`, largest first; elements with equal amounts
    /// keep their order here (so a list already in code order breaks ties by code).
    ///
    /// A partial selection, not a sort: one pass keeps the best `count` so far in order, and an
    /// element that does not beat the smallest of them costs one comparison. O(n) for the small
    /// counts a pack lists, however many cells there are.
    public func largest<Amount: Comparable>(_ count: Int, by amount: (Element) -> Amount) -> [Element] {
        guard count > 0 else { return [] }
        // The best so far, largest first; among equal amounts the earlier index first.
        var best: [(amount: Amount, index: Int)] = []
        best.reserveCapacity(count + 1)
        for i in indices {
            let value = amount(self[i])
            if best.count == count, !(value > best[best.count - 1].amount) { continue }
            // After every kept element with an amount at least as large (ties: earlier first).
            var low = 0
            var high = best.count
            while low < high {
                let mid = (low + high) / 2
                if best[mid].amount >= value { low = mid + 1 } else { high = mid }
            }
            best.insert((value, i), at: low)
            if best.count > count { best.removeLast() }
        }
        return best.map { self[$0.index] }
    }
}
