"""The rules for every line and channel at once, as NumPy arrays.

Each field of a line (area/obiettivo, servizio, azione, voce) is reduced to an id among
the distinct texts of that field; a pattern is matched once per distinct text, and a rule
becomes a boolean vector over lines by indexing. Per channel the rows are applied in sheet
order to the lines no earlier row decided (first match wins).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..channels.catalog import Catalog, normalise_label
from ..plan import Line
from .patterns import FIELDS, Texts, compile_pattern, line_texts, texts_match
from .rules import DEFAULT_PRIORITY, Rule, RuleSet

PPM = 1_000_000  # shares in parts per million of the line


@dataclass
class LineTexts:
    """Per field: the id of each line's texts and the distinct texts."""

    ids: dict[str, np.ndarray]
    distinct: dict[str, list[Texts]]
    cache: dict[tuple[str, str], np.ndarray | None]  # (field, pattern) -> mask over lines

    @classmethod
    def of(cls, lines: list[Line]) -> LineTexts:
        """Ids per field; lines sharing their group objects (as detection builds them)
        are normalised once."""
        seen: dict[str, dict[Texts, int]] = {f: {} for f in FIELDS}
        by_groups: dict[tuple[int, ...], tuple[int, int, int]] = {}
        by_voce: dict[str, int] = {}
        group_ids: list[tuple[int, int, int]] = []
        voce_ids: list[int] = []
        voci = seen["voce"]
        for line in lines:
            key = tuple(map(id, line.groups))
            ids = by_groups.get(key)
            if ids is None:
                texts = line_texts(line)
                ids = by_groups[key] = tuple(  # type: ignore[assignment]
                    seen[f].setdefault(t, len(seen[f])) for f, t in zip(FIELDS[:3], texts,
                                                                        strict=False))
            group_ids.append(ids)
            v = by_voce.get(line.voce)
            if v is None:
                v = by_voce[line.voce] = voci.setdefault((normalise_label(line.voce),),
                                                         len(voci))
            voce_ids.append(v)
        table = np.array(group_ids, np.int64).reshape(len(lines), 3)
        ids = {f: table[:, k] for k, f in enumerate(FIELDS[:3])}
        ids["voce"] = np.array(voce_ids, np.int64)
        return cls(ids=ids, distinct={f: list(seen[f]) for f in FIELDS}, cache={})

    def _field_mask(self, field: str, pattern_text: str) -> np.ndarray | None:
        key = (field, pattern_text)
        if key not in self.cache:
            pattern = compile_pattern(pattern_text)
            if pattern is None:
                self.cache[key] = None
            else:
                hit = np.fromiter((texts_match(pattern, t) for t in self.distinct[field]),
                                  bool, len(self.distinct[field]))
                self.cache[key] = hit[self.ids[field]]
        return self.cache[key]

    def mask(self, rule: Rule) -> np.ndarray | None:
        """Lines the rule's patterns match (None: all of them)."""
        out: np.ndarray | None = None
        for field in FIELDS:
            m = self._field_mask(field, getattr(rule, field))
            if m is not None:
                out = m if out is None else out & m
        return out


@dataclass
class Decisions:
    """What the rules say for every (line, channel): arrays of shape (lines, channels)."""

    allowed: np.ndarray  # bool
    rank: np.ndarray  # int32: rank of the priority among ``levels`` (0 = used first)
    min_ppm: np.ndarray  # int32, 0 when no minimum
    max_ppm: np.ndarray  # int32, PPM when no maximum
    rule: np.ndarray  # int32: index in the rule list, -1 for the default
    levels: np.ndarray  # the priorities of the rules and the default, ascending


def _ppm(share) -> int:
    return int(share * 10_000)  # percent -> parts per million (4 decimals kept)


def rule_channel(rule: Rule, channels: list[str], catalog: Catalog) -> str | None:
    """The allocation channel a rule speaks of: its own code, or the column its fund
    feeds (a rule on «FNA» applies to ALTRI FONDI PROGETTUALI where FNA has no column)."""
    if rule.channel in channels:
        return rule.channel
    return catalog.column_for(rule.channel, channels)


def decide_all(rules: RuleSet, lines: list[Line], channels: list[str], catalog: Catalog,
               texts: LineTexts | None = None) -> Decisions:
    """The decisions for every line and channel (first matching row per channel)."""
    n, m = len(lines), len(channels)
    texts = texts or LineTexts.of(lines)
    # column-major: every rule writes one channel's column
    allowed = np.zeros((n, m), bool, order="F")
    for j, code in enumerate(channels):
        allowed[:, j] = not catalog.is_restricted(code)
    levels = sorted({DEFAULT_PRIORITY, *(r.priority for r in rules.rules)})
    rank_of = {p: k for k, p in enumerate(levels)}
    rank = np.full((n, m), rank_of[DEFAULT_PRIORITY], np.int32, order="F")
    min_ppm = np.zeros((n, m), np.int32, order="F")
    max_ppm = np.full((n, m), PPM, np.int32, order="F")
    which = np.full((n, m), -1, np.int32, order="F")
    index = {c: j for j, c in enumerate(channels)}
    decided = np.zeros((n, m), bool, order="F")
    for k, rule in enumerate(rules.rules):
        code = rule_channel(rule, channels, catalog)
        if code is None:
            continue
        j = index[code]
        mask = texts.mask(rule)
        done = decided[:, j]  # column views: the writes land in the arrays
        todo = ~done if mask is None else mask & ~done
        if not todo.any():
            continue
        allowed[:, j][todo] = rule.allowed
        rank[:, j][todo] = rank_of[rule.priority]
        if rule.min_share is not None:
            min_ppm[:, j][todo] = _ppm(rule.min_share)
        if rule.max_share is not None:
            max_ppm[:, j][todo] = _ppm(rule.max_share)
        which[:, j][todo] = k
        done |= todo
    return Decisions(allowed=allowed, rank=rank, min_ppm=min_ppm, max_ppm=max_ppm,
                     rule=which, levels=np.array(levels, np.int64))
