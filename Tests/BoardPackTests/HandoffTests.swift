import BoardPackCore
import BoardPackSample
import Foundation
import Testing

/// The hand-off between a workbook's threads: every item arrives once and in order, whatever the
/// depth; a taker that stops makes the giver stop; a closed hand-off ends the taker.
@Suite("Handoff")
struct HandoffTests {
    /// Gives `count` items from another thread and takes them here.
    private static func run(count: Int, depth: Int, pieceSize: Int) -> [[Int]] {
        let handoff = Handoff<[Int]>(depth: depth)
        let given = Handoff<Bool>(depth: 1)
        let thread = Thread {
            var all = true
            for i in 0..<count { all = handoff.give(Array(repeating: i, count: pieceSize)) && all }
            handoff.close()
            given.give(all)
            given.close()
        }
        thread.start()
        var taken: [[Int]] = []
        while let item = handoff.take() { taken.append(item) }
        #expect(given.take() == true)
        return taken
    }

    @Test("Every item arrives once, in the order given", arguments: [1, 2, 16])
    func order(depth: Int) {
        let seed = TestSeed.value
        print("HandoffTests seed \(seed)")
        var random = SplitMix64(seed: seed &+ UInt64(depth))
        let count = 500 + Int(random.next() % 1500)
        let pieceSize = 1 + Int(random.next() % 64)
        let taken = Self.run(count: count, depth: depth, pieceSize: pieceSize)
        #expect(taken.count == count, "seed \(seed)")
        #expect(
            taken.enumerated().allSatisfy { i, item in item == Array(repeating: i, count: pieceSize) }, "seed \(seed)")
    }

    @Test("A taker that stops makes the giver stop, however full the hand-off is")
    func cancel() {
        let handoff = Handoff<Int>(depth: 2)
        let stoppedAt = Handoff<Int>(depth: 1)
        let thread = Thread {
            var i = 0
            while handoff.give(i) { i += 1 }
            stoppedAt.give(i)
            stoppedAt.close()
        }
        thread.start()
        #expect(handoff.take() == 0)
        #expect(handoff.take() == 1)
        handoff.cancel()
        // The giver was refused somewhere past the two taken, and at most two more could wait.
        let at = stoppedAt.take()
        #expect(at != nil && at! >= 2 && at! <= 4)
        #expect(handoff.take() == nil)
        #expect(handoff.give(99) == false)
    }

    @Test("A closed hand-off gives what waits, then nil")
    func close() {
        let handoff = Handoff<String>(depth: 3)
        #expect(handoff.give("a"))
        #expect(handoff.give("b"))
        handoff.close()
        #expect(handoff.take() == "a")
        #expect(handoff.take() == "b")
        #expect(handoff.take() == nil)
        #expect(handoff.take() == nil)
    }
}
