import Mustache

/// Escaping for values placed in Markdown (GitHub-flavoured tables included):
/// a backslash before the characters that would start emphasis, code, links,
/// raw HTML or a table cell boundary, and line breaks folded to a space so a
/// value never ends a table row.
struct MarkdownContentType: MustacheContentType {
    static let name = "MARKDOWN"
    static let escaped: Set<Character> = ["\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"]

    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var previousWasBreak = false
        for ch in text {
            if ch == "\n" || ch == "\r" || ch == "\r\n" {
                if !previousWasBreak { out.append(" ") }
                previousWasBreak = true
                continue
            }
            previousWasBreak = false
            if Self.escaped.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
