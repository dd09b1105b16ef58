import BoardPackCore

/// A contract cell's key inside one file: the file's own small ids of its commissioner, provider,
/// point of delivery and treatment function codes (`CodeTable`), and the financial month, packed
/// into one word so that a cell is found with one multiplication and one comparison.
///
/// | bits   | 63–50        | 49–36    | 35–24 | 23–12 | 11–0                          |
/// |--------|--------------|----------|-------|-------|-------------------------------|
/// | holds  | commissioner | provider | POD   | TFC   | months since April 1990       |
///
/// The widths are the documented limits of distinct codes in one submission (docs/inputs.md,
/// "Limits"); a file with more is refused with a located error, never truncated.
enum PackedCellKey {
    static let commissionerBits = 14
    static let providerBits = 14
    static let podBits = 12
    static let tfcBits = 12
    static let periodBits = 12

    /// How many distinct codes each slot (commissioner, provider, POD, TFC) can hold.
    static let capacity = [1 << commissionerBits, 1 << providerBits, 1 << podBits, 1 << tfcBits]
    /// The first month a `FinancialYear` can hold: April 1990.
    static let firstPeriod = 1990 * 12

    private static let tfcShift = UInt64(periodBits)
    private static let podShift = tfcShift + UInt64(tfcBits)
    private static let providerShift = podShift + UInt64(podBits)
    private static let commissionerShift = providerShift + UInt64(providerBits)

    @inline(__always)
    static func pack(_ c: Int, _ p: Int, _ d: Int, _ t: Int, period: Int) -> UInt64 {
        UInt64(c) << commissionerShift | UInt64(p) << providerShift | UInt64(d) << podShift | UInt64(t) << tfcShift
            | UInt64(period - firstPeriod)
    }

    static func commissioner(_ key: UInt64) -> Int { Int(key >> commissionerShift) }
    static func provider(_ key: UInt64) -> Int { field(key, providerShift, providerBits) }
    static func pod(_ key: UInt64) -> Int { field(key, podShift, podBits) }
    static func tfc(_ key: UInt64) -> Int { field(key, tfcShift, tfcBits) }
    static func period(_ key: UInt64) -> Int { field(key, 0, periodBits) + firstPeriod }

    private static func field(_ key: UInt64, _ shift: UInt64, _ bits: Int) -> Int {
        Int(key >> shift & (1 << UInt64(bits) - 1))
    }
}

/// Fibonacci hashing: one multiplication by 2⁶⁴/φ spreads nearby keys over the table; the top bits
/// of the product pick the slot.
enum FibonacciHash {
    static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* multiplier) >> 32) & mask
    }
}

/// The sums of one file's contract cells: an open-addressing table from `PackedCellKey` to a row of
/// the column arrays below. Every row of a cell adds in, so memory grows with cells, not rows.
struct CellTable {
    /// The table is grown when it would be more than this full (1/2): lookups stay about one probe.
    static let maxLoadNumerator = 1
    static let maxLoadDenominator = 2
    static let initialSlots = 1 << 12

    /// One cell's sums: hundredths of activity, pence, and rows.
    struct Sums {
        var plannedActivity: Int64
        var actualActivity: Int64
        var plannedPrice: Int64
        var actualPrice: Int64
        var rows: Int
    }

    /// Index + 1 into `keys` and `sums`; 0 is an empty slot.
    private var slots = [Int32](repeating: 0, count: initialSlots)
    private(set) var keys: [UInt64] = []
    private(set) var sums: [Sums] = []
    /// A cell's sum went past what 64 bits hold (about £92 million million): the file is refused.
    private(set) var overflowed = false

    var count: Int { keys.count }

    /// Adds one row's values (hundredths of activity, pence) into the cell `key`.
    @inline(__always)
    mutating func add(_ key: UInt64, _ pa: Int64, _ aa: Int64, _ pp: Int64, _ ap: Int64) {
        let mask = slots.count - 1
        var slot = FibonacciHash.slot(key, mask: mask)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 {
                keys.append(key)
                sums.append(Sums(plannedActivity: pa, actualActivity: aa, plannedPrice: pp, actualPrice: ap, rows: 1))
                slots[slot] = Int32(keys.count)
                if keys.count * Self.maxLoadDenominator > slots.count * Self.maxLoadNumerator { grow() }
                return
            }
            let index = entry - 1
            if keys[index] == key {
                var cell = sums[index]
                let added = (
                    cell.plannedActivity.addingReportingOverflow(pa), cell.actualActivity.addingReportingOverflow(aa),
                    cell.plannedPrice.addingReportingOverflow(pp), cell.actualPrice.addingReportingOverflow(ap)
                )
                if added.0.overflow || added.1.overflow || added.2.overflow || added.3.overflow {
                    overflowed = true
                    return
                }
                cell.plannedActivity = added.0.partialValue
                cell.actualActivity = added.1.partialValue
                cell.plannedPrice = added.2.partialValue
                cell.actualPrice = added.3.partialValue
                cell.rows += 1
                sums[index] = cell
                return
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = FibonacciHash.slot(key, mask: mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    func sums(_ index: Int) -> ActivitySums {
        let cell = sums[index]
        return ActivitySums(
            plannedActivity: Quantity(hundredths: cell.plannedActivity),
            actualActivity: Quantity(hundredths: cell.actualActivity), plannedPrice: Money(pence: cell.plannedPrice),
            actualPrice: Money(pence: cell.actualPrice), rows: cell.rows)
    }
}
