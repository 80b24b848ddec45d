"""The «Confronto PDZ» sheet: the plan year against the comparison year, per cost group
and per revenue channel, with the difference and the variation — like a document's
«Confronto 2020-2021», from the same reading as «Triennale PDZ».

Its figures are formulas pointing at «Triennale PDZ» (one reading, one number); a channel
or group the workbook has no comparison figure for says «n.d.».
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..cells import quote_sheet
from ..changeset import CellStyle, CellWrite, OwnedSheet, PageSetup
from ..money import EUR_FORMAT, Cents, to_decimal
from .columns import PCT_FORMAT, Columns, columns_for
from .model import TRIENNIAL_SHEET, Triennial
from .sheet import rows_for

CONFRONTO_SHEET = "Confronto PDZ"
_T = quote_sheet(TRIENNIAL_SHEET)
_TITLE = CellStyle(bold=True, font_size=13)
_HEAD = CellStyle(bold=True, fill="D9E1F2", align="center", wrap=True)
_NOTE = CellStyle(italic=True, font_color="595959")
_RIGHT = CellStyle(align="right", font_color="808080")


def _style(kind: str, bold: bool) -> CellStyle:
    return CellStyle(number_format=EUR_FORMAT if kind == "money" else PCT_FORMAT,
                     bold=bold or None)


class _Cells(list):
    def put(self, cell: str, value: object, formula: str | None = None,
            style: CellStyle | None = None) -> None:
        self.append(CellWrite(cell=cell, value=value, formula=formula, style=style))


def confronto_sheet(data: Triennial, generated_on: str | None = None) -> OwnedSheet:
    """The comparison sheet of ``data`` (which has a comparison year)."""
    cy, y1 = data.comparison_year, data.years[0]
    cols = columns_for(data)
    at = rows_for(data)
    out = _Cells()
    out.put("A1", f"CONFRONTO {cy}-{y1}", style=_TITLE)
    out.put("A2", f"Ente: {data.ente}", style=CellStyle(bold=True))
    out.put("A3", f"Anno del piano {y1} e anno di confronto {cy}, dalla stessa lettura di "
            f"«{TRIENNIAL_SHEET}» (le cifre sono formule verso quel foglio)"
            + (f"; generato il {generated_on}" if generated_on else ""), style=_NOTE)
    row = 5
    sections = ((f"COSTI PER {data.per.upper()}", data.costs, at.first_cost, at.cost_total,
                 "TOTALE COSTI"),
                ("RICAVI PER CANALE", data.revenues, at.rev_header + 1, at.rev_total,
                 "TOTALE RICAVI"))
    for title, rows, first_src, total_src, total_label in sections:
        for c, text in zip("ABCDEF", (title, f"ANNO {cy}", f"ANNO {y1}", "DIFFERENZA",
                                     "VAR. %", f"QUOTA % {y1}"), strict=True):
            out.put(f"{c}{row}", text, style=_HEAD)
        first = row + 1
        total_row = first + len(rows)
        section = sum(r.years[0] for r in rows)
        for i, r in enumerate(rows):
            _line(out, first + i, _Item(r.label, f"={_T}!A{first_src + i}", r.years[0],
                                        r.comparison, first_src + i), cols, total_row,
                  section, bold=False)
        known = [r.comparison for r in rows if r.comparison is not None]
        _line(out, total_row, _Item(total_label, None, section, sum(known) if known else None,
                                    total_src), cols, total_row, section, bold=True)
        if rows and not known:
            out.put(f"A{total_row + 1}", f"la cartella non ha importi del {cy} per "
                    f"{'canale' if title.startswith('RICAVI') else data.per}", style=_NOTE)
        row = total_row + 3
    return OwnedSheet(
        name=CONFRONTO_SHEET, cells=list(out), freeze="B6",
        column_widths={"A": 46, "B": 18, "C": 18, "D": 18, "E": 11, "F": 12},
        page=PageSetup(orientation="landscape", fit_width=1, fit_height=0, print_titles="1:3",
                       center_horizontally=True,
                       header=f"&L&B{data.ente.replace('&', '&&')}&B&RConfronto {cy}-{y1}",
                       footer="&CPagina &P di &N&RStampato il &D"))


@dataclass(frozen=True)
class _Item:
    label: str
    label_formula: str | None
    now: Cents
    before: Cents | None
    src: int  # its row in «Triennale PDZ»


def _line(out: _Cells, row: int, item: _Item, cols: Columns, total_row: int, section: Cents,
          bold: bool) -> None:
    """One row: label, comparison year, plan year, difference, variation, share."""
    now, before, src = item.now, item.before, item.src
    out.put(f"A{row}", item.label, item.label_formula, CellStyle(bold=True) if bold else None)
    out.put(f"C{row}", to_decimal(now), f"={_T}!{cols.years[0]}{src}", _style("money", bold))
    out.put(f"F{row}", _ratio(now, section), f"=IF($C${total_row}=0,0,C{row}/$C${total_row})",
            _style("pct", bold))
    if before is None or cols.previous is None:
        for c in "BDE":
            out.put(f"{c}{row}", "n.d.", style=_RIGHT)
        return
    out.put(f"B{row}", to_decimal(before), f"={_T}!{cols.previous}{src}", _style("money", bold))
    out.put(f"D{row}", to_decimal(now - before), f"=C{row}-B{row}", _style("money", bold))
    if before == 0:
        out.put(f"E{row}", "—" if now == 0 else "nuovo", style=_RIGHT)
    else:
        out.put(f"E{row}", _ratio(now, before) - 1, f"=C{row}/B{row}-1", _style("pct", bold))


def _ratio(num: Cents, den: Cents) -> Decimal:
    return Decimal(num) / Decimal(den) if den else Decimal(0)
