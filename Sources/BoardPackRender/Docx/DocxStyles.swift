/// BoardPack's Word styles: Arial, the NHS blue for headings, tables with a shaded header row. A
/// reference document (`--docx-reference`) replaces them, keeping any of these it lacks.
enum DocxStyles {
    /// Each style BoardPack's documents use, by style id, as a `<w:style>` element.
    static let definitions: [(id: String, xml: String)] = [
        (
            "Normal",
            paragraph(
                "Normal", "Normal", run: "",
                paragraph: "<w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/>", isDefault: true)
        ),
        (
            "Title",
            paragraph(
                "Title", "Title", run: "<w:b/><w:color w:val=\"005EB8\"/><w:sz w:val=\"40\"/>",
                paragraph: "<w:spacing w:after=\"200\"/>")
        ),
        ("Heading1", heading(1, size: 36)),
        ("Heading2", heading(2, size: 30)),
        ("Heading3", heading(3, size: 24)),
        ("Heading4", heading(4, size: 22)),
        (
            "Caption",
            paragraph(
                "Caption", "caption", run: "<w:b/><w:sz w:val=\"18\"/>",
                paragraph: "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/>")
        ),
        (
            "ListBullet",
            paragraph(
                "ListBullet", "List Bullet", run: "",
                paragraph: "<w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"60\"/>")
        ),
        (
            "TOCHeading",
            paragraph(
                "TOCHeading", "TOC Heading", run: "<w:b/><w:color w:val=\"005EB8\"/><w:sz w:val=\"28\"/>",
                paragraph: "<w:keepNext/>")
        ),
        (
            "Footer",
            paragraph("Footer", "footer", run: "<w:color w:val=\"425563\"/><w:sz w:val=\"16\"/>", paragraph: "")
        ),
        (
            "Hyperlink",
            "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"005EB8\"/><w:u w:val=\"single\"/></w:rPr></w:style>"
        ),
        (
            "CodeChar",
            "<w:style w:type=\"character\" w:styleId=\"CodeChar\"><w:name w:val=\"Code\"/><w:rPr><w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"18\"/></w:rPr></w:style>"
        ),
        (
            "BoardPackTable",
            "<w:style w:type=\"table\" w:styleId=\"BoardPackTable\"><w:name w:val=\"BoardPack Table\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr>"
                + "<w:rPr><w:sz w:val=\"18\"/></w:rPr><w:tblPr><w:tblBorders>"
                + "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D8DDE0\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D8DDE0\"/>"
                + "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D8DDE0\"/></w:tblBorders>"
                + "<w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar>"
                + "</w:tblPr></w:style>"
        ),
    ]

    static func paragraph(_ id: String, _ name: String, run: String, paragraph: String, isDefault: Bool = false)
        -> String
    {
        "<w:style w:type=\"paragraph\"\(isDefault ? " w:default=\"1\"" : "") w:styleId=\"\(id)\"><w:name w:val=\"\(name)\"/>"
            + (isDefault ? "" : "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>") + "<w:qFormat/>"
            + (paragraph.isEmpty ? "" : "<w:pPr>\(paragraph)</w:pPr>") + (run.isEmpty ? "" : "<w:rPr>\(run)</w:rPr>")
            + "</w:style>"
    }

    static func heading(_ level: Int, size: Int) -> String {
        paragraph(
            "Heading\(level)", "heading \(level)",
            run: "<w:b/><w:color w:val=\"\(level == 1 ? "005EB8" : "212B32")\"/><w:sz w:val=\"\(size)\"/>",
            paragraph: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"\(level == 1 ? 240 : 180)\" w:after=\"80\"/>"
                + "<w:outlineLvl w:val=\"\(level - 1)\"/>")
    }

    /// The style sheet: defaults (Arial 10 pt, the document's language), then each style.
    static func sheet(language: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<w:styles xmlns:w=\"\(DocxPackage.wordNamespace)\"><w:docDefaults><w:rPrDefault><w:rPr>"
            + "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>"
            + "<w:color w:val=\"212B32\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>"
            + "<w:lang w:val=\"\(DocxBody.escape(language))\" w:eastAsia=\"\(DocxBody.escape(language))\" w:bidi=\"ar-SA\"/>"
            + "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"
            + definitions.map(\.xml).joined() + "</w:styles>"
    }

    /// One bulleted list, two levels.
    static let numbering =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        + "<w:numbering xmlns:w=\"\(DocxPackage.wordNamespace)\"><w:abstractNum w:abstractNumId=\"0\">"
        + "<w:multiLevelType w:val=\"hybridMultilevel\"/>"
        + "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>"
        + "<w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl>"
        + "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2013}\"/><w:lvlJc w:val=\"left\"/>"
        + "<w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl>"
        + "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
}
