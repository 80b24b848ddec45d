"""Execution: a layout (inferred or stated) and the rows read become the Plan.

Nothing is decided here: every line, heading and total is what the layout says, with the
cell every number came from.
"""

from __future__ import annotations

from ..cells import col_letters, sheet_ref
from ..channels.catalog import Catalog
from ..grid import SheetGrid
from ..money import format_eur
from ..plan import (
    ChannelColumn,
    Group,
    Line,
    Plan,
    StatedTotal,
    SummaryTable,
    Table,
    construct,
)
from .amounts import AmountReader
from .infer import Runtime
from .line_builder import WideLineBuilders
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_UNKNOWN,
    KIND_CONFRONTO,
    KIND_COST,
    KIND_PLURIENNALE,
    KIND_REVENUE,
    KIND_REVENUE_MULTI,
    KIND_SUMMARY,
    KIND_TRIENNIAL,
    LEVELS,
    ROW_HEADING,
    ROW_LINE,
    ROW_PART,
    ROW_TOTAL,
    GroupRef,
    RowRole,
    TableLayout,
    WorkbookLayout,
)
from .summaries import read_summary, revenues_from

_SUMMARY_KINDS = {KIND_TRIENNIAL: "triennale_costi", KIND_PLURIENNALE: "pluriennale",
                  KIND_CONFRONTO: "confronto", KIND_SUMMARY: "riepilogo",
                  KIND_REVENUE_MULTI: "triennale_canali"}


def path_of(groups: list[Group]) -> list[str]:
    """Path labels as the documents write them: obiettivo without its numbering."""
    return [g.label if g.level == "obiettivo" else (g.text or g.label) for g in groups]


class _Groups(dict):
    """GroupRef -> the Plan's Group, built once and shared by every line of the group;
    a whole path -> (groups, path labels), built once per distinct path."""

    def __init__(self) -> None:
        super().__init__()
        # GroupRefs compare and hash by identity: a path is its tuple of refs
        self.paths: dict[tuple[GroupRef, ...], tuple[list[Group], list[str]]] = {}
        self.builders = WideLineBuilders()  # the tables' line builders

    def of(self, refs: tuple[GroupRef, ...]) -> list[Group]:
        return self.path(refs)[0]

    def path(self, refs: tuple[GroupRef, ...]) -> tuple[list[Group], list[str]]:
        groups, labels = self.shared_path(refs)
        return list(groups), list(labels)

    def shared_path(self, refs: tuple[GroupRef, ...]) -> tuple[list[Group], list[str]]:
        """Like :meth:`path`, the same two lists for every line of the path (lines never
        change them: about 200 bytes a line less)."""
        hit = self.paths.get(refs)
        if hit is not None:
            return hit
        out = []
        for ref in refs:
            g = self.get(id(ref))
            if g is None:
                g = self[id(ref)] = _group(ref)
            out.append(g)
        hit = self.paths[refs] = (out, path_of(out))
        return hit


def _group(ref: GroupRef) -> Group:
    """The Plan's Group of a GroupRef: built unvalidated when its fields have the model's
    types already (anything else goes through validation, errors included)."""
    if ref.level in LEVELS and type(ref.label) is str and type(ref.number) in _NUMBER \
            and type(ref.text) in _TEXT and type(ref.cell) in _TEXT:
        return construct(Group, level=ref.level, label=ref.label, number=ref.number,
                         text=ref.text, cell=ref.cell)
    return Group(level=ref.level, label=ref.label, number=ref.number, text=ref.text,
                 cell=ref.cell)


_NUMBER = (int, type(None))
_TEXT = (str, type(None))


def execute_layout(layout: WorkbookLayout, rt: Runtime, catalog: Catalog,
                   amounts: AmountReader, release_rows: bool = False) -> Plan:
    """The Plan a layout describes. ``release_rows``: once a cost table is read, keep of
    its rows only those with formulas (all :func:`.accounting.account` reads), so that the
    rows read and the Plan's lines are not all in memory at once."""
    plan_year = layout.plan_year
    lines: list[Line] = []
    totals: list[StatedTotal] = []
    tables: list[Table] = []
    summaries: list[SummaryTable] = []
    revenue_tables: list[SummaryTable] = []
    groups = _Groups()
    for sl in layout.sheets:
        sheet = rt.grids[sl.name]
        for t in sl.tables:
            if t.kind == KIND_COST:
                _cost_table(t, sheet, rt, plan_year, lines, totals, tables, groups, amounts)
                if release_rows and id(t) in rt.rows:
                    rt.rows[id(t)] = [rd for rd in rt.rows[id(t)] if rd.formulas]
            elif t.kind == KIND_REVENUE:
                revenue_tables.append(read_summary(sheet, t, "triennale_canali", amounts,
                                                   catalog))
            elif t.kind in _SUMMARY_KINDS:
                table = read_summary(sheet, t, _SUMMARY_KINDS[t.kind], amounts, catalog)
                summaries.append(table)
                if t.kind == KIND_REVENUE_MULTI:
                    revenue_tables.append(table)
    channel_codes = _ordered_channels(tables)
    revenues = []
    for table in revenue_tables:
        revenues.extend(revenues_from(table, plan_year, catalog, channel_codes,
                                      len(revenues), amounts))
    years = sorted({y for t in tables for y in t.year_cols})
    plan = Plan(
        source=layout.source, plan_year=plan_year, comparison_year=layout.comparison_year,
        years=years, tables=tables, lines=lines, totals=totals, revenues=revenues,
        revenue_years=sorted({y for r in revenues for y in r.amounts}),
        summaries=summaries, channel_codes=channel_codes, notes=amounts.notes,
        assumptions=layout.assumptions, ambiguities=layout.ambiguities,
    )
    plan._layout = layout
    return plan


def _year_of(role, plan_year: int) -> int:
    return role.year or plan_year


def _cost_table(t: TableLayout, sheet: SheetGrid, rt: Runtime, plan_year: int,
                lines: list[Line], totals: list[StatedTotal], tables: list[Table],
                groups: _Groups, amounts: AmountReader) -> None:
    year_cols = {c: _year_of(r, plan_year) for c, r in sorted(t.columns.items())
                 if r.role == COL_AMOUNT and not r.secondary}
    other_cols = {c: (f"{r.kind or 'importo'}_{_year_of(r, plan_year)}" if r.role == COL_AMOUNT
                      else f"{r.channel}_{_year_of(r, plan_year)}")
                  for c, r in sorted(t.columns.items())
                  if r.secondary and r.role in (COL_AMOUNT, COL_CHANNEL)}
    long = t.shape == "lunga"
    long_lines = rt.long_lines.get(id(t), {})
    if long:
        codes: list[str] = []
        for ll in long_lines.values():
            for code in ll.channels:
                if code not in codes:
                    codes.append(code)
        part_col = next(iter(year_cols), t.first_col)
        channel_of = {code: part_col for code in codes}
        channel_cols = [ChannelColumn(code=code, header=code, col=part_col, year=plan_year,
                                      known=not code.startswith("?")) for code in codes]
        for ll in long_lines.values():
            for name, cell in ll.unresolved:
                amounts.note("PDZ003", "avviso", cell,
                             f"il canale «{name}» non è nel catalogo: l'importo è tenuto come "
                             f"canale sconosciuto. Aggiungerlo al foglio «Canali PDZ».", name)
    else:
        channel_of = {r.channel: c for c, r in sorted(t.columns.items())
                      if r.role == COL_CHANNEL and r.channel and not r.secondary}
        channel_cols = [ChannelColumn(code=r.channel, header=r.header.split(" / ")[-1], col=c,
                                      year=r.year, known=not r.channel.startswith("?"))
                        for c, r in sorted(t.columns.items())
                        if r.role == COL_CHANNEL and r.channel and not r.secondary]
    voce_col = t.voce_col or t.first_col
    data = {rd.row: rd for rd in rt.rows.get(id(t), [])}
    first = t.first_row
    last = t.header_row
    tables.append(Table(
        index=t.index, sheet=t.sheet, header_row=t.header_row, first_row=first,
        last_row=t.last_row, label_col=voce_col,
        year_cols={y: c for c, y in year_cols.items()}, channel_cols=channel_cols,
        title=t.title, header_rows=list(t.header_rows), first_col=t.first_col,
        last_col=t.last_col, shape="lunga" if long else "larga",
        other_cols={k: c for c, k in other_cols.items()},
    ))
    prefix = f"{sheet.name}!"
    letters = {c: col_letters(c) for c in (*year_cols, *channel_of.values(), *other_cols,
                                           voce_col)}
    hidden_rows = sheet.hidden_rows
    first_line = len(lines)
    if long:
        for role in t.rows:
            if role.role == ROW_LINE:
                lines.append(_long_line(len(lines), role, long_lines[role.row], sheet, t,
                                        plan_year, year_cols, prefix, letters[voce_col],
                                        *groups.shared_path(role.path),
                                        role.row in hidden_rows))
    else:  # every line at once, then the rows around them in order (their notes too)
        build = groups.builders.builder(sheet.name, t.index, voce_col, year_cols,
                                        channel_of, other_cols, letters)
        build(t.rows, lines, data.get, groups.paths.get, groups.shared_path, hidden_rows)
    n = first_line  # lines[n - 1]: the last line so far
    for role in t.rows:
        kind = role.role
        if kind == ROW_LINE:
            last = role.row
            line = lines[n]
            n += 1
            if line.hidden and any(v for v in line.amounts.values()):
                amounts.note("PDZ005", "avviso", sheet_ref(sheet.name, role.row, voce_col),
                             f"la riga {role.row} è nascosta ma contiene importi: è stata "
                             "letta e conteggiata; renderla visibile o eliminarla.")
        elif kind == ROW_PART and n and lines[n - 1].sheet == sheet.name:
            last = role.row
            rd = data.get(role.row)
            _part_note(lines[n - 1], role, rd.values if rd else {}, year_cols, prefix,
                       letters, voce_col, amounts)
        elif kind == ROW_TOTAL or (kind == ROW_HEADING and role.covers is not None):
            last = role.row
            totals.append(_total(len(totals), t, role, data.get(role.row), sheet, year_cols,
                                 channel_of, groups))
    tables[-1].last_row = max(last, t.header_row)
    _unknown_columns(t, sheet, amounts)
    _check_merged(t, sheet, amounts)


def _long_line(line_id: int, role: RowRole, ll, sheet: SheetGrid, t: TableLayout,
               plan_year: int, year_cols: dict[int, int], prefix: str, voce_letters: str,
               g: list[Group], labels: list[str], hidden: bool) -> Line:
    """The line of a long table (a row per line and channel), pivoted by inference."""
    amounts_ = {(k or plan_year): v for k, v in ll.amounts.items()}
    for y in year_cols.values():
        amounts_.setdefault(y, None)
    cells = {(k or plan_year): c for k, c in ll.amount_cells.items()}
    return construct(
        Line, id=line_id, cell=f"{prefix}{voce_letters}{role.row}", sheet=sheet.name,
        row=role.row, table=t.index, path=labels, groups=g, voce=role.label,
        amounts=amounts_, amount_cells=cells, channels=dict(ll.channels),
        channel_cells=dict(ll.channel_cells), hidden=hidden, other_amounts={},
        other_cells={}, rows=list(role.rows),
    )


def _part_note(line: Line, role: RowRole, values: dict, year_cols: dict[int, int],
               prefix: str, letters: dict[int, str], voce_col: int,
               amounts: AmountReader) -> None:
    """A «di cui» row is part of the line above: say it was not counted again, and warn
    when the part is more than the whole."""
    cell = f"{prefix}{letters[voce_col]}{role.row}"
    over = [(y, v, line.amount(y)) for c, y in year_cols.items()
            if (v := values.get(c)) is not None and abs(v) > abs(line.amount(y) or 0)]
    if over:
        y, part, whole = over[0]
        amounts.note("PDZ014", "avviso", cell,
                     f"la riga «{role.label}» ({format_eur(part)} nel {y}) dovrebbe essere "
                     f"una parte della riga «{line.voce}» ({line.cell}, "
                     f"{format_eur(whole or 0)}) ma la supera: controllare gli importi.")
        return
    amounts.note("PDZ014", "info", cell,
                 f"la riga «{role.label}» è letta come parte della riga «{line.voce}» "
                 f"({line.cell}): il suo importo è già compreso e non è contato di nuovo.")


_TOTAL_LEVELS = {*LEVELS, "table", "grand"}


def _total(total_id: int, t: TableLayout, role: RowRole, rd, sheet: SheetGrid,
           year_cols: dict[int, int], channel_of: dict[str, int], groups: _Groups
           ) -> StatedTotal:
    values = rd.values if rd else {}
    voce_col = t.voce_col or t.first_col
    level = role.scope if role.scope in _TOTAL_LEVELS else "table"
    chan = {code: values.get(c) for code, c in channel_of.items()
            if values.get(c) is not None}
    return StatedTotal(
        id=total_id, cell=sheet_ref(sheet.name, role.row, voce_col), sheet=sheet.name,
        row=role.row, label=role.label, level=level, path=path_of(groups.of(role.path)),
        line_ids=list(role.covers or ()),
        amounts={y: values.get(c) for c, y in year_cols.items()},
        amount_cells={y: sheet_ref(sheet.name, role.row, c) for c, y in year_cols.items()},
        formulas={y: (sheet.get(role.row, c).formula if sheet.get(role.row, c) else None)
                  for c, y in year_cols.items()},
        channels=chan,
        channel_cells={code: sheet_ref(sheet.name, role.row, channel_of[code]) for code in chan},
        table=t.index,
    )


def _unknown_columns(t: TableLayout, sheet: SheetGrid, amounts: AmountReader) -> None:
    """A column of numbers under a header we do not know is not read: say so."""
    for c, r in sorted(t.columns.items()):
        if r.role != COL_UNKNOWN:
            continue
        if not _column_has_numbers(sheet, t, c):
            continue
        text = r.header
        where = sheet_ref(sheet.name, t.header_row, c)
        amounts.note("PDZ003", "avviso", where,
                     f"intestazione di colonna «{text}» non riconosciuta: la colonna è stata "
                     "ignorata. Se è un canale, indicarlo nel foglio «_pdz» (chiave «colonna "
                     f"{text or where}») o nel foglio «Canali PDZ».", text)


def _column_has_numbers(sheet: SheetGrid, t: TableLayout, col: int) -> bool:
    for r in range(t.first_row, t.last_row + 1):
        cell = sheet.get(r, col)
        if cell is not None and isinstance(cell.value, (int, float)) \
                and not isinstance(cell.value, bool):
            return True
    return False


def _check_merged(t: TableLayout, sheet: SheetGrid, amounts: AmountReader) -> None:
    first, last = t.first_row, t.last_row
    value_cols = {c for c, r in t.columns.items() if r.is_value}
    voce = t.voce_col
    for r1, c1, r2, c2 in sheet.merged:
        if r2 < first or r1 > last:
            continue
        if not any(c1 <= c <= c2 for c in value_cols):
            continue
        if c1 == voce and c2 == voce and r1 == r2:
            continue
        top = sheet.get(r1, c1)
        holds_amount = top is not None and isinstance(top.value, (int, float)) \
            and not isinstance(top.value, bool)
        if r1 == r2 and not holds_amount:
            continue  # a heading written across the row: no amount is hidden under it
        amounts.note("PDZ004", "avviso", sheet_ref(sheet.name, r1, c1),
                     f"celle unite {sheet_ref(sheet.name, r1, c1)}:"
                     f"{sheet_ref(sheet.name, r2, c2).split('!')[1]} dentro la "
                     "tabella: l'importo vale solo per la prima cella; meglio separarle.")


def _ordered_channels(tables: list[Table]) -> list[str]:
    seen: list[str] = []
    for t in tables:
        for ch in t.channel_cols:
            if ch.code not in seen:
                seen.append(ch.code)
    return seen
