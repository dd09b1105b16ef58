import BoardPackCore

/// The codes of one slot (commissioner, provider, POD or TFC) seen in one file, as small dense
/// entries (0, 1, 2…). A code is checked against the reference lists once, when it is first seen;
/// each row then carries only entry numbers. A code written the same way as before is found by its
/// raw bytes, without parsing it again.
struct CodeTable {
    /// What accepting a row with a code must do, decided when the code is first seen.
    enum Check: Equatable {
        /// Nothing: a listed code.
        case known
        /// A warning, once per file (an unlisted provider, a local POD or TFC).
        case warn
        /// A site code (`RRP00`) of the listed trust at `keyID`: a warning once per file.
        case site
        /// The row is refused: the first with an error, later ones counted.
        case refuse
        /// More distinct codes than a file may hold (`PackedCellKey.capacity`): refused.
        case tooMany
    }

    struct Entry {
        var code: ShortCode
        /// The entry that cell keys use: itself, or the trust of a site code.
        var keyID: Int
        var check: Check
        /// The check's diagnostic was given (or is not needed).
        var settled: Bool
    }

    private(set) var entries: [Entry] = []
    private var byCode: [ShortCode: Int] = [:]
    private var byRaw = RawCodeIndex()
    /// The last code looked up: rows often repeat it.
    private var lastCode: ShortCode?
    private var lastEntry = -1
    private var overflowEntry: Int?
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The entry of a code written as `b[s..<e]` before, or nil.
    @inline(__always)
    mutating func entry(raw b: [UInt8], _ s: Int, _ e: Int) -> Int? {
        guard e - s <= ShortCode.maxLength else { return nil }
        let (high, low) = RawCodeIndex.words(b, s, e)
        // Rows often repeat the previous row's code.
        if high == lastRaw.high, low == lastRaw.low, e - s == lastRaw.length { return lastRaw.entry }
        guard let entry = byRaw.entry(high: high, low: low, length: e - s) else { return nil }
        lastRaw = (high, low, e - s, entry)
        return entry
    }

    private var lastRaw: (high: UInt64, low: UInt64, length: Int, entry: Int) = (0, 0, -1, 0)

    /// Remembers that `b[s..<e]` is written for `entry`.
    mutating func remember(raw b: [UInt8], _ s: Int, _ e: Int, entry: Int) {
        guard e - s <= ShortCode.maxLength else { return }
        let (high, low) = RawCodeIndex.words(b, s, e)
        byRaw.insert(high: high, low: low, length: e - s, entry: entry)
    }

    /// The entry of `code`, made with `classify` (given the code, returning the check and, for a
    /// site code, the code of its trust) when the code is new.
    mutating func entry(_ code: ShortCode, classify: (ShortCode) -> (Check, ShortCode?)) -> Int {
        if code == lastCode { return lastEntry }
        if let known = byCode[code] {
            lastCode = code
            lastEntry = known
            return known
        }
        // Past the capacity every new code shares one entry, which refuses its rows.
        if entries.count >= capacity - 1 {
            if let overflowEntry { return overflowEntry }
            overflowEntry = entries.count
            entries.append(Entry(code: code, keyID: 0, check: .tooMany, settled: false))
            return overflowEntry!
        }
        let (check, trust) = classify(code)
        var keyID = entries.count
        if let trust {
            keyID = entry(trust, classify: { _ in (.known, nil) })
            if entries.count >= capacity - 1 { return entry(code, classify: classify) }
        }
        let index = entries.count
        entries.append(Entry(code: code, keyID: keyID, check: check, settled: check == .known))
        byCode[code] = index
        lastCode = code
        lastEntry = index
        return index
    }

    mutating func settle(_ entry: Int) { entries[entry].settled = true }
}

/// Entries by the raw bytes of a code (at most 16, packed into two words with the length): an
/// open-addressing table kept at most a quarter full, so a lookup is nearly always its first slot.
struct RawCodeIndex {
    static let maxLoadDenominator = 4
    static let initialSlots = 64

    private var highs = [UInt64](repeating: 0, count: initialSlots)
    private var lows = [UInt64](repeating: 0, count: initialSlots)
    /// Length plus one; 0 for an empty slot.
    private var lengths = [Int](repeating: 0, count: initialSlots)
    private var entries = [Int](repeating: 0, count: initialSlots)
    private var count = 0

    /// The bytes of `b[s..<e]` (at most 16) as two words, first byte highest.
    @inline(__always)
    static func words(_ b: [UInt8], _ s: Int, _ e: Int) -> (UInt64, UInt64) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var i = s
        while i < e {
            if i - s < 8 { high = high << 8 | UInt64(b[i]) } else { low = low << 8 | UInt64(b[i]) }
            i += 1
        }
        return (high, low)
    }

    /// The slot of a code: where it is, or the empty slot where it would go.
    @inline(__always)
    private func find(high: UInt64, low: UInt64, length: Int) -> Int {
        let mask = lengths.count - 1
        var k = FibonacciHash.slot(high ^ (low &* FibonacciHash.multiplier) ^ UInt64(length), mask: mask)
        while lengths[k] != 0 && (lengths[k] != length + 1 || highs[k] != high || lows[k] != low) {
            k = (k + 1) & mask
        }
        return k
    }

    @inline(__always)
    func entry(high: UInt64, low: UInt64, length: Int) -> Int? {
        let k = find(high: high, low: low, length: length)
        return lengths[k] != 0 ? entries[k] : nil
    }

    /// Adds raw bytes not yet in the table.
    mutating func insert(high: UInt64, low: UInt64, length: Int, entry: Int) {
        if (count + 1) * Self.maxLoadDenominator > lengths.count {
            let old = (highs, lows, lengths, entries)
            let capacity = lengths.count * 2
            highs = [UInt64](repeating: 0, count: capacity)
            lows = [UInt64](repeating: 0, count: capacity)
            lengths = [Int](repeating: 0, count: capacity)
            entries = [Int](repeating: 0, count: capacity)
            for i in old.2.indices where old.2[i] != 0 {
                let k = find(high: old.0[i], low: old.1[i], length: old.2[i] - 1)
                (highs[k], lows[k], lengths[k], entries[k]) = (old.0[i], old.1[i], old.2[i], old.3[i])
            }
        }
        let k = find(high: high, low: low, length: length)
        guard lengths[k] == 0 else { return }
        (highs[k], lows[k], lengths[k], entries[k]) = (high, low, length + 1, entry)
        count += 1
    }
}
