"""Render one sheet of a workbook as LibreOffice prints it: PDF, then PNG pictures.

    python tools/render_triennale.py CARTELLA.xlsx [--foglio "Triennale PDZ"] [--out DIR]
                                     [--dpi 70] [--nome NOME]

LibreOffice Calc runs headless with a profile of its own that recalculates every formula
on loading and uses the Italian locale (as an office in Italy sees the sheet). Only the
chosen sheet is printed: a temporary copy of the workbook has the other sheets hidden.
The PDF pages become ``NOME-1.png``, ``NOME-2.png``... with ``pdftoppm`` (Debian package
poppler-utils). The tests use :func:`render_pdf` and :func:`pdf_pages` to check the page
setup; the pictures in ``docs/`` are made with this script.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROFILE = Path(tempfile.gettempdir()) / "pdz-xl-render-profile"
LOCK = Path(tempfile.gettempdir()) / "pdz-xl-soffice.lock"  # shared with the tests
SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>it-IT</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N">
<prop oor:name="ooLocale" oor:op="fuse"><value>it-IT</value></prop></item>
</oor:items>
"""
TIMEOUT = 240


class RenderError(RuntimeError):
    """A tool is missing or produced nothing (message in Italian)."""


@dataclass
class Page:
    """One PDF page: its size in points and its text (pdftotext -layout)."""

    width: float
    height: float
    text: str

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def _tool(name: str, package: str) -> str:
    exe = shutil.which(name)
    if not exe:
        raise RenderError(f"manca «{name}»: installarlo con 'apt-get install {package}' "
                          "(bash scripts/setup.sh --test lo fa).")
    return exe


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RenderError("manca LibreOffice (soffice): installarlo con 'apt-get install "
                          "libreoffice-calc-nogui' (bash scripts/setup.sh --test lo fa).")
    return exe


@contextmanager
def _serialised():
    with open(LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def only_sheet(src: Path, dest: Path, sheet: str) -> None:
    """A copy of ``src`` where every sheet but ``sheet`` is hidden and ``sheet`` active."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = _hide_others(data.decode("utf-8"), sheet).encode("utf-8")
            zout.writestr(info, data)


def _hide_others(xml: str, sheet: str) -> str:
    tags = re.findall(r"<sheet\b[^>]*/>", xml)
    names = [re.search(r'name="([^"]*)"', t).group(1) for t in tags]  # type: ignore[union-attr]
    wanted = sheet.replace("&", "&amp;").replace("'", "&apos;")
    if wanted not in names:
        raise RenderError(f"il foglio «{sheet}» non è nella cartella (fogli: "
                          f"{', '.join(names)}).")
    for tag, name in zip(tags, names, strict=True):
        new = re.sub(r'\sstate="[^"]*"', "", tag)
        if name != wanted:
            new = new.replace("<sheet ", '<sheet state="hidden" ', 1)
        xml = xml.replace(tag, new, 1)
    index = names.index(wanted)
    return re.sub(r"<workbookView\b([^>]*?)(/?)>", lambda m: "<workbookView" + re.sub(
        r'\s(activeTab|firstSheet)="\d+"', "", m.group(1)) + f' activeTab="{index}" '
        f'firstSheet="{index}"{m.group(2)}>', xml, count=1)


def render_pdf(src: Path, out_dir: Path, sheet: str = "Triennale PDZ",
               name: str | None = None) -> Path:
    """The PDF LibreOffice prints for ``sheet`` of ``src`` (recalculated, Italian locale)."""
    exe = _soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = name or Path(src).stem
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / f"{stem}.xlsx"
        only_sheet(Path(src), copy, sheet)
        (PROFILE / "user").mkdir(parents=True, exist_ok=True)
        (PROFILE / "user" / "registrymodifications.xcu").write_text(SETTINGS, encoding="utf-8")
        args = [exe, f"-env:UserInstallation={PROFILE.as_uri()}", "--headless", "--norestore",
                "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), str(copy)]
        with _serialised():
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True,
                                    env={**os.environ, "HOME": str(PROFILE)})
            try:
                out, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise RenderError(f"LibreOffice non ha finito entro {TIMEOUT} s") from None
    pdf = out_dir / f"{stem}.pdf"
    if proc.returncode != 0 or not pdf.exists():
        raise RenderError(f"LibreOffice non ha prodotto il PDF: {out}{err}")
    return pdf


def pdf_pages(pdf: Path) -> list[Page]:
    """Size and text of every page (pdfinfo, pdftotext)."""
    info = subprocess.run([_tool("pdfinfo", "poppler-utils"), "-f", "1", "-l", "9999",
                           str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in
             re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", info)]
    pages = []
    for i, (w, h) in enumerate(sizes, start=1):
        text = subprocess.run([_tool("pdftotext", "poppler-utils"), "-layout", "-f", str(i),
                               "-l", str(i), str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages.append(Page(w, h, text))
    return pages


def render_png(pdf: Path, out_dir: Path, dpi: int = 70, name: str | None = None) -> list[Path]:
    """Every page of ``pdf`` as ``NAME-1.png``... (pdftoppm)."""
    stem = name or pdf.stem
    for old in out_dir.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run([_tool("pdftoppm", "poppler-utils"), "-png", "-r", str(dpi), str(pdf),
                    str(out_dir / stem)], check=True, capture_output=True)
    made = sorted(out_dir.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    for i, path in enumerate(made, start=1):  # pdftoppm pads the numbers: 1, 01, 001...
        target = out_dir / f"{stem}-{i}.png"
        if path != target:
            path.rename(target)
    return [out_dir / f"{stem}-{i}.png" for i in range(1, len(made) + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Stampa un foglio della cartella in PDF e "
                                     "PNG con LibreOffice.")
    parser.add_argument("cartella", type=Path)
    parser.add_argument("--foglio", default="Triennale PDZ")
    parser.add_argument("--out", type=Path, default=Path("out/render"))
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--nome", default=None, help="nome dei file prodotti")
    args = parser.parse_args(argv)
    try:
        pdf = render_pdf(args.cartella, args.out, args.foglio, args.nome)
        pages = pdf_pages(pdf)
        pngs = render_png(pdf, args.out, args.dpi, args.nome)
    except (RenderError, subprocess.CalledProcessError) as exc:
        print(f"errore: {exc}", file=sys.stderr)
        return 2
    shape = ", ".join(f"{p.width:.0f}x{p.height:.0f}" for p in pages)
    print(f"{pdf}: {len(pages)} pagine ({shape} punti)")
    for png in pngs:
        print(f"  {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
