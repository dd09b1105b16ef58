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
            return bytes.withUnsafeBufferPointer { scanner.scan($0) }
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
                if let finding = bytes.withUnsafeBufferPointer({
                    scanner.scan(UnsafeBufferPointer(rebasing: $0[0..<count]))
                }) {
                    return finding
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
    /// comments, CDATA sections and processing instructions; resumable across chunks.
    struct Scanner {
        enum State {
            case text
            /// Just after `<`.
            case open
            case tag
            case quoted(UInt8)
            /// Inside `<!…>`, `<?…>` or an end tag: until `>`, or the end of a comment or CDATA.
            case markup
            case comment
            case cdata
        }

        var state = State.text
        var line = 1
        var tagLine = 1
        var attributes = 0
        /// The last bytes seen, for `<!--`, `-->`, `<![CDATA[` and `]]>`.
        var recent: UInt32 = 0
        var markupLength = 0

        mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
            for byte in bytes {
                recent = recent << 8 | UInt32(byte)
                if byte == 0x0A { line += 1 }
                switch state {
                case .text:
                    if byte == 0x3C { state = .open }
                case .open:
                    if byte == 0x21 || byte == 0x3F || byte == 0x2F {
                        state = .markup
                        markupLength = 1
                    } else {
                        state = .tag
                        tagLine = line
                        attributes = 0
                        if byte == 0x3E { state = .text }
                    }
                case .tag:
                    switch byte {
                    case 0x22, 0x27: state = .quoted(byte)
                    case 0x3D:
                        attributes += 1
                        if attributes > XMLPrescan.maxAttributes { return .tooManyAttributes(line: tagLine) }
                    case 0x3E: state = .text
                    default: break
                    }
                case .quoted(let quote):
                    if byte == quote { state = .tag }
                case .markup:
                    markupLength += 1
                    // `<!--` and `<![CDATA[` are told by their first bytes after `<`.
                    if markupLength == 3 && recent & 0xFF_FFFF == 0x21_2D2D {
                        state = .comment
                    } else if markupLength == 3 && recent & 0xFF_FFFF == 0x21_5B43 {
                        state = .cdata
                    } else if byte == 0x3E {
                        state = .text
                    }
                case .comment:
                    if recent & 0xFF_FFFF == 0x2D_2D3E { state = .text }
                case .cdata:
                    if recent & 0xFF_FFFF == 0x5D_5D3E { state = .text }
                }
            }
            return nil
        }
    }
}
