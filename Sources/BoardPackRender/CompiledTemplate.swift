import Mustache

/// A field of a view model as a template sees it. The generated tables in ViewFields.swift give
/// each field as one of these, so rendering never has to ask the runtime what a value is.
enum ViewValue {
    case text(String)
    case flag(Bool)
    case texts([String])
    case object(any ViewModel)
    case list(any ViewModelList)

    init(_ value: String) { self = .text(value) }
    init(_ value: Bool) { self = .flag(value) }
    init(_ value: [String]) { self = .texts(value) }
    init<T: ViewModel>(_ value: T) { self = .object(value) }
    init<T: ViewModel>(_ value: [T]) { self = .list(value) }

    var isEmptyList: Bool {
        switch self {
        case .list(let list): list.count == 0
        case .texts(let strings): strings.isEmpty
        default: false
        }
    }

    /// The value itself, for swift-mustache's renderer.
    var any: Any {
        switch self {
        case .text(let value): value
        case .flag(let value): value
        case .texts(let value): value
        case .object(let value): value
        case .list(let value): value.array
        }
    }
}

/// An array of view models, seen element by element.
protocol ViewModelList {
    var count: Int { get }
    func element(_ index: Int) -> any ViewModel
    var array: Any { get }
}

extension Array: ViewModelList where Element: ViewModel {
    func element(_ index: Int) -> any ViewModel { self[index] }
    var array: Any { self }
}

/// A Mustache template compiled once into steps that render straight into UTF-8 bytes.
///
/// The templates are parsed by swift-mustache (which reports syntax errors and decides, by the
/// Mustache rules, which tags stand alone on their lines); its tokens are then turned into these
/// steps. Rendering follows swift-mustache's rules for the values view models hold — strings,
/// flags, lists and nested view models — including partial indentation and content-type
/// pragmas; a template using anything else (transforms, inheritance, dynamic partials) is not
/// compiled and swift-mustache renders it instead. Tests render every shipped template and a
/// set of tricky ones both ways and compare the bytes.
struct CompiledTemplate: @unchecked Sendable {
    indirect enum Step {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        case section(Name, [Step])
        case invertedSection(Name, [Step])
        case partial(String, indentation: [UInt8]?)
        case contentType(Escaper)
    }

    struct Name {
        /// "." (the current value), ".a.b" (from the current value only) or "a.b" (the first part
        /// found anywhere up the stack, the rest from there).
        enum Start { case current, top, stack }
        let start: Start
        /// Field ids (`FieldIDs`) of the dotted parts.
        let parts: [Int]

        init(_ name: String) {
            if name == "." {
                start = .current
                parts = []
            } else {
                start = name.first == "." ? .top : .stack
                parts = name.split(separator: ".").map { FieldIDs.id(String($0)) }
            }
        }
    }

    enum Escaper {
        case html
        case markdown
        case other(any MustacheContentType)

        init(_ type: any MustacheContentType) {
            if type is FastHTMLContentType {
                self = .html
            } else if type is MarkdownContentType {
                self = .markdown
            } else {
                self = .other(type)
            }
        }
    }

    let steps: [Step]

    /// Nil when the template uses something only swift-mustache renders.
    init?(_ template: MustacheTemplate) {
        guard let steps = Self.steps(of: template) else { return nil }
        self.steps = steps
    }

    private static func steps(of template: MustacheTemplate) -> [Step]? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any]
        else { return nil }
        var steps: [Step] = []
        for token in tokens {
            guard let step = Self.step(token) else { return nil }
            steps.append(step)
        }
        return steps
    }

    private static func step(_ token: Any) -> Step? {
        guard let (kind, payload) = Mirror(reflecting: token).children.first.map({ ($0.label, $0.value) }) else {
            return nil
        }
        let fields = Mirror(reflecting: payload).children.map { ($0.label ?? "", $0.value) }
        func field(_ label: String) -> Any? { fields.first { $0.0 == label }?.1 }
        func plainName() -> String? {
            guard let name = field("name") as? String, let transforms = field("transforms") as? [String],
                transforms.isEmpty
            else { return nil }
            return name
        }
        switch kind {
        case "text":
            guard let text = payload as? String else { return nil }
            return .text(Array(text.utf8))
        case "variable", "unescapedVariable":
            guard let name = plainName() else { return nil }
            return .variable(Name(name), escaped: kind == "variable")
        case "section", "invertedSection":
            guard let name = plainName(), let template = field("template") as? MustacheTemplate,
                let inner = steps(of: template)
            else { return nil }
            return kind == "section" ? .section(Name(name), inner) : .invertedSection(Name(name), inner)
        case "partial":
            guard fields.count == 3, let name = fields[0].1 as? String, field("inherits") as? [String: Any] == nil
            else { return nil }
            return .partial(name, indentation: (field("indentation") as? String).map { Array($0.utf8) })
        case "contentType":
            guard let type = payload as? any MustacheContentType else { return nil }
            return .contentType(Escaper(type))
        default:
            return nil
        }
    }

    /// Renders a view model with this template; partials come from `library`.
    static func render(_ root: any ViewModel, template: CompiledTemplate, library: [String: CompiledTemplate])
        -> [UInt8]
    {
        var state = RenderState(library: library, stack: [.object(root)])
        state.out.reserveCapacity(1 << 16)
        // Until a pragma says otherwise, HTML escaping (PackRenderer starts every template with one).
        state.run(template.steps, escaper: .html, indentation: nil)
        return state.out
    }
}

private struct RenderState {
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
        // As swift-mustache: a step's non-empty output that follows a line break made earlier in
        // this same run starts with the partial's indentation.
        let levelStart = out.count
        for step in steps {
            let start = out.count
            run(step, escaper: &escaper, indentation: indentation)
            if out.count > start, start > levelStart, out[start - 1] == 0x0A,
                !(start - 2 >= levelStart && out[start - 2] == 0x0D)
            {
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
            let text: String =
                if case .text(let string) = value { string } else { String(describing: value.any) }
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
                stack.append(value)  // an empty list is pushed, as swift-mustache does
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
            return follow(name.parts[...], from: stack[stack.count - 1])
        case .stack:
            guard let first = name.parts.first else { return nil }
            for frame in stack.reversed() {
                if let found = Self.child(first, of: frame) { return follow(name.parts.dropFirst(), from: found) }
            }
            return nil
        }
    }

    private func follow(_ parts: ArraySlice<Int>, from value: ViewValue) -> ViewValue? {
        var value = value
        for part in parts {
            guard let next = Self.child(part, of: value) else { return nil }
            value = next
        }
        return value
    }

    private static func child(_ id: Int, of value: ViewValue) -> ViewValue? {
        if case .object(let model) = value { return model.value(id: id) }
        return nil
    }

    private mutating func write(_ text: String, _ escaper: CompiledTemplate.Escaper) {
        switch escaper {
        case .html:
            FastHTMLContentType.escape(text, into: &out)
        case .markdown:
            MarkdownContentType.escape(text, into: &out)
        case .other(let type):
            out.append(contentsOf: type.escapeText(text).utf8)
        }
    }
}
