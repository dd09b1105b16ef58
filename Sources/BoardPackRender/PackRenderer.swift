import Foundation
import Mustache

public enum RenderError: Error, CustomStringConvertible, Sendable {
    case missingTemplate(String)
    case templateSyntax(file: String, line: Int, column: Int, message: String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .missingTemplate(let path):
            "\(path): required template is missing (copy it from the templates/ folder BoardPack ships)"
        case .templateSyntax(let file, let line, let column, let message):
            "\(file):\(line):\(column): error: template syntax: \(message)"
        case .unreadable(let path): "\(path): cannot read the template"
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
    private let libraries: [Output: MustacheLibrary]

    public init(templatesFolder: String) throws {
        MustacheContentTypes.register(MarkdownContentType(), named: MarkdownContentType.name)
        var libraries: [Output: MustacheLibrary] = [:]
        for output in Output.allCases {
            let folder = (templatesFolder as NSString).appendingPathComponent(output.rawValue)
            var library = MustacheLibrary()
            let names = try Self.templateFiles(in: folder)
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name + ".mustache")
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else { throw RenderError.unreadable(path) }
                do {
                    library.register(try MustacheTemplate(string: text), named: name)
                } catch let error as MustacheTemplate.ParserError {
                    throw RenderError.templateSyntax(
                        file: path, line: error.context.lineNumber, column: error.context.columnNumber,
                        message: String(describing: error.error))
                }
                let firstLine = text.prefix { $0 != "\n" }.filter { $0 != " " && $0 != "\t" }
                if output == .markdown, firstLine != "{{%CONTENT_TYPE:MARKDOWN}}" {
                    throw RenderError.templateSyntax(
                        file: path, line: 1, column: 1,
                        message: "a Markdown template must start with {{% CONTENT_TYPE: MARKDOWN }}")
                }
            }
            for required in Self.requiredTemplates where library.getTemplate(named: required) == nil {
                throw RenderError.missingTemplate((folder as NSString).appendingPathComponent(required + ".mustache"))
            }
            libraries[output] = library
        }
        self.libraries = libraries
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
        libraries[output]!.render(pack, withTemplate: "board-pack")!
    }

    public func render(index: IndexView, as output: Output) -> String {
        libraries[output]!.render(index, withTemplate: "index")!
    }
}
