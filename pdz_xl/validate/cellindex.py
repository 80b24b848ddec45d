"""Find which known cells (line amounts, totals) lie inside the areas of a formula."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from operator import gt
from typing import Generic, TypeVar

from ..cells import parse_a1, split_sheet_ref
from ..formula_refs import Area

T = TypeVar("T")
_DIGITS = "0123456789"


class CellIndex(Generic[T]):
    """Cells ``Sheet!C12`` with a payload, queried by rectangular areas (bisect by row)."""

    def __init__(self, items: Iterable[tuple[str, T]] = (),
                 positions: Iterable[tuple[str, int, int, T]] = (),
                 runs: Iterable[tuple[str, int, Sequence[int], Sequence[T]]] = ()) -> None:
        """Index cells given as ``("Sheet!C12", payload)``, as ``(sheet, col, row,
        payload)`` (cheaper: nothing to parse) and/or as runs ``(sheet, col, rows,
        payloads)`` of one column (cheapest)."""
        cols: dict[tuple[str, int], tuple[list[int], list[T]]] = {}
        prefixes: dict[str, tuple[str, int]] = {}  # "Sheet!C" -> (sheet, 3)
        for ref, payload in items:
            head = ref.rstrip(_DIGITS)
            where = prefixes.get(head)
            if where is None:
                sheet, cell = split_sheet_ref(ref)
                where = prefixes[head] = (sheet, parse_a1(cell.replace("$", ""))[1])
            rows, payloads = cols.setdefault(where, ([], []))
            rows.append(int(ref[len(head):]))
            payloads.append(payload)
        for sheet, col, row, payload in positions:
            rows, payloads = cols.setdefault((sheet, col), ([], []))
            rows.append(row)
            payloads.append(payload)
        for sheet, col, run_rows, run_payloads in runs:
            rows, payloads = cols.setdefault((sheet, col), ([], []))
            rows.extend(run_rows)
            payloads.extend(run_payloads)
        self._rows: dict[tuple[str, int], list[int]] = {}
        self._payloads: dict[tuple[str, int], list[T]] = {}
        for key, (rows, payloads) in cols.items():
            if any(map(gt, rows, islice(rows, 1, None))):  # stable sort by row
                order = sorted(range(len(rows)), key=rows.__getitem__)
                rows = [rows[i] for i in order]
                payloads = [payloads[i] for i in order]
            self._rows[key] = rows
            self._payloads[key] = payloads
        self._cols_by_sheet: dict[str, list[int]] = defaultdict(list)
        for sheet, col in self._rows:
            self._cols_by_sheet[sheet].append(col)

    def inside(self, areas: list[Area], own_sheet: str) -> Iterator[T]:
        """Payloads of the cells inside any of the areas (once per area that holds them)."""
        return chain.from_iterable(self._slices(areas, own_sheet))

    def _slices(self, areas: list[Area], own_sheet: str) -> Iterator[list[T]]:
        for a_sheet, r1, c1, r2, c2 in areas:
            sheet = a_sheet or own_sheet
            for col in self._cols_by_sheet.get(sheet, ()):
                if not c1 <= col <= c2:
                    continue
                rows = self._rows[(sheet, col)]
                lo, hi = bisect_left(rows, r1), bisect_right(rows, r2)
                yield self._payloads[(sheet, col)][lo:hi]
