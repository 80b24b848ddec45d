"""Formulas that add up detail cells, within Excel's limits.

Contiguous cells of one column become ranges. Excel accepts at most 255 arguments per
function and 8,192 characters per formula: a longer sum is split into partial sums
(each written in its own cell by the sheet writer) that the row then adds up.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cells import col_letters, parse_a1, quote_sheet, split_sheet_ref
from ..money import Cents

MAX_ARGS = 200
MAX_CHARS = 4000


@dataclass
class Part:
    """A cell or range with its sign and the cents it contributes (signed)."""

    text: str  # 'Sheet'!C5 or 'Sheet'!C5:C9
    sign: int
    cents: Cents

    @property
    def term(self) -> str:
        """The part as a signed term (a range wrapped in SUM)."""
        body = f"SUM({self.text})" if ":" in self.text else self.text
        return ("-" if self.sign < 0 else "+") + body


def parts(refs: list[tuple[str, int, Cents]]) -> list[Part]:
    """Merge ``(Sheet!C12, sign, cents)`` into ranges of consecutive rows, keeping order
    of first appearance per sheet and column."""
    runs: list[tuple[str, int, int, int, int, Cents]] = []  # sheet, col, first, last, sign
    for ref, sign, cents in refs:
        sheet, cell = split_sheet_ref(ref)
        row, col = parse_a1(cell.replace("$", ""))
        if runs:
            s, c, first, last, sg, total = runs[-1]
            if (s, c, sg) == (sheet, col, sign) and row == last + 1:
                runs[-1] = (s, c, first, row, sg, total + cents)
                continue
        runs.append((sheet, col, row, row, sign, cents))
    out = []
    for sheet, col, first, last, sign, cents in runs:
        letters = col_letters(col)
        text = f"{quote_sheet(sheet)}!{letters}{first}" + \
            (f":{letters}{last}" if last != first else "")
        out.append(Part(text, sign, cents))
    return out


def sum_of(items: list[Part]) -> str:
    """``=SUM(a,b:c)`` when every part adds, ``=a+SUM(b)-c`` otherwise, ``=a`` for one cell."""
    if all(p.sign > 0 for p in items):
        if len(items) == 1 and ":" not in items[0].text:
            return "=" + items[0].text
        return "=SUM(" + ",".join(p.text for p in items) + ")"
    return "=" + "".join(p.term for p in items).lstrip("+")


def fits(items: list[Part]) -> bool:
    """True when one formula can add these parts up within Excel's limits."""
    return len(items) <= MAX_ARGS and len(sum_of(items)) <= MAX_CHARS


def chunks(items: list[Part]) -> list[list[Part]]:
    """Consecutive groups of parts, each within the limits."""
    out: list[list[Part]] = [[]]
    size = 0
    for p in items:
        if out[-1] and (len(out[-1]) >= MAX_ARGS or size + len(p.text) + 8 > MAX_CHARS):
            out.append([])
            size = 0
        out[-1].append(p)
        size += len(p.text) + 1
    return out
