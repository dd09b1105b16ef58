import BoardPackCore
import Foundation
import Testing

@testable import BoardPackRender

/// Templates an analyst might write, rendered for every pack of the small fixture and its index,
/// against golden files (recorded when the renderer was checked byte for byte against
/// swift-mustache's). Re-record on purpose with `RECORD_GOLDEN=1 swift test --filter TemplateTests`.
@Suite("Templates")
struct TemplateTests {
    @Test("Tricky templates render their golden bytes, in HTML and in Markdown")
    func trickyGolden() throws {
        var markdown: [String: String] = [:]
        for (name, text) in CompiledTemplateTests.trickyHTML {
            markdown[name] = "{{% CONTENT_TYPE: MARKDOWN }}\n" + text
        }
        let renderer = try PackRenderer(
            templatesFolder: try CompiledTemplateTests.folder(
                html: CompiledTemplateTests.trickyHTML, markdown: markdown))
        let views = try CompiledTemplateTests.views(TestSupport.fixture("small"))
        // The warnings name the fixture's files by their path: the checkout's folder is left out.
        func portable(_ text: String) -> Data {
            Data(text.replacingOccurrences(of: TestSupport.root, with: "ROOT").utf8)
        }
        var files: [String: Data] = [:]
        for output in PackRenderer.Output.allCases {
            for view in views.packs {
                files["\(output.rawValue)/\(view.code).txt"] = portable(renderer.render(pack: view, as: output))
            }
            files["\(output.rawValue)/index.txt"] = portable(renderer.render(index: views.index, as: output))
        }
        try GoldenTests.check(files, against: TestSupport.goldenRoot + "/tricky-templates")
    }
}
