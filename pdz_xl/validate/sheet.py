"""The findings written into the workbook: the «Controlli PDZ» sheet and the cell marks.

The report sheet is owned (replaced whole on every run); marks are a fill and a note on
each offending cell, replaced on every run by the write path (a second run does not pile
them up) and removed by :func:`clear_changeset`. No timestamp is written unless the caller
passes one, so the same workbook gives the same bytes.
"""

from __future__ import annotations

from ..cells import col_letters, quote_sheet, split_sheet_ref
from ..changeset import (
    MARK_FILLS,
    CellStyle,
    CellWrite,
    Changeset,
    ListValidation,
    Mark,
    OwnedSheet,
    PageSetup,
)
from ..channels.display import channel_labels
from ..findings import Finding
from ..money import EUR_PLAIN_FORMAT, to_decimal
from ..plan import Plan
from ..plurals import plural
from .engine import counts
from .report import counts_words, group_of, ranked, rounding_count
from .visto import REASON_HEADER, VISTO_HEADER

REPORT_SHEET = "Controlli PDZ"
HEADER_ROW = 6
HEADERS = ["Codice", "Gravità", "Categoria", "Cella", "Percorso", "Messaggio", "Differenza €",
           "Correzione proposta", VISTO_HEADER, REASON_HEADER]
WIDTHS = {"A": 9, "B": 9, "C": 15, "D": 26, "E": 34, "F": 70, "G": 16, "H": 40, "I": 8,
          "J": 30}
_HEAD = CellStyle(bold=True, fill="D9E1F2", wrap=True)
_LINK = CellStyle(font_color="0563C1", wrap=True)
_WRAP = CellStyle(wrap=True)
_MONEY = CellStyle(number_format=EUR_PLAIN_FORMAT)
_SEEN_FILL = "D9D9D9"
_GROUP_FILL = {"errore": MARK_FILLS["errore"], "avviso": MARK_FILLS["avviso"],
               "arrotondamento": MARK_FILLS["avviso"]}
"""The same colours as the marks on the cells: rounding is an avviso, yellow in both."""
_LINE_POINTS = 15.0


def link_target(cell: str) -> str:
    """Internal hyperlink target of ``Sheet!C12``: ``'Sheet'!C12``."""
    sheet, ref = split_sheet_ref(cell)
    return f"{quote_sheet(sheet)}!{ref}"


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a margin for the
    proportional font, so LibreOffice and Excel both fit it)."""
    per_line = max(int(width * 1.05) - 2, 8)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _row(row: int, f: Finding, names: dict[str, str]) -> tuple[list[CellWrite], float]:
    """The cells of one finding and the row height they need; ``names``: channel codes ->
    the names the workbook gives them (a channel's path shows its name, never its code)."""
    fill = _SEEN_FILL if f.visto is not None else _GROUP_FILL[group_of(f)]
    path = " / ".join(names.get(p, p) for p in f.path)
    fix = f"{f.fix.description} in {f.fix.cell}" if f.fix is not None else ""
    cells = [
        CellWrite(cell=f"A{row}", value=f.code),
        CellWrite(cell=f"B{row}", value=f.severity, style=CellStyle(fill=fill)),
        CellWrite(cell=f"C{row}", value=f.category),
        CellWrite(cell=f"D{row}", value=f.cell or "",
                  hyperlink=link_target(f.cell) if f.cell else None,
                  style=_LINK if f.cell else None),
        CellWrite(cell=f"E{row}", value=path, style=_WRAP),
        CellWrite(cell=f"F{row}", value=f.message, style=_WRAP),
    ]
    if f.difference is not None:
        cells.append(CellWrite(cell=f"G{row}", value=to_decimal(f.difference), style=_MONEY))
    if fix:
        cells.append(CellWrite(cell=f"H{row}", value=fix, style=_WRAP))
    if f.visto is not None:
        cells.append(CellWrite(cell=f"I{row}", value="sì"))
        if f.visto:
            cells.append(CellWrite(cell=f"J{row}", value=f.visto, style=_WRAP))
    lines = max(_lines(f.message, WIDTHS["F"]), _lines(fix, WIDTHS["H"]),
                _lines(path, WIDTHS["E"]), _lines(f.cell or "", WIDTHS["D"]),
                _lines(f.visto or "", WIDTHS["J"]))
    return cells, lines * _LINE_POINTS + 3


def _legend(row: int) -> list[CellWrite]:
    """The colours of the marks, as on the cells."""
    items = [("errore", MARK_FILLS["errore"]), ("avviso", MARK_FILLS["avviso"]),
             ("arrotondamento (avviso)", MARK_FILLS["avviso"]), ("visto", _SEEN_FILL)]
    cells = [CellWrite(cell=f"A{row}", value="Legenda:", style=CellStyle(bold=True))]
    for k, (text, fill) in enumerate(items):
        col = "CDEF"[k]
        cells.append(CellWrite(cell=f"{col}{row}", value=text, style=CellStyle(fill=fill)))
    return cells


def report_sheet(plan: Plan, findings: list[Finding], *, file_label: str | None = None,
                 generated_on: str | None = None) -> OwnedSheet:
    """One row per finding (errors, then warnings, then rounding), linked to its cell."""
    errori, avvisi = counts(findings)
    rounding = rounding_count([f for f in findings if f.visto is None])
    seen = sum(1 for f in findings if f.visto is not None)
    name = file_label or plan.source
    checked = f"File controllato: {name}" + (f" – controllo del {generated_on}"
                                              if generated_on else "")
    counts_text = (f"Anno del piano {plan.plan_year}: "
                   f"{counts_words(errori, avvisi, rounding)}"
                   + (f"; {plural(seen, 'visto', 'visti')} (elencati, non contati)"
                      if seen else ""))
    cells = [CellWrite(cell="A1", value=f"Controlli PDZ – {name}",
                       style=CellStyle(bold=True, font_size=13)),
             CellWrite(cell="A2", value=checked),
             CellWrite(cell="A3", value=counts_text),
             CellWrite(cell="A4", value="Per accettare un rilievo noto: «sì» nella colonna "
                                        "Visto e il motivo accanto; resta elencato ma non "
                                        "è più contato (stesso codice, cella e importo).")]
    cells += _legend(5)
    cells += [CellWrite(cell=f"{col_letters(i + 1)}{HEADER_ROW}", value=h, style=_HEAD)
              for i, h in enumerate(HEADERS)]
    heights: dict[int, float] = {}
    names = channel_labels(plan)
    if not findings:
        cells.append(CellWrite(cell=f"A{HEADER_ROW + 1}",
                               value="Nessun rilievo: il budget è coerente.",
                               style=CellStyle(bold=True)))
    for row, f in enumerate(ranked(findings), start=HEADER_ROW + 1):
        row_cells, height = _row(row, f, names)
        cells += row_cells
        heights[row] = height
    last = HEADER_ROW + max(len(findings), 1)
    end = col_letters(len(HEADERS))
    return OwnedSheet(name=REPORT_SHEET, cells=cells, freeze=f"A{HEADER_ROW + 1}",
                      tab_color="C00000", column_widths=dict(WIDTHS), row_heights=heights,
                      autofilter=f"A{HEADER_ROW}:{end}{last}",
                      validations=[ListValidation(cells=f"I{HEADER_ROW + 1}:I{last + 200}",
                                                  options=["sì", "no"],
                                                  prompt="«sì»: rilievo visto e accettato; "
                                                         "scrivere il motivo accanto.")],
                      page=PageSetup(orientation="landscape", fit_width=1, fit_height=0,
                                     print_titles=f"{HEADER_ROW}:{HEADER_ROW}",
                                     footer="&L" + _escape(name) + "&RPagina &P di &N"))


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def marks_nothing(f: Finding) -> bool:
    """Findings that point at a cell which is not wrong get no mark there: what is left
    of a channel (PDZ403) is listed in the report, its revenue item is right; a finding
    marked «visto» is accepted."""
    return f.category == "residuo" or f.visto is not None


def marks_for(findings: list[Finding]) -> list[Mark]:
    """A mark (fill + note) on the cell of each finding; several findings on one cell are
    joined by the write path into one note. An errore wins the fill over an avviso."""
    marks = [Mark(sheet=split_sheet_ref(f.cell)[0], cell=split_sheet_ref(f.cell)[1],
                  note=f"{f.code} {f.severity}: {f.message}", severity=f.severity)
             for f in findings if f.cell and not marks_nothing(f)]
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
