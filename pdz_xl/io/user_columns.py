"""Column widths of a user sheet: one ``<col>`` per column set, other columns untouched.

A ``<col min max>`` range that covers the column is split so only that column changes
(its style, hidden state and outline stay on every piece)."""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from ..cells import col_index
from .package import NS_MAIN
from .sheet_xml import child

_M = f"{{{NS_MAIN}}}"


def _split(cols: etree._Element, n: int) -> etree._Element:
    """The ``<col>`` of column ``n`` alone (split out of a range, or new)."""
    for col in list(cols):
        lo, hi = int(col.get("min", "0")), int(col.get("max", "0"))
        if not lo <= n <= hi:
            continue
        if lo == hi:
            return col
        pieces = [(a, b) for a, b in ((lo, n - 1), (n, n), (n + 1, hi)) if a <= b]
        index = cols.index(col)
        cols.remove(col)
        out = None
        for k, (a, b) in enumerate(pieces):
            piece = deepcopy(col)
            piece.set("min", str(a))
            piece.set("max", str(b))
            cols.insert(index + k, piece)
            if a == n:
                out = piece
        assert out is not None
        return out
    col = etree.Element(_M + "col", min=str(n), max=str(n))
    later = [c for c in cols if int(c.get("min", "0")) > n]
    if later:
        later[0].addprevious(col)
    else:
        cols.append(col)
    return col


def set_column_widths(root: etree._Element, widths: dict[str, float]) -> bool:
    """Set the widths (``"H" -> 14.5``) in a worksheet's XML; True when anything changed."""
    if not widths:
        return False
    cols = child(root, "cols")
    changed = False
    for letters, width in sorted(widths.items(), key=lambda kv: col_index(kv[0].upper())):
        col = _split(cols, col_index(letters.upper()))
        text = f"{width:g}"
        if col.get("width") != text or col.get("customWidth") != "1":
            col.set("width", text)
            col.set("customWidth", "1")
            changed = True
    return changed
