import BoardPackCore

/// How a workbook's stored values become the text the loaders read (docs/inputs.md, "Excel
/// workbooks"): numbers exactly as the cell holds them to Excel's 15 significant digits, dates from
/// serial numbers, percentages in percent.
enum XLSXValues {
    /// Excel keeps and shows 15 significant digits; the 16th and 17th that a file may carry
    /// (`1234.5699999999999`) are binary noise, not what was typed.
    static let significantDigits = 15

    /// A stored number (`1234.5699999999999`, `1E-3`, `-42`) as a plain decimal (`1234.57`,
    /// `0.001`, `-42`), rounded half away from zero to 15 significant digits, optionally × 10^shift
    /// (2 for a percentage). nil when the text is not a number.
    /// Appends `plain(text, shift:)` to `out`; false (nothing appended) when it is not a number.
    /// A number already plain and within 15 digits (what spreadsheets write for typed values) is
    /// copied as it is.
    static func appendPlain(_ text: ArraySlice<UInt8>, shift: Int = 0, to out: inout [UInt8]) -> Bool {
        if shift == 0, let end = plainEnd(text) {
            out.append(contentsOf: text[text.startIndex..<end])
            return true
        }
        guard let value = plain(Array(text), shift: shift) else { return false }
        out += value
        return true
    }

    /// Where the plain form of `text` ends when `text` is already plain but for trailing zeros
    /// after the point (`241672.90`, `180.0`): `-?digits(.digits)?` with at most 15 digits and no
    /// needless leading zero. nil when it needs `plain` (an exponent, 16 or more digits, `-0`, …).
    static func plainEnd(_ text: ArraySlice<UInt8>) -> Int? {
        var i = text.startIndex
        if i < text.endIndex, text[i] == UInt8(ascii: "-") { i += 1 }
        let first = i
        var digits = 0
        var nonZero = false
        var point = -1
        while i < text.endIndex {
            let b = text[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
                if b != 0x30 { nonZero = true }
            } else if b == UInt8(ascii: "."), point < 0 {
                point = i
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= significantDigits, point != first, point != text.endIndex - 1 else { return nil }
        if text[first] == 0x30, first + 1 < text.endIndex, text[first + 1] != UInt8(ascii: ".") { return nil }
        if first > text.startIndex && !nonZero { return nil }
        guard point >= 0 else { return text.endIndex }
        var end = text.endIndex
        while text[end - 1] == 0x30 { end -= 1 }
        if end - 1 == point { end -= 1 }
        return end
    }

    static func plain(_ text: [UInt8], shift: Int = 0) -> [UInt8]? {
        var i = 0
        var negative = false
        if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        var pointAt: Int?
        var sawDigit = false
        while i < text.count {
            let b = text[i]
            if b >= 0x30 && b <= 0x39 {
                sawDigit = true
                digits.append(b - 0x30)
            } else if b == UInt8(ascii: "."), pointAt == nil {
                pointAt = digits.count
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if i < text.count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var sawExp = false
            while i < text.count, text[i] >= 0x30, text[i] <= 0x39, exponent < 10_000 {
                exponent = exponent * 10 + Int(text[i] - 0x30)
                sawExp = true
                i += 1
            }
            guard sawExp else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == text.count, exponent.magnitude < 400 else { return nil }
        // value = 0.d1d2d3… × 10^point, with leading zeros removed.
        var point = (pointAt ?? digits.count) + exponent + shift
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            point -= 1
        }
        guard !digits.isEmpty else { return Array("0".utf8) }
        if digits.count > significantDigits {
            let roundUp = digits[significantDigits] >= 5
            digits.removeLast(digits.count - significantDigits)
            if roundUp {
                var k = digits.count - 1
                while k >= 0 {
                    if digits[k] == 9 {
                        digits[k] = 0
                        k -= 1
                    } else {
                        digits[k] += 1
                        break
                    }
                }
                if k < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    point += 1
                }
            }
        }
        while let last = digits.last, last == 0, digits.count > 1 { digits.removeLast() }
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        func digit(_ k: Int) -> UInt8 { k >= 0 && k < digits.count ? digits[k] + 0x30 : 0x30 }
        if point <= 0 {
            out += [0x30, UInt8(ascii: ".")] + Array(repeating: 0x30, count: -point) + digits.map { $0 + 0x30 }
        } else {
            for k in 0..<max(point, 1) { out.append(digit(k)) }
            if digits.count > point {
                out.append(UInt8(ascii: "."))
                for k in point..<digits.count { out.append(digit(k)) }
            }
        }
        return out
    }

    /// Days from 1 January 1904 (serial 0 of the 1904 system) to 1 January 1970.
    static let epoch1904 = 24_107

    /// A serial date (days since the epoch of the workbook's date system, the fraction the time of
    /// day) as `YYYY-MM-DD`, with `THH:MM:SS` when it has a time or the format shows one. In the
    /// 1900 system serial 60 is Excel's 29 February 1900, a day that never was: it is written as
    /// such, and read as a date that does not exist.
    static func date(_ text: [UInt8], date1904: Bool, withTime: Bool) -> [UInt8]? {
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite, value >= 0,
            value < 3_000_000
        else { return nil }
        var days = Int(value.rounded(.down))
        var seconds = Int(((value - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let civil: (Int, Int, Int)
        if date1904 {
            civil = CivilDate.fromDays(days - Self.epoch1904)
        } else if days == 0 {
            civil = (1900, 1, 0)
        } else if days == 60 {
            civil = (1900, 2, 29)
        } else {
            civil = CivilDate.fromDays(days - (days < 60 ? ExcelSerial.unixEpoch - 1 : ExcelSerial.unixEpoch))
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var out = "\(civil.0)-\(two(civil.1))-\(two(civil.2))"
        if withTime || seconds != 0 {
            out += "T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        }
        return Array(out.utf8)
    }

    /// The column and row of a cell reference (`F12`).
    static func reference(_ ref: [UInt8]) -> (column: Int, row: Int)? { reference(ref.span) }

    static func reference(_ ref: Span<UInt8>) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var i = 0
        while i < ref.count, let u = Optional(ref[i] & 0xDF), u >= 65, u <= 90 {
            column = column * 26 + Int(u - 64)
            i += 1
            if column > 16_384 { return nil }
        }
        let digitsStart = i
        while i < ref.count, ref[i] >= 0x30, ref[i] <= 0x39 {
            row = row * 10 + Int(ref[i] - 0x30)
            i += 1
            if row > 1_048_576 { return nil }
        }
        guard i == ref.count, column > 0, i > digitsStart, row > 0 else { return nil }
        return (column, row)
    }

    /// What a number format shows: a date (with or without a time of day), a percentage, or a
    /// plain number. Built-in formats by id (ECMA-376 §18.8.30), custom ones by their code:
    /// d, m, y, h or s outside quotes, brackets and escapes make a date; `%` a percentage.
    enum Shown: Equatable {
        case number, percent
        case date(time: Bool)
    }

    static func shown(id: Int, code: String?) -> Shown {
        switch id {
        case 9, 10: return .percent
        case 14...17, 27...31, 34...36, 50...58: return .date(time: false)
        case 18...22, 32, 33, 45...47: return .date(time: true)
        default: break
        }
        guard let code else { return .number }
        var plain = ""
        var inQuote = false
        var inBracket = false
        var escape = false
        // Only the first section (positive numbers) says what the cell shows.
        for ch in code {
            if escape {
                escape = false
                continue
            }
            if inQuote {
                if ch == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if ch == "]" { inBracket = false }
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escape = true
            case ";": return classify(plain)
            default: plain.append(ch)
            }
        }
        return classify(plain)
    }

    private static func classify(_ plain: String) -> Shown {
        let lower = plain.lowercased()
        if lower == "general" { return .number }
        if lower.contains(where: { "dmy".contains($0) }) {
            return .date(time: lower.contains("h") || lower.contains("s"))
        }
        if lower.contains("h") || lower.contains("s") { return .date(time: true) }
        if lower.contains("%") { return .percent }
        return .number
    }
}
