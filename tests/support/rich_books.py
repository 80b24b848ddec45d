"""Workbooks full of things a careless writer would lose: chart, image, data validation,
conditional formats, comments, defined names, tables, an .xlsm VBA project."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter
import xlwings

from pdz_xl.money import EUR_FORMAT


def tiny_png() -> bytes:
    """A valid 2x2 red PNG."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(
            ">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def vba_project() -> bytes:
    """A real vbaProject.bin (from the xlwings package's quickstart workbook)."""
    src = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(src) as zf:
        return zf.read("xl/vbaProject.bin")


def build_rich(path: Path, *, macro: bool = False) -> Path:
    """A budget sheet plus every kind of content that must survive a write."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": __import__("datetime").datetime(2021, 1, 1)})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": EUR_FORMAT})
    ws = wb.add_worksheet("Servizi")
    ws.write(0, 0, "AREA SERVIZI AZIENDALI", bold)
    ws.write_row(2, 0, ["SERVIZIO TM", "BUDGET 2020", "BUDGET 2021", "FNPS 2021", "FSR 2021"],
                 bold)
    ws.write(3, 0, "Azione 1: Tutela", bold)
    rows = [("Coordinamento", 100, 100, 60, 40), ("Equipe", 200, 210, 10, 200),
            ("Supervisione", 50, 50, 50, None)]
    for i, (voce, *vals) in enumerate(rows):
        ws.write(4 + i, 0, voce)
        for j, v in enumerate(vals):
            if v is not None:
                ws.write_number(4 + i, 1 + j, v, money)
    ws.write(7, 0, "TOTALE SERVIZIO TM", bold)
    ws.write_formula(7, 1, "=SUM(B5:B7)", money, 350)
    ws.write_formula(7, 2, "=SUM(C5:C7)", money, 360)
    ws.write_comment("A5", "Nota dell'utente: da rivedere")
    ws.data_validation("F5:F7", {"validate": "list", "source": ["sì", "no"]})
    ws.conditional_format("C5:C7", {"type": "cell", "criteria": ">", "value": 150,
                                    "format": wb.add_format({"bg_color": "#FFC7CE"})})
    wb.define_name("TotaleTM", "=Servizi!$C$8")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "2021", "categories": "=Servizi!$A$5:$A$7",
                      "values": "=Servizi!$C$5:$C$7"})
    ws.insert_chart("H2", chart)
    img = path.with_suffix(".png")
    img.write_bytes(tiny_png())
    ws.insert_image("H20", str(img))
    t = wb.add_worksheet("Tabella")
    t.add_table("A1:C4", {"data": [["a", 1, 2], ["b", 3, 4], ["c", 5, 6]],
                          "columns": [{"header": "Nome"}, {"header": "X"}, {"header": "Y"}]})
    pivot = wb.add_worksheet("Pivot")
    pivot.write_row(0, 0, ["Canale", "Somma"], bold)
    pivot.write_row(1, 0, ["FNPS", 120])
    if macro:
        vba = path.with_suffix(".bin")
        vba.write_bytes(vba_project())
        wb.add_vba_project(str(vba))
    wb.close()
    return path
