/// A Mustache template compiled once into steps that render straight into UTF-8 bytes: parsed by
/// `MustacheParser`, rendered by `render`. Values are those view models hold — strings, flags,
/// lists of strings, nested view models and lists of them — looked up through the generated
/// field tables, never by reflection.
struct CompiledTemplate: Sendable {
    indirect enum Step: Sendable {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        case section(Name, [Step])
        case invertedSection(Name, [Step])
        /// A partial; a standalone one has the indentation of its line, given to each line after
        /// its first.
        case partial(String, indentation: [UInt8]?)
        case contentType(Escaper)
    }

    struct Name: Sendable {
        /// "." (the current value), ".a.b" (from the current value only) or "a.b" (the first part
        /// found anywhere up the stack, the rest from there).
        enum Start: Sendable { case current, top, stack }
        let start: Start
        /// The dotted parts, and their field ids (`FieldIDs`; `FieldIDs.unknown` for a name no
        /// view model has).
        let parts: [String]
        let ids: [Int]

        init(_ name: String) {
            if name == "." {
                start = .current
                parts = []
            } else {
                start = name.first == "." ? .top : .stack
                parts = name.split(separator: ".").map(String.init)
            }
            ids = parts.map { FieldIDs.id($0) }
        }
    }

    /// How values are escaped: for HTML (`& < > " '`), for Markdown tables, or not at all.
    enum Escaper: Sendable {
        case html
        case markdown
        case none
    }

    let steps: [Step]
    /// The partials it includes, where.
    let includes: [MustacheParser.Include]

    init(_ text: String) throws(MustacheSyntaxError) {
        (steps, includes) = try MustacheParser.parse(text)
    }

    /// Renders a view model with this template; partials come from `library`.
    static func render(_ root: any ViewModel, template: CompiledTemplate, library: [String: CompiledTemplate])
        -> [UInt8]
    {
        render(.object(root), template: template, library: library)
    }

    /// Renders any value (the specification's tests give strings and numbers as the root).
    static func render(_ root: ViewValue, template: CompiledTemplate, library: [String: CompiledTemplate])
        -> [UInt8]
    {
        var state = RenderState(library: library, stack: [root])
        state.out.reserveCapacity(1 << 16)
        // Until a pragma says otherwise, HTML escaping.
        state.run(template.steps, escaper: .html, indentation: nil)
        return state.out
    }
}
