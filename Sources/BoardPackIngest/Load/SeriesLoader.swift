import BoardPackCore

/// A dated series for `boardpack spc`: a CSV of `date,value`, dates `YYYY-MM-DD` (daily, weekly)
/// or `YYYY-MM` (monthly), values plain decimals. Every problem is a located error; the rows come
/// back in date order.
public enum SeriesLoader {
    public struct Point: Sendable, Equatable {
        /// `YYYY-MM-DD`; a month is its first day.
        public var date: String
        /// The date as the file wrote it.
        public var written: String
        public var value: Double
    }

    static let schema = InputSchema(
        name: "series (date,value)", key: "series",
        columns: [
            InputSchema.Column(name: "date", aliases: ["period", "month", "week"], required: true),
            InputSchema.Column(name: "value", aliases: [], required: true),
        ])

    public static func load(path: String, displayPath: String, log: DiagnosticLog) throws -> [Point] {
        var points: [Point] = []
        var seen: [String: SourceLocation] = [:]
        try CSVTable.read(path: path, displayPath: displayPath, schema: schema, log: log) { row in
            var f = FieldReader(row, log: log)
            let date = f.date(0, required: true)
            let value = f.plainNumber(1, required: true)
            guard f.ok, let (date, text) = date, let value else { return }
            if let earlier = seen[date] {
                log.error(
                    "dup.date", row.location(0), field: "date", value: text,
                    "the date appears twice (first at line \(earlier.line))", hint: "keep one value per date")
                return
            }
            seen[date] = row.location(0)
            points.append(Point(date: date, written: text, value: value))
        }
        return points.sorted { $0.date < $1.date }
    }

    /// `YYYY-MM-DD` for a date or month that exists; nil otherwise.
    public static func normalisedDate(_ text: String) -> String? {
        guard let (y, m, d) = dateParts(text), CivilDate.exists(year: y, month: m, day: d) else { return nil }
        return String(CivilDate.iso(y, m, d, 0, 0, 0).prefix(10))
    }

    /// Why `text` is not a date: a form BoardPack does not read, or a date in a read form that
    /// does not exist (`2026-02-30`).
    public static func dateProblem(_ text: String) -> String {
        dateParts(text) == nil
            ? "not a date in a form BoardPack reads (YYYY-MM-DD, YYYY-MM or day first dd/mm/yyyy)"
            : "not a date that exists"
    }

    /// Year, month and day of `YYYY-MM-DD`, `YYYY-MM` (the first day) or day-first `dd/mm/yyyy`,
    /// as written (not checked to exist); nil for any other form.
    static func dateParts(_ text: String) -> (Int, Int, Int)? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count, range.allSatisfy({ b[$0] &- 0x30 < 10 }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
        }
        if b.count == 10, b[2] == 0x2F, b[5] == 0x2F, let d = number(0..<2), let m = number(3..<5),
            let y = number(6..<10)
        {
            return (y, m, d)
        }
        guard b.count == 7 || b.count == 10, let y = number(0..<4), b[4] == 0x2D, let m = number(5..<7) else {
            return nil
        }
        var d = 1
        if b.count == 10 {
            guard b[7] == 0x2D, let day = number(8..<10) else { return nil }
            d = day
        }
        return (y, m, d)
    }
}
