"""Writing office layouts by hand from the oracle rows: the nested titles over the voci
(area → servizio → azione, or obiettivo → azione), header rows, the figures as cells.

The nesting is one loop; what differs from layout to layout — where a title goes, what a
line's cells are, what closes a group (a total, a merge) — is a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

from tests.support.oracles import rows

CHANNELS = ("FNPS", "FSOL", "FSR", "COMUNI", "ATS", "AVANZO_VINCOLATO",
            "AVANZO_NON_VINCOLATO", "ALTRI_FONDI_PROGETTUALI")
BOLD = Font(bold=True)
OBIETTIVO = ("obiettivo_n", "obiettivo")
PO_LEVELS = (OBIETTIVO, "azione")
PP_LEVELS = ("area", "servizio", "azione")

Level = str | tuple[str, ...]


def num(text: str) -> float | None:
    """A CSV amount as the number a cell holds; None for an empty one."""
    return float(Decimal(text)) if text else None


def column_sum(lines: Iterable[dict], key: str) -> Decimal:
    """The sum of one column of the rows, empty cells as zero."""
    return sum((Decimal(x[key] or 0) for x in lines), Decimal(0))


def used_channels(lines: list[dict]) -> list[str]:
    """The channels with an amount on some row, in their order."""
    return [c for c in CHANNELS if any(r[c] for r in lines)]


def write_headers(ws, row: int, names: Iterable[str], first_col: int = 1) -> None:
    """A header row in bold (an empty name leaves its cell empty)."""
    for c, name in enumerate(names, start=first_col):
        if name:
            ws.cell(row, c, name).font = BOLD


@dataclass
class Group:
    """One heading's group: the rows sharing ``key`` on ``level`` inside ``outer``."""

    level: Level
    key: Any
    outer: tuple[Group, ...]
    at: tuple[int, ...]  # 1-based position at each level, outermost first
    lines: list[dict]
    first_row: int  # the row of its heading (its first row when it has none)


# A callback writes at a row and returns how many rows it took (None: one).
Heading = Callable[[Any, int, Group], int | None]
LineWriter = Callable[[Any, int, dict, tuple[int, ...]], int | None]


def _rows(taken: int | None) -> int:
    return 1 if taken is None else taken


def write_hierarchy(ws, lines: Iterable[dict], start_row: int, write_line: LineWriter, *,
                    heading: Heading | None = None, levels: Iterable[Level] = PP_LEVELS,
                    footers: Mapping[Level, Heading] | None = None) -> int:
    """Each level's heading over its group, then its lines, then the group's footer (a
    total, a merge); ``write_line(ws, row, line, at)`` writes a line's cells. The heading
    is ``bold_heading()`` unless given. Returns the next free row."""
    levels = tuple(levels)
    heading = heading or bold_heading()
    footers = footers or {}

    def key_of(level: Level) -> Callable[[dict], Any]:
        if isinstance(level, tuple):
            return lambda x: tuple(x[k] for k in level)
        return lambda x: x[level]

    def write(rows_in: list[dict], depth: int, outer: tuple[Group, ...],
              at: tuple[int, ...], row: int) -> int:
        if depth == len(levels):
            for j, line in enumerate(rows_in, 1):
                row += _rows(write_line(ws, row, line, (*at, j)))
            return row
        level = levels[depth]
        for k, (key, group_rows) in enumerate(groupby(rows_in, key=key_of(level)), 1):
            group = Group(level, key, outer, (*at, k), list(group_rows), row)
            row += _rows(heading(ws, row, group))
            row = write(group.lines, depth + 1, (*outer, group), group.at, row)
            if level in footers:
                row += _rows(footers[level](ws, row, group))
        return row

    return write(list(lines), 0, (), (), start_row)


def bold_heading(col: int = 1, *, title: Callable[[Group], str] | None = None,
                 skip: Iterable[Level] = ()) -> Heading:
    """A heading in bold in ``col``: the group's value, or ``title(group)``; none for an
    empty value or a level in ``skip``."""
    skip = tuple(skip)

    def heading(ws, row: int, group: Group) -> int | None:
        if group.level in skip or not group.key:
            return 0
        ws.cell(row, col, title(group) if title else group.key).font = BOLD
        return None

    return heading


def obiettivo_title(sep: str = " - ") -> Callable[[Group], str]:
    """«OBIETTIVO n - name» for an obiettivo, the value itself for the other levels."""
    return lambda g: f"OBIETTIVO {g.key[0]}{sep}{g.key[1]}" if g.level == OBIETTIVO else g.key


def channel_columns(channels: Iterable[str], first_col: int) -> dict[int, str]:
    """The channels' columns, one after the other from ``first_col``."""
    return dict(enumerate(channels, start=first_col))


def line_cells(voce_col: int = 1, amounts: Mapping[int, str] | None = None,
               channels: Mapping[int, str] | None = None) -> LineWriter:
    """A line's cells: the voce, each ``amounts`` column (col → CSV key) even when empty,
    each ``channels`` column only when the line has an amount there."""
    amounts = amounts or {}
    channels = channels or {}

    def write_line(ws, row: int, line: dict, at: tuple[int, ...] = ()) -> None:
        ws.cell(row, voce_col, line["voce"])
        for c, key in amounts.items():
            ws.cell(row, c, num(line[key]))
        for c, key in channels.items():
            if line[key]:
                ws.cell(row, c, num(line[key]))

    return write_line


def pp_lines(*tables: int) -> list[dict]:
    """The 2021 plan's lines of the given tables, in their order."""
    return [r for r in rows("pp2021_lines.csv") if int(r["tabella"]) in tables]


def po_lines(n_max: int) -> list[dict]:
    """The 2018 piano operativo's lines of the obiettivi 1 to ``n_max``."""
    return [x for x in rows("po2018_lines.csv") if int(x["obiettivo_n"]) <= n_max]


def new_book(title: str):
    """A workbook and its first sheet, named ``title``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    return wb, ws


def save_book(wb, path: Path) -> Path:
    """Save and return the path, to read it at once."""
    wb.save(path)
    return path
