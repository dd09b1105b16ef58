import BoardPackCore
import Foundation

/// Looks at an XML input before libxml2 parses anything, in one linear pass:
///
/// - a DOCTYPE (with its entity declarations) in the first 64 KiB never reaches the parser
///   (libxml2 still rejects a DOCTYPE found later);
/// - an empty file gets a plain message;
/// - an element with more than `maxAttributes` attributes is refused at its line. libxml2 2.9
///   checks each attribute of an element against every earlier one, so a single element with
///   100,000 attributes would take minutes to parse; counted here first, no element reaches it.
enum XMLPrescan {
    static let window = 64 * 1024
    /// The most attributes one element may carry (BoardPack's XML inputs use none but `xmlns`).
    static let maxAttributes = 1_000
    /// How much of a file is scanned at a time.
    static let chunk = 1 << 20

    enum Finding: Equatable {
        case empty
        /// 1-based line and column of `<!DOCTYPE`.
        case doctype(line: Int, column: Int)
        /// The line where the element with too many attributes starts.
        case tooManyAttributes(line: Int)
    }

    static func check(_ source: ByteSource) -> Finding? {
        var scanner = Scanner()
        switch source {
        case .memory(let bytes):
            if bytes.isEmpty { return .empty }
            if let finding = doctype(Array(bytes.prefix(window))) { return finding }
            guard let at = bytes.withUnsafeBufferPointer({ scanner.scan($0) }) else { return nil }
            return .tooManyAttributes(line: 1 + bytes[..<at].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
        case .file(let path):
            // Regular files only: a FIFO would block here.
            guard let file = try? FileReader(path: path) else { return nil }
            var bytes = [UInt8](repeating: 0, count: chunk)
            var offset = 0
            while true {
                guard let count = try? file.read(into: &bytes, at: 0, count: chunk, offset: offset) else { return nil }
                if offset == 0 {
                    if count == 0 { return .empty }
                    if let finding = doctype(Array(bytes.prefix(min(count, window)))) { return finding }
                }
                if count == 0 { return nil }
                let found = bytes.withUnsafeBufferPointer {
                    scanner.scan(UnsafeBufferPointer(rebasing: $0[0..<count]))
                }
                if let at = found {
                    // Lines are counted only for an element refused, by a second read up to it.
                    var lines = 1
                    var counted = 0
                    while counted < at,
                        let n = try? file.read(into: &bytes, at: 0, count: min(chunk, at - counted), offset: counted),
                        n > 0
                    {
                        lines += bytes[0..<n].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        counted += n
                    }
                    return .tooManyAttributes(line: lines)
                }
                offset += count
            }
        }
    }

    private static func doctype(_ head: [UInt8]) -> Finding? {
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1
        var lineStart = 0
        var i = 0
        while i + marker.count <= head.count {
            if head[i] == 0x0A {
                line += 1
                lineStart = i + 1
            } else if head[i] == 0x3C, head[i..<(i + marker.count)].elementsEqual(marker) {
                return .doctype(line: line, column: i - lineStart + 1)
            }
            i += 1
        }
        return nil
    }

    /// Counts the attributes of each start tag (each `=` outside quoted values), skipping
    /// comments, CDATA sections and processing instructions; resumable across chunks. Most of a
    /// file is passed over with `memchr` (text to the next `<`, an end tag or quoted value to its
    /// end); only start tags are read byte by byte.
    struct Scanner {
        enum State {
            case text
            /// Just after `<`.
            case open
            case tag
            /// Inside a quoted attribute value (`quote` says which quote ends it).
            case quoted
            /// Just after `<!`: a comment, a CDATA section, or other markup.
            case bang
            /// Inside an end tag, `<?…>` or other markup: until `>`.
            case markup
            case comment
            case cdata
        }

        var state = State.text
        var quote: UInt8 = 0
        /// Bytes scanned before the current chunk.
        var offset = 0
        /// Where the current start tag begins, in the whole input.
        var tagStart = 0
        var attributes = 0
        /// The last bytes seen, in `<!…>` markup: for `<!--`, `-->`, `<![CDATA[` and `]]>`.
        var recent: UInt32 = 0
        var bangLength = 0

        /// The offset in the whole input of an element with too many attributes, or nil.
        mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            defer { offset += bytes.count }
            guard let base = bytes.baseAddress else { return nil }
            let n = bytes.count
            var i = 0
            /// The index just past the next `byte` from `i`, or nil when the chunk has none.
            func after(_ byte: UInt8) -> Int? {
                guard let found = memchr(base + i, Int32(byte), n - i) else { return nil }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            while i < n {
                switch state {
                case .text:
                    guard let next = after(0x3C) else { return nil }
                    i = next
                    state = .open
                case .open:
                    let byte = base[i]
                    i += 1
                    switch byte {
                    case 0x21:
                        state = .bang
                        bangLength = 0
                        recent = 0
                    case 0x2F, 0x3F: state = .markup
                    case 0x3E: state = .text
                    default:
                        state = .tag
                        tagStart = offset + i - 2
                        attributes = 0
                    }
                case .tag:
                    while i < n {
                        let byte = base[i]
                        i += 1
                        if byte == 0x3E {
                            state = .text
                            break
                        } else if byte == 0x3D {
                            attributes += 1
                            if attributes > XMLPrescan.maxAttributes { return max(0, tagStart) }
                        } else if byte == 0x22 || byte == 0x27 {
                            quote = byte
                            state = .quoted
                            break
                        }
                    }
                case .quoted:
                    guard let next = after(quote) else { return nil }
                    i = next
                    state = .tag
                case .markup:
                    guard let next = after(0x3E) else { return nil }
                    i = next
                    state = .text
                case .bang:
                    // `<!--` and `<![CDATA[` are told by their first two bytes after `<!`.
                    recent = recent << 8 | UInt32(base[i])
                    i += 1
                    bangLength += 1
                    if bangLength == 2 {
                        state = recent == 0x2D2D ? .comment : recent == 0x5B43 ? .cdata : .markup
                    } else if recent & 0xFF == 0x3E {
                        state = .text
                    }
                case .comment, .cdata:
                    // Ends at `-->` or `]]>`: find each `>` and look at the two bytes before it.
                    let closer: UInt32 = state == .comment ? 0x2D_2D3E : 0x5D_5D3E
                    while i < n {
                        recent = recent << 8 | UInt32(base[i])
                        i += 1
                        if recent & 0xFF_FFFF == closer {
                            state = .text
                            break
                        }
                    }
                }
            }
            return nil
        }
    }
}
