"""Reads each Word pack with python-docx and checks it against its HTML pack.

Usage: check_docx.py PACK.docx [...] (each beside its PACK.html). For each: the headings are the
HTML's h1 to h4, in order, in Word's heading styles; there is a table for each HTML table and list
of figures (dl); a picture for each chart, each with alt text; every table's first row repeats as
a header row when the HTML table has a header; the title, author and language are set.
Exits 1 on the first file that fails.
"""

import html.parser
import sys

import docx
from docx.oxml.ns import qn


class Outline(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.tables, self.charts, self.heads = [], 0, 0, []
        self._heading, self._skip = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("nav", "head"):
            self._skip += 1
        if self._skip:
            return
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = [tag, ""]
        elif tag in ("table", "dl"):
            self.tables += 1
            self.heads.append(False)
        elif tag == "thead" and self.heads:
            self.heads[-1] = True
        elif tag == "svg" and "icon" not in (attrs.get("class") or ""):
            self.charts += 1

    def handle_endtag(self, tag):
        if tag in ("nav", "head"):
            self._skip -= 1
        if self._heading and tag == self._heading[0]:
            self.headings.append(" ".join(self._heading[1].split()))
            self._heading = None

    def handle_data(self, data):
        if self._heading and not self._skip:
            self._heading[1] += data


def check(path):
    page = open(path[: -len(".docx")] + ".html", encoding="utf-8").read()
    outline = Outline()
    outline.feed(page)
    document = docx.Document(path)
    headings = [" ".join(p.text.split()) for p in document.paragraphs if p.style.name.startswith("Heading")]
    problems = []
    if headings != outline.headings:
        problems.append(f"headings differ: {len(headings)} in Word, {len(outline.headings)} in the HTML")
    body_tables = document.element.body.findall(".//" + qn("w:tbl"))
    if len(body_tables) != outline.tables:
        problems.append(f"{len(body_tables)} tables in Word, {outline.tables} in the HTML")
    pictures = document.element.body.findall(".//" + qn("wp:docPr"))
    if len(pictures) != outline.charts:
        problems.append(f"{len(pictures)} pictures in Word, {outline.charts} charts in the HTML")
    if any(not p.get("descr") for p in pictures):
        problems.append("a picture has no alt text")
    for table, has_head in zip(body_tables, outline.heads):
        first = table.find(qn("w:tr"))
        repeats = first is not None and first.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
        if has_head and not repeats:
            problems.append("a table's header row does not repeat")
            break
    properties = document.core_properties
    if not properties.title or not properties.author or properties.language != "en-GB":
        problems.append(f"properties: title {properties.title!r}, author {properties.author!r}, language {properties.language!r}")
    for problem in problems:
        print(f"{path}: {problem}")
    print(f"{path}: {len(headings)} headings, {len(body_tables)} tables, {len(pictures)} pictures, "
          f"{len(document.sections)} sections{'' if problems else '; as the HTML'}")
    return not problems


if __name__ == "__main__":
    sys.exit(0 if all([check(path) for path in sys.argv[1:]]) else 1)
