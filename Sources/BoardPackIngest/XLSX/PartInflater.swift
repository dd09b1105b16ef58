import BoardPackCore
import CPlatform
import Foundation
import ZIPFoundation

/// Inflates one workbook part on a thread of its own while the caller parses it, so that inflating
/// and parsing share the machine's cores. The pieces cross in a `Handoff` (at most
/// `PartInflater.depth` pieces of `PartInflater.pieceBytes` wait at once, whatever the part's size),
/// and the thread ends with the part. It opens the container itself: only the file's path and the
/// part's name cross to it, and only byte arrays and the outcome come back.
struct PartInflater {
    /// The inflated bytes handed over at a time.
    static let pieceBytes = 1 << 16
    /// The pieces that may wait for the parser.
    static let depth = 16

    /// How the inflating ended.
    enum Outcome: Equatable, Sendable {
        /// Every byte was handed over; `checksumMatches` tells whether they are the part's.
        case complete(checksumMatches: Bool)
        /// The part expanded past the limits after this many bytes.
        case tooLarge(expanded: UInt64)
        /// The reader stopped taking pieces.
        case cancelled
        /// The container or the part could not be read.
        case damaged(String)
    }

    private let pieces = Handoff<[UInt8]>(depth: PartInflater.depth)
    private let outcome = Handoff<Outcome>(depth: 1)

    /// Starts inflating `part` of the workbook at `path`; `storedSize` is its compressed size.
    init(path: String, part: String, storedSize: UInt64) {
        let pieces = self.pieces
        let outcome = self.outcome
        let thread = Thread {
            outcome.give(Self.inflate(path: path, part: part, storedSize: storedSize, into: pieces))
            outcome.close()
            pieces.close()
        }
        thread.name = "boardpack-inflate"
        thread.start()
    }

    /// Whether `expanded` bytes from `stored` break the documented limits.
    static func tooLarge(_ expanded: UInt64, stored: UInt64) -> Bool {
        expanded > XLSXLimits.maxPartBytes
            || (expanded > XLSXLimits.ratioFloor && expanded / max(stored, 1) > XLSXLimits.maxRatio)
    }

    private struct Stop: Error {
        let outcome: Outcome
    }

    private static func inflate(path: String, part: String, storedSize: UInt64, into pieces: Handoff<[UInt8]>)
        -> Outcome
    {
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            guard let entry = archive[part] else { return .damaged("the part is missing") }
            var expanded: UInt64 = 0
            var crc: UInt32 = 0
            // The checksum by zlib as the bytes go by (ZIPFoundation's own is much slower on Linux).
            _ = try archive.extract(entry, bufferSize: pieceBytes, skipCRC32: true) { data in
                expanded += UInt64(data.count)
                // The declared size can lie: the bytes themselves are counted.
                if tooLarge(expanded, stored: storedSize) { throw Stop(outcome: .tooLarge(expanded: expanded)) }
                let bytes = [UInt8](data)
                crc = boardpack_crc32(crc, bytes, bytes.count)
                guard pieces.give(bytes) else { throw Stop(outcome: .cancelled) }
            }
            return .complete(checksumMatches: crc == entry.checksum)
        } catch let stop as Stop {
            return stop.outcome
        } catch {
            return .damaged("\(error)")
        }
    }

    /// The next piece, waiting for it; nil once the part has ended (see `finished()`).
    func next() -> [UInt8]? { pieces.take() }

    /// Stops the inflating (when the reader needs no more), waits for the thread's outcome, and
    /// tells it. Asked once.
    func finished() -> Outcome {
        pieces.cancel()
        return outcome.take() ?? .cancelled
    }
}
