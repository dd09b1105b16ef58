/// Reads decimal numbers the way finance exports write them, exactly, into a
/// scaled integer (pence for money, hundredths for activity).
///
/// Accepted: digits with an optional `.` fraction; an optional leading `-` or
/// `+`; thousands separators `,` between groups of three digits; a negative in
/// brackets `(1,234.56)`; for money a leading `£` (after any sign or bracket).
/// Rounding: digits beyond the scale are rounded half away from zero.
/// Rejected with a reason: anything else, including exponent forms (`1E+05`),
/// spreadsheet errors (`#REF!`), `TBC` and `N/A`.
enum DecimalParser {
    struct Problem: Error, Equatable {
        let message: String
        let hint: String?
    }

    static func parse<C: Collection>(_ bytes: C, scale: Int, allowCurrency: Bool) -> Result<Int64, Problem>
    where C.Element == UInt8 {
        var rest = ArraySlice(bytes)
        func bad(_ message: String, _ hint: String? = nil) -> Result<Int64, Problem> {
            .failure(Problem(message: message, hint: hint))
        }
        let plain = "write a plain number such as 1234.56"
        if let first = rest.first, first == UInt8(ascii: "#") {
            return bad("a spreadsheet error value, not a number", "fix the formula in the source workbook")
        }
        var negative = false
        var bracketed = false
        if rest.first == UInt8(ascii: "(") {
            bracketed = true
            negative = true
            rest = rest.dropFirst()
            guard rest.last == UInt8(ascii: ")") else { return bad("an opening bracket without a closing one", plain) }
            rest = rest.dropLast()
        }
        if !bracketed, let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.starts(with: [0xC2, 0xA3]) {
            guard allowCurrency else { return bad("a currency sign in a column that is not money", plain) }
            rest = rest.dropFirst(2)
        }
        var whole: Int64 = 0
        var digitsBeforePoint = 0
        var groupDigits = -1  // digits since the last thousands separator; -1 before any separator
        var sawDigit = false
        var fraction: Int64 = 0
        var fractionDigits = 0
        var roundUp = false
        var inFraction = false
        let limit = Int64.max / 100
        for byte in rest {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                let digit = Int64(byte - 48)
                if inFraction {
                    if fractionDigits < scale {
                        fraction = fraction * 10 + digit
                        fractionDigits += 1
                    } else if fractionDigits == scale {
                        roundUp = digit >= 5
                        fractionDigits += 1
                    }
                } else {
                    guard whole < limit else { return bad("the number is too large", plain) }
                    whole = whole * 10 + digit
                    digitsBeforePoint += 1
                    if groupDigits >= 0 { groupDigits += 1 }
                }
            case UInt8(ascii: ","):
                guard !inFraction, digitsBeforePoint > 0, groupDigits == -1 || groupDigits == 3 else {
                    return bad("misplaced thousands separator", plain)
                }
                if groupDigits == -1 && digitsBeforePoint > 3 { return bad("misplaced thousands separator", plain) }
                groupDigits = 0
            case UInt8(ascii: "."):
                guard !inFraction else { return bad("more than one decimal point", plain) }
                if groupDigits >= 0 && groupDigits != 3 { return bad("misplaced thousands separator", plain) }
                inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                return bad(
                    sawDigit ? "exponent notation is not accepted" : "not a number",
                    sawDigit ? "format the column as a number with no exponent" : plain)
            default:
                return bad("not a number", plain)
            }
        }
        guard sawDigit else { return bad("not a number", plain) }
        if !inFraction && groupDigits >= 0 && groupDigits != 3 { return bad("misplaced thousands separator", plain) }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        for _ in fractionDigits..<max(fractionDigits, scale) { fraction *= 10 }
        var value = whole.multipliedReportingOverflow(by: multiplier)
        guard !value.overflow else { return bad("the number is too large", plain) }
        value = value.partialValue.addingReportingOverflow(fraction + (roundUp ? 1 : 0))
        guard !value.overflow else { return bad("the number is too large", plain) }
        return .success(negative ? -value.partialValue : value.partialValue)
    }
}
