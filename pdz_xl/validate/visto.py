"""«Visto»: findings the office has seen and accepted, kept across runs.

The «Controlli PDZ» sheet has a «Visto» column (and «Motivo»): a row marked there (any
text but «no») is read back before the sheet is written again; the same finding — same
rule code, same cell, same difference in cents — keeps the mark and its reason, stays
listed, and no longer counts as an errore or avviso (:func:`~.engine.counts`). A finding
whose amount changed is a new finding: it is reported again.
"""

from __future__ import annotations

from ..findings import Finding
from ..grid import WorkbookGrid
from ..money import AmountError, cents_from_number

Key = tuple[str, str, int | None]  # code, cell (upper case, no $), difference in cents

VISTO_HEADER = "Visto"
REASON_HEADER = "Motivo"
_NOT_SEEN = {"", "no", "n"}


def finding_key(f: Finding) -> Key:
    """How a finding is recognised across runs."""
    return (f.code, (f.cell or "").replace("$", "").upper(), f.difference)


def _cents(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return cents_from_number(value)
        except AmountError:
            return None
    return None


def read_visti(grid: WorkbookGrid | None, sheet_name: str) -> dict[Key, str]:
    """Key -> reason of the rows marked «visto» in the report sheet as it is now."""
    sheet = grid.sheet(sheet_name) if grid is not None else None
    if sheet is None:
        return {}
    header_row, cols = None, {}
    for r, cells in sheet.iter_rows():
        texts = {str(c.value).strip(): col for col, c in cells.items()
                 if isinstance(c.value, str)}
        if "Codice" in texts and VISTO_HEADER in texts:
            header_row, cols = r, texts
            break
    if header_row is None:
        return {}
    out: dict[Key, str] = {}
    for r, cells in sheet.iter_rows():
        if r <= header_row:
            continue

        def value(name: str, cells=cells) -> object:
            c = cells.get(cols.get(name, -1))
            return None if c is None else c.value

        seen = str(value(VISTO_HEADER) or "").strip()
        code = str(value("Codice") or "").strip()
        if seen.casefold() in _NOT_SEEN or not code:
            continue
        cell = str(value("Cella") or "").replace("$", "").upper()
        reason = str(value(REASON_HEADER) or "").strip()
        out[(code, cell, _cents(value("Differenza €")))] = reason
    return out


def apply_visti(findings: list[Finding], visti: dict[Key, str]) -> list[Finding]:
    """The findings, those marked «visto» carrying their reason."""
    if not visti:
        return findings
    return [f.model_copy(update={"visto": visti[finding_key(f)]})
            if finding_key(f) in visti else f for f in findings]
