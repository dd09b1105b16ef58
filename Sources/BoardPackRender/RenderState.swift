/// One rendering: the stack of values the names are looked up in, and the bytes written so far.
struct RenderState {
    let library: [String: CompiledTemplate]
    var stack: [ViewValue]
    var out: [UInt8] = []

    init(library: [String: CompiledTemplate], stack: [ViewValue]) {
        self.library = library
        self.stack = stack
    }

    mutating func run(_ steps: [CompiledTemplate.Step], escaper: CompiledTemplate.Escaper, indentation: [UInt8]?) {
        var escaper = escaper
        guard let indentation, !indentation.isEmpty else {
            for step in steps { run(step, escaper: &escaper, indentation: indentation) }
            return
        }
        // A standalone partial's indentation goes at the start of each of its lines after the first
        // (the parent wrote it before the first): a step's non-empty output that follows a line
        // break made earlier in this same run starts with it. Text steps are one line each.
        let levelStart = out.count
        for step in steps {
            let start = out.count
            run(step, escaper: &escaper, indentation: indentation)
            if out.count > start, start > levelStart, out[start - 1] == 0x0A {
                out.insert(contentsOf: indentation, at: start)
            }
        }
    }

    private mutating func run(
        _ step: CompiledTemplate.Step, escaper: inout CompiledTemplate.Escaper, indentation: [UInt8]?
    ) {
        switch step {
        case .text(let bytes):
            out.append(contentsOf: bytes)
        case .variable(let name, let escaped):
            guard let value = lookUp(name) else { return }
            let text = value.printed
            if escaped { write(text, escaper) } else { out.append(contentsOf: text.utf8) }
        case .section(let name, let inner):
            switch lookUp(name) {
            case nil: return
            case .flag(let on): if on { run(inner, escaper: escaper, indentation: indentation) }
            case .list(let list):
                for i in 0..<list.count {
                    stack.append(.object(list.element(i)))
                    run(inner, escaper: escaper, indentation: indentation)
                    stack.removeLast()
                }
            case .texts(let strings):
                for string in strings {
                    stack.append(.text(string))
                    run(inner, escaper: escaper, indentation: indentation)
                    stack.removeLast()
                }
            case .some(let value):
                stack.append(value)
                run(inner, escaper: escaper, indentation: indentation)
                stack.removeLast()
            }
        case .invertedSection(let name, let inner):
            switch lookUp(name) {
            case nil, .flag(false):
                run(inner, escaper: escaper, indentation: indentation)
            case .some(let value) where value.isEmptyList:
                stack.append(value)  // an empty list is pushed (it is the current value inside)
                run(inner, escaper: escaper, indentation: indentation)
                stack.removeLast()
            default:
                return
            }
        case .partial(let name, let indented):
            guard let template = library[name] else { return }
            let combined: [UInt8]? = indented.map { (indentation ?? []) + $0 } ?? indentation
            run(template.steps, escaper: .html, indentation: combined)
        case .contentType(let type):
            escaper = type
        }
    }

    private func lookUp(_ name: CompiledTemplate.Name) -> ViewValue? {
        switch name.start {
        case .current:
            return stack.last
        case .top:
            return follow(name, from: 0, stack[stack.count - 1])
        case .stack:
            guard !name.parts.isEmpty else { return nil }
            for frame in stack.reversed() {
                if let found = Self.child(name, 0, of: frame) { return follow(name, from: 1, found) }
            }
            return nil
        }
    }

    private func follow(_ name: CompiledTemplate.Name, from first: Int, _ value: ViewValue) -> ViewValue? {
        var value = value
        for k in first..<name.parts.count {
            guard let next = Self.child(name, k, of: value) else { return nil }
            value = next
        }
        return value
    }

    /// Part `k` of `name` in `value`: by field id when a view model has the name, else by name.
    private static func child(_ name: CompiledTemplate.Name, _ k: Int, of value: ViewValue) -> ViewValue? {
        guard case .object(let model) = value else { return nil }
        let id = name.ids[k]
        return id != FieldIDs.unknown ? model.value(id: id) : model.value(named: name.parts[k])
    }

    private mutating func write(_ text: String, _ escaper: CompiledTemplate.Escaper) {
        switch escaper {
        case .html:
            FastHTMLEscaping.escape(text, into: &out)
        case .markdown:
            MarkdownEscaping.escape(text, into: &out)
        case .none:
            out.append(contentsOf: text.utf8)
        }
    }
}
