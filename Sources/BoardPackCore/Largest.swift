extension Array {
    /// The `count` elements with the largest `amount`, largest first; elements with equal amounts
    /// keep their order here (so a list already in code order breaks ties by code).
    public func largest<Amount: Comparable>(_ count: Int, by amount: (Element) -> Amount) -> [Element] {
        let amounts = map(amount)
        return indices.sorted { amounts[$0] != amounts[$1] ? amounts[$0] > amounts[$1] : $0 < $1 }
            .prefix(count).map { self[$0] }
    }
}
