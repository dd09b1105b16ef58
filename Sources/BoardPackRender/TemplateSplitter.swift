/// Cuts a large template into parts that swift-mustache parses in linear time overall.
///
/// swift-mustache's parser measures the text left to read (a `String` distance, linear in its
/// length) at every tag, so one template takes time proportional to its tags times its size: a
/// 1 MB template took 22 s to load. A large template is therefore cut, at line starts outside every
/// section, into parts of about `partBytes`, each registered as a partial of its own; the template
/// itself becomes one line that includes the parts in order. A part starts at the start of a line
/// and ends after a line break, so the Mustache standalone-line rules see every line as before, and
/// the one line of includes is not standalone, so nothing is indented: the output is the same bytes.
/// A template that changes its delimiters is left whole.
enum TemplateSplitter {
    /// Templates up to this size are parsed whole.
    static let wholeBytes = 64 << 10
    /// The size a part aims at.
    static let partBytes = 16 << 10

    struct Part {
        let name: String
        let text: String
        /// The template's line on which the part starts (1-based).
        let firstLine: Int
    }

    /// The name of part `index` of template `name`.
    static func partName(_ name: String, _ index: Int) -> String { "__boardpack_part_\(index)_\(name)" }

    /// nil when `text` is parsed whole; otherwise its parts, in order.
    static func split(_ text: String, name: String) -> [Part]? {
        let bytes = Array(text.utf8)
        guard bytes.count > wholeBytes else { return nil }
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        var depth = 0
        var cuts: [Int] = [0]
        var lines: [Int] = [1]
        var line = 1
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                line += 1
                i += 1
                if depth == 0, i - cuts.last! >= partBytes, i < bytes.count {
                    cuts.append(i)
                    lines.append(line)
                }
                continue
            }
            if byte == open, i + 2 < bytes.count, bytes[i + 1] == open {
                let sigil = bytes[i + 2]
                switch sigil {
                case UInt8(ascii: "="): return nil  // new delimiters: the scan below would misread tags
                case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"): depth += 1
                case UInt8(ascii: "/"): depth -= 1
                default: break
                }
                // To the end of the tag (a triple mustache ends with "}}}").
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == close && bytes[j + 1] == close) {
                    if bytes[j] == UInt8(ascii: "\n") { line += 1 }
                    j += 1
                }
                i = j + 2
                continue
            }
            i += 1
        }
        guard cuts.count > 1 else { return nil }
        cuts.append(bytes.count)
        return (0..<(cuts.count - 1)).map { k in
            Part(
                name: partName(name, k), text: String(decoding: bytes[cuts[k]..<cuts[k + 1]], as: UTF8.self),
                firstLine: lines[k])
        }
    }

    /// The template that stands for the parts: their includes on one line.
    static func joined(_ parts: [Part]) -> String {
        parts.map { "{{>\($0.name)}}" }.joined()
    }
}
