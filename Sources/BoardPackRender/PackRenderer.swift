import BoardPackCore
import Foundation
import Mustache

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
    static let fastHTML = "BOARDPACK_HTML"
    private let libraries: [Output: MustacheLibrary]
    /// The same templates compiled (CompiledTemplate); nil for an output whose templates use
    /// something only swift-mustache renders.
    private let compiled: [Output: [String: CompiledTemplate]]
    /// The template files read (none for the built-in templates), relative to the templates folder,
    /// each with its identity as it was read.
    public let files: [InputFileRecord]

    /// - Parameter splitLarge: false parses every template whole (to test that splitting a large
    ///   one gives the same bytes).
    /// The templates built into BoardPack (`templates/` as shipped), used when there is no templates
    /// folder: their names, under `html/` and `markdown/`, and contents.
    public static let builtInFolder = "(built-in templates)"

    /// - Parameter templatesFolder: the folder, or `builtInFolder` for the built-in templates.
    public init(templatesFolder: String, splitLarge: Bool = true) throws {
        MustacheContentTypes.register(MarkdownContentType(), named: MarkdownContentType.name)
        MustacheContentTypes.register(FastHTMLContentType(), named: Self.fastHTML)
        var libraries: [Output: MustacheLibrary] = [:]
        var compiled: [Output: [String: CompiledTemplate]] = [:]
        var files: [InputFileRecord] = []
        for output in Output.allCases {
            let folder = (templatesFolder as NSString).appendingPathComponent(output.rawValue)
            var library = MustacheLibrary()
            let builtIn = templatesFolder == Self.builtInFolder
            let names = builtIn ? Self.builtInNames(output) : try Self.templateFiles(in: folder)
            var includes: [String: [Include]] = [:]
            var programs: [String: CompiledTemplate]? = [:]
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name + ".mustache")
                if !builtIn {
                    files.append(
                        InputFileRecord(path: output.rawValue + "/" + name + ".mustache", status: FileStatus.of(path)))
                }
                let text = builtIn ? Self.builtInText(output, name) : try Self.read(path, folder: folder)
                // HTML templates get the byte-level escaping (same result as Mustache's own, faster)
                // from a pragma line added in front; error lines are given back in the file's numbering.
                let htmlPrefix = output == .html ? "{{% CONTENT_TYPE: \(Self.fastHTML) }}\n" : ""
                var units: [(name: String, text: String, prefix: String, firstLine: Int)] = []
                if splitLarge, let parts = TemplateSplitter.split(text, name: name) {
                    for (k, part) in parts.enumerated() {
                        let prefix =
                            output == .html
                            ? htmlPrefix : (k == 0 ? "" : "{{% CONTENT_TYPE: \(MarkdownContentType.name) }}\n")
                        units.append((part.name, part.text, prefix, part.firstLine))
                    }
                    units.append((name, TemplateSplitter.joined(parts), "", 1))
                } else {
                    units.append((name, text, htmlPrefix, 1))
                }
                for unit in units {
                    do {
                        let template = try MustacheTemplate(string: unit.prefix + unit.text)
                        library.register(template, named: unit.name)
                        if let program = CompiledTemplate(template) {
                            programs?[unit.name] = program
                        } else {
                            programs = nil
                        }
                    } catch let error as MustacheTemplate.ParserError {
                        throw RenderError.templateSyntax(
                            file: path,
                            line: error.context.lineNumber - (unit.prefix.isEmpty ? 0 : 1) + unit.firstLine - 1,
                            column: error.context.columnNumber, message: String(describing: error.error))
                    }
                }
                includes[name] = try Self.partials(in: text, file: path, known: Set(names))
                let firstLine = text.prefix { $0 != "\n" }.filter { $0 != " " && $0 != "\t" }
                if output == .markdown, firstLine != "{{%CONTENT_TYPE:MARKDOWN}}" {
                    throw RenderError.templateSyntax(
                        file: path, line: 1, column: 1,
                        message: "a Markdown template must start with {{% CONTENT_TYPE: MARKDOWN }}")
                }
            }
            try Self.checkNoCycle(includes, folder: folder)
            for required in Self.requiredTemplates where library.getTemplate(named: required) == nil {
                throw RenderError.missingTemplate((folder as NSString).appendingPathComponent(required + ".mustache"))
            }
            // Every template must be reachable from a required one: a stray file is probably a typo.
            var reached: Set<String> = []
            var queue = Self.requiredTemplates
            while let next = queue.popLast() {
                guard reached.insert(next).inserted else { continue }
                queue += (includes[next] ?? []).map(\.name)
            }
            for name in names where !reached.contains(name) {
                throw RenderError.unknownTemplate((folder as NSString).appendingPathComponent(name + ".mustache"))
            }
            libraries[output] = library
            compiled[output] = programs
        }
        self.libraries = libraries
        self.compiled = compiled
        self.files = files
    }

    /// The partials a template includes (`{{> name}}`, or `{{< name}}` to inherit from it); one not
    /// in the folder is a located error.
    static func partials(in text: String, file: String, known: Set<String>) throws -> [Include] {
        var found: [Include] = []
        let bytes = Array(text.utf8)
        var line = 1
        var lineStart = 0
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            } else if bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{"),
                bytes[i + 2] == UInt8(ascii: ">") || bytes[i + 2] == UInt8(ascii: "<")
            {
                var j = i + 3
                while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "}") && bytes[j + 1] == UInt8(ascii: "}")) {
                    j += 1
                }
                let name = String(decoding: bytes[(i + 3)..<min(j, bytes.count)], as: UTF8.self)
                    .trimmingCharacters(in: .whitespaces)
                guard known.contains(name) else {
                    throw RenderError.templateSyntax(
                        file: file, line: line, column: i - lineStart + 1,
                        message: "the partial '\(name)' is not in the templates folder (\(name).mustache)")
                }
                found.append(Include(name: name, line: line, column: i - lineStart + 1))
                i = j
                continue
            }
            i += 1
        }
        return found
    }

    /// One `{{> name}}` (or `{{< name}}`) in a template, where it is.
    struct Include {
        let name: String
        let line: Int
        let column: Int
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
    static func checkNoCycle(_ includes: [String: [Include]], folder: String) throws {
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

    public func render(index: IndexView, as output: Output) -> String {
        String(decoding: bytes(index, template: "index", as: output), as: UTF8.self)
    }

    /// Whether `output`'s templates render through their compiled form.
    func isCompiled(_ output: Output) -> Bool { compiled[output] != nil }

    func bytes(_ view: any ViewModel, template name: String, as output: Output) -> [UInt8] {
        if let library = compiled[output], let template = library[name] {
            return CompiledTemplate.render(view, template: template, library: library)
        }
        return Array(renderWithMustache(view, template: name, as: output).utf8)
    }

    /// swift-mustache's own rendering (used when a template is not compiled, and by the tests
    /// that check the compiled templates give the same bytes).
    func renderWithMustache(_ view: any ViewModel, template name: String, as output: Output) -> String {
        libraries[output]!.render(view, withTemplate: name)!
    }
}

/// A view model whose fields templates find through a generated table (scripts/gen-view-fields)
/// rather than by reflection, which is slow on packs with large tables.
protocol ViewModel: MustacheParent, Sendable {
    static var fields: [String: (Self) -> ViewValue] { get }
    /// The same by field id (`FieldIDs`), for the compiled templates.
    static var fieldsByID: [((Self) -> ViewValue)?] { get }
    /// A field by id; written out for each view model (generated), so that the call needs no
    /// generic type information at run time.
    func value(id: Int) -> ViewValue?
}

/// A number for every field name of every view model, so that compiled templates find a field
/// by indexing an array rather than hashing its name.
enum FieldIDs {
    static let ids: [String: Int] = {
        let names = Set(viewModelTypes.flatMap { $0.fieldNames }).sorted()
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }()

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

    public func child(named name: String) -> Any? { value(named: name)?.any }
}
