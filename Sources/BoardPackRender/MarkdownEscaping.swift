/// Escaping for values placed in Markdown (GitHub-flavoured tables included):
/// a backslash before the characters that would start emphasis, code, links,
/// raw HTML or a table cell boundary, and line breaks folded to a space so a
/// value never ends a table row. Works on UTF-8 bytes: every character it changes is ASCII.
enum MarkdownEscaping {
    /// The content type that selects it (`{{% CONTENT_TYPE: MARKDOWN }}`).
    static let name = "MARKDOWN"

    /// \ | * _ ` [ ] < > # (line breaks are handled apart).
    private static func special(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x5C, 0x7C, 0x2A, 0x5F, 0x60, 0x5B, 0x5D, 0x3C, 0x3E, 0x23: true
        default: false
        }
    }

    static func escape(_ text: String, into out: inout [UInt8]) {
        let bytes = text.utf8.span
        var plain = true
        for i in bytes.indices where special(bytes[i]) || bytes[i] == 0x0A || bytes[i] == 0x0D {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: text.utf8)
            return
        }
        var previousWasBreak = false
        for byte in text.utf8 {
            switch byte {
            case 0x0A, 0x0D:
                if !previousWasBreak { out.append(0x20) }
                previousWasBreak = true
                continue
            case _ where special(byte):
                out.append(0x5C)
            default:
                break
            }
            previousWasBreak = false
            out.append(byte)
        }
    }
}
