"""Read and write the plain ``SUM`` formulas of total rows."""

from __future__ import annotations

import re

from .cells import col_letters, parse_a1, parse_range, quote_sheet, split_sheet_ref

_SUM_RE = re.compile(r"^=\s*(?:SUM|SOMMA)\s*\((.*)\)\s*$", re.I | re.S)
_REF_RE = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z0-9_.]+)!)?"
    r"(?P<a>\$?[A-Z]{1,3}\$?[0-9]+)(?::(?P<b>\$?[A-Z]{1,3}\$?[0-9]+))?")

# a sheet before a cell, a range, whole columns (``VLOOKUP(x;Dettaglio!A:B;2)``) or in the
# text an INDIRECT builds (``INDIRECT("Dettaglio!B"&12)``)
_SHEET_RE = re.compile(r"(?P<sheet>'(?:[^']|'')+'|[A-Za-z0-9_.]+)!\$?[A-Za-z0-9]")

Area = tuple[str | None, int, int, int, int]  # sheet, r1, c1, r2, c2


def sum_areas(formula: str | None) -> list[Area] | None:
    """The areas a ``=SUM(...)`` adds up; None when the formula is something else."""
    if not formula:
        return None
    m = _SUM_RE.match(formula.strip())
    if not m:
        return None
    areas: list[Area] = []
    for part in _split_args(m.group(1)):
        rm = _REF_RE.fullmatch(part.strip())
        if not rm:
            return None
        sheet = rm.group("sheet")
        if sheet and sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        r1, c1, r2, c2 = parse_range(rm.group("a").replace("$", "") +
                                     (":" + rm.group("b").replace("$", "") if rm.group("b")
                                      else ""))
        areas.append((sheet, r1, c1, r2, c2))
    return areas


def _split_args(text: str) -> list[str]:
    sep = ";" if ";" in text and "," not in text else ","
    return [p for p in text.split(sep) if p.strip()]


def covers(areas: list[Area], ref: str, own_sheet: str) -> bool:
    """True when the cell ``Sheet!C12`` lies inside one of the areas."""
    sheet, cell = split_sheet_ref(ref)
    row, col = parse_a1(cell)
    for a_sheet, r1, c1, r2, c2 in areas:
        if (a_sheet or own_sheet) == sheet and r1 <= row <= r2 and c1 <= col <= c2:
            return True
    return False


def sum_formula(refs: list[str], own_sheet: str) -> str:
    """``=SUM(...)`` over cells given as ``Sheet!C12``, contiguous rows merged into ranges."""
    heads: dict[str, tuple[str, int]] = {}  # "Sheet!C" -> (sheet, column), parsed once
    found: set[tuple[str, int, int]] = set()
    for ref in refs:
        head = ref.rstrip("0123456789")
        where = heads.get(head)
        if where is None:
            sheet, cell = split_sheet_ref(ref)
            where = heads[head] = (sheet, parse_a1(cell.replace("$", ""))[1])
        found.add((where[0], where[1], int(ref[len(head):])))
    cells = sorted(found, key=lambda t: (t[0] != own_sheet, t[0], t[1], t[2]))
    parts: list[str] = []
    run: list[tuple[str, int, int]] = []

    def flush() -> None:
        if not run:
            return
        sheet, col, first = run[0]
        last = run[-1][2]
        prefix = "" if sheet == own_sheet else quote_sheet(sheet) + "!"
        letters = col_letters(col)
        parts.append(f"{prefix}{letters}{first}" + (f":{letters}{last}" if last != first else ""))
        run.clear()

    for sheet, col, row in cells:
        if run and (run[-1][0], run[-1][1]) == (sheet, col) and run[-1][2] + 1 == row:
            run.append((sheet, col, row))
        else:
            flush()
            run.append((sheet, col, row))
    flush()
    return "=SUM(" + ",".join(parts) + ")"


_AGG_RE = re.compile(
    r"^=\s*(?:SUM|SOMMA|SUBTOTAL|SUBTOTALE|AGGREGATE|AGGREGA)\s*\((.*)\)\s*$", re.I | re.S)
_FUNC_NUMBER_RE = re.compile(r"^\s*(9|109)\s*$")
_PLUS_CHAIN_RE = re.compile(
    r"^=\s*\+?\s*((?:'(?:[^']|'')+'!|[A-Za-z0-9_.]+!)?\$?[A-Z]{1,3}\$?[0-9]+)"
    r"(\s*\+\s*(?:'(?:[^']|'')+'!|[A-Za-z0-9_.]+!)?\$?[A-Z]{1,3}\$?[0-9]+)+\s*$")


def aggregate_areas(formula: str | None) -> list[Area] | None:
    """The areas a total formula adds up: ``SUM``/``SOMMA``, ``SUBTOTAL(9|109; ...)``, or a
    chain ``=B5+B6+B9``; None for any other formula (``=B5*2``, ``=B5-B6``, constants)."""
    if not formula:
        return None
    text = formula.strip()
    areas = sum_areas(text)
    if areas is not None:
        return areas
    m = _AGG_RE.match(text)
    if m:
        parts = _split_args(m.group(1))
        if parts and _FUNC_NUMBER_RE.match(parts[0]):
            return sum_areas("=SUM(" + ",".join(parts[1:]) + ")")
        return None
    if _PLUS_CHAIN_RE.match(text):
        return sum_areas("=SUM(" + ",".join(p.strip() for p in text.lstrip("=+ ").split("+"))
                         + ")")
    return None


def referenced_sheets(formula: str | None) -> set[str]:
    """The other sheets a formula reads (``='Obiettivo 1'!B20`` -> {Obiettivo 1})."""
    if not formula or "!" not in formula:
        return set()
    out = set()
    for m in _SHEET_RE.finditer(formula):
        sheet = m.group("sheet")
        if sheet:
            out.add(sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet)
    return out
