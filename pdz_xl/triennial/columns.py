"""Where each figure goes in «Triennale PDZ»: the columns, with or without the comparison
year, their headers and widths."""

from __future__ import annotations

from dataclasses import dataclass

from ..cells import col_letters
from .model import Triennial

PCT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Columns:
    """Column letters of the triennial table."""

    previous: str | None  # the comparison year
    years: tuple[str, str, str]
    variation: str | None  # year 1 against the comparison year, %
    total: str  # TRIENNIO
    share: str  # share of the triennio, %
    note: str  # source of year 1 and notes

    @property
    def last(self) -> str:
        return self.note

    @property
    def all(self) -> list[str]:
        """Every column after the label one, in order."""
        cols = [self.previous, self.years[0], self.variation, *self.years[1:], self.total,
                self.share, self.note]
        return [c for c in cols if c]


def columns_for(data: Triennial) -> Columns:
    """The columns of ``data``'s sheet (comparison year only where the workbook has it)."""
    letters = iter(col_letters(i) for i in range(2, 12))
    previous = next(letters) if data.has_comparison() else None
    first = next(letters)
    variation = next(letters) if previous else None
    second, third = next(letters), next(letters)
    return Columns(previous, (first, second, third), variation, next(letters), next(letters),
                   next(letters))


def headers(data: Triennial, cols: Columns, title: str) -> dict[str, str]:
    """Column letter -> header text."""
    y = data.years
    out = {"A": title, cols.years[0]: f"ANNO {y[0]}", cols.years[1]: f"ANNO {y[1]}",
           cols.years[2]: f"ANNO {y[2]}", cols.total: "TRIENNIO",
           cols.share: "QUOTA %", cols.note: "FONTE E NOTE"}
    if cols.previous:
        out[cols.previous] = f"ANNO {data.comparison_year}"
        out[cols.variation] = "VAR. %"  # type: ignore[index]
    return out


def widths(cols: Columns) -> dict[str, float]:
    """Column widths (characters)."""
    out = {"A": 40.0, cols.total: 18.0, cols.share: 9.0, cols.note: 44.0}
    for c in (*cols.years, cols.previous):
        if c:
            out[c] = 17.0
    if cols.variation:
        out[cols.variation] = 9.0
    return out
