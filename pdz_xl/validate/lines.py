"""Family «righe»: each cost line against its own channel split; negatives; doubles."""

from __future__ import annotations

from collections import Counter
from itertools import compress, count
from operator import ne

from ..channels.display import channel_label
from ..money import format_eur
from ..plan import Line
from .engine import Checker
from .facts import LineFacts, nonblank


def check(ck: Checker) -> None:
    """PDZ101-PDZ105 over every line. A hot path: the suspect lines are found with
    ``map`` over the shared per-line figures, and only they are examined, in order."""
    lines = ck.plan.lines
    if not lines:
        return
    year = ck.plan.plan_year
    facts = ck.facts
    negative = _negative_lines(facts)
    unsplit = _unsplit_lines(facts, year)
    doubles = _double_lines(facts)
    seen: dict[tuple, str] = {}
    for i in sorted({*negative, *unsplit, *doubles}):
        ln = lines[i]
        if i in negative:
            _negative(ck, ln)
        if i in unsplit:
            _split(ck, ln, year)
        if i in doubles:
            _double(ck, ln, seen)


def _negative_lines(facts: LineFacts) -> set[int]:
    """Lines with a negative amount or channel cell."""
    out: set[int] = set()
    for columns, dicts in ((facts.amount_columns, facts.amount_dicts),
                           (facts.channel_columns, facts.channel_dicts)):
        if columns.has_negative():
            out.update(i for i, d in enumerate(dicts)
                       if min(nonblank(d.values()), default=0) < 0)
    return out


def _unsplit_lines(facts: LineFacts, year: int) -> set[int]:
    """Lines of a table with channel columns whose split does not add up to the budget
    (only tables that have channel columns are expected to split)."""
    channels = facts.channel_dicts
    return {i for i in compress(count(), map(ne, facts.amounts(year), facts.splits))
            if channels[i]}


def _double_lines(facts: LineFacts) -> set[int]:
    """Lines whose amounts are the same as another line's (doubles are among them)."""
    keys = list(facts.amount_columns.rows())
    repeated = {k for k, n in Counter(keys).items() if n > 1 and any(k)}
    if not repeated:
        return set()
    return {i for i, k in enumerate(keys) if k in repeated}


def _split(ck: Checker, ln: Line, year: int) -> None:
    split, has_split = 0, False
    for v in ln.channels.values():
        if v is not None:
            has_split = True
            split += v
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
