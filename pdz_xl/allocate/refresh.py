"""Keep formula caches true: plain ``SUM`` formulas over cells the allocation writes (e.g. a
TOTALE row under a channel column) are written again with their new cached value, also
when they add up other such formulas. Other formulas are left to the spreadsheet's own
recalculation on opening."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from ..cells import a1, parse_a1
from ..changeset import CellWrite
from ..formula_refs import Area, sum_areas
from ..grid import SheetGrid, WorkbookGrid
from ..money import AmountError, cents_from_number, to_decimal

Key = tuple[str, int, int]  # sheet (casefolded), row, col
_SMALL_AREA = 65_536  # cells: walked one by one; larger areas: the cells present in them


def _cents(value: object) -> int:
    """What SUM adds for a cell: numbers; text, logicals and blanks count as zero."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return cents_from_number(value)
        except AmountError:
            return 0
    return 0


class _Index:
    """Written cells per (sheet, column), as sorted rows, for area look-ups."""

    def __init__(self, keys: set[Key]) -> None:
        rows: dict[tuple[str, int], list[int]] = defaultdict(list)
        for sheet, row, col in keys:
            rows[(sheet, col)].append(row)
        self.rows = {k: sorted(v) for k, v in rows.items()}

    def hits(self, sheet: str, area: Area) -> bool:
        _, r1, c1, r2, c2 = area
        for col in range(c1, c2 + 1):
            rows = self.rows.get((sheet, col))
            if rows:
                k = bisect_left(rows, r1)
                if k < len(rows) and rows[k] <= r2:
                    return True
        return False


def _area_total(sheet: SheetGrid | None, name: str, area: Area,
                overlay: dict[Key, int]) -> int:
    """What SUM adds over one area: the cells present in it (the grid's, with this
    run's writes on top), never a walk over the area itself (``A1:XFD1048576`` is 17
    billion cells)."""
    _, r1, c1, r2, c2 = area
    total = 0
    if (r2 - r1 + 1) * (c2 - c1 + 1) <= _SMALL_AREA:  # the common SUM(B4:B10)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                k = (name, r, c)
                if k in overlay:
                    total += overlay[k]
                elif sheet is not None:
                    total += _cents(sheet.value(r, c))
        return total
    if sheet is not None:
        for r, cells in sheet.rows.items():
            if r1 <= r <= r2:
                for c, cell in cells.items():
                    if c1 <= c <= c2 and (name, r, c) not in overlay:
                        total += _cents(cell.value)
    for (s, r, c), cents in overlay.items():
        if s == name and r1 <= r <= r2 and c1 <= c <= c2:
            total += cents
    return total


def refreshed_sums(grid: WorkbookGrid, written: dict[str, dict[str, int | None]]
                   ) -> dict[str, list[CellWrite]]:
    """Writes for the SUM formulas whose inputs change (``written``: sheet -> A1 -> cents,
    None for a cleared cell), with their new cached values."""
    names = {s.name.casefold(): s for s in grid.sheets}
    overlay: dict[Key, int] = {}
    for sheet, cells in written.items():
        for ref, cents in cells.items():
            row, col = parse_a1(ref)
            overlay[(sheet.casefold(), row, col)] = cents or 0
    formulas: list[tuple[Key, str, list[Area]]] = []
    for s in grid.sheets:
        for row, cells in s.iter_rows():
            for col, cell in cells.items():
                areas = sum_areas(cell.formula) if cell.formula else None
                if areas:
                    formulas.append(((s.name.casefold(), row, col), cell.formula, areas))
    out: dict[Key, tuple[str, int]] = {}
    changed = set(overlay)
    for _ in range(16):  # sums of sums: a few levels at most
        index = _Index(changed)
        changed = set()
        for key, formula, areas in formulas:
            own = key[0]
            if not any(index.hits((a[0] or own).casefold(), a) for a in areas):
                continue
            total = sum(_area_total(names.get((a[0] or own).casefold()),
                                    (a[0] or own).casefold(), a, overlay) for a in areas)
            sheet_now = names[own]
            now = overlay.get(key, _cents(sheet_now.value(key[1], key[2])))
            if now != total:
                overlay[key] = total
                out[key] = (formula, total)
                changed.add(key)
        if not changed:
            break
    writes: dict[str, list[CellWrite]] = {}
    for (sheet, row, col), (formula, total) in sorted(out.items()):
        name = names[sheet].name
        writes.setdefault(name, []).append(
            CellWrite(cell=a1(row, col), formula=formula, value=to_decimal(total)))
    return writes
