/// HTML escaping of `& < > " '` on UTF-8 bytes. Used for HTML templates (the content types
/// `HTML` and `BOARDPACK_HTML`, the name PackRenderer's pragma line gives) and for the text inside
/// SVG charts.
enum FastHTMLEscaping {
    static let pragmaName = "BOARDPACK_HTML"

    static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        escape(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ text: String, into out: inout [UInt8]) {
        let bytes = text.utf8.span
        var plain = true
        for i in bytes.indices {
            let b = bytes[i]
            if b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
                plain = false
                break
            }
        }
        if plain {
            out.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(byte)
            }
        }
    }
}
