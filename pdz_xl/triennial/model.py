"""The numbers of the three-year plan, with where each year-1 figure comes from.

Plain data: built by :mod:`.build`, written by :mod:`.sheet`, exported by :mod:`.fdp`.
Amounts are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..money import Cents
from .projections import Projection

TRIENNIAL_SHEET = "Triennale PDZ"

Per = Literal["area", "obiettivo"]
Year1Mode = Literal["dichiarati", "righe"]
"""How year 1 of a cost group is read from the detail.

``dichiarati`` (default): the group's own stated total (``TOTALE AREA ...`` /
``TOTALE OBIETTIVO n``) when it is typed, as the document states it, even where it differs
from its lines; a total that is a formula counts only when its saved value equals its lines
(otherwise the lines are summed). Groups without a stated total: the sum of their lines.
``righe``: always the sum of the lines.
In both modes an «Anno 1» typed in the projections table wins.
"""

SourceKind = Literal["righe", "dichiarato", "proiezioni", "ricavi"]


@dataclass
class Source:
    """Where year 1 comes from: cells added up with a sign and the cents each holds
    (``("Sheet!C12", 1, 123456)``), or the «Anno 1» cell of the projections table."""

    kind: SourceKind
    refs: list[tuple[str, int, Cents]] = field(default_factory=list)
    note: str | None = None  # Italian, shown next to the row


@dataclass
class Row:
    """One row of a table: a cost group or a revenue channel, its three years."""

    key: str  # "area:<label>", "obiettivo:<n>" or a channel code
    label: str
    years: list[Cents]
    source: Source
    projection: Projection
    balancing: bool = False

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
