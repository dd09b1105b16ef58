import BoardPackCore
import Foundation

/// The fast path for contract-monitoring CSV: for a file in which every line is plain — ASCII,
/// unquoted, one field per header column, numbers written as digits with at most two decimals,
/// codes already known, no line that deserves even a warning — it parses bytes straight into
/// integers and pence, interns codes into small per-file ids and adds each row into a per-cell
/// accumulator, without building a row, a string or a hashable key per line.
///
/// It never reports anything. The first thing it does not handle (a quote, a `£`, a thousands
/// separator, an unknown code, a bad header…) makes it give up on the
/// whole file, which is then read by the general path (`CSVTable` and `FieldReader`), which reports
/// every problem with its location. So a file gets exactly the same figures and diagnostics either
/// way; `Tests/BoardPackTests/FastPathTests.swift` checks that both paths agree.
struct ActivityFastPath {
    let commissioners: Set<ShortCode>
    let knownProviders: Set<ShortCode>
    /// Local column names (folded) to columns, from `boardpack.toml`.
    var columns: [String: Int] = [:]
    var chunkSize = 8 << 20
    /// Files larger than this are read in parts on several threads. Safe because the fast path
    /// refuses any quote, so in a file it accepts every line end is a record boundary; a quoted
    /// line break anywhere makes some part give up, and the whole file goes to the general path.
    var splitBytes = 32 << 20
    var parts = Parallel.processorCount

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
        let size = FileReader.size(path) ?? 0
        if parts > 1, size > splitBytes, let output = try readInParts(path: path, size: size) {
            return output
        }
        var state = State(commissioners: commissioners, knownProviders: knownProviders, columns: columns)
        guard try consume(path: path, from: 0, to: nil, into: &state, skipBOM: true) else { return nil }
        return state.finish()
    }

    /// Feeds the lines of `path` from byte `start` up to `end` (or the end of the file) to `state`.
    private func consume(path: String, from start: Int, to end: Int?, into state: inout State, skipBOM: Bool)
        throws -> Bool
    {
        guard let file = try? FileReader(path: path) else { return false }
        var offset = start
        var remaining = end.map { $0 - start } ?? Int.max
        // One buffer, refilled in place: the bytes of a line cut by a read move to its front. Sized
        // for the part (a line longer than the buffer doubles it); the file is read to its end
        // whatever its size was.
        let expected = (FileReader.size(path) ?? chunkSize) - start + 1
        var buffer = [UInt8](repeating: 0, count: max(1, min(chunkSize, remaining, expected)))
        var filled = 0
        var atEOF = false
        var from = 0  // where the lines start: after a byte order mark
        var first = skipBOM
        while !atEOF {
            if filled == buffer.count {
                // A line this long is refused by the general path, with its location: never buffered.
                if buffer.count > CSVLimits.maxRecordBytes { return false }
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let want = min(buffer.count - filled, remaining)
            let count = want > 0 ? try file.read(into: &buffer, at: filled, count: want, offset: offset) : 0
            filled += count
            remaining -= count
            offset += count
            atEOF = count == 0
            if first {
                if filled < 3, !atEOF { continue }  // the three bytes of a byte order mark, first
                first = false
                if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { from = 3 }
            }
            // Complete lines only, unless this is the end of the range.
            var cut = filled
            if !atEOF {
                while cut > from, buffer[cut - 1] != Self.lf { cut -= 1 }
                if cut == from { continue }
            }
            guard state.consume(buffer, from: from, upTo: cut) else { return false }
            for k in 0..<(filled - cut) { buffer[k] = buffer[cut + k] }
            filled -= cut
            from = 0
        }
        return true
    }

    /// Reads a large file in parts on several threads and merges their accumulators. nil: the file
    /// cannot be split (a line too long to find its end); `.some(nil)`: the general path must read it.
    func readInParts(path: String, size: Int) throws -> Output?? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // The header line, first: every part needs its columns.
        let head = [UInt8](try handle.read(upToCount: 1 << 16) ?? Data())
        var bom = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { bom = 3 }
        guard let headerEnd = head[bom...].firstIndex(of: Self.lf).map({ $0 + 1 }) else { return nil }
        var header = State(commissioners: commissioners, knownProviders: knownProviders, columns: columns)
        guard header.consume(Array(head[bom..<headerEnd]), upTo: headerEnd - bom) else { return .some(nil) }
        // Part boundaries just after a line end.
        var bounds = [headerEnd]
        for k in 1..<parts {
            let offset = max(size * k / parts, bounds.last!)
            try handle.seek(toOffset: UInt64(offset))
            let window = [UInt8](try handle.read(upToCount: 1 << 16) ?? Data())
            guard let lf = window.firstIndex(of: Self.lf) else { return nil }
            if offset + lf + 1 < size { bounds.append(offset + lf + 1) }
        }
        bounds.append(size)
        let count = bounds.count - 1
        let states = IndexedResults<State?>(count: count)
        let failures = IndexedResults<Error?>(count: count)
        Parallel.forEach(count) { k in
            var state = header
            if k > 0 { state.line = 0 }  // numbered from the part's start; offset below
            do {
                let ok = try consume(path: path, from: bounds[k], to: bounds[k + 1], into: &state, skipBOM: false)
                states.set(k, ok ? state : nil)
                failures.set(k, nil)
            } catch {
                states.set(k, nil)
                failures.set(k, error)
            }
        }
        if let error = failures.all.compactMap({ $0 }).first { throw error }
        let finished = states.all
        guard finished.allSatisfy({ $0 != nil }) else { return .some(nil) }
        var merged = Output()
        var cells: [ActivityCell] = []
        var lineOffset = 0
        for state in finished.map({ $0! }) {
            let out = state.sortedOutput()
            merged.rows += out.rows
            if let created = out.created, created > (merged.created ?? "") { merged.created = created }
            if let latest = out.latest, latest > merged.latest ?? Int.min {
                merged.latest = latest
                merged.latestLine = out.latestLine + lineOffset
                merged.latestColumn = out.latestColumn
            }
            merged.providers.formUnion(out.providers)
            lineOffset += state.line
            // Merge two runs sorted by key; a cell in both adds up.
            var mergedCells: [ActivityCell] = []
            mergedCells.reserveCapacity(cells.count + out.cells.count)
            var i = 0
            var j = 0
            while i < cells.count || j < out.cells.count {
                if j == out.cells.count || (i < cells.count && cells[i].key < out.cells[j].key) {
                    mergedCells.append(cells[i])
                    i += 1
                } else if i == cells.count || out.cells[j].key < cells[i].key {
                    mergedCells.append(out.cells[j])
                    j += 1
                } else {
                    var cell = cells[i]
                    cell.sums.add(out.cells[j].sums)
                    mergedCells.append(cell)
                    i += 1
                    j += 1
                }
            }
            cells = mergedCells
        }
        // An empty submission is worth a warning: the general path gives it.
        guard merged.rows > 0 else { return .some(nil) }
        merged.cells = cells
        return .some(merged)
    }

    /// The same for a file already in memory (tests and fuzzing).
    func read(bytes: [UInt8]) -> Output? {
        var state = State(commissioners: commissioners, knownProviders: knownProviders, columns: columns)
        var buffer = bytes
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { buffer.removeFirst(3) }
        guard state.consume(buffer, upTo: buffer.count) else { return nil }
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

    /// Ids of codes by their raw bytes (packed into two words with the length): a code written
    /// the same way as before needs no checking. An open-addressing table that hashes with one
    /// multiplication (no `Hasher`); kept at most a quarter full, so a lookup is nearly always its
    /// first slot.
    struct RawCodes {
        private var highs = [UInt64](repeating: 0, count: 64)
        private var lows = [UInt64](repeating: 0, count: 64)
        /// Length plus one; 0 for an empty slot.
        private var lengths = [Int](repeating: 0, count: 64)
        private var ids = [Int](repeating: 0, count: 64)
        private var count = 0

        /// The slot of a code: where it is, or the empty slot where it would go.
        @inline(__always)
        private func find(high: UInt64, low: UInt64, length: Int) -> Int {
            let mask = lengths.count - 1
            let mixed = (high ^ low &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)) &* 0xBF58_476D_1CE4_E5B9
            var k = Int(truncatingIfNeeded: mixed >> 32) & mask
            while lengths[k] != 0 && (lengths[k] != length + 1 || highs[k] != high || lows[k] != low) {
                k = (k + 1) & mask
            }
            return k
        }

        /// The id of a code written this way before, or nil.
        @inline(__always)
        func id(high: UInt64, low: UInt64, length: Int) -> Int? {
            let k = find(high: high, low: low, length: length)
            return lengths[k] != 0 ? ids[k] : nil
        }

        /// Adds a code not yet in the table.
        mutating func insert(high: UInt64, low: UInt64, length: Int, id: Int) {
            if (count + 1) * 4 > lengths.count {
                let old = (highs, lows, lengths, ids)
                let capacity = lengths.count * 2
                highs = [UInt64](repeating: 0, count: capacity)
                lows = [UInt64](repeating: 0, count: capacity)
                lengths = [Int](repeating: 0, count: capacity)
                ids = [Int](repeating: 0, count: capacity)
                for i in old.2.indices where old.2[i] != 0 {
                    let k = find(high: old.0[i], low: old.1[i], length: old.2[i] - 1)
                    (highs[k], lows[k], lengths[k], ids[k]) = (old.0[i], old.1[i], old.2[i], old.3[i])
                }
            }
            let k = find(high: high, low: low, length: length)
            (highs[k], lows[k], lengths[k], ids[k]) = (high, low, length + 1, id)
            count += 1
        }
    }

    /// Bytes compared eight at a time: `words(of:)` takes a run of at least eight bytes as words at
    /// offsets 0, 8, 16… and one more ending at its last byte (overlapping the one before), and
    /// `matches` compares another run with it the same way. `Span` reads each word as one load,
    /// bounds-checked, without unsafe code.
    enum Words {
        @inline(__always)
        static func word(_ b: Span<UInt8>, at i: Int) -> UInt64 {
            let bytes = b.extracting(i..<i &+ 8)
            var w: UInt64 = 0
            for k in 0..<8 { w |= UInt64(bytes[k]) << (8 &* UInt64(k)) }
            return w
        }

        /// The words of `b[start..<start + count]` (count >= 8) into `words`.
        static func take(_ b: [UInt8], from start: Int, count: Int, into words: inout [UInt64]) {
            let span = b.span
            words.removeAll(keepingCapacity: true)
            var k = 0
            while k + 8 <= count {
                words.append(word(span, at: start + k))
                k += 8
            }
            words.append(word(span, at: start + count - 8))
        }

        /// Whether `b[start..<start + count]` holds the bytes `words` were taken from (count >= 8,
        /// the count they were taken with; start + count <= b.count).
        @inline(__always)
        static func matches(_ b: [UInt8], from start: Int, count: Int, words: [UInt64]) -> Bool {
            let span = b.span
            var diff: UInt64 = 0
            var k = 0
            var w = 0
            while k + 8 <= count {
                diff |= word(span, at: start + k) ^ words[w]
                k += 8
                w += 1
            }
            diff |= word(span, at: start + count - 8) ^ words[w]
            return diff == 0
        }
    }

    struct State {
        let commissioners: Set<ShortCode>
        let knownProviders: Set<ShortCode>
        var headerDone = false
        var line = 0
        var fieldCount = 0
        /// What each field of a row is.
        var kinds: [Kind] = []
        /// Ids by code, for commissioner, provider, POD and TFC (slots 0 to 3).
        var codeIDs = [Interner](repeating: Interner(), count: 4)
        /// The same by the raw bytes of a field, to skip checking a code already seen.
        var raws = [RawCodes](repeating: RawCodes(), count: 4)
        var out = Output()
        var lastCreatedRaw: [UInt8] = []
        var lastCreated: String?
        /// `lastCreatedRaw` as `Words`, when it has eight bytes or more.
        var lastCreatedWords: [UInt64] = []
        /// The creation time of the row being parsed, raw and normalised, when it differs from the
        /// previous row's (`Parsed.createdChanged`).
        var pendingCreatedRaw: [UInt8] = []
        var pendingCreated = ""
        var lastProvider = -1
        // Cells: an open-addressing table from the packed key to an index into the columns below.
        var slots = [Int32](repeating: 0, count: 1 << 12)
        var keys: [UInt64] = []
        var plannedActivity: [Int64] = []
        var actualActivity: [Int64] = []
        var plannedPrice: [Int64] = []
        var actualPrice: [Int64] = []
        var rowCounts: [Int] = []

        let columns: [String: Int]

        init(commissioners: Set<ShortCode>, knownProviders: Set<ShortCode>, columns: [String: Int] = [:]) {
            self.commissioners = commissioners
            self.knownProviders = knownProviders
            self.columns = columns
        }

        enum Kind: Equatable {
            case skip, year, month, created
            case code(Int)
            case decimal(Int)
        }

        /// Lines in `b[start..<end]`; false to give up.
        mutating func consume(_ b: [UInt8], from start: Int = 0, upTo end: Int) -> Bool {
            var i = start
            while i < end {
                if !headerDone {
                    var e = i
                    while e < end, b[e] != lf { e += 1 }
                    var lineEnd = e
                    if lineEnd > i, b[lineEnd - 1] == cr { lineEnd -= 1 }
                    guard readHeader(b, from: i, to: lineEnd) else { return false }
                    line += 1
                    i = e + 1
                    continue
                }
                // A blank line.
                if b[i] == lf {
                    line += 1
                    i += 1
                    continue
                }
                if b[i] == cr {
                    guard i + 1 < end, b[i + 1] == lf else { return false }
                    line += 1
                    i += 2
                    continue
                }
                line += 1
                guard let next = row(b, from: i, end: end) else { return false }
                i = next
            }
            return true
        }

        /// One row's values, as parsed.
        struct Parsed {
            var year: Int64 = -1
            var month: Int64 = -1
            var c = -1, p = -1, d = -1, t = -1
            var v0: Int64 = 0, v1: Int64 = 0, v2: Int64 = 0, v3: Int64 = 0
            /// The row's creation time differs from the previous row's: it is in `pendingCreated`.
            /// (Kept out of this struct so that a row's values copy as plain words.)
            var createdChanged = false
        }

        /// The kind of a schema column's values.
        static func kind(of column: Int) -> Kind? {
            typealias A = Schemas.Activity
            switch column {
            case A.year: return .year
            case A.month: return .month
            case A.commissioner: return .code(0)
            case A.provider: return .code(1)
            case A.pod: return .code(2)
            case A.tfc: return .code(3)
            // Rows of a cell add up whatever else tells them apart: the local code is not read.
            case A.localContract: return .skip
            case A.plannedActivity: return .decimal(0)
            case A.actualActivity: return .decimal(1)
            case A.plannedPrice: return .decimal(2)
            case A.actualPrice: return .decimal(3)
            case A.created: return .created
            case A.localContract + 1..<Schemas.activity.columns.count: return .skip  // finer grain: not read
            default: return nil
            }
        }

        /// Whether `byte` ends a CSV field: a comma or a line end.
        @inline(__always)
        static func ends(_ byte: UInt8) -> Bool { byte == comma || byte == lf || byte == cr }

        /// Parses the value of a field of `kind` starting at `b[s]` into `r`, reading up to the first
        /// comma or line end, or to `limit`; returns where it stopped (the caller checks what is
        /// there), or nil when the value is not plain. One pass over the bytes: scanning and parsing
        /// together. Both paths, CSV and XML, read every value here.
        @inline(__always)
        mutating func field(_ kind: Kind, _ b: [UInt8], _ s: Int, _ limit: Int, into r: inout Parsed) -> Int? {
            var i = s
            switch kind {
            case .skip:
                while i < limit, !Self.ends(b[i]) {
                    let byte = b[i]
                    if byte < 0x20 || byte >= 0x7F || byte == 0x22 { return nil }
                    i += 1
                }
            case .year, .month:
                var value: Int64 = 0
                while i < limit, b[i] &- 0x30 < 10 {
                    value = value &* 10 &+ Int64(b[i] &- 0x30)
                    i += 1
                }
                guard i > s, i - s <= 9 else { return nil }
                if kind == .year { r.year = value } else { r.month = value }
            case .code(let slot):
                var high: UInt64 = 0
                var low: UInt64 = 0
                while i < limit, !Self.ends(b[i]) {
                    guard i - s < ShortCode.maxLength else { return nil }
                    if i - s < 8 { high = high << 8 | UInt64(b[i]) } else { low = low << 8 | UInt64(b[i]) }
                    i += 1
                }
                // Every code is required: blank or "-" is for the general path to report.
                if i == s || (i == s + 1 && b[s] == UInt8(ascii: "-")) { return nil }
                var id = raws[slot].id(high: high, low: low, length: i - s)
                if id == nil {
                    guard let admitted = admit(b[s..<i], slot: slot) else { return nil }
                    raws[slot].insert(high: high, low: low, length: i - s, id: admitted)
                    id = admitted
                }
                switch slot {
                case 0: r.c = id!
                case 1: r.p = id!
                case 2: r.d = id!
                default: r.t = id!
                }
            case .decimal(let slot):
                // Digits, then optionally "." and one or two digits: hundredths (pence, or activity).
                var value: Int64 = 0
                while i < limit, b[i] &- 0x30 < 10 {
                    value = value &* 10 &+ Int64(b[i] &- 0x30)
                    i += 1
                }
                guard i > s, i - s <= 15 else { return nil }
                value = value &* 100
                if i < limit, b[i] == UInt8(ascii: ".") {
                    i += 1
                    guard i < limit, b[i] &- 0x30 < 10 else { return nil }
                    value = value &+ Int64(b[i] &- 0x30) &* 10
                    i += 1
                    if i < limit, b[i] &- 0x30 < 10 {
                        value = value &+ Int64(b[i] &- 0x30)
                        i += 1
                    }
                }
                switch slot {
                case 0: r.v0 = value
                case 1: r.v1 = value
                case 2: r.v2 = value
                default: r.v3 = value
                }
            case .created:
                let count = lastCreatedRaw.count
                // Most rows repeat the previous row's creation time, byte for byte.
                if lastCreated != nil, count >= 8, s + count < limit, Self.ends(b[s + count]),
                    Words.matches(b, from: s, count: count, words: lastCreatedWords)
                {
                    return s + count
                }
                var same = lastCreated != nil
                while i < limit, !Self.ends(b[i]) {
                    if same { same = i - s < count && lastCreatedRaw[i - s] == b[i] }
                    i += 1
                }
                if i == s || (i == s + 1 && b[s] == UInt8(ascii: "-")) { return i }
                if same, i - s == count { return i }
                for k in s..<i where b[k] < 0x20 || b[k] >= 0x7F || b[k] == 0x22 { return nil }
                guard b[s] != space, b[i - 1] != space,
                    let (normal, form) = Timestamp.normalise(String(decoding: b[s..<i], as: UTF8.self)),
                    form == nil  // another form is counted by the general path
                else { return nil }
                pendingCreatedRaw.removeAll(keepingCapacity: true)
                pendingCreatedRaw.append(contentsOf: b[s..<i])
                pendingCreated = normal
                r.createdChanged = true
            }
            return i
        }

        /// Adds a parsed row; false (and nothing changed) when it needs the general path.
        /// `yearLine` and `yearColumn` locate its financial year, as the general path would.
        mutating func accept(_ r: Parsed, line: Int, yearLine: Int, yearColumn: Int) -> Bool {
            guard let fy = FinancialYear(acmCode: Int(r.year)), (1...12).contains(r.month) else { return false }
            let (c, p, d, t) = (r.c, r.p, r.d, r.t)
            guard c >= 0, p >= 0, d >= 0, t >= 0, c < 1 << 16, p < 1 << 16, d < 1 << 8, t < 1 << 10 else {
                return false
            }
            let period = FinancialMonth(year: fy, month: Int(r.month)).ordinal
            guard period >= 1900 * 12, period - 1900 * 12 < 1 << 14 else { return false }
            let key =
                UInt64(c) << 48 | UInt64(p) << 32 | UInt64(d) << 24 | UInt64(t) << 14 | UInt64(period - 1900 * 12)
            add(key: key, r.v0, r.v1, r.v2, r.v3)
            // Accepted: only now the file's facts change.
            if r.createdChanged {
                swap(&lastCreatedRaw, &pendingCreatedRaw)
                if lastCreatedRaw.count >= 8 {
                    Words.take(lastCreatedRaw, from: 0, count: lastCreatedRaw.count, into: &lastCreatedWords)
                }
                lastCreated = pendingCreated
                if pendingCreated > (out.created ?? "") { out.created = pendingCreated }
            }
            out.rows += 1
            if period > out.latest ?? Int.min {
                out.latest = period
                out.latestLine = yearLine
                out.latestColumn = yearColumn
            }
            if p != lastProvider {
                out.providers.insert(codeIDs[1].codes[p])
                lastProvider = p
            }
            return true
        }

        /// The columns in the schema's own order (the national extract's layout), with or without
        /// the trailing local contract code: rows then take `schemaOrderRow`.
        static let schemaOrder: [Kind] = (0...Schemas.Activity.localContract).map { kind(of: $0)! }
        var inSchemaOrder = false
        var hasLocalContract = false
        /// The bytes of the last row's first six fields (year to TFC, with the comma after) and
        /// their values, in a file in schema order.
        var lastKeyCount = 0
        var lastKeyWords: [UInt64] = []
        var lastKey = Parsed()

        /// One field of a row in schema order: parsed, then the comma after it (but after the last).
        @inline(__always)
        mutating func next(_ kind: Kind, _ b: [UInt8], _ i: inout Int, _ end: Int, _ r: inout Parsed, last: Bool)
            -> Bool
        {
            guard let stop = field(kind, b, i, end, into: &r) else { return false }
            i = stop
            if last { return true }
            guard i < end, b[i] == comma else { return false }
            i += 1
            return true
        }

        /// `row` for a file whose columns are in schema order: the same steps, each field's kind fixed
        /// where it is parsed rather than looked up per field.
        mutating func schemaOrderRow(_ b: [UInt8], from start: Int, end: Int) -> Int? {
            var i = start
            var r = Parsed()
            let contract = hasLocalContract
            // Finer-grain extracts repeat a contract cell's key over consecutive rows: when the row
            // starts with the previous row's year, month and four codes, written the same way, take
            // their values as parsed then.
            let n = lastKeyCount
            if n >= 8, start + n <= end, Words.matches(b, from: start, count: n, words: lastKeyWords) {
                r.year = lastKey.year
                r.month = lastKey.month
                (r.c, r.p, r.d, r.t) = (lastKey.c, lastKey.p, lastKey.d, lastKey.t)
                i = start + n
            } else {
                guard next(.year, b, &i, end, &r, last: false), next(.month, b, &i, end, &r, last: false),
                    next(.code(0), b, &i, end, &r, last: false), next(.code(1), b, &i, end, &r, last: false),
                    next(.code(2), b, &i, end, &r, last: false), next(.code(3), b, &i, end, &r, last: false)
                else { return nil }
                // (A key is at least "202526,1,A,B,C,D," long; shorter would only skip the reuse.)
                lastKeyCount = i - start
                if lastKeyCount >= 8 { Words.take(b, from: start, count: lastKeyCount, into: &lastKeyWords) }
                lastKey = r
            }
            guard next(.decimal(0), b, &i, end, &r, last: false), next(.decimal(1), b, &i, end, &r, last: false),
                next(.decimal(2), b, &i, end, &r, last: false), next(.decimal(3), b, &i, end, &r, last: false),
                next(.created, b, &i, end, &r, last: !contract), !contract || next(.skip, b, &i, end, &r, last: true)
            else { return nil }
            return finishRow(b, r, at: i, end: end, yearColumn: 1)
        }

        /// Parses one CSV data row starting at `start`; the index after its line end, or nil to give up.
        mutating func row(_ b: [UInt8], from start: Int, end: Int) -> Int? {
            if inSchemaOrder { return schemaOrderRow(b, from: start, end: end) }
            var i = start
            var r = Parsed()
            var yearColumn = 0
            for f in 0..<fieldCount {
                let kind = kinds[f]
                if kind == .year { yearColumn = i - start + 1 }
                guard let stop = field(kind, b, i, end, into: &r) else { return nil }
                i = stop
                // The field must end at a comma, or at the line end after the last field.
                if f < fieldCount - 1 {
                    guard i < end, b[i] == comma else { return nil }
                    i += 1
                }
            }
            return finishRow(b, r, at: i, end: end, yearColumn: yearColumn)
        }

        /// After a row's last field: its line end (none at the very end of the file), then the row
        /// is added.
        @inline(__always)
        mutating func finishRow(_ b: [UInt8], _ r: Parsed, at index: Int, end: Int, yearColumn: Int) -> Int? {
            var i = index
            if i < end {
                if b[i] == cr {
                    guard i + 1 < end, b[i + 1] == lf else { return nil }
                    i += 2
                } else {
                    guard b[i] == lf else { return nil }
                    i += 1
                }
            }
            return accept(r, line: line, yearLine: line, yearColumn: yearColumn) ? i : nil
        }

        /// Adds one XML record given as field spans over `b`; false (and nothing changed) when the
        /// record needs the general path. The spans' lines are the field elements' lines.
        mutating func record(_ b: [UInt8], spans: [FieldSpan], line: Int) -> Bool {
            var r = Parsed()
            for (column, span) in spans.enumerated() {
                guard let kind = Self.kind(of: column) else { continue }
                if span.isPresent {
                    guard field(kind, b, span.start, span.end, into: &r) == span.end else { return false }
                } else if kind != .created && kind != .skip {
                    return false  // a required value is missing: the general path says so
                }
            }
            let year = spans[Schemas.Activity.year]
            return accept(r, line: line, yearLine: year.line, yearColumn: year.column)
        }

        /// The cells so far, for the general path to carry on from.
        func cellsSoFar() -> [ActivityCell] { keys.indices.map(cell) }

        /// Cell `index` as the rest of BoardPack sees it: the packed key unpacked, the sums typed.
        func cell(_ index: Int) -> ActivityCell {
            let key = keys[index]
            let activityKey = ActivityKey(
                commissioner: codeIDs[0].codes[Int(key >> 48)], provider: codeIDs[1].codes[Int(key >> 32 & 0xFFFF)],
                pointOfDelivery: codeIDs[2].codes[Int(key >> 24 & 0xFF)],
                treatmentFunction: codeIDs[3].codes[Int(key >> 14 & 0x3FF)],
                period: FinancialMonth(ordinal: Int(key & 0x3FFF) + 1900 * 12))
            let sums = ActivitySums(
                plannedActivity: Quantity(hundredths: plannedActivity[index]),
                actualActivity: Quantity(hundredths: actualActivity[index]),
                plannedPrice: Money(pence: plannedPrice[index]), actualPrice: Money(pence: actualPrice[index]),
                rows: rowCounts[index])
            return ActivityCell(key: activityKey, sums: sums)
        }

        /// Binds the header's columns; false when any needs a message (unknown, repeated, missing).
        mutating func readHeader(_ b: [UInt8], from start: Int, to end: Int) -> Bool {
            var headers: [String] = []
            var s = start
            for i in start...end where i == end || b[i] == comma {
                headers.append(String(decoding: b[s..<i], as: UTF8.self))
                s = i + 1
            }
            guard !headers.joined().utf8.contains(where: { $0 == 0x22 || $0 >= 0x80 }) else { return false }
            headerDone = true
            fieldCount = headers.count
            kinds = [Kind](repeating: .skip, count: fieldCount)
            var seen = Set<Int>()
            for (index, header) in headers.enumerated() {
                if header.trimmingSpaces.isEmpty { continue }
                guard let column = Schemas.activity.match(header: header, mapping: columns),
                    seen.insert(column).inserted
                else {
                    return false
                }
                guard let kind = Self.kind(of: column) else { return false }
                kinds[index] = kind
            }
            inSchemaOrder = kinds == Self.schemaOrder || kinds == Self.schemaOrder.dropLast()
            hasLocalContract = kinds.count == Self.schemaOrder.count
            return Schemas.activity.columns.indices.allSatisfy {
                !Schemas.activity.columns[$0].required || seen.contains($0)
            }
        }

        /// Checks a code seen for the first time in this file (in the raw form it was written):
        /// its characters, and that it is known. Returns its id, or nil to give up.
        mutating func admit(_ bytes: ArraySlice<UInt8>, slot: Int) -> Int? {
            guard case .success(let code) = ShortCode.parse(bytes) else { return nil }
            let (id, isNew) = codeIDs[slot].id(code)
            if isNew {
                switch slot {
                case 0: guard commissioners.contains(code) else { return nil }
                case 1: guard knownProviders.contains(code) else { return nil }
                case 2: guard ActivityLoader.knownPODs.contains(code) else { return nil }
                case 3: guard ActivityLoader.knownTFCs.contains(code) else { return nil }
                default: break
                }
            }
            return id
        }

        /// Adds a row's values into its cell: rows of one cell add up, whatever else tells them apart.
        mutating func add(key: UInt64, _ pa: Int64, _ aa: Int64, _ pp: Int64, _ ap: Int64) {
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
                    slots[slot] = Int32(keys.count)
                    if keys.count * 2 > slots.count { grow() }
                    return
                }
                let index = entry - 1
                if keys[index] == key {
                    plannedActivity[index] += pa
                    actualActivity[index] += aa
                    plannedPrice[index] += pp
                    actualPrice[index] += ap
                    rowCounts[index] += 1
                    return
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

        func finish() -> Output? {
            // An empty submission is worth a warning: the general path gives it.
            guard headerDone, out.rows > 0 else { return nil }
            return sortedOutput()
        }

        /// The output with its cells in key order.
        func sortedOutput() -> Output {
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
            let (rc, rp, rd, rt) = (ranks(codeIDs[0]), ranks(codeIDs[1]), ranks(codeIDs[2]), ranks(codeIDs[3]))
            var order: [(UInt64, Int)] = keys.enumerated().map { index, key in
                let sortKey =
                    rc[Int(key >> 48)] << 48 | rp[Int(key >> 32 & 0xFFFF)] << 32 | (key & 0x3FFF) << 18
                    | rd[Int(key >> 24 & 0xFF)] << 10 | rt[Int(key >> 14 & 0x3FF)]
                return (sortKey, index)
            }
            order.sort { $0.0 < $1.0 }
            for (_, index) in order { result.cells.append(cell(index)) }
            return result
        }
    }
}
