/// The body of a Word document (`word/document.xml`'s `<w:body>`) from a pack's HTML, as the pack's
/// templates write it: headings become Word's heading styles (so the navigation pane and the
/// contents field work), paragraphs and lists paragraphs, tables real tables whose header rows
/// repeat on every page, tables of seven or more columns a landscape section of their own, charts
/// pictures with their title and description as alt text, and links within the pack links to
/// bookmarks. One reading of the HTML, so the document holds what the HTML holds.
struct DocxBody {
    /// A picture the body shows: the chart's SVG, and the relationship ids it is shown by: `image`
    /// for the main image (the PNG, when the package has one, else the SVG itself) and `svg` for the
    /// SVG that Word 2016 and later draw.
    struct Picture {
        var svg: String
        var image: String
        var svgImage: String
        /// The chart's size in its own units (its viewBox).
        var width: Double
        var height: Double
    }

    /// Word's page geometry, in twentieths of a point: A4, 2 cm margins.
    enum Page {
        static let shortSide = 11906
        static let longSide = 16838
        static let margin = 1134
        static let portraitText = shortSide - 2 * margin
        static let landscapeText = longSide - 2 * margin
        /// Tables with this many columns or more get a landscape section.
        static let landscapeColumns = 7
        /// A chart's width on the page, in EMU (English Metric Units, 914,400 an inch): 16 cm.
        static let chartWidthEMU = 5_760_000
    }

    private(set) var xml = ""
    private(set) var pictures: [Picture] = []

    // Run formatting, as counts of open elements.
    private var bold = 0
    private var italic = 0
    private var small = 0
    private var code = 0
    // The paragraph being written: its properties and runs; nil between paragraphs.
    private var paragraphStyle: String?
    private var paragraphProperties = ""
    private var runs = ""
    private var pendingSpace = false
    /// Bookmarks (from `id` attributes) to start at the next paragraph.
    private var pendingBookmarks: [String] = []
    private var bookmarkCount = 0
    /// The link being written: its target, as a hyperlink's anchor.
    private var linkAnchor: String?
    private var linkRuns = ""

    // Tables: a stack, as cells may hold lists (and, in an edited template, tables).
    private struct Cell {
        var content = ""
        var right = false
        var span = 1
    }
    private struct Row {
        var cells: [Cell] = []
        var header = false
    }
    private struct Table {
        var rows: [Row] = []
        var caption = ""
        var inHead = false
        var cellOpen = false
    }
    private var tables: [Table] = []
    private var inCaption = false
    /// Whether the section being written is landscape.
    private var landscape = false
    /// The offset in `xml` of the latest heading at body level, and how many paragraphs follow it.
    private var headingOffset: Int?
    private var blocksSinceHeading = 0
    /// Depth inside an element whose content is not document text (`head`, `nav`).
    private var skipDepth = 0
    private var listDepth = 0

    init(html: [UInt8]) {
        for token in HTMLTokens.tokens(html) { take(token) }
        endParagraph()
    }

    /// The body's closing section properties (the last section's page).
    var finalSection: String { Self.section(landscape: landscape) }

    static func section(landscape: Bool) -> String {
        let (w, h) = landscape ? (Page.longSide, Page.shortSide) : (Page.shortSide, Page.longSide)
        return "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
            + "<w:pgSz w:w=\"\(w)\" w:h=\"\(h)\"\(landscape ? " w:orient=\"landscape\"" : "")/>"
            + "<w:pgMar w:top=\"\(Page.margin)\" w:right=\"\(Page.margin)\" w:bottom=\"\(Page.margin)\" "
            + "w:left=\"\(Page.margin)\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    }

    // MARK: Tokens

    private mutating func take(_ token: HTMLToken) {
        switch token {
        case .start(let name, let attributes):
            if skipDepth > 0 {
                skipDepth += 1
                return
            }
            start(name, attributes)
        case .end(let name):
            if skipDepth > 0 {
                skipDepth -= 1
                return
            }
            end(name)
        case .text(let text):
            guard skipDepth == 0 else { return }
            addText(text)
        case .svg(let markup):
            guard skipDepth == 0 else { return }
            addSVG(markup)
        }
    }

    private mutating func start(_ name: String, _ attributes: [String: String]) {
        if let id = attributes["id"], !id.isEmpty { pendingBookmarks.append(Self.bookmarkName(id)) }
        switch name {
        case "head":
            skipDepth = 1
        case "nav":
            // The HTML contents list: a contents field instead, which Word fills from the headings.
            endParagraph()
            addContentsField()
            skipDepth = 1
        case "h1", "h2", "h3", "h4":
            beginParagraph(style: "Heading\(Int(String(name.dropFirst()))!)")
        case "dl":
            // A list of figures and their values (the headline figures): a two-column table.
            endParagraph()
            tables.append(Table())
        case "dt":
            openRow(header: false)
            openCell(Cell())
            beginParagraph(style: nil)
        case "dd":
            openCell(Cell())
            beginParagraph(style: nil)
            bold += 1
        case "p", "figcaption":
            beginParagraph(style: name == "figcaption" ? "Caption" : nil)
        case "li":
            beginParagraph(
                style: "ListBullet",
                properties: "<w:numPr><w:ilvl w:val=\"\(max(0, listDepth - 1))\"/><w:numId w:val=\"1\"/></w:numPr>")
        case "ul", "ol":
            endParagraph()
            listDepth += 1
        case "table":
            endParagraph()
            tables.append(Table())
        case "caption":
            inCaption = true
        case "thead":
            if !tables.isEmpty { tables[tables.count - 1].inHead = true }
        case "tbody", "tfoot":
            if !tables.isEmpty { tables[tables.count - 1].inHead = false }
        case "tr":
            openRow(header: tables.last?.inHead ?? false)
        case "th", "td":
            let classes = (attributes["class"] ?? "").split(separator: " ")
            openCell(
                Cell(right: classes.contains("n"), span: max(1, min(63, Int(attributes["colspan"] ?? "1") ?? 1))))
            // A header cell's text is bold, in the table's header row or at the start of a body row.
            if name == "th" { bold += 1 }
        case "strong", "b": bold += 1
        case "em", "i": italic += 1
        case "small": small += 1
        case "code": code += 1
        case "br":
            if paragraphStyle == nil { beginParagraph(style: nil) }
            appendRun("<w:r><w:br/></w:r>")
            pendingSpace = false
        case "a":
            if let href = attributes["href"], href.hasPrefix("#"), href.count > 1 {
                linkAnchor = Self.bookmarkName(String(href.dropFirst()))
                linkRuns = ""
            }
        case "section", "article", "header", "main", "footer", "figure", "div":
            endParagraph()
        default: break
        }
    }

    private mutating func end(_ name: String) {
        switch name {
        case "h1", "h2", "h3", "h4", "p", "figcaption", "li":
            endParagraph()
        case "dt":
            closeCell()
        case "dd":
            closeCell()
            bold = max(0, bold - 1)
        case "dl":
            endParagraph()
            if let table = tables.popLast() { emitTable(table) }
        case "ul", "ol":
            endParagraph()
            listDepth = max(0, listDepth - 1)
        case "caption":
            inCaption = false
        case "th", "td":
            closeCell()
            if name == "th" { bold = max(0, bold - 1) }
        case "table":
            endParagraph()
            if let table = tables.popLast() { emitTable(table) }
        case "strong", "b": bold = max(0, bold - 1)
        case "em", "i": italic = max(0, italic - 1)
        case "small": small = max(0, small - 1)
        case "code": code = max(0, code - 1)
        case "a":
            if let anchor = linkAnchor {
                linkAnchor = nil
                let runs = linkRuns
                linkRuns = ""
                appendRun("<w:hyperlink w:anchor=\"\(anchor)\" w:history=\"1\">\(runs)</w:hyperlink>")
            }
        case "section", "article", "header", "main", "footer", "figure", "div":
            endParagraph()
        default: break
        }
    }

    /// A row of the innermost table.
    private mutating func openRow(header: Bool) {
        guard !tables.isEmpty else { return }
        tables[tables.count - 1].rows.append(Row(header: header))
    }

    /// A cell of the innermost table's last row, which paragraphs go into until it is closed.
    private mutating func openCell(_ cell: Cell) {
        guard let t = tables.indices.last, !tables[t].rows.isEmpty else { return }
        tables[t].rows[tables[t].rows.count - 1].cells.append(cell)
        tables[t].cellOpen = true
    }

    private mutating func closeCell() {
        endParagraph()
        if !tables.isEmpty { tables[tables.count - 1].cellOpen = false }
    }

    // MARK: Text and runs

    private mutating func addText(_ text: String) {
        if inCaption, !tables.isEmpty {
            tables[tables.count - 1].caption += text
            return
        }
        var collapsed = ""
        var space = false
        for ch in text {
            if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" {
                space = true
            } else {
                if space || pendingSpace, !collapsed.isEmpty || (paragraphStyle != nil && !runs.isEmpty) {
                    collapsed.append(" ")
                }
                space = false
                pendingSpace = false
                collapsed.append(ch)
            }
        }
        if space { pendingSpace = true }
        guard !collapsed.isEmpty else { return }
        if paragraphStyle == nil { beginParagraph(style: nil) }
        appendRun(run(collapsed))
    }

    private func run(_ text: String) -> String {
        var properties = ""
        // One character style a run (Word's schema allows one): a link's over code's.
        if linkAnchor != nil {
            properties += "<w:rStyle w:val=\"Hyperlink\"/>"
        } else if code > 0 {
            properties += "<w:rStyle w:val=\"CodeChar\"/>"
        }
        if bold > 0 { properties += "<w:b/>" }
        if italic > 0 { properties += "<w:i/>" }
        if small > 0 { properties += "<w:sz w:val=\"16\"/>" }
        return "<w:r>" + (properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>")
            + "<w:t xml:space=\"preserve\">\(Self.escape(text))</w:t></w:r>"
    }

    /// A run into the open link, else into the paragraph.
    private mutating func appendRun(_ run: String) {
        if linkAnchor != nil {
            linkRuns += run
        } else {
            runs += run
        }
    }

    // MARK: Paragraphs

    private mutating func beginParagraph(style: String?, properties: String = "") {
        endParagraph()
        paragraphStyle = style ?? "Normal"
        paragraphProperties = properties
        runs = ""
        pendingSpace = false
    }

    private mutating func endParagraph() {
        guard let style = paragraphStyle else { return }
        paragraphStyle = nil
        if linkAnchor != nil, !linkRuns.isEmpty {
            runs += "<w:hyperlink w:anchor=\"\(linkAnchor!)\" w:history=\"1\">\(linkRuns)</w:hyperlink>"
            linkRuns = ""
        }
        guard !runs.isEmpty || style.hasPrefix("Heading") else { return }
        let atBody = !(tables.last?.cellOpen ?? false) && tables.isEmpty
        if atBody {
            closeLandscape()
            // Where the heading (and the few lines under it) began, for a landscape section to
            // start there rather than leave the heading alone on a portrait page.
            if style.hasPrefix("Heading") {
                if blocksSinceHeading > 0 || headingOffset == nil { headingOffset = xml.utf8.count }
                blocksSinceHeading = 0
            } else {
                blocksSinceHeading += 1
            }
        }
        // The properties in the order Word's schema sets: style, numbering, alignment.
        var xml = "<w:p><w:pPr>"
        if style != "Normal" { xml += "<w:pStyle w:val=\"\(style)\"/>" }
        xml += paragraphProperties
        if tables.last?.cellOpen == true, tables.last?.rows.last?.cells.last?.right == true {
            xml += "<w:jc w:val=\"right\"/>"
        }
        xml += "</w:pPr>" + bookmarks() + runs + "</w:p>"
        runs = ""
        emit(xml)
    }

    /// Puts a paragraph in the open table cell, or in the body.
    private mutating func emit(_ block: String) {
        if let t = tables.indices.last, tables[t].cellOpen, let r = tables[t].rows.indices.last,
            let c = tables[t].rows[r].cells.indices.last
        {
            tables[t].rows[r].cells[c].content += block
            return
        }
        if tables.isEmpty { closeLandscape() }
        xml += block
    }

    /// Back to portrait after a wide table: its landscape section ends here.
    private mutating func closeLandscape() {
        guard landscape else { return }
        xml += "<w:p><w:pPr>\(Self.section(landscape: true))</w:pPr></w:p>"
        landscape = false
    }

    private mutating func addContentsField() {
        emit("<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>")
        emit(
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>"
                + "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                + "<w:r><w:t>Update this field (F9) to list the sections.</w:t></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>")
    }

    // MARK: Tables

    private mutating func emitTable(_ table: Table) {
        let columns = table.rows.map { $0.cells.reduce(0) { $0 + $1.span } }.max() ?? 0
        guard columns > 0 else { return }
        let wide = columns >= Page.landscapeColumns
        if wide && !landscape && tables.isEmpty {
            // The portrait section so far ends before the table, or before its heading and the
            // lines under it (at most two), which go with it.
            let end = "<w:p><w:pPr>\(Self.section(landscape: false))</w:pPr></w:p>"
            if let offset = headingOffset, blocksSinceHeading <= 2, offset > 0 {
                let index = xml.utf8.index(xml.utf8.startIndex, offsetBy: offset)
                xml.insert(contentsOf: end, at: index)
            } else {
                xml += end
            }
            landscape = true
        }
        var out = ""
        if !table.caption.isEmpty {
            let caption = table.caption.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                .joined(separator: " ")
            out +=
                "<w:p><w:pPr><w:pStyle w:val=\"Caption\"/><w:keepNext/></w:pPr>" + bookmarks()
                + "<w:r><w:t xml:space=\"preserve\">\(Self.escape(caption))</w:t></w:r></w:p>"
        }
        let textWidth = landscape ? Page.landscapeText : Page.portraitText
        let columnWidth = textWidth / columns
        out +=
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"BoardPackTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
            + "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
            + "w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
            + String(repeating: "<w:gridCol w:w=\"\(columnWidth)\"/>", count: columns) + "</w:tblGrid>"
        for row in table.rows {
            out += "<w:tr><w:trPr><w:cantSplit/>\(row.header ? "<w:tblHeader/>" : "")</w:trPr>"
            var used = 0
            for cell in row.cells {
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(columnWidth * cell.span)\" w:type=\"dxa\"/>"
                if cell.span > 1 { out += "<w:gridSpan w:val=\"\(cell.span)\"/>" }
                if row.header { out += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F0F4F5\"/>" }
                out += "</w:tcPr>"
                out += (cell.content.isEmpty ? "<w:p/>" : cell.content) + "</w:tc>"
                used += cell.span
            }
            // A short row is filled out, as Word requires every row to cover the grid.
            if used < columns {
                out +=
                    "<w:tc><w:tcPr><w:tcW w:w=\"\(columnWidth * (columns - used))\" w:type=\"dxa\"/>"
                    + (columns - used > 1 ? "<w:gridSpan w:val=\"\(columns - used)\"/>" : "") + "</w:tcPr><w:p/></w:tc>"
            }
            out += "</w:tr>"
        }
        out += "</w:tbl>"
        if tables.isEmpty {
            xml += out
            // Word needs a paragraph between two tables, or after one at the end of a cell.
            xml += "<w:p/>"
            blocksSinceHeading += 3
        } else {
            emit(out + "<w:p/>")
        }
    }

    /// The pending bookmarks (the ids of the elements just opened), at the paragraph being written.
    private mutating func bookmarks() -> String {
        var out = ""
        for name in pendingBookmarks {
            bookmarkCount += 1
            out +=
                "<w:bookmarkStart w:id=\"\(bookmarkCount)\" w:name=\"\(name)\"/><w:bookmarkEnd w:id=\"\(bookmarkCount)\"/>"
        }
        pendingBookmarks = []
        return out
    }

    // MARK: Charts and icons

    private mutating func addSVG(_ markup: String) {
        let title = Self.element("title", in: markup)
        let description = Self.element("desc", in: markup)
        if markup.contains("class=\"icon\"") {
            // An SPC icon: its meaning in words (the pack writes it beside the icon too).
            if paragraphStyle == nil { beginParagraph(style: nil) }
            appendRun(run("[\(title)] "))
            return
        }
        endParagraph()
        let number = pictures.count + 1
        let alt = [title, description].filter { !$0.isEmpty }.joined(separator: ". ")
        var width = 720.0
        var height = 300.0
        if let box = Self.attribute("viewBox", in: markup) {
            let parts = box.split(separator: " ").compactMap { Double($0) }
            if parts.count == 4, parts[2] > 0, parts[3] > 0 { (width, height) = (parts[2], parts[3]) }
        }
        let picture = Picture(
            svg: markup, image: "rIdChart\(number)", svgImage: "rIdChart\(number)svg", width: width, height: height)
        pictures.append(picture)
        let cx = Page.chartWidthEMU
        let cy = Int((Double(cx) * height / width).rounded())
        let name = Self.escape(title.isEmpty ? "Chart \(number)" : title)
        emit(
            "<w:p><w:pPr><w:keepNext/></w:pPr>" + bookmarks()
                + "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
                + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:docPr id=\"\(number)\" name=\"\(name)\" descr=\"\(Self.escape(alt))\"/>"
                + "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
                + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
                + "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"\(number)\" name=\"\(name)\" descr=\"\(Self.escape(alt))\"/><pic:cNvPicPr/></pic:nvPicPr>"
                + "<pic:blipFill><a:blip r:embed=\"\(picture.image)\"><a:extLst>"
                + "<a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\"><asvg:svgBlip r:embed=\"\(picture.svgImage)\"/></a:ext>"
                + "</a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
                + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm>"
                + "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
                + "</wp:inline></w:drawing></w:r></w:p>")
    }

    // MARK: Helpers

    /// The text of the first `<name …>…</name>` in `markup`, decoded.
    static func element(_ name: String, in markup: String) -> String {
        guard let open = markup.range(of: "<\(name)"), let close = markup.range(of: "</\(name)>"),
            let gt = markup[open.upperBound...].firstIndex(of: ">"), gt < close.lowerBound
        else { return "" }
        return HTMLTokens.decode(Array(markup[markup.index(after: gt)..<close.lowerBound].utf8))
    }

    static func attribute(_ name: String, in markup: String) -> String? {
        guard let start = markup.range(of: " \(name)=\"") else { return nil }
        guard let end = markup[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(markup[start.upperBound..<end])
    }

    /// A Word bookmark name for an HTML id: letters, digits and underscores, starting with a letter,
    /// at most 40 characters.
    static func bookmarkName(_ id: String) -> String {
        let body = String(
            id.unicodeScalars.map { s in
                ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) ? Character(s) : "_"
            })
        return String(("bp_" + body).prefix(40))
    }

    /// Text for XML: escaped as the HTML pack's is, less the characters XML 1.0 cannot hold (an
    /// input's stray control character), which a Word reader would refuse the document for.
    static func escape(_ text: String) -> String {
        func allowed(_ v: UInt32) -> Bool {
            v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                || v >= 0x10000
        }
        guard !text.unicodeScalars.allSatisfy({ allowed($0.value) }) else { return FastHTMLEscaping.escape(text) }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { allowed($0.value) })
        return FastHTMLEscaping.escape(String(kept))
    }
}
