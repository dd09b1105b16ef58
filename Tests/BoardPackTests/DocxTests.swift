import BoardPackSample
import Foundation
import Testing
import ZIPFoundation

@testable import BoardPackCore
@testable import BoardPackPipeline
@testable import BoardPackRender

/// Word documents written from the pack's HTML.
@Suite("Word documents")
struct DocxTests {
    @Test("The HTML reader decodes references, keeps SVG whole and skips what is not text")
    func tokens() {
        let html = Array(
            "<!DOCTYPE html><head><title>T &amp; x</title><style>p{}</style></head><p class=\"n\">A &amp; B &lt;C&gt; &#39;d&#x27; &nbsp;&unknown;</p><br><svg viewBox=\"0 0 1 1\"><text>x</text></svg>"
                .utf8)
        let tokens = HTMLTokens.tokens(html)
        #expect(
            tokens == [
                .start("head", [:]), .end("head"), .start("p", ["class": "n"]), .text("A & B <C> 'd' \u{A0}&unknown;"),
                .end("p"), .start("br", [:]),
                .end("br"), .svg("<svg viewBox=\"0 0 1 1\"><text>x</text></svg>"),
            ])
    }

    static let page = """
        <header id="cover"><h1>NHS Test &amp; Co</h1><nav><ol><li><a href="#s">S</a></li></ol></nav></header>
        <main><section id="s"><h2>Section</h2>
        <p>Text with <strong>bold</strong> and <a href="#t">a link</a>.</p>
        <table><caption>Narrow</caption><thead><tr><th scope="col">A</th><th scope="col" class="n">B</th></tr></thead>
        <tbody><tr><td>x</td><td class="n">1</td></tr></tbody></table>
        <h3 id="t">Wide</h3>
        <table><caption>Wide</caption><thead><tr><th>1</th><th>2</th><th>3</th><th>4</th><th>5</th><th>6</th><th>7</th></tr></thead>
        <tbody><tr><td>a</td><td colspan="2">b</td></tr></tbody></table>
        <p>After.</p>
        <figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 300"><title id="c-title">Chart &amp; title</title><desc id="c-desc">What it shows.</desc></svg><figcaption>Caption</figcaption></figure>
        </section></main>
        """

    @Test("Headings, tables with repeating header rows, a wide table in landscape, charts with alt text")
    func body() throws {
        let xml = DocxPackage.documentXML(html: Array(Self.page.utf8))
        #expect(xml.contains("<w:pStyle w:val=\"Heading1\"/>") && xml.contains("NHS Test &amp; Co"))
        #expect(xml.contains("<w:pStyle w:val=\"Heading2\"/>") && xml.contains("<w:pStyle w:val=\"Heading3\"/>"))
        // The contents list is a TOC field that Word fills from the headings.
        #expect(xml.contains("TOC \\o \"1-3\""))
        #expect(!xml.contains(">S<"))
        // Header rows repeat; a number column is right-aligned; a short row fills the grid.
        #expect(xml.components(separatedBy: "<w:tblHeader/>").count - 1 == 2)
        #expect(xml.contains("<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">1</w:t>"))
        #expect(xml.contains("<w:gridSpan w:val=\"2\"/>") && xml.contains("<w:gridSpan w:val=\"4\"/>"))
        // The wide table's section is landscape, from its heading; the narrow one's portrait.
        let landscape = try #require(xml.range(of: "w:orient=\"landscape\""))
        let wideHeading = try #require(xml.range(of: ">Wide<"))
        let portraitEnd = try #require(xml.range(of: "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(portraitEnd.lowerBound < wideHeading.lowerBound && wideHeading.lowerBound < landscape.lowerBound)
        #expect(xml.hasSuffix(DocxBody.section(landscape: false) + "</w:body></w:document>"))
        // Links within the pack go to bookmarks made from the ids.
        #expect(xml.contains("<w:hyperlink w:anchor=\"bp_t\"") && xml.contains("w:name=\"bp_t\""))
        // The chart: a picture with its title and description as alt text, at 16 cm by 6.67 cm.
        #expect(xml.contains("descr=\"Chart &amp; title. What it shows.\""))
        #expect(xml.contains("<wp:extent cx=\"5760000\" cy=\"2400000\"/>"))
    }

    /// The entries of a .docx, by name.
    static func parts(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }

    @Test("The package: title, author and language; the chart as its SVG; the same bytes each time")
    func package() throws {
        let properties = DocxPackage.Properties(title: "Pack <1>", author: "Finance & Co")
        let data = try DocxPackage.document(html: Array(Self.page.utf8), properties: properties)
        #expect(try data == DocxPackage.document(html: Array(Self.page.utf8), properties: properties))
        let parts = try Self.parts(data)
        #expect(parts["word/document.xml"] == DocxPackage.documentXML(html: Array(Self.page.utf8)))
        #expect(parts["docProps/core.xml"]?.contains("<dc:title>Pack &lt;1&gt;</dc:title>") == true)
        #expect(parts["docProps/core.xml"]?.contains("<dc:creator>Finance &amp; Co</dc:creator>") == true)
        #expect(parts["word/styles.xml"]?.contains("<w:lang w:val=\"en-GB\"") == true)
        #expect(parts["word/media/chart1.svg"]?.hasPrefix("<svg") == true)
        #expect(parts["word/footer1.xml"]?.contains(" NUMPAGES ") == true)
        #expect(parts["[Content_Types].xml"]?.contains("Extension=\"svg\"") == true)
    }

    @Test("A reference document's styles are used, with BoardPack's added for any it lacks")
    func reference() throws {
        let folder = try TestSupport.temporaryFolder("docx-ref")
        let styles =
            "<?xml version=\"1.0\"?><w:styles xmlns:w=\"\(DocxPackage.wordNamespace)\">"
            + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:rPr><w:color w:val=\"330072\"/></w:rPr></w:style></w:styles>"
        let archive = try Archive(data: Data(), accessMode: .create)
        let bytes = Data(styles.utf8)
        try archive.addEntry(with: "word/styles.xml", type: .file, uncompressedSize: Int64(bytes.count)) {
            position, size in bytes.subdata(in: Int(position)..<Int(position) + size)
        }
        let path = folder + "/ours.docx"
        try archive.data!.write(to: URL(fileURLWithPath: path))
        let merged = try DocxPackage.referenceStyles(path: path)
        #expect(merged.contains("330072"))
        #expect(merged.components(separatedBy: "w:styleId=\"Heading1\"").count == 2, "theirs kept, ours not added")
        #expect(merged.contains("w:styleId=\"Caption\"") && merged.contains("w:styleId=\"BoardPackTable\""))
        // Not a Word document: a located error, exit 2.
        let text = try TestSupport.write("not a zip", as: "fake.docx", in: folder)
        #expect(throws: DocxPackage.ReferenceError.self) { try DocxPackage.referenceStyles(path: text) }
        let log = DiagnosticLog()
        var options = BuildOptions(
            inputs: TestSupport.fixture("small"), output: folder + "/out", templates: TestSupport.templates)
        options.formats = [.docx]
        options.docxReference = text
        let outcome = Pipeline.build(options, log: log)
        #expect(outcome.status == .usage)
        #expect(log.errors.first?.code == "config.docx-reference" && log.errors.first?.location.file == text)
        #expect(log.errors.first?.message.contains("not a ZIP package") == true)
    }

    @Test("--format docx writes board-pack.docx beside the others, listed in the manifest")
    func build() throws {
        let out = try TestSupport.temporaryFolder("docx-out")
        var options = BuildOptions(inputs: TestSupport.fixture("small"), output: out, templates: TestSupport.templates)
        options.formats = [.html, .docx]
        let log = DiagnosticLog()
        #expect(Pipeline.build(options, log: log).status == .success, "\(log.sorted)")
        let data = try #require(TestSupport.read(out + "/00A/board-pack.docx"))
        let html = try #require(TestSupport.read(out + "/00A/board-pack.html"))
        let parts = try Self.parts(data)
        // With Chromium installed, each chart also has a PNG picture, the main image Word shows.
        let pictures = parts.keys.filter { $0.hasSuffix(".png") }.count
        #expect(pictures == (PDFPrinter.find() == nil ? 0 : parts.keys.filter { $0.hasSuffix(".svg") }.count))
        let xml = try #require(parts["word/document.xml"])
        // The same document either way: the main image's relationship names the PNG or the SVG.
        #expect(xml == DocxPackage.documentXML(html: Array(html)))
        let manifest = String(decoding: TestSupport.read(out + "/manifest.json") ?? Data(), as: UTF8.self)
        #expect(manifest.contains("00A/board-pack.docx"))
    }

    @Test("PNG pictures: what is written reads back the same, in bands; what is not a PNG is refused")
    func png() throws {
        let seed = ProcessInfo.processInfo.environment["BOARDPACK_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_204
        print("PNG round trip: seed \(seed) (BOARDPACK_TEST_SEED to repeat)")
        var random = SplitMix64(seed: seed)
        for channels in [3, 4] {
            let (width, height) = (Int.random(in: 1...40, using: &random), Int.random(in: 2...30, using: &random))
            // Flat runs and noise, as a chart's white space and lines.
            let pixels = (0..<width * height * channels).map { i in
                i % 7 == 0 ? UInt8.random(in: 0...255, using: &random) : UInt8(255)
            }
            let image = PNGImage(width: width, height: height, channels: channels, pixels: pixels)
            let bytes = try image.encoded()
            #expect(Array(bytes.prefix(8)) == PNGImage.signature)
            let read = try PNGImage(decoding: Array(bytes))
            #expect(read == image)
            let band = read.band(1..<height)
            #expect(band.height == height - 1 && band.pixels == Array(pixels[(width * channels)...]))
        }
        #expect(throws: PNGImage.Problem.notPNG) {
            try PNGImage(decoding: Array("GIF89a not a png at all, long enough".utf8))
        }
    }

    @Test("The charts' sheets: each chart at its aspect, stacked, in pages under Chromium's limit")
    func chartSheets() {
        let chart =
            "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 300\"><title>T</title></svg></figure>"
        let square =
            "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 400\"><title>S</title></svg></figure>"
        let html = Array((String(repeating: chart, count: 25) + square).utf8)
        let sheets = DocxPackage.Draft(html: html).chartSheets
        #expect(sheets.map(\.bands.count) == [20, 6])
        #expect(sheets[0].bands[1] == 300..<600 && sheets[0].height == 6_000)
        #expect(sheets[1].bands.last == 1_500..<2_220)
        #expect(sheets[1].page.contains("<svg style=\"width:720px;height:720px\""))
    }
}
