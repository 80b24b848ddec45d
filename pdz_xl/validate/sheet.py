"""The findings written into the workbook: the "Controlli PDZ" sheet and cell marks."""

from __future__ import annotations

from ..cells import quote_sheet, split_sheet_ref
from ..changeset import CellStyle, CellWrite, Changeset, Mark, OwnedSheet
from ..findings import Finding
from ..money import EUR_PLAIN_FORMAT, to_decimal
from ..plan import Plan
from .engine import counts

REPORT_SHEET = "Controlli PDZ"
_HEADER = ["Codice", "Gravità", "Categoria", "Cella", "Percorso", "Messaggio", "Differenza €"]
_BOLD = CellStyle(bold=True)
_HEAD = CellStyle(bold=True, fill="D9E1F2")
_SEVERITY_FILL = {"errore": "FFC7CE", "avviso": "FFEB9C"}


def _link(cell: str) -> str:
    sheet, ref = split_sheet_ref(cell)
    return f"{quote_sheet(sheet)}!{ref}"


def report_changeset(plan: Plan, findings: list[Finding], *, file_label: str | None = None,
                     generated_on: str | None = None) -> Changeset:
    """The report sheet (one row per finding, linked to its cell) and the marks."""
    errori, avvisi = counts(findings)
    title = f"Controlli PDZ – {file_label or plan.source}"
    cells = [CellWrite(cell="A1", value=title, style=CellStyle(bold=True, font_size=13)),
             CellWrite(cell="A2", value=f"Anno del piano {plan.plan_year}: {errori} errori, "
                                        f"{avvisi} avvisi"
                                        + (f" – controllo del {generated_on}"
                                           if generated_on else ""))]
    cells += [CellWrite(cell=f"{chr(65 + i)}4", value=h, style=_HEAD)
              for i, h in enumerate(_HEADER)]
    if not findings:
        cells.append(CellWrite(cell="A5", value="Nessun rilievo: il budget è coerente.",
                               style=_BOLD))
    for row, f in enumerate(findings, start=5):
        sev_style = CellStyle(fill=_SEVERITY_FILL[f.severity])
        cells += [
            CellWrite(cell=f"A{row}", value=f.code),
            CellWrite(cell=f"B{row}", value=f.severity, style=sev_style),
            CellWrite(cell=f"C{row}", value=f.category),
            CellWrite(cell=f"D{row}", value=f.cell or "",
                      hyperlink=_link(f.cell) if f.cell else None,
                      style=CellStyle(font_color="0563C1") if f.cell else None),
            CellWrite(cell=f"E{row}", value=" / ".join(f.path)),
            CellWrite(cell=f"F{row}", value=f.message, style=CellStyle(wrap=True)),
        ]
        if f.difference is not None:
            cells.append(CellWrite(cell=f"G{row}", value=to_decimal(f.difference),
                                   style=CellStyle(number_format=EUR_PLAIN_FORMAT)))
    sheet = OwnedSheet(name=REPORT_SHEET, cells=cells, freeze="A5", tab_color="C00000",
                       column_widths={"A": 9, "B": 9, "C": 15, "D": 30, "E": 45, "F": 90,
                                      "G": 16})
    marks = [Mark(sheet=split_sheet_ref(f.cell)[0], cell=split_sheet_ref(f.cell)[1],
                  note=f"{f.code} {f.severity}: {f.message}", severity=f.severity)
             for f in findings if f.cell]
    return Changeset(sheets=[sheet], marks=marks,
                     summary=[f"{REPORT_SHEET}: {errori} errori, {avvisi} avvisi"])


def clear_changeset() -> Changeset:
    """Remove the report sheet and every mark of ours."""
    return Changeset(marks=[], remove_sheets=[REPORT_SHEET],
                     summary=["segni e foglio dei controlli rimossi"])
