"""What the triennial tables add up: cost groups (area or obiettivo) with their lines and
stated totals, revenue channels with their revenue-table cells, and where the figure of a
year comes from (:class:`~.model.Source`), flagged when a stated figure is not its lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..channels.catalog import default_catalog, normalise_label, split_year
from ..channels.display import channel_label, channel_labels
from ..money import Cents, format_eur
from ..plan import Line, Plan, StatedTotal
from .model import Flag, Per, Ref, Source, Year1Mode

DEFAULT_TOLERANCE: Cents = 5  # as validation's default (``tolleranza`` in «_pdz»)

_LOWER = ("servizio", "azione")  # totals inside a group that may stand for its lines
_NUMBER = re.compile(r"^(?:obiettivo\s*)?(\d+)\b")


@dataclass
class CostGroup:
    """An area or obiettivo: its lines in workbook order and the totals inside it."""

    key: str
    label: str
    lines: list[Line]
    totals: list[StatedTotal] = field(default_factory=list)  # own level first
    names: set[str] = field(default_factory=set)  # other spellings: bare label, cell text


@dataclass(frozen=True)
class Statement:
    """A group's figure for one year as the workbook's triennial table states it."""

    cents: Cents
    cell: str
    origin: str  # the table («Budget pluriennale»)


@dataclass
class Channel:
    """A channel of the revenue table: its items (+1) and deductions (−1) for year 1."""

    code: str
    label: str
    refs: list[tuple[str, int, Cents]]
    amount: Cents


def natural_per(plan: Plan) -> Per:
    """How a plan groups its costs: by area when its lines have areas (2021), else by
    obiettivo (the 2018 Piano Operativo has obiettivi only)."""
    has_area = any(g.level == "area" for ln in plan.lines for g in ln.groups)
    return "area" if has_area or not plan.lines else "obiettivo"


def cost_groups(plan: Plan, per: Per) -> list[CostGroup]:
    """The groups at level ``per``, in the order their first line appears."""
    groups: dict[str, CostGroup] = {}
    owner: dict[int, str] = {}
    for ln in plan.lines:
        g = next((g for g in ln.groups if g.level == per), None)
        if g is None:
            key, label = f"{per}:-", f"(senza {per})"
        elif per == "obiettivo" and g.number is not None:
            key, label = f"obiettivo:{g.number}", f"{g.number}: {g.label}"
        else:
            key, label = f"{per}:{normalise_label(g.text or g.label)}", g.text or g.label
        group = groups.setdefault(key, CostGroup(key, label, []))
        group.lines.append(ln)
        if g is not None and not group.names:
            group.names = {t for t in (g.label, g.text) if t}
        owner[ln.id] = key
    order = {per: 0, **{lvl: i + 1 for i, lvl in enumerate(_LOWER)}}
    for t in sorted(plan.totals, key=lambda t: order.get(t.level, 9)):
        keys = {owner.get(i) for i in t.line_ids}
        if t.level in order and len(keys) == 1 and None not in keys:
            groups[keys.pop()].totals.append(t)  # type: ignore[index]
    return list(groups.values())


def _stated(t: StatedTotal, year: int) -> tuple[Cents | None, str | None]:
    return t.amounts.get(year), t.amount_cells.get(year)


def _flag(code: str, cell: str, stated: Cents, lines: Cents, tolerance: Cents) -> Flag | None:
    if stated == lines:
        return None
    severity = "avviso" if abs(stated - lines) <= tolerance else "errore"
    return Flag(severity=severity, code=code, cell=cell, stated=stated, lines=lines)


def flag_text(flag: Flag) -> str:
    """The Italian explanation of a flagged figure (cell notes, the sheet, the summary)."""
    kind = "arrotondamento" if flag.severity == "avviso" else "errore"
    sign = "+" if flag.difference > 0 else ""
    return (f"dichiarato {format_eur(flag.stated)}, le righe sommano "
            f"{format_eur(flag.lines)} (differenza {sign}{format_eur(flag.difference)}): "
            f"{kind} {flag.code} in {flag.cell}")


def lines_total(group: CostGroup, year: int) -> Cents:
    """The sum of the group's lines in ``year`` (blanks as zero)."""
    return sum(ln.amount(year) for ln in group.lines)


def detail_source(group: CostGroup, plan: Plan, per: Per, mode: Year1Mode, year: int,
                  tolerance: Cents = DEFAULT_TOLERANCE) -> tuple[Cents, Source]:
    """A cost group's figure for ``year`` from the detail and the cells its formula adds up.

    Totals of the group (its own level, then servizio and azione) replace their lines in
    the formula when they are live (a formula) and equal to their lines; in ``dichiarati``
    mode a typed total at the group's own level is taken as stated (flagged when it differs
    from its lines). The lines no chosen total covers are referenced one by one
    (contiguous rows become ranges later).
    """
    amount = {ln.id: ln.amount(year) for ln in group.lines}
    covered: set[int] = set()
    refs: list[Ref] = []
    value = 0
    notes: list[str] = []
    flag = None
    stated_used = False
    for t in group.totals:
        stated, cell = _stated(t, year)
        ids = set(t.line_ids)
        if stated is None or cell is None or not ids or ids & covered:
            continue
        lines_sum = sum(amount[i] for i in ids)
        live = t.formulas.get(year) is not None
        if live and stated == lines_sum:
            pass
        elif not live and mode == "dichiarati" and t.level == per:
            stated_used = True
            flag = _flag("PDZ201", cell, stated, lines_sum, tolerance) or flag
            if stated != lines_sum:
                notes.append(f"dal totale dichiarato ({format_eur(stated)}); "
                             f"le righe sommano {format_eur(lines_sum)}")
        else:
            continue
        covered |= ids
        refs.append((cell, 1, stated))
        value += stated
    for ln in group.lines:
        if ln.id not in covered and ln.amounts.get(year) is not None and \
                year in ln.amount_cells:
            refs.append((ln.amount_cells[year], 1, amount[ln.id]))
            value += amount[ln.id]
    kind = "dichiarato" if stated_used else "righe"
    return value, Source(kind=kind, refs=refs, note="; ".join(notes) or None, flag=flag)


def year1_source(group: CostGroup, plan: Plan, per: Per, mode: Year1Mode,
                 statement: Statement | None = None,
                 tolerance: Cents = DEFAULT_TOLERANCE) -> tuple[Cents, Source]:
    """Year 1 of a cost group: :func:`detail_source` for the plan year; in ``dichiarati``
    mode the figure the workbook's triennial table states for the group (``statement``)
    when the group has no stated total of its own and the detail gives another figure."""
    year = plan.plan_year
    value, source = detail_source(group, plan, per, mode, year, tolerance)
    if mode != "dichiarati" or statement is None or source.kind == "dichiarato" or \
            statement.cents == value:
        return value, source
    lines = lines_total(group, year)
    flag = _flag("PDZ301", statement.cell, statement.cents, lines, tolerance)
    note = (f"dalla tabella «{statement.origin}» ({format_eur(statement.cents)}); "
            f"il dettaglio dà {format_eur(value)}")
    return statement.cents, Source(kind="tabella", refs=[(statement.cell, 1, statement.cents)],
                                   note=note, flag=flag, origin=statement.origin)


def revenue_channels(plan: Plan, year: int | None = None) -> list[Channel]:
    """Channels of the revenue table for ``year`` (the plan year), in table order; labels
    without the year words of the plan's table («FNPS 2021» -> «FNPS»): the channel's one
    revenue item, else the name the workbook gives the channel (its column header)."""
    year = plan.plan_year if year is None else year
    out: dict[str, Channel] = {}
    labels: dict[str, list[str]] = {}
    for r in plan.revenues:
        if r.channel is None or r.kind not in ("item", "deduction"):
            continue
        sign = 1 if r.kind == "item" else -1
        if r.amounts:
            cell, amount = r.amount_cells.get(year), r.amounts.get(year)
        elif year == plan.plan_year:
            cell, amount = r.amount_cell, r.amount
        else:
            cell, amount = None, None
        ch = out.setdefault(r.channel, Channel(r.channel, r.channel, [], 0))
        if r.kind == "item":
            labels.setdefault(r.channel, []).append(r.label)
        if cell is not None and amount is not None:
            ch.refs.append((cell, sign, sign * amount))
            ch.amount += sign * amount
    shown = channel_labels(plan)
    for code, ch in out.items():
        names = labels.get(code, [])
        ch.label = strip_years(names[0] if len(names) == 1
                               else channel_label(plan, code, labels=shown))
    return list(out.values())


def strip_years(label: str) -> str:
    """A label without its year words: «FNPS 2021» -> «FNPS», «Avanzo 2020 vincolato» ->
    «Avanzo vincolato» (a label that is only a year stays as it is)."""
    stripped, year = split_year(label)
    return stripped if year is not None and stripped else label


def resolver(groups: list[CostGroup], channels: list[Channel]):
    """``resolve(kind, label, key)`` for the projections table (see
    :data:`~.projections.Resolver`): by key, by label, by obiettivo number, by catalog."""
    group_keys = {g.key for g in groups}
    by_label: dict[str, str] = {}
    for g in groups:
        by_label[normalise_label(g.label)] = g.key
    for g in groups:
        for name in (*sorted(g.names), g.key.split(":", 1)[1]):
            by_label.setdefault(normalise_label(name), g.key)
    channel_keys = {c.code for c in channels}
    channel_labels = {normalise_label(c.label): c.code for c in channels}
    channel_labels.update({normalise_label(c.code): c.code for c in channels})
    catalog = default_catalog()

    def resolve(kind: str, label: str, key: str) -> str | None:
        n = normalise_label(label)
        if kind == "costo":
            if key in group_keys:
                return key
            if n in by_label:
                return by_label[n]
            m = _NUMBER.match(n)
            number_key = f"obiettivo:{m.group(1)}" if m else None
            return number_key if number_key in group_keys else None
        if key in channel_keys:
            return key
        if n in channel_labels:
            return channel_labels[n]
        code, _year = catalog.resolve(label)
        return code if code in channel_keys else None

    return resolve
