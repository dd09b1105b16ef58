import Foundation

/// One contract cell of a submission: the sums of its rows with the same key.
public struct ActivityCell: Sendable, Hashable {
    public var key: ActivityKey
    public var sums: ActivitySums

    public init(key: ActivityKey, sums: ActivitySums) {
        self.key = key
        self.sums = sums
    }
}

/// The latest-submission rule for cumulative year-to-date restatements: every provider file restates
/// the year to date, so adding files together double counts; for each (provider, commissioner,
/// financial year and month) only the rows of the latest submission (`Submission.isSuperseded`) count.
///
/// Applies the rule as submissions arrive, in any order and from any thread,
/// keeping only the cells of the submission that currently wins each (provider, commissioner,
/// month). So memory holds the surviving data (and the files being read), never every
/// submission's rows. The result does not depend on the order of arrival: the winner of each unit
/// is the latest under a total order, and every losing cell is counted as superseded exactly once.
public final class RestatementStore: @unchecked Sendable {
    /// A cell as the store holds it: the unit (provider, commissioner, month) is the unit's, and the
    /// point of delivery and treatment function are ids of the store's interned codes, so a cell
    /// takes 48 bytes rather than an `ActivityCell`'s 112. With millions of distinct cells (a
    /// national extract where most rows are cells of their own) this halves the memory a build
    /// holds while it reads, and the surviving cells and the final lines are not both held at full
    /// size when the lines are made.
    struct StoredCell {
        var pod: UInt32
        var tfc: UInt32
        var rows: Int64
        var plannedActivity: Int64
        var actualActivity: Int64
        var plannedPrice: Int64
        var actualPrice: Int64
    }

    private struct Unit {
        var submission: Int
        /// Sorted by point of delivery, then treatment function.
        var cells: [StoredCell]
        var rows: Int
    }

    private let lock = NSLock()
    /// Units, found by a packed key (provider id, commissioner id — codes interned here — and
    /// month) through an open-addressing table of positions plus one (0: empty).
    private var units: [Unit] = []
    private var unitKeys: [UInt64] = []
    private var slots = [Int32](repeating: 0, count: 1 << 12)
    private var codeIDs: [ShortCode: UInt64] = [:]
    private var codes: [ShortCode] = []
    /// By submission index: what decides which submission is later, and the rows superseded.
    private var orders: [Submission?] = []
    private var superseded: [Int] = []

    public init() {}

    private func id(_ code: ShortCode) -> UInt64 {
        if let id = codeIDs[code] { return id }
        let id = UInt64(codes.count)
        codes.append(code)
        codeIDs[code] = id
        return id
    }

    /// A unit's first slot to look in: a pair of provider and commissioner hashed, plus the month,
    /// so that the months of one pair — which arrive together — sit in neighbouring slots.
    @inline(__always)
    private static func home(_ key: UInt64, _ mask: Int) -> Int {
        (Int(truncatingIfNeeded: ((key >> 16) &* 0x9E37_79B9_7F4A_7C15) >> 32) &+ Int(key & 0xFFFF)) & mask
    }

    /// The slot of `key`: where it is, or the empty slot where it would go.
    private func slot(of key: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Self.home(key, mask)
        while slots[slot] != 0, unitKeys[Int(slots[slot]) - 1] != key { slot = (slot + 1) & mask }
        return slot
    }

    private func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in unitKeys.enumerated() {
            var slot = Self.home(key, mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// Adds the cells of the submission at `index` (its position in the final submission list);
    /// `sorted`: the cells are already in key order.
    public func add(index: Int, submission: Submission, cells: [ActivityCell], sorted isSorted: Bool = false) {
        let sorted = isSorted ? cells : cells.sorted { $0.key < $1.key }
        // The file's few distinct points of delivery and treatment functions, interned at once.
        var local: [ShortCode: Int] = [:]
        var distinct: [ShortCode] = []
        for cell in sorted {
            for code in [cell.key.pointOfDelivery, cell.key.treatmentFunction] where local[code] == nil {
                local[code] = distinct.count
                distinct.append(code)
            }
        }
        let ids = lock.withLock { distinct.map { UInt32(id($0)) } }
        // Group by unit outside the lock: sorted by (commissioner, provider, month, POD, TFC), each
        // unit's cells are one run, already in the order of the final lines.
        var runKeys: [RestatementKey] = []
        var runs: [Unit] = []
        var start = 0
        while start < sorted.count {
            let unit = sorted[start].key.restatementKey
            var end = start + 1
            while end < sorted.count, sorted[end].key.restatementKey == unit { end += 1 }
            var rows = 0
            var stored: [StoredCell] = []
            stored.reserveCapacity(end - start)
            for cell in sorted[start..<end] {
                rows += cell.sums.rows
                stored.append(
                    StoredCell(
                        pod: ids[local[cell.key.pointOfDelivery]!], tfc: ids[local[cell.key.treatmentFunction]!],
                        rows: Int64(cell.sums.rows), plannedActivity: cell.sums.plannedActivity.hundredths,
                        actualActivity: cell.sums.actualActivity.hundredths, plannedPrice: cell.sums.plannedPrice.pence,
                        actualPrice: cell.sums.actualPrice.pence))
            }
            runKeys.append(unit)
            runs.append(Unit(submission: index, cells: stored, rows: rows))
            start = end
        }
        lock.withLock {
            if orders.count <= index {
                orders += [Submission?](repeating: nil, count: index + 1 - orders.count)
                superseded += [Int](repeating: 0, count: index + 1 - superseded.count)
            }
            // Only the fields that order submissions: no path or provider list to copy per comparison.
            var order = submission
            order.path = ""
            order.providers = []
            order.latestPeriodLocation = nil
            orders[index] = order
            var lost = 0
            var lastCodes: (ShortCode, ShortCode)?
            var lastIDs: (UInt64, UInt64) = (0, 0)
            for k in runs.indices {
                let unit = runKeys[k]
                if lastCodes == nil || lastCodes! != (unit.provider, unit.commissioner) {
                    lastIDs = (id(unit.provider), id(unit.commissioner))
                    lastCodes = (unit.provider, unit.commissioner)
                }
                let key = lastIDs.0 << 40 | lastIDs.1 << 16 | UInt64(UInt32(bitPattern: unit.periodOrdinal) & 0xFFFF)
                let slot = slot(of: key)
                if slots[slot] == 0 {
                    units.append(runs[k])
                    unitKeys.append(key)
                    slots[slot] = Int32(units.count)
                    if units.count * 2 > slots.count { grow() }
                    continue
                }
                let current = Int(slots[slot]) - 1
                let holder = units[current].submission
                if Submission.isSuperseded(orders[holder]!, by: order) {
                    superseded[holder] += units[current].rows
                    units[current] = runs[k]
                } else {
                    lost += runs[k].rows
                }
            }
            superseded[index] += lost
        }
    }

    /// The surviving lines, sorted by key; fills in each submission's `rowsSuperseded`.
    public func finish(submissions list: inout [Submission]) -> [ActivityLine] {
        lock.withLock {
            for index in list.indices { list[index].rowsSuperseded = index < superseded.count ? superseded[index] : 0 }
            // Order by commissioner, provider, month: rank the interned codes once, then sort integers.
            var rank = [UInt64](repeating: 0, count: codes.count)
            for (position, id) in codes.indices.sorted(by: { codes[$0] < codes[$1] }).enumerated() {
                rank[id] = UInt64(position)
            }
            var order: [(UInt64, Int)] = []
            order.reserveCapacity(units.count)
            var total = 0
            for (index, key) in unitKeys.enumerated() {
                let provider = rank[Int(key >> 40)]
                let commissioner = rank[Int(key >> 16 & 0xFF_FFFF)]
                order.append((commissioner << 40 | provider << 16 | (key & 0xFFFF), index))
                total += units[index].cells.count
            }
            order.sort { $0.0 < $1.0 }
            var lines: [ActivityLine] = []
            lines.reserveCapacity(total)
            for (_, index) in order {
                let key = unitKeys[index]
                let provider = codes[Int(key >> 40)]
                let commissioner = codes[Int(key >> 16 & 0xFF_FFFF)]
                let period = FinancialMonth(ordinal: Int(key & 0xFFFF))
                let submission = units[index].submission
                for cell in units[index].cells {
                    lines.append(
                        ActivityLine(
                            key: ActivityKey(
                                commissioner: commissioner, provider: provider, pointOfDelivery: codes[Int(cell.pod)],
                                treatmentFunction: codes[Int(cell.tfc)], period: period),
                            sums: ActivitySums(
                                plannedActivity: Quantity(hundredths: cell.plannedActivity),
                                actualActivity: Quantity(hundredths: cell.actualActivity),
                                plannedPrice: Money(pence: cell.plannedPrice),
                                actualPrice: Money(pence: cell.actualPrice), rows: Int(cell.rows)),
                            submission: submission))
                }
                // Released as copied, so the cells and the lines are not both held whole.
                units[index].cells = []
            }
            units = []
            unitKeys = []
            slots = [Int32](repeating: 0, count: 1 << 12)
            return lines
        }
    }
}
