import BoardPackCore
import Foundation

public enum RenderError: Error, CustomStringConvertible, Sendable {
    case missingTemplate(String)
    case templateSyntax(file: String, line: Int, column: Int, message: String)
    case unknownTemplate(String)
    case notReadable(String, String)

    public var description: String {
        switch self {
        case .missingTemplate(let path):
            "\(path): required template is missing (copy it from the templates/ folder BoardPack ships)"
        case .templateSyntax(let file, let line, let column, let message):
            "\(file):\(line):\(column): error: template syntax: \(message)"
        case .notReadable(let path, let why): "\(path): error: template \(why)"
        case .unknownTemplate(let path):
            "\(path): error: unknown template: neither board-pack.mustache nor index.mustache includes it "
                + "(include it with {{> name}}, or remove it)"
        }
    }
}

/// Renders packs and indexes from the Mustache templates in a folder:
/// `html/board-pack.mustache`, `html/index.mustache`,
/// `markdown/board-pack.mustache`, `markdown/index.mustache`, plus any
/// partials beside them. Every required template is checked when the renderer
/// is made, so a missing one fails the run before anything is written.
public struct PackRenderer: Sendable {
    public enum Output: String, CaseIterable, Sendable {
        case html
        case markdown

        public var fileExtension: String { self == .html ? "html" : "md" }
    }

    public static let requiredTemplates = ["board-pack", "index"]
    /// Templates rendered when present: the governing-body paper (`[paper]` in boardpack.toml). A
    /// templates folder from before it was added has none, and its packs get no such paper.
    public static let optionalTemplates = ["board-paper"]
    /// Each output's templates, compiled, by name.
    private let compiled: [Output: [String: CompiledTemplate]]
    /// The template files read (none for the built-in templates), relative to the templates folder,
    /// each with its identity as it was read.
    public let files: [InputFileRecord]

    /// The templates built into BoardPack (`templates/` as shipped), used when there is no templates
    /// folder: their names, under `html/` and `markdown/`, and contents.
    public static let builtInFolder = "(built-in templates)"

    /// - Parameter templatesFolder: the folder, or `builtInFolder` for the built-in templates.
    public init(templatesFolder: String) throws {
        var compiled: [Output: [String: CompiledTemplate]] = [:]
        var files: [InputFileRecord] = []
        for output in Output.allCases {
            let folder = (templatesFolder as NSString).appendingPathComponent(output.rawValue)
            let builtIn = templatesFolder == Self.builtInFolder
            let names = builtIn ? Self.builtInNames(output) : try Self.templateFiles(in: folder)
            var includes: [String: [MustacheParser.Include]] = [:]
            var programs: [String: CompiledTemplate] = [:]
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name + ".mustache")
                if !builtIn {
                    files.append(
                        InputFileRecord(path: output.rawValue + "/" + name + ".mustache", status: FileStatus.of(path)))
                }
                let text = builtIn ? Self.builtInText(output, name) : try Self.read(path, folder: folder)
                // HTML templates get the byte-level escaping from a pragma line added in front; error
                // lines are given back in the file's numbering.
                let prefix = output == .html ? "{{% CONTENT_TYPE: \(FastHTMLEscaping.pragmaName) }}\n" : ""
                let lineShift = prefix.isEmpty ? 0 : 1
                let template: CompiledTemplate
                do {
                    template = try CompiledTemplate(prefix + text)
                } catch {
                    throw RenderError.templateSyntax(
                        file: path, line: error.line - lineShift, column: error.column,
                        message: error.message)
                }
                programs[name] = template
                includes[name] = template.includes.map {
                    MustacheParser.Include(name: $0.name, line: $0.line - lineShift, column: $0.column)
                }
                for include in includes[name]! where !names.contains(include.name) {
                    throw RenderError.templateSyntax(
                        file: path, line: include.line, column: include.column,
                        message:
                            "the partial '\(include.name)' is not in the templates folder (\(include.name).mustache)")
                }
                let firstLine = text.prefix { $0 != "\n" }.filter { $0 != " " && $0 != "\t" }
                if output == .markdown, firstLine != "{{%CONTENT_TYPE:MARKDOWN}}" {
                    throw RenderError.templateSyntax(
                        file: path, line: 1, column: 1,
                        message: "a Markdown template must start with {{% CONTENT_TYPE: MARKDOWN }}")
                }
            }
            try Self.checkNoCycle(includes, folder: folder)
            for required in Self.requiredTemplates where programs[required] == nil {
                throw RenderError.missingTemplate((folder as NSString).appendingPathComponent(required + ".mustache"))
            }
            // Every template must be reachable from a required one: a stray file is probably a typo.
            var reached: Set<String> = []
            var queue = Self.requiredTemplates + Self.optionalTemplates.filter { programs[$0] != nil }
            while let next = queue.popLast() {
                guard reached.insert(next).inserted else { continue }
                queue += (includes[next] ?? []).map(\.name)
            }
            for name in names where !reached.contains(name) {
                throw RenderError.unknownTemplate((folder as NSString).appendingPathComponent(name + ".mustache"))
            }
            compiled[output] = programs
        }
        self.compiled = compiled
        self.files = files
    }

    /// The largest template file read: 16 MiB.
    public static let maxTemplateBytes = 16 << 20

    /// A template's text: a regular file inside the templates folder, UTF-8, within the size limit.
    static func read(_ path: String, folder: String) throws -> String {
        do {
            return try FileRules.readText(path, within: folder, limit: maxTemplateBytes)
        } catch {
            throw RenderError.notReadable(path, error.message)
        }
    }

    /// A template that includes itself, directly or through others, would never finish rendering:
    /// a located error at the include that closes the loop.
    static func checkNoCycle(_ includes: [String: [MustacheParser.Include]], folder: String) throws {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        func visit(_ name: String, path: [String]) throws {
            if marks[name] == .done { return }
            marks[name] = .visiting
            for include in includes[name] ?? [] {
                if marks[include.name] == .visiting {
                    let loop = (path + [name]).drop { $0 != include.name } + [include.name]
                    throw RenderError.templateSyntax(
                        file: (folder as NSString).appendingPathComponent(name + ".mustache"), line: include.line,
                        column: include.column,
                        message: "the templates include each other in a loop (\(loop.joined(separator: " → "))), "
                            + "which would never finish; remove one of the includes")
                }
                try visit(include.name, path: path + [name])
            }
            marks[name] = .done
        }
        for name in includes.keys.sorted() { try visit(name, path: []) }
    }

    static func builtInNames(_ output: Output) -> [String] {
        DefaultTemplates.files.compactMap { file in
            guard file.path.hasPrefix(output.rawValue + "/"), file.path.hasSuffix(".mustache") else { return nil }
            return String(file.path.dropFirst(output.rawValue.count + 1).dropLast(".mustache".count))
        }.sorted()
    }

    static func builtInText(_ output: Output, _ name: String) -> String {
        let path = output.rawValue + "/" + name + ".mustache"
        return DefaultTemplates.files.first { $0.path == path }?.contents ?? ""
    }

    static func templateFiles(in folder: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var names: [String] = []
        for case let path as String in enumerator where path.hasSuffix(".mustache") {
            names.append(String(path.dropLast(".mustache".count)))
        }
        return names.sorted()
    }

    public func render(pack: PackView, as output: Output) -> String {
        String(decoding: bytes(pack, template: "board-pack", as: output), as: UTF8.self)
    }

    /// The pack as UTF-8 bytes, ready to write.
    public func renderBytes(pack: PackView, as output: Output) -> [UInt8] {
        bytes(pack, template: "board-pack", as: output)
    }

    /// Whether the templates include the governing-body paper (`board-paper.mustache`) for `output`.
    public func hasPaper(_ output: Output) -> Bool { compiled[output]?["board-paper"] != nil }

    /// The governing-body paper of a pack; empty when the templates have none.
    public func renderPaperBytes(pack: PackView, as output: Output) -> [UInt8] {
        hasPaper(output) ? bytes(pack, template: "board-paper", as: output) : []
    }

    public func render(index: IndexView, as output: Output) -> String {
        String(decoding: bytes(index, template: "index", as: output), as: UTF8.self)
    }

    func bytes(_ view: any ViewModel, template name: String, as output: Output) -> [UInt8] {
        let library = compiled[output]!
        return CompiledTemplate.render(view, template: library[name]!, library: library)
    }
}

/// A view model whose fields templates find through a generated table (scripts/gen-view-fields)
/// rather than by reflection, which is slow on packs with large tables.
protocol ViewModel: Sendable {
    static var fields: [String: (Self) -> ViewValue] { get }
    /// The same by field id (`FieldIDs`), for the compiled templates.
    static var fieldsByID: [((Self) -> ViewValue)?] { get }
    /// A field by id; written out for each view model (generated), so that the call needs no
    /// generic type information at run time.
    func value(id: Int) -> ViewValue?
    /// A field by name (a name no view model has; the specification's tests give such values).
    func value(named name: String) -> ViewValue?
}

/// A number for every field name of every view model, so that compiled templates find a field
/// by indexing an array rather than hashing its name.
enum FieldIDs {
    /// Every field name, sorted: a name's id is its place here.
    static let names: [String] = Set(viewModelTypes.flatMap { $0.fieldNames }).sorted()
    static let ids: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// The id of a name no view model has.
    static let unknown = -1

    static func id(_ name: String) -> Int { ids[name] ?? unknown }

    static func table<T>(_ fields: [String: (T) -> ViewValue]) -> [((T) -> ViewValue)?] {
        var table = [((T) -> ViewValue)?](repeating: nil, count: ids.count)
        for (name, get) in fields { table[ids[name]!] = get }
        return table
    }
}

extension ViewModel {
    static var fieldNames: [String] { Array(fields.keys) }

    func value(named name: String) -> ViewValue? { Self.fields[name].map { $0(self) } }
}
