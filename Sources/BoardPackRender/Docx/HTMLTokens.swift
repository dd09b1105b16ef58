/// The tokens of an HTML page as BoardPack's templates write it, for the Word writer: start and
/// end tags with their attributes, text with its character references decoded, and each inline
/// `<svg>` whole. It reads any HTML without failing (an edited template may write anything), but
/// only what the templates write is given a meaning: an unknown tag is passed on, and the writer
/// keeps its text.
enum HTMLToken: Equatable {
    case start(String, [String: String])
    case end(String)
    case text(String)
    /// An `<svg>` element's markup, from `<svg` to `</svg>`.
    case svg(String)
}

enum HTMLTokens {
    /// Elements with no end tag.
    static let void: Set<String> = ["br", "meta", "link", "img", "hr", "input", "col", "wbr", "source"]

    static func tokens(_ html: [UInt8]) -> [HTMLToken] {
        var tokens: [HTMLToken] = []
        var i = 0
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { tokens.append(.text(decode(text))) }
            text.removeAll(keepingCapacity: true)
        }
        let count = html.count
        while i < count {
            let byte = html[i]
            guard byte == UInt8(ascii: "<") else {
                text.append(byte)
                i += 1
                continue
            }
            // A comment or doctype: skipped.
            if starts(html, at: i, with: "<!--") {
                flush()
                i = find(html, "-->", from: i + 4).map { $0 + 3 } ?? count
                continue
            }
            if i + 1 < count, html[i + 1] == UInt8(ascii: "!") || html[i + 1] == UInt8(ascii: "?") {
                flush()
                i = (find(html, ">", from: i).map { $0 + 1 }) ?? count
                continue
            }
            let closing = i + 1 < count && html[i + 1] == UInt8(ascii: "/")
            var j = i + (closing ? 2 : 1)
            let nameStart = j
            while j < count, isNameByte(html[j]) { j += 1 }
            guard j > nameStart else {
                // A lone '<' is text.
                text.append(byte)
                i += 1
                continue
            }
            flush()
            let name = String(decoding: html[nameStart..<j], as: UTF8.self).lowercased()
            let (attributes, end) = readAttributes(html, from: j)
            if closing {
                tokens.append(.end(name))
                i = end
                continue
            }
            if name == "svg" {
                let close = find(html, "</svg>", from: end) ?? count
                let stop = min(count, close + 6)
                tokens.append(.svg(String(decoding: html[i..<stop], as: UTF8.self)))
                i = stop
                continue
            }
            if name == "style" || name == "script" || name == "title" {
                // Their text is not document text.
                i = (find(html, "</" + name, from: end).flatMap { find(html, ">", from: $0) }.map { $0 + 1 }) ?? count
                continue
            }
            tokens.append(.start(name, attributes))
            if void.contains(name) || (end >= 2 && html[end - 2] == UInt8(ascii: "/")) { tokens.append(.end(name)) }
            i = end
        }
        flush()
        return tokens
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
    }

    /// The attributes after a tag's name, and the index after its `>`.
    static func readAttributes(_ html: [UInt8], from start: Int) -> ([String: String], Int) {
        var attributes: [String: String] = [:]
        var i = start
        let count = html.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2F }
        while i < count {
            while i < count, isSpace(html[i]) { i += 1 }
            guard i < count, html[i] != UInt8(ascii: ">") else { break }
            let nameStart = i
            while i < count, !isSpace(html[i]), html[i] != UInt8(ascii: "="), html[i] != UInt8(ascii: ">") { i += 1 }
            let name = String(decoding: html[nameStart..<i], as: UTF8.self).lowercased()
            var value = ""
            if i < count, html[i] == UInt8(ascii: "=") {
                i += 1
                if i < count, html[i] == UInt8(ascii: "\"") || html[i] == UInt8(ascii: "'") {
                    let quote = html[i]
                    let valueStart = i + 1
                    i = valueStart
                    while i < count, html[i] != quote { i += 1 }
                    value = decode(Array(html[valueStart..<min(i, count)]))
                    i += 1
                } else {
                    let valueStart = i
                    while i < count, !isSpace(html[i]), html[i] != UInt8(ascii: ">") { i += 1 }
                    value = decode(Array(html[valueStart..<i]))
                }
            }
            if !name.isEmpty { attributes[name] = value }
        }
        return (attributes, min(count, i + 1))
    }

    static func starts(_ html: [UInt8], at i: Int, with prefix: String) -> Bool {
        let count = prefix.utf8.count
        return i + count <= html.count && html[i..<i + count].elementsEqual(prefix.utf8)
    }

    /// Where `needle` next starts at or after `start`.
    static func find(_ html: [UInt8], _ needle: String, from start: Int) -> Int? {
        guard let first = needle.utf8.first, start >= 0 else { return nil }
        var i = start
        while i <= html.count - needle.utf8.count {
            if html[i] == first, starts(html, at: i, with: needle) { return i }
            i += 1
        }
        return nil
    }

    /// Text with character references decoded: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`,
    /// and numeric ones; another `&` is kept as it is.
    static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = after[after.index(after: amp)..<semi]
                var replacement: String?
                switch name {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                case "nbsp": replacement = "\u{A0}"
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), let n = UInt32(name.dropFirst(2), radix: 16),
                        let scalar = Unicode.Scalar(n)
                    {
                        replacement = String(Character(scalar))
                    } else if name.hasPrefix("#"), let n = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(n) {
                        replacement = String(Character(scalar))
                    }
                }
                if let replacement {
                    out += replacement
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after.dropFirst()
        }
        return out + rest
    }
}
