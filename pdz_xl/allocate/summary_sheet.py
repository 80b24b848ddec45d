"""The «Allocazione PDZ» sheet: what an allocation did, readable and printable.

Per channel: disponibile, allocato, residuo (and a total row); then a matrix of the cost
groups (the first level of every line: area or obiettivo) by channel, with totals. Every
figure is integer cents written as euro with the Italian format; owned sheet, replaced
whole on every run."""

from __future__ import annotations

from typing import Protocol

from ..cells import col_letters
from ..changeset import CellStyle, CellWrite, OwnedSheet, PageSetup
from ..money import EUR_FORMAT, to_decimal
from ..plan import Plan

ALLOCATION_SHEET = "Allocazione PDZ"
_TITLE = CellStyle(bold=True, font_size=13)
_HEAD = CellStyle(bold=True, fill="D9E1F2", wrap=True, align="center")
_MONEY = CellStyle(number_format=EUR_FORMAT)
_TOTAL = CellStyle(bold=True, number_format=EUR_FORMAT)
_BOLD = CellStyle(bold=True)


class _Channel(Protocol):
    code: str
    header: str
    disponibile: int
    allocato: int

    @property
    def residuo(self) -> int: ...


def group_matrix(plan: Plan, codes: list[str]) -> list[tuple[str, dict[str, int]]]:
    """(group, channel -> cents) for the plan year, groups in the order of the lines."""
    out: dict[str, dict[str, int]] = {}
    for ln in plan.lines:
        if not ln.amounts.get(plan.plan_year):
            continue
        group = ln.path[0] if ln.path else ln.voce
        row = out.setdefault(group, dict.fromkeys(codes, 0))
        for code in codes:
            row[code] += ln.channels.get(code) or 0
    return list(out.items())


def allocation_sheet(plan: Plan, channels: list[_Channel], *,
                     file_label: str | None = None) -> OwnedSheet:
    """The owned sheet for ``plan`` as it reads after the allocation (its lines hold every
    channel cell, typed ones included)."""
    cells = [CellWrite(cell="A1", value=f"Allocazione PDZ – {file_label or plan.source}",
                       style=_TITLE),
             CellWrite(cell="A2", value=f"Anno del piano {plan.plan_year}: quanto ogni canale "
                                        "ha, quanto è assegnato alle righe, quanto resta.")]
    head = ["Canale", "Disponibile", "Allocato", "Residuo"]
    r = 4
    cells += [CellWrite(cell=f"{col_letters(j + 1)}{r}", value=h, style=_HEAD)
              for j, h in enumerate(head)]
    for s in channels:
        r += 1
        cells.append(CellWrite(cell=f"A{r}", value=s.header))
        cells += [CellWrite(cell=f"{col_letters(j)}{r}", value=to_decimal(v), style=_MONEY)
                  for j, v in ((2, s.disponibile), (3, s.allocato), (4, s.residuo))]
    r += 1
    cells.append(CellWrite(cell=f"A{r}", value="Totale", style=_BOLD))
    for j, key in ((2, "disponibile"), (3, "allocato"), (4, "residuo")):
        total = sum(getattr(s, key) for s in channels)
        cells.append(CellWrite(cell=f"{col_letters(j)}{r}", value=to_decimal(total),
                               style=_TOTAL))
    codes = [s.code for s in channels]
    matrix = group_matrix(plan, codes)
    r += 2
    cells.append(CellWrite(cell=f"A{r}", value="Righe per gruppo e canale", style=_BOLD))
    r += 1
    cells.append(CellWrite(cell=f"A{r}", value="Gruppo", style=_HEAD))
    cells += [CellWrite(cell=f"{col_letters(j + 2)}{r}", value=s.header, style=_HEAD)
              for j, s in enumerate(channels)]
    last = len(channels) + 2
    cells.append(CellWrite(cell=f"{col_letters(last)}{r}", value="Totale", style=_HEAD))
    for group, row in matrix:
        r += 1
        cells.append(CellWrite(cell=f"A{r}", value=group))
        cells += [CellWrite(cell=f"{col_letters(j + 2)}{r}", value=to_decimal(row[c]),
                            style=_MONEY) for j, c in enumerate(codes)]
        cells.append(CellWrite(cell=f"{col_letters(last)}{r}",
                               value=to_decimal(sum(row.values())), style=_TOTAL))
    r += 1
    cells.append(CellWrite(cell=f"A{r}", value="Totale", style=_BOLD))
    for j, c in enumerate(codes):
        cells.append(CellWrite(cell=f"{col_letters(j + 2)}{r}",
                               value=to_decimal(sum(row[c] for _g, row in matrix)),
                               style=_TOTAL))
    cells.append(CellWrite(cell=f"{col_letters(last)}{r}", style=_TOTAL,
                           value=to_decimal(sum(sum(row.values()) for _g, row in matrix))))
    widths = {"A": max(14.0, min(60.0, max([len(g) for g, _ in matrix] +
                                           [len(s.header) for s in channels] + [10]) + 2))}
    widths.update({col_letters(j): 17.0 for j in range(2, last + 1)})
    return OwnedSheet(name=ALLOCATION_SHEET, cells=cells, column_widths=widths,
                      tab_color="2E75B6",
                      page=PageSetup(orientation="landscape", fit_width=1, fit_height=0,
                                     print_area=f"A1:{col_letters(max(last, 4))}{r}",
                                     footer="&CPagina &P di &N"))
