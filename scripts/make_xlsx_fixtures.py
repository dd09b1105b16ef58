"""Writes the workbook fixtures under Tests/BoardPackTests/Fixtures/xlsx/ (run by
scripts/make-xlsx-fixtures; the small results are committed):

  openpyxl/   the `small` fixture with every CSV input written as an .xlsx workbook by openpyxl:
              numbers stored as numbers (codes such as 202627 and 100 too), dates as date cells.
  calc/       the same inputs converted from the CSVs by LibreOffice Calc (soffice --convert-to xlsx),
              which guesses each cell's type as an analyst's "open CSV, save as" does.
  hostile/    workbooks that must be refused or reported: a ZIP bomb, a DOCTYPE, a missing part, a
              truncated file, a password-protected and a legacy .xls file, error values, a merged
              header, a hidden first sheet, the 1904 date system.
"""
import csv
import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.styles import NamedStyle  # noqa: F401  (imported to fail early on an old openpyxl)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL = os.path.join(ROOT, "Tests", "BoardPackTests", "Fixtures", "small")
OUT = os.path.join(ROOT, "Tests", "BoardPackTests", "Fixtures", "xlsx")
# Fixed document times, so the fixtures are the same bytes on every run.
FIXED = datetime.datetime(2026, 11, 1, 9, 0, 0)

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$")


def typed(value):
    """A CSV value as a spreadsheet would hold it: a number, a date-time, or text."""
    v = value.strip()
    if NUMBER.match(v) and not (len(v) > 1 and v.startswith("0") and not v.startswith("0.")):
        return float(v) if "." in v else int(v)
    m = ISO_TIME.match(v)
    if m:
        return datetime.datetime(*map(int, m.groups()))
    return value


def write_book(rows, path, sheet="Sheet1"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append([typed(v) for v in row])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.save(path)
    normalise(path)


def normalise(path):
    """Rewrites the ZIP with fixed entry times (openpyxl stamps the clock)."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def tracker():
    """One tracker workbook holding both QIPP inputs as named sheets, the scheme sheet second and
    titled above its header (a real tracker's layout: the header is the first non-blank row)."""
    book = openpyxl.Workbook()
    monthly = book.active
    monthly.title = "Monthly"
    for row in read_csv(os.path.join(SMALL, "qipp_monthly.csv")):
        monthly.append([typed(v) for v in row])
    schemes = book.create_sheet("Schemes")
    schemes.append([])
    for row in read_csv(os.path.join(SMALL, "qipp_schemes.csv")):
        schemes.append([typed(v) for v in row])
    book.properties.created = FIXED
    book.properties.modified = FIXED
    path = os.path.join(OUT, "tracker.xlsx")
    book.save(path)
    normalise(path)


def openpyxl_set():
    target = os.path.join(OUT, "openpyxl")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(os.path.join(target, "activity"))
    for name in sorted(os.listdir(SMALL)):
        if name.endswith(".csv"):
            write_book(read_csv(os.path.join(SMALL, name)), os.path.join(target, name[:-4] + ".xlsx"))
    for name in sorted(os.listdir(os.path.join(SMALL, "activity"))):
        source = os.path.join(SMALL, "activity", name)
        write_book(read_csv(source), os.path.join(target, "activity", name[:-4] + ".xlsx"))


def calc_set():
    target = os.path.join(OUT, "calc")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(os.path.join(target, "activity"))
    with tempfile.TemporaryDirectory() as profile:
        for folder, out in [(SMALL, target), (os.path.join(SMALL, "activity"), os.path.join(target, "activity"))]:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".csv"))
            # CSV import: comma-separated, UTF-8 (76), first line as is, detect special numbers.
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                 "xlsx:Calc MS Excel 2007 XML", "--infilter=CSV:44,34,76,1,,0,false,true,false,false,true",
                 "--outdir", out] + [os.path.join(folder, n) for n in names],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for folder in [target, os.path.join(target, "activity")]:
        for name in os.listdir(folder):
            if name.endswith(".xlsx"):
                normalise(os.path.join(folder, name))


def book_bytes(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"/>')
PACKAGE_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def workbook_parts(sheets, date1904=False, shared=None, styles=None):
    """A minimal workbook by hand: sheets is a list of (name, state, sheet XML)."""
    def state(s):
        return "" if s == "visible" else ' state="%s"' % s
    sheet_list = "".join(
        f'<sheet name="{n}" sheetId="{i + 1}"{state(s)} r:id="rId{i + 1}"/>' for i, (n, s, _) in enumerate(sheets))
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    workbook = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships">{pr}<sheets>{sheet_list}</sheets></workbook>').encode()
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{rel}worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(sheets)))
    if shared is not None:
        rels += f'<Relationship Id="rS" Type="{rel}sharedStrings" Target="sharedStrings.xml"/>'
    if styles is not None:
        rels += f'<Relationship Id="rT" Type="{rel}styles" Target="styles.xml"/>'
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
             ("xl/workbook.xml", workbook),
             ("xl/_rels/workbook.xml.rels",
              ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
               f'package/2006/relationships">{rels}</Relationships>').encode())]
    for i, (_, _, xml) in enumerate(sheets):
        parts.append((f"xl/worksheets/sheet{i + 1}.xml", xml.encode() if isinstance(xml, str) else xml))
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", shared.encode()))
    if styles is not None:
        parts.append(("xl/styles.xml", styles.encode()))
    return parts


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows, extra=""):
    """rows: lists of cell XML strings."""
    body = "".join(f'<row r="{r + 1}">{"".join(cells)}</row>' for r, cells in enumerate(rows))
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData>{body}</sheetData>{extra}</worksheet>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number(ref, value, style=None):
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def hostile_set():
    target = os.path.join(OUT, "hostile")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)

    def save(name, data):
        with open(os.path.join(target, name), "wb") as f:
            f.write(data)

    header = [inline("A1", "scheme_id"), inline("B1", "annual_target_gbp")]
    # A ZIP bomb: a sheet of 64 MiB that is stored in about 64 KiB.
    bomb_sheet = sheet([header]).replace("</worksheet>", "<!--" + " " * (64 << 20) + "--></worksheet>")
    save("bomb.xlsx", book_bytes(workbook_parts([("Sheet1", "visible", bomb_sheet)])))
    doctype = sheet([header]).replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY x "boom">]>')
    save("doctype.xlsx", book_bytes(workbook_parts([("Sheet1", "visible", doctype)])))
    parts = [p for p in workbook_parts([("Sheet1", "visible", sheet([header]))]) if p[0] != "xl/workbook.xml"]
    save("missing-part.xlsx", book_bytes(parts))
    whole = book_bytes(workbook_parts([("Sheet1", "visible", sheet([header]))]))
    save("truncated.xlsx", whole[: len(whole) // 2])
    # A part stored uncompressed with one byte changed after its checksum was taken.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, data in workbook_parts([("Sheet1", "visible", sheet([header]))]):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0)), data)
    stored = buffer.getvalue()
    at = stored.rindex(b"annual_target_gbp")
    save("bad-checksum.xlsx", stored[:at] + b"b" + stored[at + 1:])
    # Compound files: the header signature, a directory naming the encrypted package stream (an
    # encrypted .xlsx), or a Workbook stream (a legacy .xls).
    signature = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504)
    save("encrypted.xlsx", signature + "EncryptedPackage".encode("utf-16-le") + bytes(1024))
    save("legacy.xls", signature + "Workbook".encode("utf-16-le") + bytes(1024))
    save("not-a-workbook.xlsx", b"scheme_id,annual_target_gbp\nX1,100\n")
    # Values: an error value in a column that is read and one in a column that is not; a merged
    # header; the first sheet hidden; 1904 dates; percentages; 17-digit binary noise.
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet ' + MAIN + '><numFmts count="1">'
              '<numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs count="4">'
              '<xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/><xf numFmtId="22"/></cellXfs></styleSheet>')
    values = sheet([
        [inline("A1", "name"), inline("B1", "value"), inline("C1", "note")],
        [inline("A2", "error read"), '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', inline("C2", "x")],
        [inline("A3", "error not read"), number("B3", "1"), '<c r="C3" t="e"><v>#REF!</v></c>'],
        [inline("A4", "noise"), number("B4", "1234.5699999999999")],
        [inline("A5", "half penny"), number("B5", "1234.565")],
        [inline("A6", "percent"), number("B6", "0.125", 2)],
        [inline("A7", "date"), number("B7", "46183", 1)],
        [inline("A8", "date time"), number("B8", "46183.375", 3)],
        [inline("A9", "code"), number("B9", "180")],
        [inline("A10", "boolean"), '<c r="B10" t="b"><v>1</v></c>'],
        [inline("A11", "shared"), '<c r="B11" t="s"><v>0</v></c>'],
        [inline("A12", "formula text"), '<c r="B12" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'],
        [],
        [inline("A14", "after a blank row"), number("B14", "1E-3")],
    ])
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + ' count="1" uniqueCount="1"><si><r><t>rich </t>'
              '</r><r><t>text</t></r><rPh><t>phonetic</t></rPh></si></sst>')
    hidden = sheet([[inline("A1", "hidden sheet")]])
    save("values.xlsx", book_bytes(workbook_parts(
        [("Hidden", "hidden", hidden), ("Values", "visible", values)], shared=shared, styles=styles)))
    save("values-1904.xlsx", book_bytes(workbook_parts(
        [("Values", "visible", values)], date1904=True, shared=shared, styles=styles)))
    merged = sheet([[inline("A1", "scheme_id"), inline("B1", "annual_target_gbp")], [inline("A2", "X"), number("B2", "5")]],
                   extra='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>')
    save("merged-header.xlsx", book_bytes(workbook_parts([("Sheet1", "visible", merged)])))


def main():
    which = sys.argv[1:] or ["openpyxl", "calc", "hostile"]
    if "openpyxl" in which:
        openpyxl_set()
        tracker()
    if "calc" in which:
        calc_set()
    if "hostile" in which:
        hostile_set()
    print("wrote", ", ".join(which), "under", os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
