import BoardPackCore
import BoardPackIngest
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackRender

/// Templates as an analyst writes them: what they render (TemplateTests), and what is refused.
@Suite("Compiled templates")
struct CompiledTemplateTests {
    static func views(_ folder: String) throws -> (packs: [PackView], index: IndexView) {
        let log = DiagnosticLog()
        let dataset = try InputLoader.load(folder: folder, log: log)
        let period = try #require(Analysis.latestMonthWithActuals(dataset))
        let packs = Analysis.packs(dataset, period: period)
        let warnings = log.sorted.filter { $0.severity == .warning }
        return (packs.map { ViewBuilder.pack($0, warnings: warnings) }, ViewBuilder.index(packs))
    }

    /// Templates an analyst might write: standalone and inline tags, indented and nested partials,
    /// dotted and `.`-prefixed names, lists of strings, empty lists, flags printed as values, unknown
    /// names, triple and `&` unescaped values, comments, CRLF line ends and a content-type change
    /// part way through (to swift-mustache's own HTML escaping, and to none).
    static let trickyHTML: [String: String] = [
        "board-pack": """
        <h1>{{title}}</h1>{{! a comment }}
          {{! a standalone comment }}
        {{#headline}}
          <p>{{qippTarget}} {{title}}</p>
        {{/headline}}
        {{^commissioners}}no rows{{/commissioners}}
          {{#commissioners}}
          - {{name}} | {{code}} | {{{name}}} | {{&name}} | {{isSystem}}
          {{/commissioners}}
            {{> row}}
        {{#isSystem}}system{{/isSystem}}{{^isSystem}}one commissioner{{/isSystem}}
        {{totals.qippTarget}} {{.title}} {{.headline.qippTarget}} {{nosuch}} {{nosuch.deeper}} {{headline.nosuch}}
        \r
        {{#warnings}}[{{.}}]{{/warnings}}{{^warnings}}no warnings{{/warnings}}\r
        {{#commissioners}}{{^hasCommissioners}}x{{/hasCommissioners}}{{/commissioners}}
        {{isSystem}} {{hasCommissioners}} {{headline.qippTarget}}
        {{#title}}{{.}}{{/title}}
        {{% CONTENT_TYPE: TEXT }}
        raw {{title}} {{name}}
          {{> row}}
        """,
        "row": """
        <ul>
        {{% CONTENT_TYPE: HTML }}
          {{#commissioners}}
          <li>{{name}}
            {{> cell}}
          </li>
          {{/commissioners}}
        </ul>

        """,
        "cell": "<b>{{code}}</b>\n{{#isSystem}}\n  sys\n{{/isSystem}}\n",
        "index": "{{#packs}}{{code}} {{name}}\n{{/packs}}{{^packs}}none{{/packs}}\n",
    ]

    static func folder(html: [String: String], markdown: [String: String]) throws -> String {
        let folder = try TestSupport.temporaryFolder("templates")
        for (output, templates) in [("html", html), ("markdown", markdown)] {
            for (name, text) in templates {
                _ = try TestSupport.write(text, as: "\(output)/\(name).mustache", in: folder)
            }
        }
        return folder
    }

    @Test("Transforms, inheritance and dynamic partials are syntax errors that say so, at their line")
    func unsupported() throws {
        let cases = [
            ("{{#commissioners}}\n{{#first()}}first{{/first()}}{{/commissioners}}\n", 2, "transforms"),
            ("{{<parent}}{{$body}}x{{/body}}{{/parent}}\n", 1, "inheritance"),
            ("line one\n  {{>*name}}\n", 2, "dynamic names"),
            ("{{% CONTENT_TYPE: XML }}\n", 1, "not a content type"),
            ("{{#a}}\n{{/b}}\n", 2, "does not close the open section {{#a}}"),
            ("{{#a}}\nopen\n", 1, "is not closed"),
            ("text {{name\n", 1, "not closed"),
        ]
        for (text, line, words) in cases {
            var html = Self.trickyHTML
            html["cell"] = text
            var markdown: [String: String] = [:]
            for (name, text) in Self.trickyHTML { markdown[name] = "{{% CONTENT_TYPE: MARKDOWN }}\n" + text }
            let folder = try Self.folder(html: html, markdown: markdown)
            #expect {
                try PackRenderer(templatesFolder: folder)
            } throws: { error in
                guard case RenderError.templateSyntax(let file, let l, _, let message) = error else { return false }
                return file.hasSuffix("html/cell.mustache") && l == line && message.contains(words)
            }
        }
    }
}

@Suite("Large templates")
struct LargeTemplateTests {
    /// A copy of the shipped templates whose appendix partials are grown past the split size with
    /// variables, sections, standalone lines and indented partials.
    static func grownTemplates() throws -> String {
        let folder = try TestSupport.temporaryFolder("large-templates")
        try FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: TestSupport.templates, toPath: folder)
        let block = """
            <p>{{code}} · {{name}}</p>
              {{#charts}}
              <i>{{file}}</i> {{{file}}}
              {{/charts}}
            {{^charts}}none{{/charts}}
            {{! a comment
            over two lines }}

            """
        for output in ["html", "markdown"] {
            let path = folder + "/\(output)/appendix.mustache"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let partial = output == "html" ? "style" : "pipeline"
            let grown = text + String(repeating: block, count: 700) + "  {{> \(partial)}}\n"
            try grown.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(grown.utf8.count > 100_000)
        }
        return folder
    }

    @Test("A large template renders all its lines, and its partials indented")
    func largeTemplate() throws {
        let folder = try Self.grownTemplates()
        let renderer = try PackRenderer(templatesFolder: folder)
        let views = try CompiledTemplateTests.views(TestSupport.fixture("small"))
        for view in views.packs {
            let page = renderer.render(pack: view, as: .html)
            // 700 copies of the block, each giving its pack's code once.
            #expect(page.components(separatedBy: "<p>\(view.code) · ").count - 1 >= 700)
        }
    }

    @Test("A syntax error far into a large template is reported at its line in the file")
    func errorLine() throws {
        let folder = try Self.grownTemplates()
        let path = folder + "/html/appendix.mustache"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let broken = try #require(lines.indices.first { $0 >= 4_000 && lines[$0].hasPrefix("<p>") })
        lines[broken] = "{{/broken}}"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try PackRenderer(templatesFolder: folder)
        } throws: { error in
            guard case RenderError.templateSyntax(let file, let line, _, _) = error else { return false }
            return file == path && line == broken + 1
        }
    }
}
