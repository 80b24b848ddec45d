"""The numbers of the three-year plan, with where each figure comes from.

Plain data: built by :mod:`.build`, written by :mod:`.sheet` and :mod:`.confronto`,
exported by :mod:`.fdp`. Amounts are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..money import Cents
from .projections import Projection

TRIENNIAL_SHEET = "Triennale PDZ"

Per = Literal["area", "obiettivo"]
Year1Mode = Literal["dichiarati", "righe"]
"""How year 1 of a cost group is read from the workbook.

``dichiarati`` (default): what the document states for the group — its own typed total
(``TOTALE AREA ...`` / ``TOTALE OBIETTIVO n``), else its row in the workbook's triennial or
pluriennale table when that differs from the detail —, even where it differs from the
lines (the figure is then marked, see :class:`Flag`); a total that is a formula counts only
when its saved value equals its lines. Groups with no statement: the sum of their lines.
``righe``: always the sum of the lines.
In both modes an amount typed in the year-1 column of the projections table wins.
"""

SourceKind = Literal["righe", "dichiarato", "tabella", "proiezioni", "ricavi"]
Ref = tuple[str, int, Cents]
"""A cell added up with a sign and the cents it holds: ``("Sheet!C12", 1, 123456)``."""


@dataclass
class Flag:
    """A stated figure used for a group that differs from the group's lines."""

    severity: Literal["errore", "avviso"]  # avviso: within the rounding tolerance
    code: str  # the validation rule that reports it (PDZ201 totals, PDZ301 summaries)
    cell: str  # the stated cell
    stated: Cents
    lines: Cents

    @property
    def difference(self) -> Cents:
        """Stated − lines."""
        return self.stated - self.lines


@dataclass
class Source:
    """Where a figure comes from: cells added up (:data:`Ref`), or the projections table."""

    kind: SourceKind
    refs: list[Ref] = field(default_factory=list)
    note: str | None = None  # Italian, shown next to the row
    flag: Flag | None = None
    origin: str | None = None  # the table a «tabella» figure comes from


@dataclass
class Row:
    """One row of a table: a cost group or a revenue channel, its three years."""

    key: str  # "area:<label>", "obiettivo:<n>" or a channel code
    label: str
    years: list[Cents]
    source: Source
    projection: Projection
    balancing: bool = False
    comparison: Cents | None = None  # the comparison year, where the workbook has it
    comparison_source: Source | None = None
    absorbed: list[Cents] = field(default_factory=list)  # balancing: years 2, 3 beyond base

    @property
    def total(self) -> Cents:
        """The three-year total."""
        return sum(self.years)


@dataclass
class Triennial:
    """The three-year plan: costs per group, revenues per channel."""

    years: list[int]
    per: Per
    year1: Year1Mode
    costs: list[Row]
    revenues: list[Row]
    warnings: list[str] = field(default_factory=list)  # Italian, for the summary
    comparison_year: int | None = None
    ente: str = ""
    seeded_from: list[str] = field(default_factory=list)  # tables years 2-3 came from

    def total(self, rows: list[Row], k: int) -> Cents:
        """Column total of year index ``k`` (0, 1, 2)."""
        return sum(r.years[k] for r in rows)

    def cost_totals(self) -> list[Cents]:
        """Total costs per year."""
        return [self.total(self.costs, k) for k in range(3)]

    def revenue_totals(self) -> list[Cents]:
        """Total revenues per year."""
        return [self.total(self.revenues, k) for k in range(3)]

    def balance(self) -> list[Cents]:
        """Costs − revenues per year."""
        return [c - r for c, r in zip(self.cost_totals(), self.revenue_totals(), strict=True)]

    def balancing_row(self) -> Row | None:
        """The revenue channel that balances years 2 and 3, if any."""
        return next((r for r in self.revenues if r.balancing), None)

    def has_comparison(self) -> bool:
        """True when some cost group has a comparison-year figure."""
        return self.comparison_year is not None and \
            any(r.comparison is not None for r in self.costs)
