"""A1-style cell addresses: column letters, ``Sheet!A12`` references, quoting."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

_A1_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")


@lru_cache(maxsize=4096)
def col_letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    if col < 1:
        raise ValueError(f"colonna non valida: {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=4096)
def col_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def a1(row: int, col: int) -> str:
    """(12, 1) -> A12."""
    return f"{col_letters(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """A12 -> (12, 1); accepts $ anchors."""
    m = _A1_RE.match(ref.strip())
    if not m:
        raise ValueError(f"riferimento di cella non valido: {ref}")
    return int(m.group(2)), col_index(m.group(1))


def quote_sheet(name: str) -> str:
    """Quote a sheet name for a formula when needed: Foglio 1 -> 'Foglio 1'."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) and not _A1_RE.match(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def sheet_ref(sheet: str, row: int, col: int) -> str:
    """Human/JSON reference ``Sheet!A12`` (sheet name not quoted)."""
    return f"{sheet}!{a1(row, col)}"


def formula_ref(sheet: str, row: int, col: int, absolute: bool = False) -> str:
    """Reference usable inside a formula: ``'Area 1'!C12``."""
    letters = col_letters(col)
    cell = f"${letters}${row}" if absolute else f"{letters}{row}"
    return f"{quote_sheet(sheet)}!{cell}"


def split_sheet_ref(ref: str) -> tuple[str, str]:
    """``Sheet!A12`` or ``'My sheet'!A12`` -> (sheet, A12)."""
    sheet, _, cell = ref.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cell


def range_a1(r1: int, c1: int, r2: int, c2: int) -> str:
    """(1,1,3,2) -> A1:B3."""
    return f"{a1(r1, c1)}:{a1(r2, c2)}"


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """A1:B3 -> (1, 1, 3, 2); a single cell gives a 1x1 range."""
    left, _, right = ref.partition(":")
    r1, c1 = parse_a1(left)
    r2, c2 = parse_a1(right) if right else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class RowCells(Mapping):
    """The cells of one row's amounts, ``key -> Sheet!<col><row>``, written when asked.

    A line's ``amount_cells`` and ``channel_cells`` are the same columns on every line of
    its table: the table shares one ``key -> "Sheet!<col>"`` dict and each line keeps its
    row only (about 650 bytes a line less than dicts of strings). Read-only, equal to the
    dict of the same cells; ``dict(cells)`` gives that dict.
    """

    __slots__ = ("_prefixes", "_row")

    def __init__(self, prefixes: dict, row: int) -> None:
        self._prefixes = prefixes
        self._row = row

    def __getitem__(self, key) -> str:
        return self._prefixes[key] + str(self._row)

    def get(self, key, default=None):
        prefix = self._prefixes.get(key)
        return default if prefix is None else prefix + str(self._row)

    def __contains__(self, key) -> bool:
        return key in self._prefixes

    def __iter__(self) -> Iterator:
        return iter(self._prefixes)

    def __len__(self) -> int:
        return len(self._prefixes)

    def keys(self):
        return self._prefixes.keys()

    def values(self) -> list[str]:
        rs = str(self._row)
        return [p + rs for p in self._prefixes.values()]

    def items(self) -> list[tuple[object, str]]:
        rs = str(self._row)
        return [(k, p + rs) for k, p in self._prefixes.items()]

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def as_dict(cells: Mapping) -> dict:
    """A cells mapping as a plain dict (for JSON and pydantic's serializer)."""
    return cells if type(cells) is dict else dict(cells.items())
