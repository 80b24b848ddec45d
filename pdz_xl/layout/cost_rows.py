"""The rows of a cost table: lines, headings, totals, walked top to bottom with the groups
open on the sheet.

A row is a total when its label says so (``TOTALE ...``), when its amounts are formulas
adding up other rows, when it has amounts but no label, when it repeats the name of the
group it closes, or when it stands out (bold where lines are not) and its amounts are the
sum of the lines it closes: a total is never a line (:mod:`.row_kinds`). What each total
closes is decided in :mod:`.totals_reading`; the groups of flat lists in
:mod:`.flat_groups`.
"""

from __future__ import annotations

from ..cells import sheet_ref
from ..channels.catalog import normalise_label
from .flat_groups import FlatGroups, numbers_from_codes
from .hierarchy import Head, LineProfile, heading_head, make_head, rank_heads
from .labels import (
    heading_of,
    is_part_label,
    is_total_label,
    numbering_of,
    strip_numbering,
    total_level,
)
from .model import (
    COL_GROUP,
    LEVELS,
    ROW_HEADING,
    ROW_IGNORE,
    ROW_LINE,
    ROW_NOTE,
    ROW_PART,
    ROW_TOTAL,
    GroupRef,
    RowRole,
    TableLayout,
)
from .row_kinds import (
    aggregate_rows,
    heads_following,
    note_row,
    own_row_group,
    total_as_heading,
    total_word,
)
from .rowdata import RowData
from .state import ReadState, SheetState
from .totals_reading import TotalRow, named_group, reconciles_below, resolve_totals, year_keys


def _continues_line(data: list[RowData], i: int, kinds: dict[int, str]) -> bool:
    """A description wrapped into the next row (``Gestione e sviluppo`` / ``software``):
    text alone in the voce column, in lower case, right under a line whose text does not
    end a sentence. Joined to that line's voce, it is no line of its own."""
    rd = data[i]
    if i == 0 or rd.has_values or rd.code or rd.bold or not rd.voce[:1].islower() \
            or any(rd.groups.values()):
        return False
    prev = data[i - 1]
    if prev.row != rd.row - 1 or kinds.get(prev.row) != ROW_LINE or not prev.voce \
            or prev.voce.rstrip()[-1:] in ".:;!?":
        return False
    prev.voce = f"{prev.voce} {rd.voce}"
    return True


def infer_cost_rows(st: ReadState, sheet: SheetState, table: TableLayout,
                    data: list[RowData], stated_rows: dict[int, str],
                    hint: tuple[str, ...] = (), stated_totals: str | None = None,
                    last_on_sheet: bool = True) -> None:
    """Fill ``table.rows``, ``table.levels`` and the totals decision."""
    ykeys = year_keys(table)
    flat_cols = [c for c, r in sorted(table.columns.items()) if r.role == COL_GROUP]
    flat_floor = max((LEVELS.index(table.columns[c].level or "azione") for c in flat_cols),
                     default=-1)
    kinds: dict[int, str] = {}
    heads: dict[int, Head] = {}
    totals_by_label: set[int] = set()
    worded, plain = _worded_and_plain(data, table)
    profile = LineProfile.of(plain)
    for i, rd in enumerate(data):
        stated = stated_rows.get(rd.row) if stated_rows else None
        if stated:
            kinds[rd.row] = stated.split()[0]
            if kinds[rd.row] == ROW_HEADING:
                parts = stated.split()
                heads[rd.row] = make_head(rd, parts[1] if len(parts) > 1 else None)
            continue
        voce = rd.voce
        if rd.has_values and voce and not rd.bold and not rd.formulas and not flat_cols \
                and rd.row not in worded:  # the usual line: what the steps below decide
            if (voce[0] in _PART_FIRST or voce[0].isspace()) and is_part_label(voce) and \
                    _follows_line(kinds, data, i):
                kinds[rd.row] = ROW_PART
            elif heading_of(voce, False) is None and numbering_of(voce) is None:
                kinds[rd.row] = ROW_LINE  # (no word, no numbering: no heading)
            elif (h := heading_head(rd, profile, with_values=True)) is not None:
                heads[rd.row] = h
                kinds[rd.row] = ROW_HEADING
            else:
                kinds[rd.row] = ROW_LINE
            continue
        if rd.blank:
            continue
        if is_part_label(rd.voce or rd.label) and _follows_line(kinds, data, i):
            kinds[rd.row] = ROW_PART  # «di cui ...»: already in the line above
            continue
        if rd.row in worded:
            head = None if flat_cols else total_as_heading(rd, data, i, kinds)
            if head is not None:  # «TOTALE OBIETTIVO 1: X» over its lines: it heads them
                heads[rd.row] = head
                kinds[rd.row] = ROW_HEADING
                continue
            kinds[rd.row] = ROW_TOTAL
            totals_by_label.add(rd.row)
            continue
        if not rd.has_values and note_row(rd, profile):
            kinds[rd.row] = ROW_NOTE
            continue
        if flat_cols:
            if not rd.voce and rd.has_values and own_row_group(rd, data, i):
                kinds[rd.row] = ROW_HEADING  # a group on its own row, with its total
            elif aggregate_rows(rd, table) is not None:
                kinds[rd.row] = ROW_TOTAL
            elif rd.voce and not rd.has_values and flat_floor < len(LEVELS) - 1 and \
                    (h := heading_head(rd, profile, with_values=False)) is not None and \
                    _lines_follow(data, i):
                heads[rd.row] = h  # «SERVIZIO TM» in the voce column, under an area column
                kinds[rd.row] = ROW_HEADING
            elif rd.voce and _continues_line(data, i, kinds):
                kinds[rd.row] = ROW_NOTE
            elif rd.voce:
                kinds[rd.row] = ROW_LINE
            elif rd.has_values:
                kinds[rd.row] = "forse"
            else:
                kinds[rd.row] = ROW_HEADING  # a group written on its own row
            continue
        if not rd.label and rd.has_values:
            kinds[rd.row] = ROW_TOTAL  # amounts with no label: not a line
            continue
        h = heading_head(rd, profile, with_values=rd.has_values)
        if h is None and rd.formulas and aggregate_rows(rd, table) is not None:
            kinds[rd.row] = ROW_TOTAL
            continue
        if h is None and rd.has_values and rd.bold and profile.bold < 0.3 \
                and heads_following(data, i, ykeys):
            h = make_head(rd)
        if h is not None:
            heads[rd.row] = h
            kinds[rd.row] = ROW_HEADING
        elif rd.has_values and rd.bold and profile.bold < 0.3:
            kinds[rd.row] = "forse"
        elif not rd.has_values and _continues_line(data, i, kinds):
            kinds[rd.row] = ROW_NOTE
        else:
            kinds[rd.row] = ROW_LINE
    line_rows = sorted(r for r, k in kinds.items() if k in (ROW_LINE, "forse"))
    floor = max((LEVELS.index(g.level) for g in sheet.stack), default=-1)
    if heads and flat_cols:
        floor = max(floor, flat_floor)
    anchors = {n.depth: g.level for g in sheet.stack if (n := numbering_of(g.text))}
    names = rank_heads(list(heads.values()), line_rows, hint, floor, anchors)
    table.levels = names
    _walk(st, sheet, table, data, kinds, heads, ykeys, flat_cols, stated_totals,
          last_on_sheet)


_PART_FIRST = "dD-–—•*("  # what a «di cui» label can start with, but spaces


def _worded_and_plain(data: list[RowData], table: TableLayout
                      ) -> tuple[set[int], list[RowData]]:
    """The rows a total word labels, and the rows with amounts that read as lines (no total
    word, no heading word, no formula adding up rows): the rows headings stand out from."""
    worded: set[int] = set()
    plain: list[RowData] = []
    for rd in data:
        voce = rd.voce
        if (voce and is_total_label(voce)) or ((rd.groups or rd.code) and total_word(rd)):
            worded.add(rd.row)
        elif rd.has_values and heading_of(voce or rd.label, rd.bold) is None and (
                not rd.formulas or aggregate_rows(rd, table) is None):
            plain.append(rd)
    return worded, plain


def _next_line(data: list[RowData], i: int, kinds: dict[int, str]) -> RowData | None:
    for j in range(i + 1, len(data)):
        nxt = data[j]
        if kinds.get(nxt.row) in (ROW_LINE, "forse"):
            return nxt
    return None


def _lines_follow(data: list[RowData], i: int) -> bool:
    """The next row with a text holds amounts, or is another heading-like row."""
    for j in range(i + 1, len(data)):
        nxt = data[j]
        if nxt.blank:
            continue
        return bool(nxt.voce or nxt.label)
    return False


def _follows_line(kinds: dict[int, str], data: list[RowData], i: int) -> bool:
    """The nearest row above with a role is a line (or another «di cui» of it)."""
    for j in range(i - 1, -1, -1):
        kind = kinds.get(data[j].row)
        if kind is not None:
            return kind in (ROW_LINE, ROW_PART, "forse")
    return False


def _group_of(head: Head, sheet_name: str, col: int | None) -> GroupRef:
    label = strip_numbering(head.label) if head.level == "obiettivo" else head.label
    return GroupRef(level=head.level, label=label, text=head.text, number=head.number,
                    cell=sheet_ref(sheet_name, head.row, col) if col else None,
                    rank=LEVELS.index(head.level))


def _walk(st: ReadState, sheet: SheetState, table: TableLayout, data: list[RowData],
          kinds: dict[int, str], heads: dict[int, Head], ykeys: dict[int, int],
          flat_cols: list[int], stated_totals: str | None, last_on_sheet: bool) -> None:
    voce_col = table.voce_col
    roles: list[RowRole] = []
    totals: list[TotalRow] = []
    table_lines: list[int] = []
    flat = FlatGroups(table, data, flat_cols) if flat_cols else None
    base = tuple(sheet.stack)
    path: tuple[GroupRef, ...] = base
    reopened: GroupRef | None = None
    inner: list[GroupRef] = []  # headings in the voce column under the group columns
    inner_of: tuple[GroupRef, ...] = ()  # the group columns' path they stand under
    stack_path = tuple(sheet.stack)  # the open groups, as a path (kept as they change)
    year_items = list(ykeys.items())
    add_role = roles.append
    # the usual lines wait here, to be added at once before any other row is read
    run_rows: list[int] = []
    run_years: list[dict[int, int]] = []
    texts: dict[int, str] = {}  # id(group) -> its text as _reopened compares it
    for i, rd in enumerate(data):
        kind = kinds.get(rd.row)
        if kind is None:
            continue
        if kind == ROW_LINE and flat is None:  # the usual row first: a line
            values = rd.values
            by_year = {}
            for c, k in year_items:
                v = values.get(c)
                if v is not None:
                    by_year[k] = v
            run_rows.append(rd.row)
            run_years.append(by_year)
            add_role(RowRole(rd.row, ROW_LINE, rd.voce, stack_path))
            continue
        if run_rows:
            table_lines.extend(st.add_lines(table, run_rows, run_years, stack_path))
            run_rows, run_years = [], []
        if kind in (ROW_IGNORE, ROW_NOTE, ROW_PART):
            roles.append(RowRole(rd.row, kind, label=rd.label))
            continue
        if flat is not None:
            if kind in (ROW_LINE, ROW_HEADING, "forse"):
                src = rd
                if rd.row in heads and not any(rd.groups.get(c) for c in flat_cols):
                    src = _next_line(data, i, kinds) or rd  # its groups are the lines'
                outer = base + flat.path(src, commit=kind != "forse")
                if outer != inner_of:
                    inner, inner_of = [], outer
                path = outer + tuple(inner)
            if kind == ROW_HEADING and rd.row in heads:
                group = _group_of(heads[rd.row], table.sheet, voce_col)
                while inner and inner[-1].rank >= group.rank:
                    inner.pop()
                inner.append(group)
                path = inner_of + tuple(inner)
                roles.append(RowRole(rd.row, ROW_HEADING, label=rd.label, path=path,
                                     group=group))
                continue
        else:
            path = stack_path
        if kind == ROW_HEADING and flat is None and rd.row in heads:
            again = _reopened(heads[rd.row], sheet.stack, texts)
            if again is not None:  # the name of an open group, under its lines: its total
                if not rd.has_values:
                    roles.append(RowRole(rd.row, ROW_IGNORE, label=rd.label))
                    continue
                kind = ROW_TOTAL
                reopened = again
        if kind == ROW_HEADING:
            if flat is not None:
                group = path[-1] if len(path) > len(base) else None
                role = RowRole(rd.row, ROW_HEADING, label=rd.label, path=path, group=group)
                roles.append(role)
                if rd.has_values and group is not None:
                    totals.append(TotalRow(rd, rd.label, group.level, None, group, None,
                                         path, len(st.lines), len(table_lines), role))
                continue
            head = heads.get(rd.row)
            if head is None:
                roles.append(RowRole(rd.row, ROW_IGNORE, label=rd.label))
                continue
            group = _group_of(head, table.sheet, voce_col)
            sheet.open(group, table.index)
            stack_path = tuple(sheet.stack)
            role = RowRole(rd.row, ROW_HEADING, label=rd.label, path=stack_path,
                           group=group)
            roles.append(role)
            if rd.has_values:
                totals.append(TotalRow(rd, rd.label, group.level, None, group, None,
                                     stack_path, len(st.lines), len(table_lines),
                                     role))
            continue
        if kind == "forse":
            named = named_group(rd, path)
            if named is None and not reconciles_below(st, rd, path, table_lines, ykeys):
                kind = ROW_LINE if rd.voce or not flat_cols else ROW_TOTAL
                if kind == ROW_LINE and flat is not None:
                    path = base + flat.path(rd, commit=True)
            else:
                kind = ROW_TOTAL
        if kind == ROW_TOTAL:
            label = rd.label
            scope = total_level(label) if is_total_label(label) else None
            named = reopened or named_group(rd, path)
            reopened = None
            role = RowRole(rd.row, ROW_TOTAL, label=label)
            just_opened = _just_opened(roles)
            own = just_opened if just_opened is not None and named in (None, just_opened) \
                and scope in (None, just_opened.level) else None
            roles.append(role)
            totals.append(TotalRow(rd, label, scope or (named.level if named else None),
                                 aggregate_rows(rd, table), own, named, path,
                                 len(st.lines), len(table_lines), role))
            continue
        by_year = {k: v for c, k in ykeys.items() if (v := rd.values.get(c)) is not None}
        seq = st.add_line(table, rd.row, by_year, path)
        table_lines.append(seq)
        roles.append(RowRole(rd.row, ROW_LINE, label=rd.voce, path=path))
    if run_rows:
        table_lines.extend(st.add_lines(table, run_rows, run_years, stack_path))
    table.rows = roles
    if flat_cols:
        numbers_from_codes(st, table, data)
    ends = {id(g) for g in sheet.stack if sheet.opened_in.get(id(g)) == table.index}
    ends |= {id(r.group) for r in roles if r.group is not None}
    if last_on_sheet:
        ends |= {id(g) for g in sheet.stack}
    resolve_totals(st, table, totals, table_lines, ykeys, base, stated_totals, ends)


def _just_opened(roles: list[RowRole]) -> GroupRef | None:
    """The group whose heading is the row right before (no line, no total since): a
    total written there is that group's, above its lines."""
    for role in reversed(roles):
        if role.role in (ROW_NOTE, ROW_IGNORE):
            continue
        if role.role == ROW_HEADING and role.covers is None and role.group is not None:
            return role.group
        return None
    return None


def _reopened(head: Head, stack: list[GroupRef], texts: dict[int, str] | None = None
              ) -> GroupRef | None:
    """The open group a heading repeats (the same text), if any. ``texts``: the groups'
    texts as compared (by id), kept between calls."""
    text = normalise_label(head.text)
    for g in stack:
        if texts is None:
            other = normalise_label(g.text)
        elif (other := texts.get(id(g))) is None:
            other = texts[id(g)] = normalise_label(g.text)
        if other == text:
            return g
    return None
