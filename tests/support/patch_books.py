"""Real workbooks for the write-path tests: everything a careless writer would lose.

:func:`build_book` writes, with XlsxWriter, a budget sheet with totals (formulas with
cached values), a user comment, a data-validation list, conditional formatting, a column
chart, a PNG image, global and sheet-scoped defined names and a print area, a second data
sheet with an Excel table, a pivot-like summary sheet; optionally (``.xlsm``) a real VBA
project. It then adds, by editing the package, what Excel writes and XlsxWriter does not:
a shared formula, ``xl/calcChain.xml`` and a custom XML part.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter
import xlwings
from lxml import etree

from pdz_xl.money import EUR_FORMAT

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
M = f"{{{NS}}}"

BUDGET = "Servizi"
DATA = "Dati"
SUMMARY = "Riepilogo"
LINES = [("Coordinamento", 100.0, 100.0, 60.0, 40.0), ("Equipe", 200.0, 210.5, 10.5, 200.0),
         ("Supervisione", 50.0, 49.99, 49.99, None), ("Formazione", 12.0, 12.01, None, 12.01)]
FIRST = 5  # first line row
LAST = FIRST + len(LINES) - 1  # 8
TOTAL = LAST + 1  # 9
SHARED = [f"G{r}" for r in range(FIRST, LAST + 1)]  # G5 master, G6:G8 dependents


def tiny_png() -> bytes:
    """A valid 2x2 red PNG."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project() -> bytes:
    """A real vbaProject.bin, from the xlwings package's quickstart workbook."""
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as zf:
        return zf.read("xl/vbaProject.bin")


def _write_book(path: Path, macro: bool) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2021, 1, 1)})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": EUR_FORMAT})
    ws = wb.add_worksheet(BUDGET)
    ws.write(0, 0, "AREA SERVIZI AZIENDALI", bold)
    ws.write_row(2, 0, ["VOCE", "BUDGET 2020", "BUDGET 2021", "FNPS 2021", "FSR 2021", "Esito",
                        "Quota"], bold)
    ws.write(3, 0, "Azione 1: Tutela minori", bold)
    for i, (voce, *vals) in enumerate(LINES):
        ws.write(FIRST - 1 + i, 0, voce)
        for j, v in enumerate(vals):
            if v is not None:
                ws.write_number(FIRST - 1 + i, 1 + j, v, money)
        # G: a formula XlsxWriter writes plainly; turned into a shared formula below
        ws.write_formula(FIRST - 1 + i, 6, f"=Dati!B{2 + i}+B{FIRST + i}", money,
                         (2 * i + 1) + vals[0])  # Dati!B2.. = 1, 3, 5, 7
    ws.write(TOTAL - 1, 0, "TOTALE AZIONE 1", bold)
    for col, letter in ((1, "B"), (2, "C"), (3, "D"), (4, "E")):
        cached = sum(v[col] or 0 for v in LINES)
        ws.write_formula(TOTAL - 1, col, f"=SUM({letter}{FIRST}:{letter}{LAST})", money,
                         round(cached, 2))
    ws.write_comment(f"A{FIRST}", "Nota dell'utente: da rivedere")
    ws.data_validation(f"F{FIRST}:F{LAST}", {"validate": "list", "source": ["ok", "da rivedere"]})
    ws.conditional_format(f"C{FIRST}:C{LAST}", {
        "type": "cell", "criteria": ">", "value": 150,
        "format": wb.add_format({"bg_color": "#FFC7CE"})})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "2021", "categories": f"={BUDGET}!$A${FIRST}:$A${LAST}",
                      "values": f"={BUDGET}!$C${FIRST}:$C${LAST}"})
    ws.insert_chart("J2", chart)
    png = io.BytesIO(tiny_png())
    ws.insert_image("J20", "logo.png", {"image_data": png})
    ws.set_column("A:A", 28)
    wb.define_name("TotaleAzione1", f"={BUDGET}!$C${TOTAL}")
    data = wb.add_worksheet(DATA)
    data.add_table("A1:C5", {"data": [["a", 1, 2], ["b", 3, 4], ["c", 5, 6], ["d", 7, 8]],
                             "columns": [{"header": "Nome"}, {"header": "X"},
                                         {"header": "Y"}]})
    wb.define_name(f"{DATA}!Locale", f"={DATA}!$A$1:$C$5")
    summary = wb.add_worksheet(SUMMARY)
    summary.write_row(0, 0, ["Canale", "Somma"], bold)
    summary.write_row(1, 0, ["FNPS", 120])
    summary.write_row(2, 0, ["FSR", 252.01])
    summary.print_area("A1:B3")
    if macro:
        vba = path.with_name(path.stem + "-vba.bin")
        vba.write_bytes(vba_project())
        wb.add_vba_project(str(vba))
    wb.close()


def _sheet_part(parts: dict[str, bytes], name: str) -> str:
    wb = etree.fromstring(parts["xl/workbook.xml"])
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for s in wb.iter(M + "sheet"):
        if s.get("name") == name:
            rid = s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            return "xl/" + targets[rid].lstrip("/").removeprefix("xl/")
    raise KeyError(name)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_excel_extras(parts: dict[str, bytes]) -> None:
    """A shared formula in G5:G8, a calcChain, Excel's calcPr, a custom XML part."""
    part = _sheet_part(parts, BUDGET)
    sheet = etree.fromstring(parts[part])
    chain = []
    for c in sheet.iter(M + "c"):
        f = c.find(M + "f")
        if f is None:
            continue
        chain.append(c.get("r"))
        ref = c.get("r")
        if ref in SHARED:
            if ref == SHARED[0]:
                f.set("t", "shared")
                f.set("ref", f"{SHARED[0]}:{SHARED[-1]}")
                f.set("si", "0")
            else:
                f.text = None
                f.set("t", "shared")
                f.set("si", "0")
    parts[part] = _xml(sheet)
    wb = etree.fromstring(parts["xl/workbook.xml"])
    wb.find(M + "calcPr").attrib.pop("fullCalcOnLoad", None)  # as Excel saves it
    wb.find(M + "calcPr").set("calcId", "191029")
    parts["xl/workbook.xml"] = _xml(wb)
    calc = etree.Element(M + "calcChain", nsmap={None: NS})
    for i, ref in enumerate(chain):
        el = etree.SubElement(calc, M + "c", r=ref)
        if i == 0:
            el.set("i", "1")
    parts["xl/calcChain.xml"] = _xml(calc)
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><pdz xmlns="urn:test">dati</pdz>'
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
        b'ds:itemID="{11111111-2222-3333-4444-555555555555}" xmlns:ds="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/customXml"/>')
    parts["customXml/_rels/item1.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
        f'"{NS_REL}"><Relationship Id="rId1" Type="{REL}customXmlProps" '
        'Target="itemProps1.xml"/></Relationships>').encode()
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    etree.SubElement(rels, f"{{{NS_REL}}}Relationship", Id="rId90", Type=REL + "calcChain",
                     Target="calcChain.xml")
    etree.SubElement(rels, f"{{{NS_REL}}}Relationship", Id="rId91", Type=REL + "customXml",
                     Target="../customXml/item1.xml")
    parts["xl/_rels/workbook.xml.rels"] = _xml(rels)
    ct = etree.fromstring(parts["[Content_Types].xml"])
    for name, kind in (("/xl/calcChain.xml", "application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.calcChain+xml"),
                       ("/customXml/itemProps1.xml", "application/vnd.openxmlformats-"
                        "officedocument.customXmlProperties+xml")):
        etree.SubElement(ct, f"{{{NS_CT}}}Override", PartName=name, ContentType=kind)
    parts["[Content_Types].xml"] = _xml(ct)


def build_book(path: Path, *, macro: bool = False) -> Path:
    """The rich workbook at ``path`` (``.xlsx``, or ``.xlsm`` with ``macro=True``)."""
    _write_book(path, macro)
    with zipfile.ZipFile(path) as zf:
        order = zf.namelist()
        parts = {n: zf.read(n) for n in order}
    _add_excel_extras(parts)
    order += [n for n in parts if n not in order]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0)), parts[name],
                        compress_type=zipfile.ZIP_DEFLATED)
    return path


def budget_book(path: Path, lines: int) -> Path:
    """A plain budget of ``lines`` lines in azioni of 20, with SUM totals (benchmarks)."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2021, 1, 1)})
    money = wb.add_format({"num_format": EUR_FORMAT})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Budget")
    ws.write_row(0, 0, ["VOCE", "BUDGET 2021", "FNPS", "FSR", "COMUNI"], bold)
    row = 1
    for start in range(0, lines, 20):
        ws.write(row, 0, f"Azione {start // 20 + 1}", bold)
        row += 1
        first = row
        for i in range(start, min(start + 20, lines)):
            amount = 1000 + (i * 37) % 900
            ws.write(row, 0, f"Voce {i + 1}")
            ws.write_row(row, 1, [amount, amount // 2, amount - amount // 2, 0], money)
            row += 1
        for col, letter in enumerate("BCDE", start=1):
            ws.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{row})", money)
        ws.write(row, 0, "TOTALE", bold)
        row += 1
    wb.close()
    return path
