import BoardPackCore
import Testing

@testable import BoardPackIngest
@testable import BoardPackRender

@Suite("Exact money and number parsing")
struct MoneyAndNumberTests {
    @Test(
        "figures.json writes integers and strings as Swift prints and JSON escapes them",
        arguments: [
            Int64.min, Int64.min + 1, -1_000_000_007, -10, -9, -1, 0, 1, 9, 10, 99, 100, 62_297_200_000, Int64.max,
        ]
    )
    func jsonIntegers(_ value: Int64) {
        var out = Array("[".utf8)  // after what is already written
        JSONValue.writeInteger(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[" + String(value))
    }

    @Test(
        "Display numbers are grouped in threes",
        arguments: [
            (Int64(0), "0"), (7, "7"), (999, "999"), (1000, "1,000"), (-1000, "-1,000"), (123_456, "123,456"),
            (1_234_567, "1,234,567"), (-12_345_678, "-12,345,678"), (Int64.max, "9,223,372,036,854,775,807"),
            (Int64.min, "-9,223,372,036,854,775,808"),
        ])
    func grouped(_ value: Int64, _ text: String) {
        #expect(Format.grouped(value) == text)
    }

    @Test("JSON strings: plain text as is, quotes, backslashes and control characters escaped")
    func jsonStrings() {
        #expect(JSONValue.string("NHS Beta | Gamma <CCG>").compact() == "\"NHS Beta | Gamma <CCG>\"")
        #expect(JSONValue.string("a\"b\\c\nd\u{1}é").compact() == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }

    @Test(
        "Finance-system money forms are read exactly, in pence",
        arguments: [
            ("1234.56", Int64(123_456)), ("£1,234.56", 123_456), ("1,234", 123_400), ("(1,234.56)", -123_456),
            ("-£5", -500), ("0.1", 10), ("12.345", 1_235), ("12.344", 1_234), ("-12.345", -1_235),
            ("1,234,567.89", 123_456_789), ("+7", 700), ("(£2.50)", -250),
        ])
    func money(text: String, pence: Int64) {
        #expect(DecimalParser.parse(Array(text.utf8), scale: 2, allowCurrency: true) == .success(pence))
    }

    @Test(
        "Values that are not numbers are rejected, never read as zero",
        arguments: [
            "TBC", "#REF!", "#DIV/0!", "#N/A", "N/A", "1E+05", "1.2e3", "12,34", "1,2345", "1.2.3", "£", "(12",
            "12-", "--1", "1 234",
        ])
    func rejected(text: String) {
        guard case .failure = DecimalParser.parse(Array(text.utf8), scale: 2, allowCurrency: true) else {
            Issue.record("\(text) was accepted")
            return
        }
    }

    @Test("A currency sign is refused in an activity column")
    func currencyInActivity() {
        guard case .failure(let problem) = DecimalParser.parse(Array("£12".utf8), scale: 2, allowCurrency: false) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.message.contains("currency"))
    }

    @Test("Rounding to whole pounds is half away from zero")
    func rounding() {
        #expect(Money(pence: 150).roundedPounds == 2)
        #expect(Money(pence: 149).roundedPounds == 1)
        #expect(Money(pence: -150).roundedPounds == -2)
        #expect(Money(pence: -149).roundedPounds == -1)
        #expect(FixedPoint.perMille(2, of: 3) == 667)
        #expect(FixedPoint.perMille(-1, of: 8) == -125)
        #expect(FixedPoint.perMille(1, of: 0) == nil)
    }

    @Test("Display formats")
    func display() {
        // Tables state £ in the header and bracket negatives; prose carries the £.
        #expect(Format.money(Money(pence: 123_456_789)) == "1,234,568")
        #expect(Format.money(Money(pence: -123_456_789)) == "(1,234,568)")
        #expect(Format.signedMoney(Money(pence: -99_950)) == "(1,000)")
        #expect(Format.signedMoney(Money(pence: 100)) == "+1")
        #expect(Format.pounds(Money(pence: -99_950)) == "(£1,000)")
        #expect(Format.signedPounds(Money(pence: 100)) == "+£1")
        #expect(Format.pounds(Money(pence: -49)) == "£0")
        #expect(Format.percent(958) == "95.8%")
        #expect(Format.months([1, 2, 3, 5, 7, 8]) == "M1–M3, M5, M7–M8")
        #expect(Money(pence: -5).description == "-0.05")
        #expect(Quantity(hundredths: 1250).description == "12.5")
    }

    @Test("Codes are folded to upper case and limited in length and characters")
    func codes() {
        #expect(ShortCode("rxx")?.description == "RXX")
        #expect(ShortCode("OPFUPSPNCL")?.description == "OPFUPSPNCL")
        #expect(ShortCode("ABCDEFGHIJKLMNOPQ") == nil)
        #expect(ShortCode("R X") == nil)
        #expect(ShortCode("00A")! < ShortCode("00B")!)
        #expect(ShortCode("AB")! < ShortCode("ABC")!)
    }

    @Test("Financial periods")
    func periods() {
        let october = FinancialMonth(calendarText: "2026-10")!
        #expect(october.month == 7)
        #expect(october.year.acmCode == 202627)
        let march = FinancialMonth(calendarText: "2027-03")!
        #expect(march.month == 12 && march.year.startYear == 2026)
        #expect(FinancialMonth(calendarText: "2026-13") == nil)
        #expect(FinancialYear(acmCode: 202627) != nil)
        #expect(FinancialYear(acmCode: 202628) == nil)
        #expect(FinancialMonth(ordinal: october.ordinal) == october)
    }
}
