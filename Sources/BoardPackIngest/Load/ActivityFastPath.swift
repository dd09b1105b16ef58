import BoardPackCore
import Foundation

/// The fast path for contract-monitoring CSV: for a file in which every line is plain — ASCII,
/// unquoted, one field per header column, numbers written as digits with at most two decimals,
/// codes already known, no line that deserves even a warning — it parses bytes straight into
/// integers and pence, interns codes into small per-file ids and adds each row into a per-cell
/// accumulator, without building a row, a string or a hashable key per line.
///
/// It never reports anything. The first thing it does not handle (a quote, a `£`, a thousands
/// separator, an unknown code, a duplicate contract line, a bad header…) makes it give up on the
/// whole file, which is then read by the general path (`CSVTable` and `FieldReader`), which reports
/// every problem with its location. So a file gets exactly the same figures and diagnostics either
/// way; `Tests/BoardPackTests/FastPathTests.swift` checks that both paths agree.
struct ActivityFastPath {
    let commissioners: Set<ShortCode>
    let knownProviders: Set<ShortCode>
    var chunkSize = 8 << 20

    struct Output {
        var created: String?
        var latest: Int?
        var latestLine = 0
        var latestColumn = 0
        var providers: Set<ShortCode> = []
        var rows = 0
        var cells: [ActivityCell] = []
    }

    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")

    /// nil when the file needs the general path.
    func read(path: String) throws -> Output? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 4096)
        var state = State(commissioners: commissioners, knownProviders: knownProviders)
        var atEOF = false
        var first = true
        while !atEOF {
            let data = try handle.read(upToCount: chunkSize)
            if let data, !data.isEmpty {
                buffer.append(contentsOf: data)
            } else {
                atEOF = true
            }
            if first {
                first = false
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                    buffer.removeFirst(3)
                }
            }
            // Complete lines only, unless this is the end of the file.
            var end = buffer.count
            if !atEOF {
                while end > 0, buffer[end - 1] != Self.lf { end -= 1 }
                if end == 0 { continue }
            }
            guard state.consume(buffer, upTo: end) else { return nil }
            buffer.removeSubrange(0..<end)
        }
        return state.finish()
    }

    /// Codes seen in one file, as small dense ids (0, 1, 2…).
    struct Interner {
        private var ids: [ShortCode: Int] = [:]
        private(set) var codes: [ShortCode] = []
        private var last: ShortCode?
        private var lastID = -1

        /// The id of `code`, and whether it is new to this file.
        mutating func id(_ code: ShortCode) -> (Int, Bool) {
            if code == last { return (lastID, false) }
            var isNew = false
            let id: Int
            if let known = ids[code] {
                id = known
            } else {
                id = codes.count
                ids[code] = id
                codes.append(code)
                isNew = true
            }
            last = code
            lastID = id
            return (id, isNew)
        }
    }

    struct State {
        let commissioners: Set<ShortCode>
        let knownProviders: Set<ShortCode>
        var headerDone = false
        var line = 0
        /// Field index of each schema column, or -1.
        var field = [Int](repeating: -1, count: Schemas.activity.columns.count)
        var fieldCount = 0
        var starts: [Int] = []
        var ends: [Int] = []
        var commissionerIDs = Interner()
        var providerIDs = Interner()
        var podIDs = Interner()
        var tfcIDs = Interner()
        var contractIDs = Interner()
        var out = Output()
        var lastCreatedRaw: [UInt8] = []
        var lastCreated: String?
        var lastCreatedSet = false
        var lastProvider = -1
        // Cells: an open-addressing table from the packed key to an index into the columns below.
        var slots = [Int32](repeating: 0, count: 1 << 12)
        var keys: [UInt64] = []
        var plannedActivity: [Int64] = []
        var actualActivity: [Int64] = []
        var plannedPrice: [Int64] = []
        var actualPrice: [Int64] = []
        var rowCounts: [Int] = []
        var contracts: [UInt64] = []

        init(commissioners: Set<ShortCode>, knownProviders: Set<ShortCode>) {
            self.commissioners = commissioners
            self.knownProviders = knownProviders
        }

        /// Lines in `buffer[0..<end]`; false to give up.
        mutating func consume(_ buffer: [UInt8], upTo end: Int) -> Bool {
            var lineStart = 0
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var fieldStart = 0
            var i = 0
            while i < end {
                let byte = buffer[i]
                if byte < 0x2D {
                    if byte == comma {
                        starts.append(fieldStart)
                        ends.append(i)
                        fieldStart = i + 1
                    } else if byte == lf || byte == cr {
                        var lineEnd = i
                        if byte == cr {
                            guard i + 1 < end, buffer[i + 1] == lf else { return false }
                            i += 1
                        }
                        if lineEnd > lineStart || !starts.isEmpty {
                            starts.append(fieldStart)
                            ends.append(lineEnd)
                            guard handle(buffer, lineStart: lineStart) else { return false }
                        } else {
                            line += 1  // a blank line
                        }
                        starts.removeAll(keepingCapacity: true)
                        ends.removeAll(keepingCapacity: true)
                        lineEnd = i + 1
                        lineStart = lineEnd
                        fieldStart = lineEnd
                    } else if byte != space {
                        return false  // a quote, a tab, a control byte…
                    }
                } else if byte >= 0x80 {
                    return false  // not ASCII: the general path checks the UTF-8
                }
                i += 1
            }
            if lineStart < end {
                // The last line of the file, without a line end.
                starts.append(fieldStart)
                ends.append(end)
                guard handle(buffer, lineStart: lineStart) else { return false }
            }
            return true
        }

        mutating func handle(_ buffer: [UInt8], lineStart: Int) -> Bool {
            line += 1
            if !headerDone {
                headerDone = true
                return bindHeader(buffer)
            }
            guard starts.count == fieldCount else { return false }
            typealias A = Schemas.Activity
            let yf = field[A.year]
            guard let yearCode = digits(buffer, starts[yf], ends[yf]),
                let year = FinancialYear(acmCode: Int(yearCode)),
                let month = digits(buffer, starts[field[A.month]], ends[field[A.month]]), (1...12).contains(month),
                let commissioner = code(buffer, field[A.commissioner]),
                let provider = code(buffer, field[A.provider]), let pod = code(buffer, field[A.pod]),
                let tfc = code(buffer, field[A.tfc]),
                let pa = decimal(buffer, field[A.plannedActivity]), let aa = decimal(buffer, field[A.actualActivity]),
                let pp = decimal(buffer, field[A.plannedPrice]), let ap = decimal(buffer, field[A.actualPrice])
            else { return false }
            // Optional columns: blank or "-" is none.
            var contract = 0
            if field[A.localContract] >= 0 {
                let s = starts[field[A.localContract]]
                let e = ends[field[A.localContract]]
                if !(e == s || (e == s + 1 && buffer[s] == UInt8(ascii: "-"))) {
                    guard let code = code(buffer, field[A.localContract]) else { return false }
                    contract = contractIDs.id(code).0 + 1
                    guard contract < 64 else { return false }
                }
            }
            if field[A.created] >= 0 {
                let s = starts[field[A.created]]
                let e = ends[field[A.created]]
                if !(e == s || (e == s + 1 && buffer[s] == UInt8(ascii: "-"))) {
                    if !lastCreatedSet || !lastCreatedRaw.elementsEqual(buffer[s..<e]) {
                        guard buffer[s] != space, buffer[e - 1] != space,
                            let normal = Timestamp.normalise(String(decoding: buffer[s..<e], as: UTF8.self))
                        else { return false }
                        lastCreatedRaw = Array(buffer[s..<e])
                        lastCreated = normal
                        lastCreatedSet = true
                        if normal > (out.created ?? "") { out.created = normal }
                    }
                }
            }
            let (c, newC) = commissionerIDs.id(commissioner)
            if newC, !commissioners.contains(commissioner) { return false }
            let (p, newP) = providerIDs.id(provider)
            if newP, !knownProviders.contains(provider) { return false }
            let (d, newD) = podIDs.id(pod)
            if newD, !ActivityLoader.knownPODs.contains(pod) { return false }
            let (t, newT) = tfcIDs.id(tfc)
            if newT, !ActivityLoader.knownTFCs.contains(tfc) { return false }
            guard c < 1 << 16, p < 1 << 16, d < 1 << 8, t < 1 << 10 else { return false }
            let period = FinancialMonth(year: year, month: Int(month)).ordinal
            out.rows += 1
            if period > out.latest ?? Int.min {
                out.latest = period
                out.latestLine = line
                out.latestColumn = starts[yf] - lineStart + 1
            }
            if p != lastProvider {
                out.providers.insert(provider)
                lastProvider = p
            }
            let key =
                UInt64(c) << 48 | UInt64(p) << 32 | UInt64(d) << 24 | UInt64(t) << 14 | UInt64(period - 1900 * 12)
            guard period >= 1900 * 12, period - 1900 * 12 < 1 << 14 else { return false }
            return add(key: key, contract: contract, pa, aa, pp, ap)
        }

        mutating func add(key: UInt64, contract: Int, _ pa: Int64, _ aa: Int64, _ pp: Int64, _ ap: Int64) -> Bool {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            while true {
                let entry = Int(slots[slot])
                if entry == 0 {
                    keys.append(key)
                    plannedActivity.append(pa)
                    actualActivity.append(aa)
                    plannedPrice.append(pp)
                    actualPrice.append(ap)
                    rowCounts.append(1)
                    contracts.append(1 << UInt64(contract))
                    slots[slot] = Int32(keys.count)
                    if keys.count * 2 > slots.count { grow() }
                    return true
                }
                let index = entry - 1
                if keys[index] == key {
                    let bit: UInt64 = 1 << UInt64(contract)
                    // The same contract line twice: the general path reports it.
                    guard contracts[index] & bit == 0 else { return false }
                    contracts[index] |= bit
                    plannedActivity[index] += pa
                    actualActivity[index] += aa
                    plannedPrice[index] += pp
                    actualPrice[index] += ap
                    rowCounts[index] += 1
                    return true
                }
                slot = (slot + 1) & mask
            }
        }

        mutating func grow() {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for (index, key) in keys.enumerated() {
                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(index + 1)
            }
        }

        mutating func bindHeader(_ buffer: [UInt8]) -> Bool {
            fieldCount = starts.count
            var seen = Set<Int>()
            for index in 0..<fieldCount {
                let header = String(decoding: buffer[starts[index]..<ends[index]], as: UTF8.self)
                if header.trimmingSpaces.isEmpty { continue }
                // An unknown or repeated column deserves a message: the general path gives it.
                guard let column = Schemas.activity.match(header: header), seen.insert(column).inserted else {
                    return false
                }
                field[column] = index
            }
            return Schemas.activity.columns.indices.allSatisfy {
                !Schemas.activity.columns[$0].required || seen.contains($0)
            }
        }

        /// 1 to 18 digits, nothing else.
        func digits(_ buffer: [UInt8], _ start: Int, _ end: Int) -> Int64? {
            guard end > start, end - start <= 18 else { return nil }
            var value: Int64 = 0
            for i in start..<end {
                let d = buffer[i] &- 0x30
                guard d < 10 else { return nil }
                value = value &* 10 &+ Int64(d)
            }
            return value
        }

        /// Digits, optionally `.` and one or two digits, as hundredths (pence or hundredths of activity).
        func decimal(_ buffer: [UInt8], _ index: Int) -> Int64? {
            let start = starts[index]
            let end = ends[index]
            guard end > start, end - start <= 16 else { return nil }
            var value: Int64 = 0
            var i = start
            while i < end {
                let d = buffer[i] &- 0x30
                if d >= 10 { break }
                value = value &* 10 &+ Int64(d)
                i += 1
            }
            guard i > start else { return nil }
            value = value &* 100
            if i == end { return value }
            guard buffer[i] == UInt8(ascii: "."), end - i >= 2, end - i <= 3 else { return nil }
            let tenths = buffer[i + 1] &- 0x30
            guard tenths < 10 else { return nil }
            value = value &+ Int64(tenths) &* 10
            if end - i == 3 {
                let hundredths = buffer[i + 2] &- 0x30
                guard hundredths < 10 else { return nil }
                value = value &+ Int64(hundredths)
            }
            return value
        }

        /// A code of letters, digits, `_` or `-` (lower case folded), as the general path reads it;
        /// a blank or `-` alone is left to the general path (a required value is missing).
        func code(_ buffer: [UInt8], _ index: Int) -> ShortCode? {
            let start = starts[index]
            let end = ends[index]
            guard end > start, end - start <= ShortCode.maxLength,
                !(end == start + 1 && buffer[start] == UInt8(ascii: "-"))
            else { return nil }
            guard case .success(let code) = ShortCode.parse(buffer[start..<end]) else { return nil }
            return code
        }

        func finish() -> Output? {
            // An empty submission is worth a warning: the general path gives it.
            guard headerDone, out.rows > 0 else { return nil }
            var result = out
            result.cells.reserveCapacity(keys.count)
            // Emit the cells in key order (commissioner, provider, month, POD, TFC): ids are in order of
            // first appearance, so rank them by code and sort packed integers, not cells.
            func ranks(_ interner: Interner) -> [UInt64] {
                var rank = [UInt64](repeating: 0, count: interner.codes.count)
                for (position, id) in interner.codes.indices.sorted(by: { interner.codes[$0] < interner.codes[$1] })
                    .enumerated()
                {
                    rank[id] = UInt64(position)
                }
                return rank
            }
            let (rc, rp, rd, rt) = (ranks(commissionerIDs), ranks(providerIDs), ranks(podIDs), ranks(tfcIDs))
            var order: [(UInt64, Int)] = keys.enumerated().map { index, key in
                let sortKey =
                    rc[Int(key >> 48)] << 48 | rp[Int(key >> 32 & 0xFFFF)] << 32 | (key & 0x3FFF) << 18
                    | rd[Int(key >> 24 & 0xFF)] << 10 | rt[Int(key >> 14 & 0x3FF)]
                return (sortKey, index)
            }
            order.sort { $0.0 < $1.0 }
            for (_, index) in order {
                let key = keys[index]
                let period = Int(key & 0x3FFF) + 1900 * 12
                let activityKey = ActivityKey(
                    commissioner: commissionerIDs.codes[Int(key >> 48)],
                    provider: providerIDs.codes[Int(key >> 32 & 0xFFFF)],
                    pointOfDelivery: podIDs.codes[Int(key >> 24 & 0xFF)],
                    treatmentFunction: tfcIDs.codes[Int(key >> 14 & 0x3FF)], period: FinancialMonth(ordinal: period))
                let sums = ActivitySums(
                    plannedActivity: Quantity(hundredths: plannedActivity[index]),
                    actualActivity: Quantity(hundredths: actualActivity[index]),
                    plannedPrice: Money(pence: plannedPrice[index]), actualPrice: Money(pence: actualPrice[index]),
                    rows: rowCounts[index])
                result.cells.append(ActivityCell(key: activityKey, sums: sums))
            }
            return result
        }
    }
}
