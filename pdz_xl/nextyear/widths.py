"""Column widths of a workbook file, for the columns the new year appends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..io.package import NS_MAIN, Package

Widths = Callable[[str, int], float | None]
"""(sheet, column) -> width in characters, None when the column has the default width."""


def file_widths(path: str | Path) -> Widths:
    """A :data:`Widths` reading the ``<cols>`` of the sheets of ``path`` (each sheet once)."""
    cache: dict[str, dict[int, float]] = {}

    def width(sheet: str, col: int) -> float | None:
        if sheet not in cache:
            cache[sheet] = {}
            pkg = Package(path)
            try:
                entry = pkg.sheet(sheet)
                if entry is not None:
                    root = pkg.xml(entry.part)
                    for el in root.iter(f"{{{NS_MAIN}}}col"):
                        if el.get("width") is None:
                            continue
                        lo, hi = int(el.get("min", "0")), int(el.get("max", "0"))
                        for c in range(lo, min(hi, lo + 200) + 1):
                            cache[sheet][c] = float(el.get("width"))
            finally:
                pkg.close()
        return cache[sheet].get(col)

    return width
