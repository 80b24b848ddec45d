"""The rows of a cost table: lines, headings, totals — decided so that totals reconcile.

A row is a total when its label says so (``TOTALE ...``), when its amounts are formulas
adding up other rows, when it has amounts but no label, when it repeats the name of the
group it closes, or when it stands out (bold where lines are not) and its amounts are the
sum of the lines it closes. A total is never a line. Which lines a total closes is read
both ways — totals under their lines or above them — and the reading where more totals
reconcile wins; totals that reconcile in neither are kept as written (the slips).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cells import sheet_ref
from ..channels.catalog import normalise_label
from ..formula_refs import aggregate_areas
from .hierarchy import Head, LineProfile, heading_head, make_head, rank_heads
from .labels import is_total_label, strip_numbering, total_level
from .model import (
    COL_AMOUNT,
    COL_GROUP,
    LEVELS,
    ROW_HEADING,
    ROW_IGNORE,
    ROW_LINE,
    ROW_NOTE,
    ROW_TOTAL,
    SURE_HIGH,
    SURE_LOW,
    SURE_MEDIUM,
    SURE_STATED,
    Decision,
    GroupRef,
    RowRole,
    TableLayout,
)
from .rowdata import RowData
from .state import ReadState, SheetState


@dataclass(slots=True)
class _Total:
    """A total row met during the walk, resolved once the table is walked."""

    rd: RowData
    label: str
    scope: str | None  # named by its label
    formula_rows: set[int] | None
    own: GroupRef | None  # a heading that states its own group's total
    named: GroupRef | None  # the open group its label repeats
    stack: tuple[GroupRef, ...]
    seq_at: int  # lines in the workbook before it
    table_at: int  # lines of the table before it
    role: RowRole | None = None


def year_keys(table: TableLayout) -> dict[int, int]:
    """Amount column -> year key (0 for «Importo» columns: the plan year)."""
    return {c: (r.year or 0) for c, r in table.columns.items()
            if r.role == COL_AMOUNT and not r.secondary}


def infer_cost_rows(st: ReadState, sheet: SheetState, table: TableLayout,
                    data: list[RowData], stated_rows: dict[int, str],
                    hint: tuple[str, ...] = (), stated_totals: str | None = None) -> None:
    """Fill ``table.rows``, ``table.levels`` and the totals decision."""
    ykeys = year_keys(table)
    flat_cols = [c for c, r in sorted(table.columns.items()) if r.role == COL_GROUP]
    kinds: dict[int, str] = {}
    heads: dict[int, Head] = {}
    totals_by_label: set[int] = set()
    plain = [rd for rd in data if rd.has_values and not _total_word(rd)]
    profile = LineProfile.of([rd for rd in plain if not _word_heading(rd)])
    for i, rd in enumerate(data):
        stated = stated_rows.get(rd.row)
        if stated:
            kinds[rd.row] = stated.split()[0]
            if kinds[rd.row] == ROW_HEADING:
                parts = stated.split()
                heads[rd.row] = make_head(rd, parts[1] if len(parts) > 1 else None)
            continue
        if rd.blank:
            continue
        if _total_word(rd):
            kinds[rd.row] = ROW_TOTAL
            totals_by_label.add(rd.row)
            continue
        if _aggregate_rows(rd, table) is not None:
            kinds[rd.row] = ROW_TOTAL
            continue
        if flat_cols:
            if rd.voce:
                kinds[rd.row] = ROW_LINE
            elif rd.has_values:
                kinds[rd.row] = "forse"
            else:
                kinds[rd.row] = ROW_IGNORE
            continue
        if not rd.label and rd.has_values:
            kinds[rd.row] = ROW_TOTAL  # amounts with no label: not a line
            continue
        h = heading_head(rd, profile, with_values=rd.has_values)
        if h is None and rd.has_values and rd.bold and profile.bold < 0.3 \
                and _heads_following(data, i, ykeys):
            h = make_head(rd)
        if h is not None:
            heads[rd.row] = h
            kinds[rd.row] = ROW_HEADING
        elif rd.has_values and rd.bold and profile.bold < 0.3:
            kinds[rd.row] = "forse"
        else:
            kinds[rd.row] = ROW_LINE
    line_rows = sorted(r for r, k in kinds.items() if k in (ROW_LINE, "forse"))
    names = rank_heads(list(heads.values()), line_rows, hint)
    table.levels = names
    _walk(st, sheet, table, data, kinds, heads, ykeys, flat_cols, stated_totals)


def _total_word(rd: RowData) -> bool:
    if rd.voce and is_total_label(rd.voce):
        return True
    return any(t and is_total_label(t) for t in rd.groups.values()) or \
        bool(rd.code and is_total_label(rd.code))


def _word_heading(rd: RowData) -> bool:
    from .labels import heading_of

    return heading_of(rd.voce or rd.label, bold=rd.bold) is not None


def _aggregate_rows(rd: RowData, table: TableLayout) -> set[int] | None:
    """Rows of this table a row's formulas add up (two or more), or None."""
    rows: set[int] | None = None
    for c, f in rd.formulas.items():
        areas = aggregate_areas(f)
        if not areas:
            continue
        got: set[int] = set()
        for sheet, r1, c1, r2, c2 in areas:
            if sheet not in (None, table.sheet) or not (c1 <= c <= c2):
                continue
            got.update(range(r1, r2 + 1))
        got.discard(rd.row)
        if len(got) >= 2 or (got and len(areas) == 1 and areas[0][1] != areas[0][3]):
            rows = (rows or set()) | got
    return rows


def _heads_following(data: list[RowData], i: int, ykeys: dict[int, int]) -> bool:
    """A bold row whose amounts equal the sum of the plain rows right below it: it heads
    them and states their total."""
    rd = data[i]
    stated = {c: v for c, v in rd.values.items() if c in ykeys and v is not None}
    if not stated:
        return False
    sums = dict.fromkeys(stated, 0)
    n = 0
    for nxt in data[i + 1:]:
        if nxt.blank:
            continue
        if nxt.bold or (nxt.voce and is_total_label(nxt.voce)):
            break
        n += 1
        for c in stated:
            sums[c] += nxt.values.get(c) or 0
    return n >= 1 and all(abs(sums[c] - v) <= 5 for c, v in stated.items())


def _group_of(head: Head, sheet_name: str, col: int | None) -> GroupRef:
    label = strip_numbering(head.label) if head.level == "obiettivo" else head.label
    return GroupRef(level=head.level, label=label, text=head.text, number=head.number,
                    cell=sheet_ref(sheet_name, head.row, col) if col else None,
                    rank=LEVELS.index(head.level))


def _walk(st: ReadState, sheet: SheetState, table: TableLayout, data: list[RowData],
          kinds: dict[int, str], heads: dict[int, Head], ykeys: dict[int, int],
          flat_cols: list[int], stated_totals: str | None) -> None:
    voce_col = table.voce_col
    roles: list[RowRole] = []
    totals: list[_Total] = []
    table_lines: list[int] = []
    flat_open: dict[int, GroupRef] = {}
    flat_level = {c: table.columns[c].level or "azione" for c in flat_cols}
    flat_rank = {c: LEVELS.index(flat_level[c]) for c in flat_cols}
    base = tuple(sheet.stack)
    for rd in data:
        kind = kinds.get(rd.row)
        if kind is None:
            continue
        if kind in (ROW_IGNORE, ROW_NOTE):
            roles.append(RowRole(rd.row, kind, label=rd.label))
            continue
        if flat_cols:
            path = base + _flat_path(rd, flat_cols, flat_open, flat_level, flat_rank,
                                     table.sheet)
        else:
            path = tuple(sheet.stack)
        if kind == ROW_HEADING:
            head = heads.get(rd.row)
            if head is None:
                roles.append(RowRole(rd.row, ROW_IGNORE, label=rd.label))
                continue
            group = _group_of(head, table.sheet, voce_col)
            sheet.open(group, table.index)
            role = RowRole(rd.row, ROW_HEADING, label=rd.label, path=tuple(sheet.stack),
                           group=group)
            roles.append(role)
            if rd.has_values:
                totals.append(_Total(rd, rd.label, group.level, None, group, None,
                                     tuple(sheet.stack), len(st.lines), len(table_lines),
                                     role))
            continue
        if kind == "forse":
            named = _named_group(rd, path)
            if named is None and not _reconciles_below(st, rd, path, table_lines, ykeys):
                kind = ROW_LINE if rd.voce or not flat_cols else ROW_TOTAL
            else:
                kind = ROW_TOTAL
        if kind == ROW_TOTAL:
            label = rd.label
            scope = total_level(label) if is_total_label(label) else None
            named = _named_group(rd, path)
            role = RowRole(rd.row, ROW_TOTAL, label=label)
            roles.append(role)
            totals.append(_Total(rd, label, scope or (named.level if named else None),
                                 _aggregate_rows(rd, table), None, named, path,
                                 len(st.lines), len(table_lines), role))
            continue
        by_year = {k: v for c, k in ykeys.items() if (v := rd.values.get(c)) is not None}
        seq = st.add_line(table, rd.row, by_year, path)
        table_lines.append(seq)
        roles.append(RowRole(rd.row, ROW_LINE, label=rd.voce, path=path))
    table.rows = roles
    if flat_cols:
        _numbers_from_codes(st, table, data)
    _resolve_totals(st, table, totals, table_lines, ykeys, base, stated_totals)


def _flat_path(rd: RowData, cols: list[int], open_: dict[int, GroupRef],
               level: dict[int, str], rank: dict[int, int], sheet_name: str
               ) -> tuple[GroupRef, ...]:
    """The groups of a row of a flat list, from its group columns (a new group where the
    text changes, or where an outer group changed)."""
    out: list[GroupRef] = []
    changed = False
    for c in cols:
        text = rd.groups.get(c, "")
        if not text:
            open_.pop(c, None)
            changed = True
            continue
        cur = open_.get(c)
        if cur is None or changed or cur.text != text:
            from .labels import heading_of

            h = heading_of(text, bold=True)
            number = h.number if h and h.level == level[c] else None
            label = strip_numbering(text) if level[c] == "obiettivo" else text
            if number is None and level[c] == "obiettivo":
                from .labels import numbering_of

                num = numbering_of(text)
                number = num.parts[-1] if num else None
            cur = GroupRef(level=level[c], label=label, text=text, number=number,
                           cell=sheet_ref(sheet_name, rd.row, c), rank=rank[c])
            open_[c] = cur
            changed = True
        out.append(cur)
    return tuple(out)


def _numbers_from_codes(st: ReadState, table: TableLayout, data: list[RowData]) -> None:
    """A code column constant within a group numbers that group (``N.`` = obiettivo n)."""
    codes = {rd.row: rd.code for rd in data if rd.code}
    if not codes:
        return
    per_group: dict[int, tuple[GroupRef, set[str]]] = {}
    for role in table.rows:
        if role.role != ROW_LINE or role.row not in codes:
            continue
        for g in role.path:
            per_group.setdefault(id(g), (g, set()))[1].add(codes[role.row])
    for g, values in per_group.values():
        if g.number is None and len(values) == 1:
            v = next(iter(values)).rstrip(".")
            if v.isdigit():
                g.number = int(v)


def _named_group(rd: RowData, path: tuple[GroupRef, ...]) -> GroupRef | None:
    """The open group whose name the row repeats (a total without the word TOTALE)."""
    label = normalise_label(strip_numbering(rd.label)) if rd.label else ""
    if not label:
        return None
    for g in reversed(path):
        if label in (normalise_label(g.text), normalise_label(g.label)):
            return g
    return None


def _stated(rd: RowData, ykeys: dict[int, int]) -> dict[int, int]:
    return {k: v for c, k in ykeys.items() if (v := rd.values.get(c)) is not None}


def _matches(st: ReadState, stated: dict[int, int], seqs) -> bool:
    if not stated or not seqs:
        return False
    sums = st.sums(seqs, stated)
    return all(abs(sums[y] - v) <= st.tolerance for y, v in stated.items())


def _reconciles_below(st: ReadState, rd: RowData, path: tuple[GroupRef, ...],
                      table_lines: list[int], ykeys: dict[int, int]) -> bool:
    stated = _stated(rd, ykeys)
    if not stated:
        return False
    if path and _matches(st, stated, st.group_lines(path[-1])):
        return True
    return _matches(st, stated, table_lines)


def _coverage(st: ReadState, t: _Total, scope: str, position: str, table_lines: list[int],
              totals: list[_Total]) -> list[int] | None:
    """The lines a total closes for a scope and a position, or None when not applicable."""
    if position == "sotto":
        if scope in LEVELS:
            g = next((g for g in reversed(t.stack) if g.level == scope), None)
            if g is None:
                return None
            return [s for s in st.group_lines(g) if s < t.seq_at]
        if scope == "table":
            return table_lines[:t.table_at]
        return list(range(t.seq_at))
    # above: the lines after it, up to the next total of the same or an outer scope
    end = len(table_lines)
    outer = LEVELS.index(scope) if scope in LEVELS else -1
    for other in totals:
        if other.rd.row <= t.rd.row or other.own is not None:
            continue
        o = other.scope
        o_idx = LEVELS.index(o) if o in LEVELS else -1
        if (scope in LEVELS and (o is None or o_idx <= outer)) or scope not in LEVELS:
            end = other.table_at
            break
    return table_lines[t.table_at:end]


def _formula_lines(st: ReadState, t: _Total, row_to_seq: dict[int, int],
                   resolved: dict[int, list[int]]) -> set[int] | None:
    if t.formula_rows is None:
        return None
    out: set[int] = set()
    for r in t.formula_rows:
        if r in row_to_seq:
            out.add(row_to_seq[r])
        elif r in resolved:
            out.update(resolved[r])
    return out


def _resolve_totals(st: ReadState, table: TableLayout, totals: list[_Total],
                    table_lines: list[int], ykeys: dict[int, int],
                    base: tuple[GroupRef, ...], stated: str | None = None) -> None:
    """Choose what each total closes, and whether totals stand under or above lines."""
    if not totals:
        table.totals = "sotto"
        return
    row_to_seq = {st.lines[s].row: s for s in table_lines}
    first_content = next((r.row for r in table.rows if r.role in (ROW_LINE, ROW_TOTAL)), None)
    scores: dict[str, tuple[int, int]] = {}
    choices: dict[str, dict[int, tuple[str, list[int]]]] = {}
    for position in ("sotto", "sopra"):
        ok = empty = 0
        chosen: dict[int, tuple[str, list[int]]] = {}
        resolved: dict[int, list[int]] = {}
        order = totals if position == "sotto" else list(reversed(totals))
        for t in order:
            if t.own is not None:
                lines = list(st.group_lines(t.own))
                chosen[t.rd.row] = (t.own.level, lines)
                resolved[t.rd.row] = lines
                continue
            scope, lines, good = _best_scope(st, t, position, table_lines, totals,
                                             _formula_lines(st, t, row_to_seq, resolved),
                                             ykeys)
            chosen[t.rd.row] = (scope, lines)
            resolved[t.rd.row] = lines
            if t.formula_rows is None:
                ok += good
                empty += not lines
        scores[position] = (ok, -empty)
        choices[position] = chosen
    position = "sotto"
    if stated is not None:
        position = stated
    elif scores["sopra"] > scores["sotto"] or (
            scores["sopra"] == scores["sotto"] and first_content is not None
            and any(t.rd.row == first_content and t.own is None for t in totals)):
        position = "sopra"
    table.totals = position
    n = sum(1 for t in totals if t.own is None and t.formula_rows is None)
    below, above = scores["sotto"][0], scores["sopra"][0]
    if stated is not None:
        table.decisions.append(Decision(f"totali {table.anchor}", position, SURE_STATED,
                                        "indicato nel foglio «_pdz»"))
    elif n:
        if below != above:
            sure = SURE_HIGH if max(below, above) == n else SURE_MEDIUM
            why = "i totali tornano con le righe " + (
                "che li precedono" if position == "sotto" else "che li seguono")
        elif below == 0:
            sure = SURE_MEDIUM  # nothing reconciles either way: the slips stay slips
            why = ("nessun totale torna in nessuna delle due letture: "
                   + ("il primo totale precede le righe" if position == "sopra"
                      else "letti sotto le loro righe, come d'uso"))
        else:
            sure, why = SURE_LOW, "le due letture spiegano gli stessi totali"
        alts = [f"sotto le righe: {below} totali su {n} tornano",
                f"sopra le righe: {above} totali su {n} tornano"]
        table.decisions.append(Decision(f"totali {table.anchor}", position, sure, why, alts))
    for t in totals:
        scope, lines = choices[position][t.rd.row]
        role = t.role
        assert role is not None
        role.scope = scope
        role.covers = tuple(lines)
        if scope in LEVELS:
            g = t.own or next((g for g in reversed(t.stack) if g.level == scope), None)
            role.group = g
            role.path = t.stack[: t.stack.index(g) + 1] if g in t.stack else t.stack
        elif scope == "table":
            role.path = base
        else:
            role.path = ()


def _best_scope(st: ReadState, t: _Total, position: str, table_lines: list[int],
                totals: list[_Total], formula: set[int] | None, ykeys: dict[int, int]
                ) -> tuple[str, list[int], bool]:
    """The scope whose lines the total closes: the formula's lines, else the lines it
    reconciles with, else what its label names, else the innermost open group."""
    if t.scope in LEVELS or t.scope == "grand":
        candidates = [t.scope]
        if t.scope in LEVELS and not any(g.level == t.scope for g in t.stack) \
                and position == "sotto":
            candidates = [g.level for g in reversed(t.stack)] + ["table", "grand"]
    else:
        candidates = [g.level for g in reversed(t.stack)] + ["table", "grand"]
        if position == "sopra":
            candidates = ["table", *candidates]
    stated = _stated(t.rd, ykeys)
    options: list[tuple[str, list[int]]] = []
    for scope in dict.fromkeys(candidates):
        lines = _coverage(st, t, scope, position, table_lines, totals)
        if lines is not None:
            options.append((scope, lines))
    if not options:
        return ("table", table_lines[:t.table_at] if position == "sotto"
                else table_lines[t.table_at:], False)
    if formula is not None:
        for scope, lines in options:
            if set(lines) == formula:
                return scope, lines, _matches(st, stated, lines)
    for scope, lines in options:
        if _matches(st, stated, lines):
            return scope, lines, True
    if t.scope is not None:
        named = [o for o in options if o[0] == t.scope]
        if named:
            return named[0][0], named[0][1], False
    if t.named is not None:
        named = [o for o in options if o[0] == t.named.level]
        if named:
            return named[0][0], named[0][1], False
    nonempty = [o for o in options if o[1]]
    scope, lines = (nonempty or options)[0]
    return scope, lines, False


__all__ = ["SURE_STATED", "infer_cost_rows", "year_keys"]
