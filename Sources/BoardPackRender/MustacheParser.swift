import Foundation

/// A template's syntax error, where it is in the text (1-based line and column, the column in bytes).
struct MustacheSyntaxError: Error, Equatable {
    let line: Int
    let column: Int
    let message: String
}

/// Parses the Mustache that BoardPack renders into a `CompiledTemplate`, in one pass over the
/// bytes (linear in the template's size):
///
/// - text, `{{name}}` (escaped), `{{{name}}}` and `{{&name}}` (not escaped), with dotted names
///   (`a.b`), names from the current value only (`.a`) and the current value (`.`);
/// - sections `{{#name}}…{{/name}}` and inverted sections `{{^name}}…{{/name}}`;
/// - comments `{{! … }}`, partials `{{> name}}`, new delimiters `{{=<% %>=}}`;
/// - the content-type pragma `{{% CONTENT_TYPE: HTML }}` (also `TEXT` and `MARKDOWN`), which
///   changes the escaping from there to the end of the template.
///
/// A section, inverted section, closing, comment, partial, delimiter or pragma tag alone on its
/// line (but for spaces and tabs) is standalone, and its line leaves no trace in the output; a
/// standalone partial's indentation is given to each line of the partial. These are the rules of
/// the Mustache specification (its test data is run in `MustacheSpecTests`). What the
/// specification leaves optional — lambdas, inheritance (`{{<parent}}`, `{{$block}}`), dynamic
/// names (`{{>*name}}`) — and swift-mustache's transforms (`{{first()}}`) are syntax errors here,
/// named as such.
enum MustacheParser {
    /// The content types a pragma may name, and the escaping each gives.
    static let contentTypes: [String: CompiledTemplate.Escaper] = [
        "HTML": .html, FastHTMLEscaping.pragmaName: .html, "TEXT": .none, MarkdownEscaping.name: .markdown,
    ]

    /// A partial a template includes, and where.
    struct Include: Equatable {
        let name: String
        let line: Int
        let column: Int
    }

    /// The template's steps, and the partials it includes in the order they appear.
    static func parse(_ text: String) throws(MustacheSyntaxError) -> (
        steps: [CompiledTemplate.Step], includes: [Include]
    ) {
        var parser = Parser(bytes: Array(text.utf8))
        return (try parser.run(), parser.includes)
    }

    private struct Frame {
        let inverted: Bool
        let name: String
        let offset: Int
        var steps: [CompiledTemplate.Step] = []
    }

    private struct Parser {
        let bytes: [UInt8]
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        var frames: [Frame] = []
        var steps: [CompiledTemplate.Step] = []
        var includes: [Include] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// How far lines have been counted: includes are located in order, so counting goes on from
        /// the last one (linear in the template, however many it has).
        var counted = (offset: 0, line: 1, lineStart: 0)

        func location(_ offset: Int) -> (line: Int, column: Int) {
            let start = offset >= counted.offset ? counted : (offset: 0, line: 1, lineStart: 0)
            var line = start.line
            var lineStart = start.lineStart
            for i in start.offset..<min(offset, bytes.count) where bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            return (line, offset - lineStart + 1)
        }

        mutating func locate(_ offset: Int) -> (line: Int, column: Int) {
            let (line, column) = location(offset)
            counted = (offset, line, offset - column + 1)
            return (line, column)
        }

        func error(_ offset: Int, _ message: String) -> MustacheSyntaxError {
            let (line, column) = location(offset)
            return MustacheSyntaxError(line: line, column: column, message: message)
        }

        func matches(_ pattern: [UInt8], at i: Int) -> Bool {
            guard i + pattern.count <= bytes.count else { return false }
            for k in pattern.indices where bytes[i + k] != pattern[k] { return false }
            return true
        }

        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            guard let first = pattern.first else { return nil }
            var i = start
            while i + pattern.count <= bytes.count {
                if bytes[i] == first && matches(pattern, at: i) { return i }
                i += 1
            }
            return nil
        }

        static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        /// Adds text, one step per line, so that a partial's indentation can go at each line's start.
        mutating func emitText(_ start: Int, _ end: Int) {
            var lineStart = start
            var i = start
            while i < end {
                if bytes[i] == 0x0A {
                    add(.text(Array(bytes[lineStart...i])))
                    lineStart = i + 1
                }
                i += 1
            }
            if lineStart < end { add(.text(Array(bytes[lineStart..<end]))) }
        }

        mutating func add(_ step: CompiledTemplate.Step) {
            if frames.isEmpty { steps.append(step) } else { frames[frames.count - 1].steps.append(step) }
        }

        /// A tag's name: trimmed, one word, not a transform or a dynamic name.
        func name(_ start: Int, _ end: Int, tag: Int, kind: String) throws(MustacheSyntaxError) -> String {
            var s = start
            var e = end
            while s < e && (Self.isBlank(bytes[s]) || bytes[s] == 0x0A || bytes[s] == 0x0D) { s += 1 }
            while e > s && (Self.isBlank(bytes[e - 1]) || bytes[e - 1] == 0x0A || bytes[e - 1] == 0x0D) { e -= 1 }
            guard s < e else { throw error(tag, "the \(kind) tag has no name") }
            let text = String(decoding: bytes[s..<e], as: UTF8.self)
            if text.contains("(") {
                throw error(
                    tag, "'\(text)': transforms (name(…)) are not supported; format the value in the view model")
            }
            if text.hasPrefix("*") { throw error(tag, "'\(text)': dynamic names are not supported") }
            guard !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
                throw error(tag, "'\(text)' is not a name (a name has no spaces)")
            }
            return text
        }

        mutating func run() throws(MustacheSyntaxError) -> [CompiledTemplate.Step] {
            var pos = 0
            while let tag = find(open, from: pos) {
                let sigilAt = tag + open.count
                let sigil: UInt8 = sigilAt < bytes.count ? bytes[sigilAt] : 0
                let triple = sigil == UInt8(ascii: "{") && open == Array("{{".utf8)
                let closing =
                    triple ? [UInt8(ascii: "}")] + close : (sigil == UInt8(ascii: "=") ? [sigil] + close : close)
                let contentStart: Int
                switch sigil {
                case UInt8(ascii: "{") where triple, UInt8(ascii: "&"), UInt8(ascii: "#"), UInt8(ascii: "^"),
                    UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "%"),
                    UInt8(ascii: "<"), UInt8(ascii: "$"):
                    contentStart = sigilAt + 1
                default:
                    contentStart = sigilAt
                }
                guard let contentEnd = find(closing, from: contentStart) else {
                    throw error(tag, "the tag is not closed (no \(String(decoding: closing, as: UTF8.self)))")
                }
                let tagEnd = contentEnd + closing.count
                // Standalone: only blanks before it on its line, and only blanks then a line end after.
                var lineStart = tag
                while lineStart > pos && Self.isBlank(bytes[lineStart - 1]) { lineStart -= 1 }
                let atLineStart = lineStart == 0 || bytes[lineStart - 1] == 0x0A
                var after = tagEnd
                while after < bytes.count && Self.isBlank(bytes[after]) { after += 1 }
                var lineEnd: Int?
                if after == bytes.count {
                    lineEnd = after
                } else if bytes[after] == 0x0A {
                    lineEnd = after + 1
                } else if bytes[after] == 0x0D, after + 1 < bytes.count, bytes[after + 1] == 0x0A {
                    lineEnd = after + 2
                }
                let canStandAlone = !(contentStart == sigilAt || triple || sigil == UInt8(ascii: "&"))
                let standalone = canStandAlone && atLineStart && lineEnd != nil
                if standalone {
                    emitText(pos, lineStart)
                } else {
                    emitText(pos, tag)
                }
                let indentation = Array(bytes[lineStart..<tag])
                switch sigil {
                case UInt8(ascii: "#"), UInt8(ascii: "^"):
                    let name = try name(contentStart, contentEnd, tag: tag, kind: "section")
                    frames.append(Frame(inverted: sigil == UInt8(ascii: "^"), name: name, offset: tag))
                case UInt8(ascii: "/"):
                    let name = try name(contentStart, contentEnd, tag: tag, kind: "closing")
                    guard let frame = frames.popLast() else {
                        throw error(tag, "{{/\(name)}} closes no open section")
                    }
                    guard frame.name == name else {
                        throw error(tag, "{{/\(name)}} does not close the open section {{#\(frame.name)}}")
                    }
                    let parsed = CompiledTemplate.Name(frame.name)
                    add(frame.inverted ? .invertedSection(parsed, frame.steps) : .section(parsed, frame.steps))
                case UInt8(ascii: "!"):
                    break
                case UInt8(ascii: ">"):
                    let name = try name(contentStart, contentEnd, tag: tag, kind: "partial")
                    let (line, column) = locate(tag)
                    includes.append(Include(name: name, line: line, column: column))
                    if standalone {
                        // The indentation starts the partial's first line, and is given to the others.
                        if !indentation.isEmpty { add(.text(indentation)) }
                        add(.partial(name, indentation: indentation))
                    } else {
                        add(.partial(name, indentation: nil))
                    }
                case UInt8(ascii: "="):
                    let words = bytes[contentStart..<contentEnd].split { Self.isBlank($0) || $0 == 0x0A || $0 == 0x0D }
                    guard words.count == 2, !words.contains(where: { $0.contains(UInt8(ascii: "=")) }) else {
                        throw error(tag, "new delimiters are written {{=<% %>=}}: two markers, apart, without '='")
                    }
                    open = Array(words[0])
                    close = Array(words[1])
                case UInt8(ascii: "%"):
                    let text = String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
                    let parts = text.split(separator: ":", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    guard parts.count == 2, parts[0] == "CONTENT_TYPE" else {
                        throw error(tag, "'\(text)': the only pragma is CONTENT_TYPE (HTML, TEXT or MARKDOWN)")
                    }
                    guard let escaper = MustacheParser.contentTypes[parts[1]] else {
                        throw error(tag, "'\(parts[1])' is not a content type (HTML, TEXT or MARKDOWN)")
                    }
                    add(.contentType(escaper))
                case UInt8(ascii: "<"), UInt8(ascii: "$"):
                    throw error(tag, "template inheritance ({{<parent}}, {{$block}}) is not supported; use partials")
                default:
                    let name = try name(contentStart, contentEnd, tag: tag, kind: "variable")
                    let escaped = !(triple || sigil == UInt8(ascii: "&"))
                    add(.variable(CompiledTemplate.Name(name), escaped: escaped))
                }
                pos = standalone ? lineEnd! : tagEnd
            }
            emitText(pos, bytes.count)
            if let open = frames.last {
                throw error(open.offset, "the section {{\(open.inverted ? "^" : "#")\(open.name)}} is not closed")
            }
            return steps
        }
    }
}
