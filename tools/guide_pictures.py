"""The pictures of the user guide (docs/guida/img), rendered from the real output.

    python tools/guide_pictures.py [--out docs/guida/img]

Each picture is one printed page of one sheet: the sample workbook is copied, the job's
steps run on it through the same pipeline as the command line and the buttons (fixed
generation date, so the output is the same every day), LibreOffice prints the sheet
(tools/render_triennale.py: headless, recalculated, Italian locale) and pdftoppm turns
the page into PNG. ``immagini.json`` beside the pictures records, for every picture, its
source, sheet, page, size in pixels and a digest of the page's printed text: the test
(tests/test_guide_pictures.py) renders again and compares, so the guide never drifts from
what the product writes. After a change to what the product writes, run this script again
and commit the pictures with the change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tools.render_triennale import RenderError, pdf_pages, render_pdf, render_png  # noqa: E402

GENERATED_ON = "2025-01-15"
DPI = 75
OUT = REPO / "docs" / "guida" / "img"
MANIFEST = "immagini.json"


@dataclass(frozen=True)
class Picture:
    """``name``.png: page ``page`` of ``sheet`` once ``steps`` ran on the sample."""

    name: str
    sample: str
    steps: tuple[str, ...]
    sheet: str
    page: int = 1
    fit_width: bool = False  # printed one page wide, landscape (sheets without charts)


PICTURES = (
    Picture("controlli-2021", "piano_programma_2021.xlsx", ("valida",), "Controlli PDZ",
            fit_width=True),
    Picture("segni-2021", "piano_programma_2021.xlsx", ("valida",), "Progettazione",
            fit_width=True),
    Picture("alloca-2018", "piano_operativo_2018.xlsx", ("alloca", "valida"),
            "Piano Operativo 2018", fit_width=True),
    Picture("triennale-2021", "piano_programma_2021.xlsx", ("triennale",), "Triennale PDZ"),
)


def prepared_workbook(sample: str, steps: tuple[str, ...], dest: Path) -> Path:
    """A copy of the sample with ``steps`` applied (as ``pdz-xl rigenera`` would)."""
    from pdz_xl.io.xlsx_patch import apply_changeset
    from pdz_xl.io.xlsx_reader import read_workbook
    from pdz_xl.layout.detect import detect_plan
    from pdz_xl.pipeline import run_steps

    shutil.copyfile(REPO / "workbooks" / sample, dest)
    grid = read_workbook(dest)
    outcome = run_steps(grid, detect_plan(grid), steps, generated_on=GENERATED_ON)
    apply_changeset(dest, outcome.changeset, dest, backup=False)
    return dest


def fit_to_width(book: Path, sheet: str) -> None:
    """Print ``sheet`` of the picture's copy one page wide, landscape (openpyxl rewrites
    the copy: fine for a budget sheet, which has no chart)."""
    import openpyxl
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(book)


def page_digest(text: str) -> str:
    """Digest of a page's printed text, spacing and dates ignored."""
    text = re.sub(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b",
                  "DATA", text)
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG (its IHDR chunk)."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def render(picture: Picture, out: Path, work: Path) -> dict:
    """Render ``picture`` into ``out``; its manifest entry."""
    (work / picture.name).mkdir()
    book = prepared_workbook(picture.sample, picture.steps, work / picture.name / picture.sample)
    if picture.fit_width:
        fit_to_width(book, picture.sheet)
    pdf = render_pdf(book, work, picture.sheet, picture.name)
    pages = pdf_pages(pdf)
    pngs = render_png(pdf, work, DPI, picture.name)
    target = out / f"{picture.name}.png"
    shutil.copyfile(pngs[picture.page - 1], target)
    return {"file": target.name, "cartella": picture.sample, "passi": list(picture.steps),
            "foglio": picture.sheet, "pagina": picture.page, "pagine": len(pages),
            "pixel": list(png_size(target)),
            "testo": page_digest(pages[picture.page - 1].text)}


def render_all(out: Path) -> dict[str, dict]:
    """Every picture of the guide into ``out``, with ``immagini.json``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = {p.name: render(p, out, Path(tmp)) for p in PICTURES}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Immagini della guida dai file di esempio.")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        manifest = render_all(args.out)
    except RenderError as exc:
        print(f"errore: {exc}", file=sys.stderr)
        return 2
    for entry in manifest.values():
        print(f"{args.out / entry['file']}: foglio «{entry['foglio']}», pagina "
              f"{entry['pagina']} di {entry['pagine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
