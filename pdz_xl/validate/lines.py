"""Family «righe»: each cost line against its own channel split; negatives; doubles."""

from __future__ import annotations

from ..channels.display import channel_label
from ..money import format_eur
from ..plan import Line
from .engine import Checker


def check(ck: Checker) -> None:
    """PDZ101-PDZ105 over every line (one pass over each line's cells: a hot path)."""
    year = ck.plan.plan_year
    seen: dict[tuple, str] = {}
    for ln in ck.plan.lines:
        negative = False
        for v in ln.amounts.values():
            if v is not None and v < 0:
                negative = True
        split, has_split = 0, False
        for v in ln.channels.values():
            if v is not None:
                has_split = True
                split += v
                if v < 0:
                    negative = True
        if negative:
            _negative(ck, ln)
        if ln.channels:  # only tables that have channel columns are expected to split
            _split(ck, ln, year, split, has_split)
        _double(ck, ln, seen)


def _split(ck: Checker, ln: Line, year: int, split: int, has_split: bool) -> None:
    budget = ln.amounts.get(year) or 0
    if budget == split:
        return
    budget_cell = ln.amount_cells.get(year)
    if budget and not has_split:
        ck.add("PDZ102", budget_cell,
               f"la riga «{ln.voce}» ha un budget {year} di {format_eur(budget)} ma nessun "
               "importo nelle colonne dei canali.", path=ln.path, difference=-budget,
               expected=budget, found=0)
    elif not budget and split:
        first = next(c for c, v in ln.channels.items() if v)
        ck.add("PDZ103", ln.channel_cells[first],
               f"la riga «{ln.voce}» non ha budget {year} ma i canali riportano "
               f"{format_eur(split)}.", path=ln.path, difference=split, expected=0,
               found=split, related=[c for c in (budget_cell,) if c])
    elif has_split:
        ck.compare("PDZ101", budget_cell, split, budget,
                   f"riga «{ln.voce}»: la ripartizione sui canali somma", path=ln.path,
                   against=f"il budget {year} è",
                   related=[ln.channel_cells[c] for c, v in ln.channels.items()
                            if v is not None])


def _double(ck: Checker, ln: Line, seen: dict[tuple, str]) -> None:
    """The same label with the same amounts twice in one azione (or group)."""
    if not any(ln.amounts.values()):
        return
    key = (tuple(ln.path), _norm(ln.voce), tuple(ln.amounts.items()))
    first = seen.get(key)
    if first is None:
        seen[key] = ln.cell
        return
    amounts = ", ".join(f"{y}: {format_eur(v or 0)}" for y, v in sorted(ln.amounts.items()))
    where = "nella stessa azione" if ln.group("azione") else "nello stesso gruppo"
    ck.add("PDZ105", ln.cell,
           f"la riga «{ln.voce}» compare due volte {where} con gli stessi importi "
           f"({amounts}; l'altra è {first}): è un doppione?", path=ln.path,
           related=[first])


def _norm(label: str) -> str:
    """Case and spacing do not make two labels different."""
    return " ".join(label.split()).casefold()


def _negative(ck: Checker, ln: Line) -> None:
    for y, v in ln.amounts.items():
        if v is not None and v < 0:
            ck.add("PDZ104", ln.amount_cells[y],
                   f"la riga «{ln.voce}» ha un budget {y} negativo: {format_eur(v)}.",
                   path=ln.path, found=v)
    for code, v in ln.channels.items():
        if v is not None and v < 0:
            ck.add("PDZ104", ln.channel_cells[code],
                   f"la riga «{ln.voce}» ha un importo negativo sul canale "
                   f"«{channel_label(ck.plan, code, ck.config.catalog)}»: "
                   f"{format_eur(v)}.", path=ln.path, found=v)
