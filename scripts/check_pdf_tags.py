"""Checks what a reader's assistive tools need of each PDF (pikepdf): it is tagged, in en-GB,
with its title shown; it has bookmarks; every Figure in its structure has alt text; every table
header cell has a scope. Usage: check_pdf_tags.py PACK.pdf [...]; exits 1 on a failure.
"""

import sys

import pikepdf


def structure(node, found):
    if isinstance(node, pikepdf.Dictionary):
        kind = node.get("/S")
        if kind is not None:
            kind = str(kind)
            found.setdefault(kind, []).append(node)
        if "/K" in node:
            structure(node["/K"], found)
    elif isinstance(node, pikepdf.Array):
        for item in node:
            structure(item, found)


def scoped(cell):
    attributes = cell.get("/A")
    items = attributes if isinstance(attributes, pikepdf.Array) else [attributes] if attributes is not None else []
    return any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in items)


def check(path):
    problems = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not (root.get("/MarkInfo") or {}).get("/Marked", False) or "/StructTreeRoot" not in root:
            problems.append("not tagged")
        if str(root.get("/Lang", "")) != "en-GB":
            problems.append(f"language {root.get('/Lang')!r}")
        if not str(pdf.docinfo.get("/Title", "")):
            problems.append("no title")
        if "/Outlines" not in root:
            problems.append("no bookmarks")
        found = {}
        if "/StructTreeRoot" in root:
            structure(root.StructTreeRoot, found)
        figures = found.get("/Figure", [])
        bare = [f for f in figures if not str(f.get("/Alt", "")).strip()]
        if bare:
            problems.append(f"{len(bare)} of {len(figures)} figures without alt text")
        headers = found.get("/TH", [])
        unscoped = [h for h in headers if not scoped(h)]
        if unscoped:
            problems.append(f"{len(unscoped)} of {len(headers)} header cells without a scope")
    for problem in problems:
        print(f"{path}: {problem}")
    print(f"{path}: tagged, en-GB, titled, bookmarked; {len(figures)} figures with alt text, "
          f"{len(headers)} header cells scoped" if not problems else f"{path}: FAILED")
    return not problems


if __name__ == "__main__":
    sys.exit(0 if all([check(path) for path in sys.argv[1:]]) else 1)
