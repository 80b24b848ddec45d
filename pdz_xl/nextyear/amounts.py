"""The new year's amounts: the documented rule, exact to the cent.

- **Without a triennial plan** (no «Proiezioni PDZ» sheet and no later-year table the
  triennial seeds read): every line keeps last year's amount («come l'anno scorso»); the
  revenue items of the new year are left empty, to be written.
- **With a triennial plan**: the year 2 of «Triennale PDZ» — each cost group (area or
  obiettivo) moves from its year 1 to its year 2, and its lines move with it in proportion
  to last year's amounts (largest remainders, so they add up to the cent: to the year-2
  figure itself when the group's lines are its year 1); each revenue channel's year 2 is
  shared over its items the same way.

Channel splits kept «come l'anno scorso» follow their line the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..grid import WorkbookGrid
from ..money import Cents, format_eur
from ..plan import Line, Plan


def distribute(total: Cents, weights: list[Cents]) -> list[Cents] | None:
    """``total`` shared in proportion to ``weights`` (all ≥ 0, some > 0), exact to the cent
    (largest remainders, ties to the first); None when the weights cannot share it."""
    base = sum(weights)
    if base <= 0 or any(w < 0 for w in weights):
        return None
    sign = -1 if total < 0 else 1
    quotas = [divmod(abs(total) * w, base) for w in weights]
    out = [q for q, _ in quotas]
    left = abs(total) - sum(out)
    order = sorted(range(len(weights)), key=lambda i: (-quotas[i][1], i))
    for i in order[:left]:
        out[i] += 1
    return [sign * v for v in out]


def scaled(total: Cents, old: Cents, new: Cents) -> Cents:
    """``total × new / old`` rounded half away from zero (``total`` when ``old`` is 0)."""
    if old == 0:
        return total
    q, r = divmod(abs(total * new), abs(old))
    value = q + (1 if 2 * r >= abs(old) else 0)
    return value if (total * new) * old >= 0 else -value


@dataclass
class Targets:
    """What the new year holds: per line, per revenue channel, and how it was decided."""

    projected: bool  # from the triennial plan (else «come l'anno scorso»)
    lines: dict[int, Cents | None] = field(default_factory=dict)
    channels: dict[str, Cents] = field(default_factory=dict)  # year 2 per channel code
    balancing: str | None = None  # the channel that balances the new year
    notes: list[str] = field(default_factory=list)  # Italian, for the summary
    rule: str = ""  # Italian, one line


def has_triennial_plan(grid: WorkbookGrid, seeded_from: list[str]) -> bool:
    """True when the workbook carries a three-year plan: «Proiezioni PDZ» or a table of
    later years the triennial seeds read."""
    from ..triennial.projections import PROJECTIONS_SHEET

    return grid.sheet(PROJECTIONS_SHEET) is not None or bool(seeded_from)


def targets(grid: WorkbookGrid, plan: Plan) -> Targets:
    """The new year's amounts of every line and revenue channel."""
    year = plan.plan_year
    same = {ln.id: ln.amounts.get(year) for ln in plan.lines}
    try:
        from ..triennial.build import triennial_changeset
        from ..triennial.groups import cost_groups

        _cs, data = triennial_changeset(grid, plan)
    except (ValueError, KeyError) as exc:  # a projections sheet that cannot be read
        return Targets(False, same, notes=[f"piano triennale non letto ({exc}): importi "
                                           "come l'anno scorso"],
                       rule="importi come l'anno scorso")
    if not has_triennial_plan(grid, data.seeded_from):
        return Targets(False, same, rule="importi come l'anno scorso; entrate da scrivere")
    out = Targets(True, dict(same), rule=f"importi dall'anno {year + 1} del piano triennale "
                  f"({', '.join(data.seeded_from) or 'Proiezioni PDZ'})")
    groups = {g.key: g for g in cost_groups(plan, data.per)}
    for row in data.costs:
        group = groups.get(row.key)
        if group is None:
            continue
        _move_group(out, group.lines, year, row.label, row.years[0], row.years[1])
    for row in data.revenues:
        out.channels[row.key] = row.years[1]
        if row.balancing:
            out.balancing = row.key
    return out


def _move_group(out: Targets, lines: list[Line], year: int, label: str, first: Cents,
                second: Cents) -> None:
    present = [ln for ln in lines if ln.amounts.get(year) is not None] or list(lines)
    old = sum(ln.amount(year) for ln in present)
    if first == second or not present:
        return
    total = second if first == old else scaled(old, first, second)
    weights = [ln.amount(year) for ln in present]
    shares = distribute(total, weights)
    if shares is None and not any(weights):  # a group raised from nothing: its first line
        shares = [total] + [0] * (len(present) - 1)
        out.notes.append(f"«{label}»: l'anno scorso a zero, il piano triennale dà "
                         f"{format_eur(second)}: scritto nella prima riga "
                         f"({present[0].cell})")
    if shares is None:
        out.notes.append(f"«{label}»: righe con importi negativi, lasciate come "
                         f"l'anno scorso (il piano triennale dà {format_eur(second)})")
        return
    for ln, v in zip(present, shares, strict=True):
        out.lines[ln.id] = v


def split_like(line: Line, new_amount: Cents | None) -> dict[str, Cents | None]:
    """Last year's channel split of ``line`` moved to ``new_amount`` (same proportions,
    exact to the cent); the split as it was when the amount did not change."""
    old = {code: v for code, v in line.channels.items()}
    if new_amount is None or new_amount == line.split_total():
        return old
    codes = [c for c, v in old.items() if v is not None]
    shares = distribute(new_amount, [old[c] or 0 for c in codes])
    if shares is None:
        return old
    return {**old, **dict(zip(codes, shares, strict=True))}
