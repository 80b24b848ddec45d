"""The oracle figures of ../shared/data as a tree of groups and cost lines.

One job: turn the CSV rows (``tests.support.oracles.rows``) into what every layout builder
lays out — the groups a line belongs to (area → servizio → azione for 2021, obiettivo →
azione for 2018), its amounts in cents, its channel split and the totals the documents
state. Nothing is corrected: the documents' slips stay in ``Dataset.stated``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..oracles import CHANNELS_2021, cents, rows

_AZIONE = re.compile(r"^Azione (\d+): (.*)$", re.S)


@dataclass(frozen=True)
class Group:
    """A group as the oracle names it; ``key`` (the oracle path down to it) is its identity."""

    level: str  # area | servizio | azione | obiettivo
    name: str  # «AREA SERVIZI AZIENDALI», «SERVIZIO TM», «Azione 1: …», «CARTELLA SOCIALE»
    number: int | None  # area index (1-based), obiettivo n, azione n
    key: tuple[str, ...]

    @property
    def bare(self) -> str:
        """An azione's name without «Azione n: » (other groups: the name)."""
        m = _AZIONE.match(self.name)
        return m.group(2) if m else self.name


@dataclass(frozen=True)
class CostLine:
    """One cost line: its groups outermost first, voce, amounts and channel split."""

    index: int
    groups: tuple[Group, ...]
    voce: str
    amounts: tuple[tuple[int, int | None], ...]  # year -> cents (None: blank)
    channels: tuple[tuple[str, int | None], ...]  # its table's channel columns, in order
    table: int  # 2021: the CSV «tabella»; 2018: the obiettivo number

    def amount(self, year: int) -> int | None:
        return dict(self.amounts).get(year)

    def channel(self, code: str) -> int | None:
        return dict(self.channels).get(code)


@dataclass(frozen=True)
class Stated:
    """A total the document states (typed or computed there): the group it closes."""

    group: Group
    label: str  # «TOTALE SERVIZIO TM», «TOTALE OBIETTIVO 1»
    amounts: tuple[tuple[int, int], ...]


@dataclass
class Node:
    """A group with its children (sub-groups or lines) in document order."""

    group: Group
    children: list[Node | CostLine] = field(default_factory=list)
    depth: int = 0

    def lines(self) -> list[CostLine]:
        out: list[CostLine] = []
        for c in self.children:
            out.extend(c.lines() if isinstance(c, Node) else [c])
        return out

    def nodes(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


@dataclass
class Dataset:
    """One document's figures."""

    name: str  # "2021" | "2018"
    years: tuple[int, ...]  # the years each line has in the document
    plan_year: int
    comparison_year: int | None
    lines: list[CostLine]
    stated: list[Stated]
    channel_order: tuple[str, ...]

    def tree(self) -> list[Node]:
        """The top groups (areas / obiettivi) with their sub-groups and lines."""
        return _tree(self.lines)

    def stated_for(self, group: Group) -> Stated | None:
        return next((s for s in self.stated if s.group.key == group.key), None)

    def line_sum(self, key: tuple[str, ...], year: int) -> int:
        """Exact sum (blank = 0) of the lines under a group key; () is every line."""
        return sum(ln.amount(year) or 0 for ln in self.lines
                   if tuple(g.name for g in ln.groups)[:len(key)] == key)


def _azione_number(text: str) -> int | None:
    m = _AZIONE.match(text)
    return int(m.group(1)) if m else None


def _tree(lines: list[CostLine]) -> list[Node]:
    top: list[Node] = []
    for ln in lines:
        level_nodes = top
        parent: Node | None = None
        for depth, g in enumerate(ln.groups):
            if not level_nodes or not isinstance(level_nodes[-1], Node) \
                    or level_nodes[-1].group.key != g.key:
                node = Node(g, depth=depth)
                level_nodes.append(node)
            parent = level_nodes[-1]
            level_nodes = parent.children
        assert parent is not None
        parent.children.append(ln)
    return top


@cache
def load(name: str) -> Dataset:
    """The 2021 Piano Programma or the 2018 Piano Operativo."""
    if name == "2021":
        return _load_2021()
    if name == "2018":
        return _load_2018()
    raise ValueError(f"unknown dataset {name!r}")


def _load_2021() -> Dataset:
    lines: list[CostLine] = []
    areas: dict[str, int] = {}
    for i, r in enumerate(rows("pp2021_lines.csv")):
        area_n = areas.setdefault(r["area"], len(areas) + 1)
        groups = [Group("area", r["area"], area_n, (r["area"],))]
        if r["servizio"]:
            groups.append(Group("servizio", r["servizio"], None, (r["area"], r["servizio"])))
        key = (*(g.name for g in groups), r["azione"])
        groups.append(Group("azione", r["azione"], _azione_number(r["azione"]), key))
        cols = r["colonne_canali_della_tabella"].split("|")
        lines.append(CostLine(
            index=i, groups=tuple(groups), voce=r["voce"],
            amounts=((2020, cents(r["budget_2020"])), (2021, cents(r["budget_2021"]))),
            channels=tuple((c, cents(r[c])) for c in cols), table=int(r["tabella"])))
    by_key = {ln.groups[i].key: ln.groups[i] for ln in lines for i in range(len(ln.groups))}
    stated = []
    for r in rows("pp2021_totals.csv"):
        key = (r["area"], r["servizio"]) if r["servizio"] else (r["area"],)
        stated.append(Stated(by_key[key], r["voce_totale"], (
            (2020, cents(r["totale_dichiarato_2020"])),
            (2021, cents(r["totale_dichiarato_2021"])))))
    return Dataset("2021", (2020, 2021), 2021, 2020, lines, stated, tuple(CHANNELS_2021))


def _load_2018() -> Dataset:
    lines: list[CostLine] = []
    for i, r in enumerate(rows("po2018_lines.csv")):
        n = int(r["obiettivo_n"])
        ob = Group("obiettivo", r["obiettivo"], n, (r["obiettivo"],))
        az = Group("azione", r["azione"], _azione_number(r["azione"]),
                   (r["obiettivo"], r["azione"]))
        lines.append(CostLine(index=i, groups=(ob, az), voce=r["voce"],
                              amounts=((2018, cents(r["importo_2018"])),), channels=(),
                              table=n))
    obiettivi = {ln.groups[0].number: ln.groups[0] for ln in lines}
    stated = [Stated(obiettivi[int(r["obiettivo_n"])], f"TOTALE OBIETTIVO {r['obiettivo_n']}",
                     ((2018, cents(r["totale_dichiarato_2018"])),))
              for r in rows("po2018_totals.csv")]
    return Dataset("2018", (2018,), 2018, None, lines, stated, ())
