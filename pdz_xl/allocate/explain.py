"""Why an allocation is impossible, in Italian, from the elastic problem's shortfall."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..channels.display import channel_label, channel_labels
from ..money import format_eur
from ..plan import Line
from ..plurals import plural, word
from .model import Model
from .problem import Shortfall

_SHOWN = 3  # lines named per item; the rest are counted


@dataclass
class ChannelShort:
    """A channel that does not hold enough for the lines that can only use it."""

    code: str
    disponibile: int
    short: int
    lines: list[Line] = field(default_factory=list)
    label: str = ""  # the name the workbook gives it (the code when empty)
    also: list[tuple[str, int]] = field(default_factory=list)  # the lines' other channels


@dataclass
class LineProblem:
    """A line that no eligible channel can cover (in part or at all)."""

    line: Line
    missing: int
    reason: str


@dataclass
class Explanation:
    """The smallest shortfall and where it falls; ``message`` is what the user reads."""

    total: int
    channels: list[ChannelShort] = field(default_factory=list)
    lines: list[LineProblem] = field(default_factory=list)
    rule_conflicts: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """Italian, one item per line of text."""
        if self.total:
            head = (f"allocazione impossibile: mancano almeno {format_eur(self.total)} per "
                    "coprire tutte le righe entro le regole e le disponibilità dei canali.")
        else:
            head = "allocazione impossibile: le regole sono in conflitto tra loro."
        items = [_channel_text(c) for c in self.channels]
        items += [_line_text(p) for p in self.lines]
        items += self.rule_conflicts
        fix = ("Per rimediare: aumentare le entrate dei canali indicati o ammettere altri "
               "canali nel foglio «Regole PDZ». Nulla è stato scritto.")
        return "\n".join([head, *(f"- {t}" for t in items), fix])


def _names(lines: list[Line]) -> str:
    shown = ", ".join(f"«{ln.voce}» ({ln.cell})" for ln in lines[:_SHOWN])
    more = len(lines) - _SHOWN
    return shown + ("" if more <= 0 else " e un'altra" if more == 1 else f" e altre {more}")


def _channel_text(c: ChannelShort) -> str:
    text = (f"canale {c.label or c.code}: dispone di {format_eur(c.disponibile)}, mancano "
            f"{format_eur(c.short)}")
    if c.lines:
        text += (f"; {word(len(c.lines), 'lo usa', 'lo usano')} "
                 f"{plural(len(c.lines), 'riga', 'righe')}: {_names(c.lines)}")
    if c.also:
        others = ", ".join(f"{name} ({format_eur(cents)})" for name, cents in c.also)
        text += (f"; le stesse righe possono usare anche {others}: le regole e le "
                 "disponibilità di tutti questi canali insieme non bastano")
    return text


def _line_text(p: LineProblem) -> str:
    return f"riga «{p.line.voce}» ({p.line.cell}): scoperti {format_eur(p.missing)}, {p.reason}"


def explain(model: Model, shortfall: Shortfall) -> Explanation:
    """The Explanation of a model's shortfall."""
    names = channel_labels(model.plan)
    p = model.problem
    eligible: dict[int, set[int]] = {}  # line -> channels its rules admit
    for i, j in zip(p.arc_line.tolist(), p.arc_channel.tolist(), strict=True):
        eligible.setdefault(i, set()).add(j)
    channels = []
    for j, cents in sorted(shortfall.channel_short.items()):
        seqs = shortfall.channel_lines.get(j, [])
        others = sorted({k for i in seqs for k in eligible.get(i, ())} - {j},
                        key=lambda k: -model.available.get(model.channels[k], 0))
        channels.append(ChannelShort(
            code=model.channels[j], disponibile=model.available.get(model.channels[j], 0),
            short=cents, lines=[model.lines[i] for i in seqs],
            label=channel_label(model.plan, model.channels[j], labels=names),
            also=[(channel_label(model.plan, model.channels[k], labels=names),
                   model.available.get(model.channels[k], 0)) for k in others]))
    no_arc = set(shortfall.no_arc_lines)
    lines = [LineProblem(model.lines[i], cents,
                         model.no_channel_reason(i) if i in no_arc else
                         "le quote massime dei canali ammessi non bastano")
             for i, cents in sorted(shortfall.line_uncovered.items())]
    conflicts = []
    for a in shortfall.bad_arcs:
        ln, code = model.lines[int(p.arc_line[a])], model.channels[int(p.arc_channel[a])]
        name = channel_label(model.plan, code, labels=names)
        conflicts.append(f"riga «{ln.voce}» ({ln.cell}), canale «{name}»: la quota minima "
                         "supera la massima o l'importo della riga")
    for i, cents in sorted(shortfall.line_excess.items()):
        ln = model.lines[i]
        conflicts.append(f"riga «{ln.voce}» ({ln.cell}): le quote minime superano "
                         f"l'importo di {format_eur(cents)}")
    return Explanation(total=shortfall.total, channels=channels, lines=lines,
                       rule_conflicts=conflicts)
