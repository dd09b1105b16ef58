"""Measures how a PDF prints: pages, characters, the share of characters under 7 pt, and the pages
that hold only a few characters (rows spilled from the page before).

Usage: measure_print.py PACK.pdf [...]; prints one line per file and exits 1 when more than
5 % of a file's characters print under 7 pt.
"""

import sys

import pdfplumber

SMALL_PT = 7.0
LIMIT = 0.05
SPARSE = 400


def main() -> int:
    worst = 0.0
    for path in sys.argv[1:]:
        with pdfplumber.open(path) as pdf:
            total = small = 0
            sparse = []
            for number, page in enumerate(pdf.pages, start=1):
                chars = [c for c in page.chars if c["text"].strip()]
                total += len(chars)
                small += sum(1 for c in chars if c["size"] < SMALL_PT - 0.05)
                if len(chars) < SPARSE:
                    sparse.append(number)
            share = small / total if total else 0.0
            worst = max(worst, share)
            print(f"{path}: {len(pdf.pages)} pages, {total} characters, {share:.1%} under {SMALL_PT:g} pt, "
                  f"pages under {SPARSE} characters: {sparse or 'none'}")
    return 1 if worst > LIMIT else 0


if __name__ == "__main__":
    sys.exit(main())
