"""What each total closes, read with its lines under it and above it: the reading where
more totals reconcile wins; totals that reconcile in neither stay as written (slips)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ..channels.catalog import normalise_label
from ..plurals import word
from .labels import is_total_label, strip_numbering, total_subject
from .model import (
    COL_AMOUNT,
    LEVELS,
    ROW_HEADING,
    ROW_LINE,
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
from .state import ReadState


@dataclass(slots=True)
class TotalRow:
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


def _reconciled(k: int, n: int) -> str:
    """``2 totali su 3 tornano``, ``1 totale su 1 torna``."""
    return f"{k} {word(k, 'totale', 'totali')} su {n} {word(k, 'torna', 'tornano')}"


def year_keys(table: TableLayout) -> dict[int, int]:
    """Amount column -> year key (0 for «Importo» columns: the plan year)."""
    return {c: (r.year or 0) for c, r in table.columns.items()
            if r.role == COL_AMOUNT and not r.secondary}


def named_group(rd: RowData, path: tuple[GroupRef, ...]) -> GroupRef | None:
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


def reconciles_below(st: ReadState, rd: RowData, path: tuple[GroupRef, ...],
                      table_lines: list[int], ykeys: dict[int, int]) -> bool:
    stated = _stated(rd, ykeys)
    if not stated:
        return False
    if path and _matches(st, stated, st.group_lines(path[-1])):
        return True
    return _matches(st, stated, table_lines)


def _coverage(st: ReadState, t: TotalRow, scope: str, position: str, table_lines: list[int],
              totals: list[TotalRow]) -> list[int] | range | None:
    """The lines a total closes for a scope and a position, or None when not applicable."""
    if position == "sotto":
        if scope in LEVELS:
            g = next((g for g in reversed(t.stack) if g.level == scope), None)
            if g is None:
                return None
            members = st.group_lines(g)  # in the order read: the lines before it first
            return members[:bisect_left(members, t.seq_at)]
        if scope == "table":  # since the previous total of the whole table (sections)
            start = max((o.table_at for o in totals if o.rd.row < t.rd.row
                         and o.own is None and o.scope not in LEVELS and o.scope != "grand"),
                        default=0)
            return table_lines[start:t.table_at]
        return range(t.seq_at)  # every line before it (a list only if chosen)
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


def _formula_parts(t: TotalRow, row_to_seq: tuple[dict[int, int], dict[int, int]]
                   ) -> tuple[set[int], list[int]] | None:
    """A total's formula rows split once: the lines of the line rows it adds up (the
    table's line rows first, then the sheet's), and the other rows (totals, perhaps)."""
    if t.formula_rows is None:
        return None
    own, sheet_rows = row_to_seq
    lines: set[int] = set()
    rest: list[int] = []
    for r in t.formula_rows:
        seq = own.get(r)
        if seq is None:
            seq = sheet_rows.get(r)
        if seq is not None:
            lines.add(seq)
        else:
            rest.append(r)
    return lines, rest


def _formula_lines(st: ReadState, parts: tuple[set[int], list[int]] | None,
                   resolved: dict[int, list[int]], sheet: str) -> set[int] | None:
    """The lines a total's formula adds up: line rows, and the lines of the totals it
    sums (of this table, or of an earlier table of the sheet)."""
    if parts is None:
        return None
    lines, rest = parts
    out = set(lines)
    for r in rest:
        if r in resolved:
            out.update(resolved[r])
        elif (sheet, r) in st.total_lines:
            out.update(st.total_lines[(sheet, r)])
    return out


def resolve_totals(st: ReadState, table: TableLayout, totals: list[TotalRow],
                    table_lines: list[int], ykeys: dict[int, int],
                    base: tuple[GroupRef, ...], stated: str | None = None,
                    ends_at_end: set[int] = frozenset()) -> None:
    """Choose what each total closes, and whether totals stand under or above lines."""
    if not totals:
        table.totals = "sotto"
        return
    recs = st.lines
    row_to_seq = ({recs[s].row: s for s in table_lines}, st.sheet_rows.get(table.sheet, {}))
    first_content = next((r.row for r in table.rows if r.role in (ROW_LINE, ROW_TOTAL)), None)
    follows = _what_follows(table.rows)
    parts = {id(t): _formula_parts(t, row_to_seq) for t in totals}
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
            formula = _formula_lines(st, parts[id(t)], resolved, table.sheet)
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
        alts = [f"sotto le righe: {_reconciled(below, n)}",
                f"sopra le righe: {_reconciled(above, n)}"]
        table.decisions.append(Decision(f"totali {table.anchor}", position, sure, why, alts))
    for t in totals:
        scope, lines = choices[position][t.rd.row]
        if isinstance(lines, range):
            lines = list(lines)
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


def _widest_ending(options: list[tuple[str, list[int]]], i: int, t: TotalRow,
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


def _closes(t: TotalRow, scope: str) -> tuple[str, int]:
    """What a total closes: (scope, the group) — a group has one total."""
    g = next((g for g in reversed(t.stack) if g.level == scope), None)
    return scope, id(g) if g is not None else 0


def _same_lines(lines: list[int] | range, formula: set[int]) -> bool:
    """``set(lines) == formula``; a range of lines (all those before a total) is compared
    by its bounds."""
    if isinstance(lines, range):
        return len(lines) == len(formula) and (
            not formula or (min(formula) == lines[0] and max(formula) == lines[-1]))
    return set(lines) == formula


def _best_scope(st: ReadState, t: TotalRow, position: str, table_lines: list[int],
                totals: list[TotalRow], formula: set[int] | None, ykeys: dict[int, int],
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
    if position == "sotto" and t.table_at == 0 and table_lines and (
            formula == set(table_lines) if formula is not None
            else _matches(st, stated, table_lines)):
        # a «Totale generale» over the whole table, its groups' totals under their lines
        return ("grand" if t.scope == "grand" else "table"), list(table_lines), True
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
            if _same_lines(lines, formula):
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


