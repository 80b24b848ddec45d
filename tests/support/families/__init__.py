"""Budget workbooks laid out the way other offices lay them out, with the reading they must give.

From the oracle figures of ../shared/data this package writes workbooks in many layout
families (``FAMILIES``: the documents' own schede, flat lists, long exports, two-row headers,
Excel Tables, outlines, staircases, totals above / below / on their headings, side-by-side
tables, a sheet per obiettivo with a summary, Italian year words, text amounts …) and
returns with each the ``Expected`` reading: lines in reading order with their paths,
amounts and channel split, every stated total, the validation findings of the documents'
slips, the reading notes the layout may legitimately raise.

- ``build(family, path) -> Expected``: write one family's workbook.
- ``generate(family, path) -> Generated``: the same with the generator's own account of
  every cell it wrote (``Manifest``), which :func:`selfcheck.verify` holds against the file.
- ``Layout`` and ``WideBuilder``: the knobs of the generic builder, for property tests.

The generator is right on its own (tests/test_layout_families_generator.py reopens every
workbook with openpyxl); the reader is what the families test.
"""

from __future__ import annotations

from pathlib import Path

from .expected import Expected, ExpectedFinding, ExpectedTotal, Generated, Manifest
from .layout import Layout
from .registry import FAMILIES, Family
from .wide import WideBuilder

__all__ = ["FAMILIES", "Expected", "ExpectedFinding", "ExpectedTotal", "Family", "Generated",
           "Layout", "Manifest", "WideBuilder", "build", "generate"]


def generate(family: str, path: Path) -> Generated:
    """Write ``family``'s workbook at ``path``; the reading and the generator's account."""
    return FAMILIES[family].generate(Path(path))


def build(family: str, path: Path) -> Expected:
    """Write ``family``'s workbook at ``path`` and return what a correct reader finds."""
    return generate(family, path).expected
