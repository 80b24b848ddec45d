"""The charts of «Triennale PDZ», below the table: the costs of the triennio per group
(horizontal bars, sorted, with their values) and the year-1 funding channels (a pie with
percentages and the full legend).

They read a small block of formulas under the print area (the rows in chart order, each
``=A6`` / ``=G6`` pointing at the table), so the table keeps the workbook's order while
the bars are sorted. Beyond :data:`MAX_BARS` groups (:data:`MAX_SLICES` channels) the
smallest are added up in one «Altri» row, so the chart stays legible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from ..cells import col_letters, quote_sheet
from ..changeset import CellStyle, CellWrite, ChartSeries, ChartSpec
from ..money import EUR_FORMAT, Cents, to_decimal
from .columns import Columns
from .model import TRIENNIAL_SHEET, Row, Triennial

MAX_BARS = 20
MAX_SLICES = 10
_ME = quote_sheet(TRIENNIAL_SHEET)
_HEAD = CellStyle(bold=True, fill="D9E1F2")
_NOTE = CellStyle(italic=True, font_color="595959")


@dataclass
class ChartBlock:
    """The chart specs and the data block they read."""

    specs: list[ChartSpec] = field(default_factory=list)
    cells: list[CellWrite] = field(default_factory=list)
    rows: int = 0  # rows of the data block


def chart_height(data: Triennial) -> int:
    """Rows the charts take (both side by side): enough for every bar and legend entry."""
    bars = min(len(data.costs), MAX_BARS)
    slices = min(sum(1 for r in data.revenues if r.years[0] > 0), MAX_SLICES)
    return max(26, ceil(bars * 1.6) + 6, ceil(slices * 1.5) + 10)


def _picked(rows: list[tuple[int, Row]], value, limit: int
            ) -> tuple[list[tuple[int, Row]], list[tuple[int, Row]]]:
    """(shown, the rest added up as «Altri») for rows sorted by ``value`` descending."""
    ordered = sorted(rows, key=lambda item: (-value(item[1]), item[0]))
    if len(ordered) <= limit:
        return ordered, []
    return ordered[:limit - 1], ordered[limit - 1:]


def chart_block(data: Triennial, cols: Columns, first_cost: int, first_rev: int,
                chart_row: int, data_row: int) -> ChartBlock:
    """Charts anchored at ``chart_row`` (column A), data block from ``data_row``."""
    out = ChartBlock()
    height = chart_height(data)
    bar_cols = len(cols.all) // 2 + 1  # about half the table's width each
    r = data_row
    out.cells.append(CellWrite(cell=f"A{r}", value="DATI DEI GRAFICI (formule verso la "
                               "tabella, nell'ordine dei grafici)", style=_NOTE))
    r += 1
    costs = [(first_cost + i, row) for i, row in enumerate(data.costs)]
    shown, rest = _picked(costs, lambda x: x.total, MAX_BARS)
    shown = shown[::-1]  # bars are drawn bottom-up: the largest on top
    title = f"Costi del triennio {data.years[0]}-{data.years[2]} per {data.per}"
    first, last = _block(out, r, title, "TRIENNIO", shown, rest, cols.total, lambda x: x.total,
                         first_at_end=False)
    if costs:
        out.specs.append(ChartSpec(
            kind="bar", title=title, categories=f"{_ME}!$A${first}:$A${last}",
            series=[ChartSeries(name="Triennio", values=f"{_ME}!$B${first}:$B${last}")],
            anchor=f"A{chart_row}", width_cols=bar_cols, height_rows=height,
            data_labels="value", label_format="#,##0", legend=None, value_axis=False))
    r = last + 2
    channels = [(first_rev + i, row) for i, row in enumerate(data.revenues) if row.years[0] > 0]
    shown, rest = _picked(channels, lambda x: x.years[0], MAX_SLICES)
    pie_title = f"Canali di finanziamento {data.years[0]}"
    first, last = _block(out, r, pie_title, f"ANNO {data.years[0]}", shown, rest, cols.years[0],
                         lambda x: x.years[0], first_at_end=True)
    if channels:
        start = bar_cols + 1
        out.specs.append(ChartSpec(
            kind="pie", title=pie_title, categories=f"{_ME}!$A${first}:$A${last}",
            series=[ChartSeries(name=str(data.years[0]),
                                values=f"{_ME}!$B${first}:$B${last}")],
            anchor=f"{col_letters(start)}{chart_row}", width_cols=len(cols.all) + 2 - start,
            height_rows=height, data_labels="percent", legend="r"))
    out.rows = last - data_row + 1
    return out


def _block(out: ChartBlock, r: int, title: str, head: str, shown: list[tuple[int, Row]],
           rest: list[tuple[int, Row]], col: str, value, first_at_end: bool) -> tuple[int, int]:
    """Header row, one row per shown item, «Altri» (first or last); returns the data rows."""
    out.cells += [CellWrite(cell=f"A{r}", value=title, style=_HEAD),
                  CellWrite(cell=f"B{r}", value=head, style=_HEAD)]
    first = r + 1
    rows = list(shown)
    others: tuple[str, Cents, str] | None = None
    if rest:
        cells = ",".join(f"{col}{i}" for i, _ in rest)
        others = (f"Altri ({len(rest)})", sum(value(x) for _, x in rest), f"=SUM({cells})")
    k = first
    if others and not first_at_end:
        _put(out, k, others)
        k += 1
    for i, row in rows:
        _put(out, k, (row.label, value(row), f"={col}{i}"), label_formula=f"=A{i}")
        k += 1
    if others and first_at_end:
        _put(out, k, others)
        k += 1
    return first, max(first, k - 1)


def _put(out: ChartBlock, r: int, item: tuple[str, Cents, str],
         label_formula: str | None = None) -> None:
    label, cents, formula = item
    out.cells += [CellWrite(cell=f"A{r}", value=label, formula=label_formula),
                  CellWrite(cell=f"B{r}", value=to_decimal(cents), formula=formula,
                            style=CellStyle(number_format=EUR_FORMAT))]
