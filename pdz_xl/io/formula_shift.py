"""Translate the relative references of a formula, as Excel does for shared formulas.

A shared formula is stored once, in its master cell; every dependent cell means the same
formula moved by its offset. When the master is overwritten, each dependent gets its own
copy, translated here. String literals, quoted sheet names, structured references
(``Tabella1[[#Questa riga],[Col]]``), function and defined names are left alone;
``$``-anchored parts do not move; a reference moved off the sheet becomes ``#REF!``.
"""

from __future__ import annotations

import re

from ..cells import col_index, col_letters

MAX_ROW = 1_048_576
MAX_COL = 16_384

_TOKEN = re.compile(r"""
    (?P<string>"(?:[^"]|"")*")
  | (?P<quoted>'(?:[^']|'')*')
  | (?P<colrange>(?P<c1a>\$?)(?P<c1>[A-Za-z]{1,3}):(?P<c2a>\$?)(?P<c2>[A-Za-z]{1,3})
        (?![A-Za-z0-9_.(\[]))
  | (?P<rowrange>(?P<r1a>\$?)(?P<r1>[0-9]+):(?P<r2a>\$?)(?P<r2>[0-9]+)(?![0-9A-Za-z_.(]))
  | (?P<cell>(?P<ca>\$?)(?P<col>[A-Za-z]{1,3})(?P<ra>\$?)(?P<row>[0-9]+)(?![0-9A-Za-z_.(\[]))
  | (?P<name>[A-Za-z_\\][A-Za-z0-9_.\\?]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[Ee][+-]?[0-9]+)?)
""", re.X)


def _bracket_end(text: str, start: int) -> int:
    """Index after the ``]`` closing the ``[`` at ``start`` (nesting allowed)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _col(anchor: str, letters: str, dcol: int) -> str | None:
    n = col_index(letters.upper()) + (0 if anchor else dcol)
    return f"{anchor}{col_letters(n)}" if 1 <= n <= MAX_COL else None


def _row(anchor: str, digits: str, drow: int) -> str | None:
    n = int(digits) + (0 if anchor else drow)
    return f"{anchor}{n}" if 1 <= n <= MAX_ROW else None


def _moved(m: re.Match[str], drow: int, dcol: int) -> str:
    kind = m.lastgroup
    if kind == "cell":
        col = _col(m["ca"], m["col"], dcol)
        row = _row(m["ra"], m["row"], drow)
        return f"{col}{row}" if col and row else "#REF!"
    if kind == "colrange":
        a, b = _col(m["c1a"], m["c1"], dcol), _col(m["c2a"], m["c2"], dcol)
        return f"{a}:{b}" if a and b else "#REF!"
    r1, r2 = _row(m["r1a"], m["r1"], drow), _row(m["r2a"], m["r2"], drow)
    return f"{r1}:{r2}" if r1 and r2 else "#REF!"


def shift_formula(formula: str, drow: int, dcol: int) -> str:
    """``formula`` (without "=") moved by ``drow`` rows and ``dcol`` columns."""
    out: list[str] = []
    i = 0
    while i < len(formula):
        if formula[i] == "[":
            end = _bracket_end(formula, i)
            out.append(formula[i:end])
            i = end
            continue
        m = _TOKEN.match(formula, i)
        if m is None:
            out.append(formula[i])
            i += 1
            continue
        if m.lastgroup in ("cell", "colrange", "rowrange"):
            out.append(_moved(m, drow, dcol))
        else:
            out.append(m.group(0))
        i = m.end()
    return "".join(out)
