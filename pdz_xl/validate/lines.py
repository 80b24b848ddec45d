"""Family «righe»: each cost line against its own channel split."""

from __future__ import annotations

from ..money import format_eur
from .engine import Checker, value_fix


def check(ck: Checker) -> None:
    year = ck.plan.plan_year
    seen: dict[tuple, str] = {}
    for ln in ck.plan.lines:
        _negative(ck, ln)
        budget = ln.amounts.get(year)
        budget_cell = ln.amount_cells.get(year)
        if ln.channels:
            split = ln.split_total()
            if (budget or 0) != 0 and not ln.has_split():
                ck.add("PDZ102", budget_cell,
                       f"la riga «{ln.voce}» ha un budget {year} di {format_eur(budget or 0)} "
                       "ma nessun importo nelle colonne dei canali.", path=ln.path,
                       difference=budget, expected=budget, found=0)
            elif ln.has_split() and (budget or 0) == 0 and split != 0:
                first = next(c for c, v in ln.channels.items() if v)
                ck.add("PDZ103", ln.channel_cells[first],
                       f"la riga «{ln.voce}» non ha budget {year} ma i canali riportano "
                       f"{format_eur(split)}.", path=ln.path, difference=split, expected=0,
                       found=split)
            elif ln.has_split():
                ck.compare("PDZ101", budget_cell, split, budget or 0,
                           f"riga «{ln.voce}»: la ripartizione sui canali somma",
                           path=ln.path, related=list(ln.channel_cells.values()))
        key = (tuple(ln.path), ln.voce.strip(), tuple(sorted(ln.amounts.items())),
               tuple(sorted(ln.channels.items())))
        if any(v for v in ln.amounts.values()):
            if key in seen:
                ck.add("PDZ105", ln.cell,
                       f"la riga «{ln.voce}» compare due volte nella stessa azione con gli "
                       f"stessi importi (l'altra è {seen[key]}): è un doppione?",
                       path=ln.path, related=[seen[key]],
                       fix=value_fix(ln.amount_cells.get(year), 0))
            else:
                seen[key] = ln.cell


def _negative(ck: Checker, ln) -> None:
    for y, v in ln.amounts.items():
        if v is not None and v < 0:
            ck.add("PDZ104", ln.amount_cells[y],
                   f"la riga «{ln.voce}» ha un budget {y} negativo: {format_eur(v)}.",
                   path=ln.path, found=v)
    for code, v in ln.channels.items():
        if v is not None and v < 0:
            ck.add("PDZ104", ln.channel_cells[code],
                   f"la riga «{ln.voce}» ha un importo negativo sul canale {code}: "
                   f"{format_eur(v)}.", path=ln.path, found=v)
