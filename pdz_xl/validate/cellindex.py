"""Find which known cells (line amounts, totals) lie inside the areas of a formula."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from ..cells import parse_a1, split_sheet_ref
from ..formula_refs import Area

T = TypeVar("T")
_DIGITS = "0123456789"


class CellIndex(Generic[T]):
    """Cells ``Sheet!C12`` with a payload, queried by rectangular areas (bisect by row)."""

    def __init__(self, items: Iterable[tuple[str, T]] = (),
                 positions: Iterable[tuple[str, int, int, T]] = ()) -> None:
        """Index cells given as ``("Sheet!C12", payload)`` and/or as
        ``(sheet, col, row, payload)`` (cheaper: nothing to parse)."""
        cols: dict[tuple[str, int], list[tuple[int, T]]] = defaultdict(list)
        prefixes: dict[str, tuple[str, int]] = {}  # "Sheet!C" -> (sheet, 3)
        for ref, payload in items:
            head = ref.rstrip(_DIGITS)
            where = prefixes.get(head)
            if where is None:
                sheet, cell = split_sheet_ref(ref)
                where = prefixes[head] = (sheet, parse_a1(cell.replace("$", ""))[1])
            cols[where].append((int(ref[len(head):]), payload))
        for sheet, col, row, payload in positions:
            cols[(sheet, col)].append((row, payload))
        self._rows: dict[tuple[str, int], list[int]] = {}
        self._payloads: dict[tuple[str, int], list[T]] = {}
        for key, entries in cols.items():
            entries.sort(key=lambda e: e[0])
            self._rows[key] = [r for r, _ in entries]
            self._payloads[key] = [p for _, p in entries]
        self._cols_by_sheet: dict[str, list[int]] = defaultdict(list)
        for sheet, col in self._rows:
            self._cols_by_sheet[sheet].append(col)

    def inside(self, areas: list[Area], own_sheet: str) -> Iterator[T]:
        """Payloads of the cells inside any of the areas (once per area that holds them)."""
        for a_sheet, r1, c1, r2, c2 in areas:
            sheet = a_sheet or own_sheet
            for col in self._cols_by_sheet.get(sheet, ()):
                if not c1 <= col <= c2:
                    continue
                rows = self._rows[(sheet, col)]
                lo, hi = bisect_left(rows, r1), bisect_right(rows, r2)
                yield from self._payloads[(sheet, col)][lo:hi]
