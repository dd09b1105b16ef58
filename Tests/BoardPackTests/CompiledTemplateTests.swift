import BoardPackCore
import BoardPackIngest
import Foundation
import Testing

@testable import BoardPackAnalysis
@testable import BoardPackRender

/// The compiled templates (CompiledTemplate) must give exactly the bytes swift-mustache gives.
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

    static func compare(_ renderer: PackRenderer, _ views: (packs: [PackView], index: IndexView)) {
        for output in PackRenderer.Output.allCases {
            for view in views.packs {
                let compiled = String(decoding: renderer.bytes(view, template: "board-pack", as: output), as: UTF8.self)
                let reference = renderer.renderWithMustache(view, template: "board-pack", as: output)
                #expect(compiled == reference, "\(view.code) \(output): \(firstDifference(compiled, reference))")
            }
            let compiled = String(decoding: renderer.bytes(views.index, template: "index", as: output), as: UTF8.self)
            #expect(compiled == renderer.renderWithMustache(views.index, template: "index", as: output))
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, i - 60)..<min(bytes.count, i + 60)], as: UTF8.self)
        }
        return "byte \(i): compiled «\(around(x))» swift-mustache «\(around(y))»"
    }

    @Test("The shipped templates compile and give swift-mustache's bytes for every pack and index")
    func shippedTemplates() throws {
        let renderer = try PackRenderer(templatesFolder: TestSupport.templates)
        #expect(renderer.isCompiled(.html) && renderer.isCompiled(.markdown))
        for folder in [TestSupport.root + "/inputs", TestSupport.fixture("small"), TestSupport.fixture("small-xml")] {
            Self.compare(renderer, try Self.views(folder))
        }
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

    @Test("Tricky templates give swift-mustache's bytes")
    func trickyTemplates() throws {
        var markdown: [String: String] = [:]
        for (name, text) in Self.trickyHTML { markdown[name] = "{{% CONTENT_TYPE: MARKDOWN }}\n" + text }
        let renderer = try PackRenderer(templatesFolder: try Self.folder(html: Self.trickyHTML, markdown: markdown))
        #expect(renderer.isCompiled(.html) && renderer.isCompiled(.markdown))
        let views = try Self.views(TestSupport.fixture("small"))
        // The fixture's names hold `|`, `<` and `>`: both escapings are exercised.
        #expect(views.packs.contains { $0.commissioners.contains { $0.name.contains("<") } })
        Self.compare(renderer, views)
    }

    @Test("A template using transforms or inheritance is rendered by swift-mustache")
    func fallBack() throws {
        var html = Self.trickyHTML
        html["cell"] = "{{#commissioners}}{{#first()}}first: {{/first()}}{{name}}{{/commissioners}}\n"
        let markdown = [
            "board-pack": "{{% CONTENT_TYPE: MARKDOWN }}\n{{<parent}}{{$body}}{{title}}{{/body}}{{/parent}}\n",
            "parent": "{{% CONTENT_TYPE: MARKDOWN }}\n# {{$body}}default{{/body}}\n",
            "index": "{{% CONTENT_TYPE: MARKDOWN }}\n{{#packs}}{{code}}\n{{/packs}}",
        ]
        let renderer = try PackRenderer(templatesFolder: try Self.folder(html: html, markdown: markdown))
        #expect(!renderer.isCompiled(.html) && !renderer.isCompiled(.markdown))
        let views = try Self.views(TestSupport.fixture("small"))
        let system = try #require(views.packs.first { $0.isSystem })
        let page = renderer.render(pack: system, as: .html)
        #expect(page.contains("first: "))
        #expect(renderer.render(pack: system, as: .markdown).hasPrefix("# \(system.title)\n"))
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
            #expect(grown.utf8.count > TemplateSplitter.wholeBytes + 16_000)
        }
        return folder
    }

    @Test("A large template is split into parts that render exactly the bytes of the whole")
    func splitIsInvisible() throws {
        let folder = try Self.grownTemplates()
        let text = try String(contentsOfFile: folder + "/html/appendix.mustache", encoding: .utf8)
        let parts = try #require(TemplateSplitter.split(text, name: "appendix"))
        #expect(parts.count >= 4)
        #expect(parts.map(\.text).joined() == text)
        let split = try PackRenderer(templatesFolder: folder)
        let whole = try PackRenderer(templatesFolder: folder, splitLarge: false)
        let views = try CompiledTemplateTests.views(TestSupport.fixture("small"))
        for output in PackRenderer.Output.allCases {
            for view in views.packs {
                let a = split.renderBytes(pack: view, as: output)
                let b = whole.renderBytes(pack: view, as: output)
                #expect(a == b, "\(view.code) \(output)")
                #expect(a.count > 50_000)
            }
        }
    }

    @Test("A syntax error in a later part is reported at its line in the file")
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
