"""Plans built by hand for rule-level tests: no workbook, no detection, just the contract.

``PlanBuilder`` places lines in column C (plan year) of a sheet, one per row, with an
optional channel split in D.., and adds totals, revenue rows and summaries whose cells
follow the same simple layout, so tests state amounts and read findings by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdz_xl.cells import col_letters
from pdz_xl.plan import (
    Group,
    Line,
    Plan,
    ReadNote,
    RevenueItem,
    StatedTotal,
    SummaryRow,
    SummaryTable,
    Table,
)

YEAR = 2021


@dataclass
class PlanBuilder:
    """Accumulates the parts of a Plan; ``build()`` returns it."""

    sheet: str = "Costi"
    channels: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    totals: list[StatedTotal] = field(default_factory=list)
    revenues: list[RevenueItem] = field(default_factory=list)
    summaries: list[SummaryTable] = field(default_factory=list)
    notes: list[ReadNote] = field(default_factory=list)
    row: int = 2

    def line(self, voce: str, amount: int | None, split: dict[str, int | None] | None = None,
             azione: str = "Azione 1: Prova") -> int:
        """A line in the next row; returns its id."""
        r = self.row
        self.row += 1
        cols = {code: col_letters(4 + i) for i, code in enumerate(self.channels)}
        split = split or {}
        groups = [Group(level="area", label="AREA PROVA", text="AREA PROVA"),
                  Group(level="azione", label=azione.split(": ")[-1], number=1, text=azione)]
        self.lines.append(Line(
            id=len(self.lines), cell=f"{self.sheet}!A{r}", sheet=self.sheet, row=r, table=1,
            path=["AREA PROVA", azione], groups=groups, voce=voce,
            amounts={YEAR: amount}, amount_cells={YEAR: f"{self.sheet}!C{r}"},
            channels={c: split.get(c) for c in self.channels},
            channel_cells={c: f"{self.sheet}!{cols[c]}{r}" for c in self.channels}))
        return len(self.lines) - 1

    def total(self, label: str, amount: int, line_ids: list[int],
              formula: str | None = None) -> str:
        """A TOTALE row in the next row; returns its amount cell."""
        r = self.row
        self.row += 1
        cell = f"{self.sheet}!C{r}"
        self.totals.append(StatedTotal(
            id=len(self.totals), cell=f"{self.sheet}!A{r}", sheet=self.sheet, row=r,
            label=label, level="area", path=["AREA PROVA"], line_ids=line_ids,
            amounts={YEAR: amount}, amount_cells={YEAR: cell}, formulas={YEAR: formula},
            table=1))
        return cell

    def revenue(self, label: str, kind: str, amount: int | None, channel: str | None = None,
                covers: list[int] | None = None, deducts: list[int] | None = None,
                amounts: dict[int, int | None] | None = None, sheet: str = "Entrate") -> int:
        """A revenue row (row = id + 2 of sheet ``sheet``); returns its id."""
        rid = len(self.revenues)
        r = rid + 2
        self.revenues.append(RevenueItem(
            id=rid, cell=f"{sheet}!A{r}", sheet=sheet, row=r, label=label, kind=kind,
            channel=channel, amount=amount, amount_cell=f"{sheet}!B{r}",
            amounts=amounts or {},
            amount_cells={y: f"{sheet}!{col_letters(2 + i)}{r}"
                          for i, y in enumerate(sorted(amounts or {}))},
            covers=covers or [], deducts=deducts or []))
        return rid

    def summary(self, kind: str, sheet: str, columns: list[str],
                rows: list[tuple[str, list[int | None], str | None]]) -> None:
        """A summary table with rows (label, values by column, group key) from row 2."""
        out = []
        for i, (label, values, key) in enumerate(rows, start=2):
            out.append(SummaryRow(
                cell=f"{sheet}!A{i}", row=i, label=label, is_total=label.startswith("TOTALE"),
                values=dict(zip(columns, values, strict=True)),
                value_cells={k: f"{sheet}!{col_letters(2 + j)}{i}"
                             for j, k in enumerate(columns)},
                group_key=key))
        self.summaries.append(SummaryTable(kind=kind, sheet=sheet, header_row=1,
                                           columns=columns, rows=out))

    def build(self, **extra) -> Plan:
        """The Plan."""
        table = Table(index=1, sheet=self.sheet, header_row=1, first_row=2,
                      last_row=self.row, label_col=1, year_cols={YEAR: 3})
        return Plan(source="a-mano.xlsx", plan_year=YEAR, years=[YEAR], tables=[table],
                    lines=self.lines, totals=self.totals, revenues=self.revenues,
                    revenue_years=sorted({y for r in self.revenues for y in r.amounts}),
                    summaries=self.summaries, channel_codes=list(self.channels),
                    notes=self.notes, **extra)
