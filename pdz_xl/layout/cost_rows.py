"""The rows of a cost table: lines, headings, totals — decided so that totals reconcile.

A row is a total when its label says so (``TOTALE ...``), when its amounts are formulas
adding up other rows, when it has amounts but no label, when it repeats the name of the
group it closes, or when it stands out (bold where lines are not) and its amounts are the
sum of the lines it closes. A total is never a line. Which lines a total closes is read
both ways — totals under their lines or above them — and the reading where more totals
reconcile wins; totals that reconcile in neither are kept as written (the slips).
"""

from __future__ import annotations

import re
from collections import ChainMap
from dataclasses import dataclass

from ..cells import sheet_ref
from ..channels.catalog import normalise_label
from ..formula_refs import aggregate_areas
from .hierarchy import Head, LineProfile, heading_head, make_head, rank_heads
from .labels import (
    heading_of,
    is_note_text,
    is_total_label,
    numbering_of,
    strip_numbering,
    total_level,
    total_subject,
)
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
                    hint: tuple[str, ...] = (), stated_totals: str | None = None,
                    last_on_sheet: bool = True) -> None:
    """Fill ``table.rows``, ``table.levels`` and the totals decision."""
    ykeys = year_keys(table)
    flat_cols = [c for c, r in sorted(table.columns.items()) if r.role == COL_GROUP]
    kinds: dict[int, str] = {}
    heads: dict[int, Head] = {}
    totals_by_label: set[int] = set()
    worded = {rd.row for rd in data if (rd.voce or rd.groups or rd.code) and _total_word(rd)}
    plain = [rd for rd in data if rd.has_values and rd.row not in worded
             and not _word_heading(rd) and (not rd.formulas or _aggregate_rows(rd, table)
                                            is None)]
    profile = LineProfile.of(plain)
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
        if rd.row in worded:
            head = None if flat_cols else _total_as_heading(rd, data, i, kinds)
            if head is not None:  # «TOTALE OBIETTIVO 1: X» over its lines: it heads them
                heads[rd.row] = head
                kinds[rd.row] = ROW_HEADING
                continue
            kinds[rd.row] = ROW_TOTAL
            totals_by_label.add(rd.row)
            continue
        if not rd.has_values and _note_row(rd, profile):
            kinds[rd.row] = ROW_NOTE
            continue
        if flat_cols:
            if not rd.voce and rd.has_values and _own_row_group(rd, data, i):
                kinds[rd.row] = ROW_HEADING  # a group on its own row, with its total
            elif _aggregate_rows(rd, table) is not None:
                kinds[rd.row] = ROW_TOTAL
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
        if h is None and rd.formulas and _aggregate_rows(rd, table) is not None:
            kinds[rd.row] = ROW_TOTAL
            continue
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
    floor = max((LEVELS.index(g.level) for g in sheet.stack), default=-1)
    anchors = {n.depth: g.level for g in sheet.stack if (n := numbering_of(g.text))}
    names = rank_heads(list(heads.values()), line_rows, hint, floor, anchors)
    table.levels = names
    _walk(st, sheet, table, data, kinds, heads, ykeys, flat_cols, stated_totals,
          last_on_sheet)


def _note_row(rd: RowData, profile: LineProfile) -> bool:
    """A remark written under a table («N.B.: importi IVA compresa»), not a cost line."""
    text = rd.voce or rd.label
    if not text:
        return False
    if is_note_text(text):
        return True
    return rd.italic and not rd.bold and len(text) > 25 and text.rstrip().endswith(".")


def _total_word(rd: RowData) -> bool:
    if rd.voce and is_total_label(rd.voce):
        return True
    return any(t and is_total_label(t) for t in rd.groups.values()) or \
        bool(rd.code and is_total_label(rd.code))


def _word_heading(rd: RowData) -> bool:
    from .labels import heading_of

    return heading_of(rd.voce or rd.label, bold=rd.bold) is not None


def _aggregate_rows(rd: RowData, table: TableLayout) -> set[int] | None:
    """Rows of this table a row's formulas add up (two or more, or any inside an explicit
    ``SUM``/``SUBTOTAL``), or None. A bare reference (``=B5``) is not a total."""
    rows: set[int] | None = None
    for c, f in rd.formulas.items():
        areas = aggregate_areas(f)
        if not areas:
            continue
        got: set[int] = set()
        for sheet, r1, c1, r2, c2 in areas:
            if sheet not in (None, table.sheet) or not (c1 <= c <= c2):
                continue  # (a range over the whole column counts only the table's rows)
            got.update(range(r1, min(r2, table.last_row) + 1))
        got.discard(rd.row)
        explicit = f.lstrip("= ").upper().startswith(("SUM", "SOMMA", "SUBTOTAL"))
        if len(got) >= 2 or (got and explicit):
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
          flat_cols: list[int], stated_totals: str | None, last_on_sheet: bool) -> None:
    voce_col = table.voce_col
    roles: list[RowRole] = []
    totals: list[_Total] = []
    table_lines: list[int] = []
    flat = FlatGroups(table, data, flat_cols) if flat_cols else None
    base = tuple(sheet.stack)
    path: tuple[GroupRef, ...] = base
    reopened: GroupRef | None = None
    for rd in data:
        kind = kinds.get(rd.row)
        if kind is None:
            continue
        if kind in (ROW_IGNORE, ROW_NOTE):
            roles.append(RowRole(rd.row, kind, label=rd.label))
            continue
        if flat is not None:
            if kind in (ROW_LINE, ROW_HEADING):
                path = base + flat.path(rd, commit=True)
            elif kind == "forse":
                path = base + flat.path(rd, commit=False)
        else:
            path = tuple(sheet.stack)
        if kind == ROW_HEADING and flat is None and rd.row in heads:
            again = _reopened(heads[rd.row], sheet.stack)
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
                    totals.append(_Total(rd, rd.label, group.level, None, group, None,
                                         path, len(st.lines), len(table_lines), role))
                continue
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
                if kind == ROW_LINE and flat is not None:
                    path = base + flat.path(rd, commit=True)
            else:
                kind = ROW_TOTAL
        if kind == ROW_TOTAL:
            label = rd.label
            scope = total_level(label) if is_total_label(label) else None
            named = reopened or _named_group(rd, path)
            reopened = None
            role = RowRole(rd.row, ROW_TOTAL, label=label)
            just_opened = _just_opened(roles)
            own = just_opened if just_opened is not None and named in (None, just_opened) \
                and scope in (None, just_opened.level) else None
            roles.append(role)
            totals.append(_Total(rd, label, scope or (named.level if named else None),
                                 _aggregate_rows(rd, table), own, named, path,
                                 len(st.lines), len(table_lines), role))
            continue
        by_year = {k: v for c, k in ykeys.items() if (v := rd.values.get(c)) is not None}
        seq = st.add_line(table, rd.row, by_year, path)
        table_lines.append(seq)
        roles.append(RowRole(rd.row, ROW_LINE, label=rd.voce, path=path))
    table.rows = roles
    if flat_cols:
        _numbers_from_codes(st, table, data)
    ends = {id(g) for g in sheet.stack if sheet.opened_in.get(id(g)) == table.index}
    ends |= {id(r.group) for r in roles if r.group is not None}
    if last_on_sheet:
        ends |= {id(g) for g in sheet.stack}
    _resolve_totals(st, table, totals, table_lines, ykeys, base, stated_totals, ends)


def _total_as_heading(rd: RowData, data: list[RowData], i: int, kinds: dict[int, str]
                      ) -> Head | None:
    """A total whose label names a group (``TOTALE BUDGET OBIETTIVO 1: CARTELLA SOCIALE``)
    written over lines of that group, with no heading of it since the last line: the
    row heads the group and states its total."""
    label = rd.voce or rd.label
    subject = re.sub(r"^\s*(totale|tot\.?|subtotale)\s+(budget\s+|costi\s+)?", "", label,
                     flags=re.I)
    word = heading_of(subject, bold=True) if subject != label else None
    if word is None or not rd.has_values:
        return None
    for prev in reversed(data[:i]):  # a heading of that level since the last line?
        kind = kinds.get(prev.row)
        if kind in (ROW_LINE, "forse", ROW_TOTAL):
            break
        if kind == ROW_HEADING:
            h = heading_of(prev.voce or prev.label, bold=True)
            if h is not None and h.level == word.level:
                return None
    for nxt in data[i + 1:]:  # what follows: its lines, or a group of that level?
        if nxt.blank or is_note_text(nxt.voce or nxt.label):
            continue
        if _total_word(nxt):
            return None
        h = heading_of(nxt.voce or nxt.label, bold=nxt.bold)
        if h is not None and LEVELS.index(h.level) <= LEVELS.index(word.level):
            return None  # a new group of that level follows: this total closed the one above
        if nxt.has_values:
            break  # lines of its group follow
    else:
        return None
    return make_head(rd.__class__(row=rd.row, voce=subject, bold=rd.bold, caps=rd.caps,
                                  has_values=True), word.level)


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


def _own_row_group(rd: RowData, data: list[RowData], i: int) -> bool:
    """A flat row naming a group and nothing deeper, with amounts, followed by rows of that
    group: the group's heading carrying its total (a staircase, a pivot with subtotals
    on top)."""
    filled = [c for c, t in sorted(rd.groups.items()) if t]
    if not filled:
        return False
    deepest = filled[-1]
    for nxt in data[i + 1:i + 4]:
        if nxt.blank:
            continue
        return bool(nxt.voce) or any(t for c, t in nxt.groups.items() if c > deepest)
    return False


def _reopened(head: Head, stack: list[GroupRef]) -> GroupRef | None:
    """The open group a heading repeats (the same text), if any."""
    text = normalise_label(head.text)
    for g in stack:
        if normalise_label(g.text) == text:
            return g
    return None


class FlatGroups:
    """The groups of a flat list's rows, from its group columns. A column that repeats
    its value on consecutive rows is complete: a blank there means no group. A column
    written only where the group changes (a pivot export, a staircase) carries its value
    down until an outer column changes."""

    def __init__(self, table: TableLayout, data: list[RowData], cols: list[int]) -> None:
        self.cols = cols
        self.sheet = table.sheet
        self.level = {c: table.columns[c].level or "azione" for c in cols}
        self.rank = {c: LEVELS.index(self.level[c]) for c in cols}
        self.open: dict[int, GroupRef] = {}
        self.sparse = {c: not _repeats(data, c) for c in cols}

    def path(self, rd: RowData, commit: bool = True) -> tuple[GroupRef, ...]:
        open_ = self.open if commit else dict(self.open)
        out: list[GroupRef] = []
        changed = False
        for c in self.cols:
            text = rd.groups.get(c, "")
            if not text:
                if self.sparse[c] and not changed and c in open_:
                    out.append(open_[c])
                    continue
                open_.pop(c, None)
                continue
            cur = open_.get(c)
            if cur is None or changed or cur.text != text:
                cur = _flat_group(text, self.level[c], self.rank[c],
                                  sheet_ref(self.sheet, rd.row, c))
                open_[c] = cur
                changed = True
            out.append(cur)
        return tuple(out)


def _repeats(data: list[RowData], col: int) -> bool:
    """True when the column holds the same text on two consecutive rows with a voce."""
    last = None
    for rd in data:
        if not rd.voce:
            continue
        t = rd.groups.get(col, "")
        if t and t == last:
            return True
        last = t
    return False


def _flat_group(text: str, level: str, rank: int, cell: str) -> GroupRef:
    h = heading_of(text, bold=True)
    number = h.number if h and h.level == level else None
    label = strip_numbering(text) if level == "obiettivo" else text
    if number is None and level == "obiettivo":
        num = numbering_of(text)
        number = num.parts[-1] if num else None
    return GroupRef(level=level, label=label, text=text, number=number, cell=cell, rank=rank)


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
    """The open group whose name the row repeats (``SERVIZIO TM`` under its lines, or
    ``CARTELLA SOCIALE Totale``)."""
    label = normalise_label(strip_numbering(rd.label)) if rd.label else ""
    whole = normalise_label(rd.label) if rd.label else ""
    if label and is_total_label(rd.label):
        label = whole = total_subject(rd.label)
    if not label:
        return None
    for g in reversed(path):  # the text as written first: an azione's label may repeat
        if whole == normalise_label(g.text):  # its servizio's name
            return g
    for g in reversed(path):
        if label == normalise_label(g.text):
            return g
    for g in reversed(path):
        if label == normalise_label(g.label):
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
        if scope == "table":  # since the previous total of the whole table (sections)
            start = max((o.table_at for o in totals if o.rd.row < t.rd.row
                         and o.own is None and o.scope not in LEVELS and o.scope != "grand"),
                        default=0)
            return table_lines[start:t.table_at]
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


def _formula_lines(st: ReadState, t: _Total, row_to_seq: ChainMap,
                   resolved: dict[int, list[int]], sheet: str) -> set[int] | None:
    """The lines a total's formula adds up: line rows, and the lines of the totals it
    sums (of this table, or of an earlier table of the sheet)."""
    if t.formula_rows is None:
        return None
    out: set[int] = set()
    for r in t.formula_rows:
        if r in row_to_seq:
            out.add(row_to_seq[r])
        elif r in resolved:
            out.update(resolved[r])
        elif (sheet, r) in st.total_lines:
            out.update(st.total_lines[(sheet, r)])
    return out


def _resolve_totals(st: ReadState, table: TableLayout, totals: list[_Total],
                    table_lines: list[int], ykeys: dict[int, int],
                    base: tuple[GroupRef, ...], stated: str | None = None,
                    ends_at_end: set[int] = frozenset()) -> None:
    """Choose what each total closes, and whether totals stand under or above lines."""
    if not totals:
        table.totals = "sotto"
        return
    row_to_seq = ChainMap({st.lines[s].row: s for s in table_lines},
                          st.sheet_rows.get(table.sheet, {}))
    first_content = next((r.row for r in table.rows if r.role in (ROW_LINE, ROW_TOTAL)), None)
    follows = _what_follows(table.rows)
    scores: dict[str, tuple[int, int]] = {}
    choices: dict[str, dict[int, tuple[str, list[int]]]] = {}
    for position in ("sotto", "sopra"):
        ok = empty = 0
        chosen: dict[int, tuple[str, list[int]]] = {}
        resolved: dict[int, list[int]] = {}
        closed: set[tuple[str, int]] = set()  # (scope, group) already given a total
        order = totals if position == "sotto" else list(reversed(totals))
        for t in order:
            if t.own is not None:
                lines = list(st.group_lines(t.own))
                closed.add((t.own.level, id(t.own)))
                chosen[t.rd.row] = (t.own.level, lines)
                resolved[t.rd.row] = lines
                continue
            formula = _formula_lines(st, t, row_to_seq, resolved, table.sheet)
            scope, lines, good = _best_scope(st, t, position, table_lines, totals, formula,
                                             ykeys, closed,
                                             follows.get(t.rd.row) if position == "sotto"
                                             else ROW_LINE, ends_at_end)
            closed.add(_closes(t, scope))
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
    elif not n:
        table.decisions.append(Decision(
            f"totali {table.anchor}", position, SURE_HIGH,
            "i totali sono formule o titoli con importo: chiudono le righe che sommano"))
    else:
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
        st.total_lines[(table.sheet, t.rd.row)] = lines
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


def _what_follows(roles: list[RowRole]) -> dict[int, str | None]:
    """For each total row: what comes next — another total, a line, the level of the
    next heading, or None at the end of the table."""
    out: dict[int, str | None] = {}
    nxt: str | None = None
    for role in reversed(roles):
        if role.role == ROW_TOTAL:
            out[role.row] = nxt
            nxt = ROW_TOTAL
        elif role.role == ROW_LINE:
            nxt = ROW_LINE
        elif role.role == ROW_HEADING:
            out[role.row] = nxt
            nxt = role.group.level if role.group is not None else nxt
    return out


def _widest_ending(options: list[tuple[str, list[int]]], i: int, t: _Total,
                   after: str | None, ends_at_end: set[int]) -> tuple[str, list[int]]:
    """Among scopes closing the very same lines (a servizio with one azione), the widest
    group that ends at this total: what follows it says which groups end (the next
    heading's level and those below it; all at the end of the table). Followed by
    another total, it is the narrower one (the wider total comes next)."""
    scope, lines = options[i]
    if t.scope is not None or t.named is not None or after in (ROW_TOTAL, ROW_LINE):
        return scope, lines
    same = [o for o in options[i:] if o[0] in LEVELS and set(o[1]) == set(lines)]
    if after is None:  # the end of the table ends the groups opened in it (or all of
        ending = [o for o in same if _closes(t, o[0])[1] in ends_at_end]  # them, last)
    else:
        floor = LEVELS.index(after)
        ending = [o for o in same if LEVELS.index(o[0]) >= floor]
    return ending[-1] if ending else (scope, lines)


def _closes(t: _Total, scope: str) -> tuple[str, int]:
    """What a total closes: (scope, the group) — a group has one total."""
    g = next((g for g in reversed(t.stack) if g.level == scope), None)
    return scope, id(g) if g is not None else 0


def _best_scope(st: ReadState, t: _Total, position: str, table_lines: list[int],
                totals: list[_Total], formula: set[int] | None, ykeys: dict[int, int],
                closed: set[tuple[str, int]] = frozenset(), after: str | None = None,
                ends_at_end: set[int] = frozenset()) -> tuple[str, list[int], bool]:
    """The scope whose lines the total closes: the formula's lines, else the lines it
    reconciles with, else what its label names, else the innermost open group."""
    if t.named is not None and t.named in t.stack and position == "sotto":
        candidates = [t.named.level]
    elif t.scope in LEVELS or t.scope == "grand":
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
        if scope in LEVELS and position == "sotto" and t.scope != scope and \
                _closes(t, scope) in closed and len(candidates) > 1:
            continue  # that group has its total already: this one closes an outer one
        lines = _coverage(st, t, scope, position, table_lines, totals)
        if lines is not None:
            options.append((scope, lines))
    if not options:
        return ("table", table_lines[:t.table_at] if position == "sotto"
                else table_lines[t.table_at:], False)
    if formula is not None:
        for i, (scope, lines) in enumerate(options):
            if set(lines) == formula:
                scope, lines = _widest_ending(options, i, t, after, ends_at_end)
                return scope, lines, _matches(st, stated, lines)
    for i, (scope, lines) in enumerate(options):
        if _matches(st, stated, lines):
            scope, lines = _widest_ending(options, i, t, after, ends_at_end)
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
