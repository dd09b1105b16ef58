import BoardPackCore
import BoardPackSample
import Testing

@testable import BoardPackIngest

/// `QuickValue` reads the common forms of a number straight from bytes; wherever it accepts one,
/// `DecimalParser` (what `FieldReader` uses) must read the same value.
@Suite("QuickValue agrees with DecimalParser")
struct QuickValueTests {
    static func check(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int64?? {
        let b = Array(text.utf8)
        var result: Int64?? = .none
        for money in [false, true] {
            guard let quick = QuickValue.hundredths(b, 0, b.count, money: money) else { continue }
            let slow = DecimalParser.parse(b, scale: 2, allowCurrency: money)
            #expect(slow == .success(quick), "\(text) (money: \(money))", sourceLocation: sourceLocation)
            if money { result = .some(quick) }
        }
        return result
    }

    @Test("Thousands separators, £ and signs as exports write them")
    func forms() {
        #expect(Self.check("£1,234.56") == .some(123_456))
        #expect(Self.check("-£1,234,567.5") == .some(-123_456_750))
        #expect(Self.check("1,234") == .some(123_400))
        #expect(Self.check("0,123") == .some(12_300))
        #expect(Self.check("12.3") == .some(1_230))
        // Left to FieldReader (which reads or refuses them with a reason): misplaced separators,
        // a sign after the £, brackets, three decimals.
        for text in ["1,23", "1234,567", ",123", "1,", "£-12", "(12.00)", "1.005", "1,234.", "£", "-", "1 234"] {
            let b = Array(text.utf8)
            #expect(QuickValue.hundredths(b, 0, b.count, money: true) == nil, "\(text)")
        }
        // Activity takes no £ and no sign.
        let gbp = Array("£12".utf8)
        #expect(QuickValue.hundredths(gbp, 0, gbp.count, money: false) == nil)
    }

    @Test("Random strings over the characters numbers are written with")
    func random() {
        let seed = TestSeed.value
        print("QuickValueTests seed \(seed)")
        var rng = SplitMix64(seed: seed)
        let alphabet = ["0", "1", "5", "9", ",", ".", "-", "£", "(", ")", " ", "E"]
        for _ in 0..<20_000 {
            let count = Int(rng.next() % 12) + 1
            let text = (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            _ = Self.check(text)
        }
    }
}
