"""The findings written into the workbook: the «Controlli PDZ» sheet and the cell marks.

The report sheet is owned (replaced whole on every run); marks are a fill and a note on
each offending cell, replaced on every run by the write path (a second run does not pile
them up) and removed by :func:`clear_changeset`. No timestamp is written unless the caller
passes one, so the same workbook gives the same bytes.
"""

from __future__ import annotations

from ..cells import quote_sheet, split_sheet_ref
from ..changeset import MARK_FILLS, CellStyle, CellWrite, Changeset, Mark, OwnedSheet
from ..findings import Finding
from ..money import EUR_PLAIN_FORMAT, to_decimal
from ..plan import Plan
from .engine import counts
from .report import counts_words, group_of, ranked, rounding_count

REPORT_SHEET = "Controlli PDZ"
HEADER_ROW = 4
HEADERS = ["Codice", "Gravità", "Categoria", "Cella", "Percorso", "Messaggio", "Differenza €",
           "Correzione proposta"]
_HEAD = CellStyle(bold=True, fill="D9E1F2")
_LINK = CellStyle(font_color="0563C1")
_WRAP = CellStyle(wrap=True)
_MONEY = CellStyle(number_format=EUR_PLAIN_FORMAT)
_GROUP_FILL = {"errore": MARK_FILLS["errore"], "avviso": MARK_FILLS["avviso"],
               "arrotondamento": "E2EFDA"}


def link_target(cell: str) -> str:
    """Internal hyperlink target of ``Sheet!C12``: ``'Sheet'!C12``."""
    sheet, ref = split_sheet_ref(cell)
    return f"{quote_sheet(sheet)}!{ref}"


def _row(row: int, f: Finding) -> list[CellWrite]:
    cells = [
        CellWrite(cell=f"A{row}", value=f.code),
        CellWrite(cell=f"B{row}", value=f.severity,
                  style=CellStyle(fill=_GROUP_FILL[group_of(f)])),
        CellWrite(cell=f"C{row}", value=f.category),
        CellWrite(cell=f"D{row}", value=f.cell or "",
                  hyperlink=link_target(f.cell) if f.cell else None,
                  style=_LINK if f.cell else None),
        CellWrite(cell=f"E{row}", value=" / ".join(f.path)),
        CellWrite(cell=f"F{row}", value=f.message, style=_WRAP),
    ]
    if f.difference is not None:
        cells.append(CellWrite(cell=f"G{row}", value=to_decimal(f.difference), style=_MONEY))
    if f.fix is not None:
        cells.append(CellWrite(cell=f"H{row}", value=f"{f.fix.description} in {f.fix.cell}",
                               style=_WRAP))
    return cells


def report_sheet(plan: Plan, findings: list[Finding], *, file_label: str | None = None,
                 generated_on: str | None = None) -> OwnedSheet:
    """One row per finding (errors, then warnings, then rounding), linked to its cell."""
    errori, avvisi = counts(findings)
    rounding = rounding_count(findings)
    counts_text = (f"Anno del piano {plan.plan_year}: "
                   f"{counts_words(errori, avvisi, rounding)}"
                   + (f" – controllo del {generated_on}" if generated_on else ""))
    cells = [CellWrite(cell="A1", value=f"Controlli PDZ – {file_label or plan.source}",
                       style=CellStyle(bold=True, font_size=13)),
             CellWrite(cell="A2", value=counts_text)]
    cells += [CellWrite(cell=f"{chr(65 + i)}{HEADER_ROW}", value=h, style=_HEAD)
              for i, h in enumerate(HEADERS)]
    if not findings:
        cells.append(CellWrite(cell=f"A{HEADER_ROW + 1}",
                               value="Nessun rilievo: il budget è coerente.",
                               style=CellStyle(bold=True)))
    for row, f in enumerate(ranked(findings), start=HEADER_ROW + 1):
        cells += _row(row, f)
    return OwnedSheet(name=REPORT_SHEET, cells=cells, freeze=f"A{HEADER_ROW + 1}",
                      tab_color="C00000",
                      column_widths={"A": 9, "B": 9, "C": 15, "D": 30, "E": 45, "F": 90,
                                     "G": 16, "H": 40})


def marks_for(findings: list[Finding]) -> list[Mark]:
    """A mark (fill + note) on the cell of each finding; several findings on one cell are
    joined by the write path into one note. An errore wins the fill over an avviso."""
    marks = [Mark(sheet=split_sheet_ref(f.cell)[0], cell=split_sheet_ref(f.cell)[1],
                  note=f"{f.code} {f.severity}: {f.message}", severity=f.severity)
             for f in findings if f.cell]
    return sorted(marks, key=lambda m: m.severity != "errore")


def report_changeset(plan: Plan, findings: list[Finding], *, file_label: str | None = None,
                     generated_on: str | None = None) -> Changeset:
    """The report sheet and the marks: what ``valida --scrivi`` and the button write."""
    errori, avvisi = counts(findings)
    sheet = report_sheet(plan, findings, file_label=file_label, generated_on=generated_on)
    return Changeset(sheets=[sheet], marks=marks_for(findings),
                     summary=[f"{REPORT_SHEET}: {counts_words(errori, avvisi)}"])


def clear_changeset() -> Changeset:
    """Remove the report sheet and every mark of ours (original fills come back)."""
    return Changeset(marks=[], remove_sheets=[REPORT_SHEET],
                     summary=["segni e foglio dei controlli rimossi"])
