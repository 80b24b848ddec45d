"""The pictures of docs/guida/nuovo-anno.md, from the real output of ``pdz-xl nuovo-anno``.

    python tools/render_nuovo_anno.py [--out docs/guida/img]

Moves the 2021 sample on to 2022 (``nuovo-anno``, channels left to allocate) in a temporary
folder, then prints with LibreOffice (tools/render_triennale.py) the first page of the
sheet «Servizi aziendali» before and after, and the revenue sheet «Canali 2021» after.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from render_triennale import render_pdf, render_png  # noqa: E402

from pdz_xl.nextyear.run import next_year_file  # noqa: E402

PICTURES = [  # (which workbook, sheet, picture name)
    ("prima", "Servizi aziendali", "nuovo-anno-2021"),
    ("dopo", "Servizi aziendali", "nuovo-anno-2022"),
    ("dopo", "Canali 2021", "nuovo-anno-entrate-2022"),
]


def fit_to_width(path: Path) -> None:
    """In the picture's copy only: every sheet printed landscape, one page wide (the office's
    sheets are wider than a portrait page)."""
    from lxml import etree

    from pdz_xl.io.package import NS_MAIN
    from pdz_xl.io.sheet_xml import child

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    for name, data in parts.items():
        if not (name.startswith("xl/worksheets/sheet") and name.endswith(".xml")):
            continue
        root = etree.fromstring(data)
        pr = child(root, "sheetPr")
        fit = pr.find(f"{{{NS_MAIN}}}pageSetUpPr")
        if fit is None:
            fit = etree.SubElement(pr, f"{{{NS_MAIN}}}pageSetUpPr")
            pr.insert(len(pr), fit)
        fit.set("fitToPage", "1")
        setup = child(root, "pageSetup")
        setup.attrib.clear()
        setup.attrib.update({"paperSize": "9", "orientation": "landscape", "fitToWidth": "1",
                             "fitToHeight": "0"})
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Immagini della guida «Nuovo anno».")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "guida" / "img")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "piano_programma_2021.xlsx"
        shutil.copy(ROOT / "workbooks" / src.name, src)
        books = {"prima": src, "dopo": next_year_file(src)[-1].dest}
        for book in books.values():
            fit_to_width(book)
        for which, sheet, name in PICTURES:
            pdf = render_pdf(books[which], Path(tmp) / name, sheet)
            pages = render_png(pdf, Path(tmp) / name, args.dpi, name)
            shutil.copy(pages[0], args.out / f"{name}.png")
            print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
