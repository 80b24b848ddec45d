"""Group headings inside one label column: which rows are headings, of which rank.

Signals, as offices use them: a level word (``Azione 3:``, ``OBIETTIVO 1``, ``AREA``,
``SERVIZIO``), numbering (``7.1``, ``7.1.2``), Excel outline levels, indentation, bold,
capitals, a fill. A text row without amounts is a heading when it stands out from the
cost lines by one of them; otherwise it is a line with no amount (real plans have those).
Ranks come from the level words where present; otherwise from numbering depth, outline,
indentation and emphasis, ordered by how headings follow each other.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .columns import default_levels
from .labels import Heading, heading_of, numbering_of
from .model import LEVELS
from .rowdata import RowData


@dataclass(slots=True)
class LineProfile:
    """How the cost lines of a table look (the rows headings stand out from)."""

    indent: int = 0
    outline: int = 0
    bold: float = 0.0
    caps: float = 0.0
    fill: float = 0.0
    depth: int | None = None  # numbering depth of the lines, when they are numbered

    @classmethod
    def of(cls, rows: list[RowData]) -> LineProfile:
        if not rows:
            return cls()
        n = len(rows)
        depths: dict[int | None, int] = {}
        indents: dict[int, int] = {}
        outlines: dict[int, int] = {}
        bold = caps = fill = 0
        for r in rows:  # one pass; ties go to the value met first, as Counter's
            num = numbering_of(r.voce)
            d = num.depth if num else None
            depths[d] = depths.get(d, 0) + 1
            indents[r.indent] = indents.get(r.indent, 0) + 1
            outlines[r.outline] = outlines.get(r.outline, 0) + 1
            bold += r.bold
            caps += r.caps
            fill += r.fill
        depth, count = max(depths.items(), key=_count)
        return cls(
            indent=max(indents.items(), key=_count)[0],
            outline=max(outlines.items(), key=_count)[0],
            bold=bold / n,
            caps=caps / n,
            fill=fill / n,
            depth=depth if depth is not None and count * 2 > n and count >= 3 else None,
        )


def _count(item: tuple) -> int:
    return item[1]


@dataclass(slots=True)
class Head:
    """A heading row with what makes it one."""

    row: int
    text: str
    word: Heading | None
    depth: int | None  # numbering depth
    number: int | None
    label: str
    outline: int
    indent: int
    emphasis: int  # 3 bold capitals, 2 bold, 1 capitals, 0 none
    has_values: bool = False
    rank: int = 0
    level: str = ""
    klass: tuple = field(default_factory=tuple)


def heading_head(rd: RowData, profile: LineProfile, *, with_values: bool) -> Head | None:
    """The row as a heading, or None when it reads as a cost line."""
    text = rd.voce or rd.label
    if not text:
        return None
    word = heading_of(text, rd.bold)  # (positional: one cache key)
    num = numbering_of(text)
    emphasis = (2 if rd.bold else 0) + (1 if rd.caps else 0)
    strong = word is not None or (num is not None and (profile.depth is None
                                                        or num.depth < profile.depth))
    if with_values:
        # a row with amounts heads a group only when its word or numbering says so, or
        # when it stands out by emphasis *and* the lines do not share it
        if not strong and not (rd.bold and rd.caps and profile.bold < 0.3):
            return None
    elif not strong:
        standout = (rd.outline < profile.outline or rd.indent < profile.indent
                    or (rd.bold and profile.bold < 0.5)
                    or (rd.caps and profile.caps < 0.2)
                    or (rd.fill and profile.fill < 0.3))
        if not standout:
            return None
    if word is not None:
        number, label = word.number, word.label
    elif num is not None:
        number, label = num.parts[-1], num.rest
    else:
        number, label = None, text
    return Head(row=rd.row, text=text, word=word, depth=num.depth if num else None,
                number=number, label=label, outline=rd.outline, indent=rd.indent,
                emphasis=emphasis, has_values=with_values)


def make_head(rd: RowData, level: str | None = None) -> Head:
    """The row as a heading whatever its style (stated in «_pdz», or proven by its sums)."""
    text = rd.voce or rd.label
    word = heading_of(text, bold=True)
    if level is not None and level in LEVELS and (word is None or word.level != level):
        word = Heading(level, word.number if word else None, word.label if word else text,
                       text)
    num = numbering_of(text)
    number = word.number if word else (num.parts[-1] if num else None)
    label = word.label if word else (num.rest if num else text)
    return Head(row=rd.row, text=text, word=word, depth=num.depth if num else None,
                number=number, label=label, outline=rd.outline, indent=rd.indent,
                emphasis=(2 if rd.bold else 0) + (1 if rd.caps else 0),
                has_values=rd.has_values)


def rank_heads(heads: list[Head], line_rows: list[int], hint: tuple[str, ...] = (),
               floor: int = -1, anchors: dict[int, str] | None = None) -> list[str]:
    """Give every heading its rank and level name; returns the level names by rank."""
    if not heads:
        return []
    for h in heads:
        if h.word is not None:
            h.klass = ("w", h.word.level)
        elif h.depth and anchors and h.depth in anchors:  # numbered like an open group
            h.klass = ("w", anchors[h.depth])
        elif h.depth:
            h.klass = ("s", h.depth, 0, 0, 0)  # numbering alone says the level
        elif h.outline or h.indent:
            h.klass = ("s", 0, h.outline, h.indent, 0)
        else:
            h.klass = ("s", 0, 0, 0, -h.emphasis)
    _named_siblings(heads, line_rows, hint)
    classes = list(dict.fromkeys(h.klass for h in heads))
    position: dict[tuple, float] = {}
    for k in classes:
        if k[0] == "w":
            position[k] = float(LEVELS.index(k[1]))
    votes: dict[tuple, list[float]] = {k: [] for k in classes if k not in position}
    ordered = sorted(heads, key=lambda h: h.row)
    for a, b in itertools.pairwise(ordered):
        if _line_between(line_rows, a.row, b.row):
            continue
        if a.klass in votes and b.klass in position:
            votes[a.klass].append(position[b.klass] - 0.5)
        elif b.klass in votes and a.klass in position:
            votes[b.klass].append(position[a.klass] + 0.5)
    unknown = [k for k in classes if k not in position]
    depth_of = _class_depths(heads)
    for k in unknown:  # numbering depth against known classes that are numbered too
        d = depth_of.get(k)
        if d is None:
            continue
        for known, pos in list(position.items()):
            kd = depth_of.get(known)
            if kd is not None and kd != d:
                votes[k].append(pos + (0.5 if d > kd else -0.5))
    for k in unknown:
        if votes[k]:
            position[k] = sum(votes[k]) / len(votes[k])
    unplaced = sorted((k for k in unknown if k not in position), key=lambda k: k[1:])
    base = floor + 0.5 if floor >= 0 else -1.0
    for i, k in enumerate(unplaced):  # no known neighbour: by their own signals, below
        position[k] = base + 0.01 * i  # what the sheet has open (or on top)
    order = sorted(classes, key=lambda k: (position[k], k[1:] if k[0] == "s" else ()))
    names = _level_names(order, hint, floor)
    rank_of = {k: i for i, k in enumerate(order)}
    for h in heads:
        h.rank = rank_of[h.klass]
        h.level = names[h.rank]
    return names


def _named_siblings(heads: list[Head], line_rows: list[int], hint: tuple[str, ...]) -> None:
    """Titles whose name merely starts with a level word (``SERVIZIO TUTELA MINORI``, no
    number) written like the titles without one (``MODELLO UNITARIO ...``), never directly
    above or below them and with no such level in the voce header, are the same level:
    their siblings' class, not a level of their own."""
    style = {}
    for h in heads:
        if h.word is None and h.klass and h.klass[0] == "s" and not h.depth:
            style.setdefault((h.outline, h.indent, h.emphasis), h.klass)
    if not style:
        return
    ordered = sorted(heads, key=lambda h: h.row)
    for i, h in enumerate(ordered):
        if h.word is None or h.word.number is not None or (hint and h.word.level in hint):
            continue
        twin = style.get((h.outline, h.indent, h.emphasis))
        if twin is None:
            continue
        near = [o for o in (ordered[i - 1] if i else None,
                            ordered[i + 1] if i + 1 < len(ordered) else None)
                if o is not None and o.klass == twin
                and not _line_between(line_rows, min(o.row, h.row), max(o.row, h.row))]
        if not near:
            h.klass = twin


def _class_depths(heads: list[Head]) -> dict[tuple, int]:
    """The numbering depth most headings of each class carry (numbered classes only)."""
    counts: dict[tuple, Counter] = {}
    for h in heads:
        if h.depth:
            counts.setdefault(h.klass, Counter())[h.depth] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def _line_between(line_rows: list[int], a: int, b: int) -> bool:
    """True when a cost line lies strictly between rows ``a`` and ``b`` (sorted rows)."""
    i = bisect_right(line_rows, a)
    return i < len(line_rows) and line_rows[i] < b


def _level_names(order: list[tuple], hint: tuple[str, ...], floor: int = -1) -> list[str]:
    """A level name per rank: the level words where headings carry them, the voce
    header's hint (``Obiettivi / Azioni / Voci``) or the usual hierarchy otherwise —
    below the groups already open on the sheet (``floor``: the deepest of their levels)."""
    known = [k[1] if k[0] == "w" else None for k in order]
    if all(known):
        return [str(k) for k in known]
    n = len(order)
    template = list(hint) if len(hint) == n else list(default_levels(n))
    if floor >= 0 and not any(known) and LEVELS.index(template[0]) <= floor:
        below = list(LEVELS[floor + 1:])
        template = below[-n:] if len(below) >= n else list(LEVELS[-n:])
    used = {k for k in known if k}
    names: list[str] = []
    for i, k in enumerate(known):
        if k:
            names.append(k)
            continue
        want = template[i] if i < len(template) else None
        lower = max((LEVELS.index(x) for x in names), default=-1)
        upper = min((LEVELS.index(x) for x in known[i + 1:] if x), default=len(LEVELS))
        if want and want not in used and lower < LEVELS.index(want) < upper:
            choice = want
        else:
            choice = next((lv for lv in LEVELS[lower + 1:upper] if lv not in used), None) \
                or next((lv for lv in LEVELS if lv not in used), LEVELS[-1])
        used.add(choice)
        names.append(choice)
    return names
