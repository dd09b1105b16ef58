import Mustache

/// Escaping for values placed in Markdown (GitHub-flavoured tables included):
/// a backslash before the characters that would start emphasis, code, links,
/// raw HTML or a table cell boundary, and line breaks folded to a space so a
/// value never ends a table row. Works on UTF-8 bytes: every character it changes is ASCII.
struct MarkdownContentType: MustacheContentType {
    static let name = "MARKDOWN"
    static let escaped: Set<UInt8> = Set("\\|*_`[]<>#".utf8)

    func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        if !utf8.contains(where: { Self.escaped.contains($0) || $0 == 0x0A || $0 == 0x0D }) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 8)
        var previousWasBreak = false
        for byte in utf8 {
            if byte == 0x0A || byte == 0x0D {
                if !previousWasBreak { out.append(0x20) }
                previousWasBreak = true
                continue
            }
            previousWasBreak = false
            if Self.escaped.contains(byte) { out.append(0x5C) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// HTML escaping of `& < > " '`, as Mustache's own, on UTF-8 bytes rather than characters
/// (much faster on large packs). Used for HTML templates and for the text inside SVG charts.
struct FastHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        func special(_ b: UInt8) -> Bool { b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 }
        if !utf8.contains(where: special) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
