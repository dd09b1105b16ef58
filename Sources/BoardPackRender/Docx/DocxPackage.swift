import Foundation
import ZIPFoundation

/// A board pack as a Word document (.docx): the body from the pack's HTML (`DocxBody`), with
/// BoardPack's styles or those of the organisation's own reference document, a footer reading
/// "Page N of M", the document's title, author and language, and each chart as a picture. The
/// same HTML gives the same bytes: the ZIP entries carry a fixed date.
public enum DocxPackage {
    /// What the document says about itself.
    public struct Properties: Sendable {
        public var title: String
        public var author: String
        public var language = "en-GB"

        public init(title: String, author: String) {
            self.title = title
            self.author = author
        }
    }

    /// A reference document that is not a Word document, and why; the caller names the file.
    public struct ReferenceError: Error, CustomStringConvertible, Equatable {
        public let why: String

        public var description: String { "not a Word document (.docx): \(why)" }
    }

    /// The styles of a reference document (`--docx-reference`): its `word/styles.xml`, with
    /// BoardPack's styles added for any it does not define.
    public static func referenceStyles(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReferenceError(why: "it cannot be read")
        }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw ReferenceError(why: "it is not a ZIP package")
        }
        guard let entry = archive["word/styles.xml"] else {
            throw ReferenceError(why: "it has no word/styles.xml")
        }
        var styles = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { styles.append($0) }
        } catch {
            throw ReferenceError(why: "its word/styles.xml cannot be read")
        }
        guard let text = String(data: styles, encoding: .utf8), let close = text.range(of: "</w:styles>") else {
            throw ReferenceError(why: "its word/styles.xml is not a Word style sheet")
        }
        var missing = ""
        for (id, definition) in DocxStyles.definitions where !text.contains("w:styleId=\"\(id)\"") {
            missing += definition
        }
        return text.replacingCharacters(in: close, with: missing + "</w:styles>")
    }

    /// A pack's HTML read for Word: the body, and the charts it shows.
    public struct Draft {
        let body: DocxBody

        public init(html: [UInt8]) { body = DocxBody(html: html) }

        /// The charts' pictures to draw, in order: one or more pages, each `width` CSS pixels wide
        /// with the charts stacked at their own aspect, and where each chart lies on its page.
        public var chartSheets: [ChartSheet] {
            var sheets: [ChartSheet] = []
            var current = ChartSheet()
            for picture in body.pictures {
                let height = Int((Double(ChartSheet.width) * picture.height / picture.width).rounded())
                if current.height + height > ChartSheet.maxHeight, !current.bands.isEmpty {
                    sheets.append(current)
                    current = ChartSheet()
                }
                current.bands.append(current.height..<current.height + height)
                current.html +=
                    "<div style=\"height:\(height)px\">"
                    + picture.svg.replacingOccurrences(
                        of: "<svg ", with: "<svg style=\"width:\(ChartSheet.width)px;height:\(height)px\" ") + "</div>"
                current.height += height
            }
            if !current.bands.isEmpty { sheets.append(current) }
            return sheets
        }
    }

    /// A page of charts to screenshot (at twice its CSS size) and cut into one PNG per chart.
    public struct ChartSheet: Sendable {
        public static let width = 720
        /// The tallest page: Chromium draws screenshots up to 16,384 device pixels.
        public static let maxHeight = 6_000
        public var bands: [Range<Int>] = []
        public var height = 0
        var html = ""

        /// The page Chromium draws.
        public var page: String {
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>charts</title><style>"
                + "html,body{margin:0;padding:0;background:#fff}div{width:\(Self.width)px;overflow:hidden}"
                + "svg{display:block}</style></head><body>" + html + "</body></html>"
        }

        /// The screenshot of `page`, cut into each chart's PNG.
        public func pictures(screenshot: Data) throws -> [Data] {
            let image = try PNGImage(decoding: Array(screenshot))
            let scale = image.width / Self.width
            return try bands.map { try image.band($0.lowerBound * scale..<$0.upperBound * scale).encoded() }
        }
    }

    /// The .docx bytes of a pack's HTML.
    public static func document(html: [UInt8], properties: Properties, styles: String? = nil) throws -> Data {
        try document(Draft(html: html), properties: properties, styles: styles)
    }

    /// The .docx bytes of a drafted pack; `fallbacks`, when given, are PNG pictures of its charts
    /// (one each, in order), shown by Word versions that do not draw SVG and by other readers.
    public static func document(
        _ draft: Draft, properties: Properties, styles: String? = nil, fallbacks: [Data]? = nil
    ) throws -> Data {
        let body = draft.body
        let fallbacks = fallbacks?.count == body.pictures.count ? fallbacks : nil
        var parts: [(String, Data)] = []
        func add(_ name: String, _ text: String) { parts.append((name, Data(text.utf8))) }
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        add(
            "[Content_Types].xml",
            xml + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>"
                + "<Default Extension=\"png\" ContentType=\"image/png\"/>"
                + override("/word/document.xml", "wordprocessingml.document.main")
                + override("/word/styles.xml", "wordprocessingml.styles")
                + override("/word/numbering.xml", "wordprocessingml.numbering")
                + override("/word/settings.xml", "wordprocessingml.settings")
                + override("/word/footer1.xml", "wordprocessingml.footer")
                + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                + override("/docProps/app.xml", "extended-properties")
                + "</Types>")
        add(
            "_rels/.rels",
            xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(officeRelationships)/officeDocument\" Target=\"word/document.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"\(officeRelationships)/extended-properties\" Target=\"docProps/app.xml\"/>"
                + "</Relationships>")
        add(
            "docProps/core.xml",
            xml
                + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
                + "<dc:title>\(DocxBody.escape(properties.title))</dc:title>"
                + "<dc:creator>\(DocxBody.escape(properties.author))</dc:creator>"
                + "<dc:language>\(DocxBody.escape(properties.language))</dc:language></cp:coreProperties>")
        add(
            "docProps/app.xml",
            xml + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
                + "<Application>BoardPack</Application></Properties>")
        var relationships =
            "<Relationship Id=\"rIdStyles\" Type=\"\(officeRelationships)/styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rIdNumbering\" Type=\"\(officeRelationships)/numbering\" Target=\"numbering.xml\"/>"
            + "<Relationship Id=\"rIdSettings\" Type=\"\(officeRelationships)/settings\" Target=\"settings.xml\"/>"
            + "<Relationship Id=\"rIdFooter\" Type=\"\(officeRelationships)/footer\" Target=\"footer1.xml\"/>"
        func image(_ id: String, _ target: String) -> String {
            "<Relationship Id=\"\(id)\" Type=\"\(officeRelationships)/image\" Target=\"\(target)\"/>"
        }
        for (index, picture) in body.pictures.enumerated() {
            let svg = "media/chart\(index + 1).svg"
            add("word/" + svg, picture.svg)
            relationships += image(picture.svgImage, svg)
            // The main image: the PNG when there is one, which older Word and other readers show;
            // else the SVG again.
            if let fallbacks {
                let png = "media/chart\(index + 1).png"
                parts.append(("word/" + png, fallbacks[index]))
                relationships += image(picture.image, png)
            } else {
                relationships += image(picture.image, svg)
            }
        }
        add(
            "word/_rels/document.xml.rels",
            xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + relationships + "</Relationships>")
        add("word/document.xml", documentXML(body))
        add("word/styles.xml", styles ?? DocxStyles.sheet(language: properties.language))
        add("word/numbering.xml", DocxStyles.numbering)
        add(
            "word/settings.xml",
            xml + "<w:settings xmlns:w=\"\(wordNamespace)\"><w:defaultTabStop w:val=\"720\"/>"
                + "<w:updateFields w:val=\"true\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" "
                + "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>")
        add(
            "word/footer1.xml",
            xml
                + "<w:ftr xmlns:w=\"\(wordNamespace)\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"right\"/></w:pPr>"
                + "<w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>" + field("PAGE", "1")
                + "<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>" + field("NUMPAGES", "1") + "</w:p></w:ftr>")
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return archive.data ?? Data()
    }

    /// `word/document.xml` of a pack's HTML (the golden files hold it).
    public static func documentXML(html: [UInt8]) -> String { documentXML(DocxBody(html: html)) }

    static func documentXML(_ body: DocxBody) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<w:document xmlns:w=\"\(wordNamespace)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
            + "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
            + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            + "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" "
            + "xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\"><w:body>"
            + body.xml + body.finalSection + "</w:body></w:document>"
    }

    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    /// Every entry's date, so that the same pack gives the same bytes.
    static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800)

    static func override(_ part: String, _ type: String) -> String {
        "<Override PartName=\"\(part)\" ContentType=\"application/vnd.openxmlformats-officedocument.\(type)+xml\"/>"
    }

    static func field(_ instruction: String, _ shown: String) -> String {
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> \(instruction) </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>\(shown)</w:t></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }
}
