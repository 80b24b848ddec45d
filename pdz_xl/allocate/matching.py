"""The rules for every line and channel at once, as NumPy arrays.

Each field of a line (area/obiettivo, servizio, azione, voce) is reduced to an id among
the distinct texts of that field; a pattern is matched once per distinct text, and a rule
becomes a boolean vector over lines by indexing. Per channel the rows are applied in sheet
order to the lines no earlier row decided (first match wins).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..channels.catalog import Catalog
from ..plan import Line
from .patterns import FIELDS, Texts, compile_pattern, line_texts, texts_match
from .rules import DEFAULT_PRIORITY, Rule, RuleSet

PPM = 1_000_000  # shares in parts per million of the line


@dataclass
class LineTexts:
    """Per field: the id of each line's texts and the distinct texts."""

    ids: dict[str, np.ndarray]
    distinct: dict[str, list[Texts]]

    @classmethod
    def of(cls, lines: list[Line]) -> LineTexts:
        seen: dict[str, dict[Texts, int]] = {f: {} for f in FIELDS}
        ids = {f: np.empty(len(lines), np.int64) for f in FIELDS}
        for i, line in enumerate(lines):
            for field, texts in zip(FIELDS, line_texts(line), strict=True):
                table = seen[field]
                k = table.get(texts)
                if k is None:
                    k = table[texts] = len(table)
                ids[field][i] = k
        return cls(ids=ids, distinct={f: list(seen[f]) for f in FIELDS})

    def mask(self, rule: Rule) -> np.ndarray | None:
        """Lines the rule's patterns match (None: all of them)."""
        out: np.ndarray | None = None
        for field in FIELDS:
            pattern = compile_pattern(getattr(rule, field))
            if pattern is None:
                continue
            hit = np.fromiter((texts_match(pattern, t) for t in self.distinct[field]),
                              bool, len(self.distinct[field]))
            m = hit[self.ids[field]]
            out = m if out is None else out & m
        return out


@dataclass
class Decisions:
    """What the rules say for every (line, channel): arrays of shape (lines, channels)."""

    allowed: np.ndarray  # bool
    priority: np.ndarray  # int32
    min_ppm: np.ndarray  # int32, 0 when no minimum
    max_ppm: np.ndarray  # int32, PPM when no maximum
    rule: np.ndarray  # int32: index in the rule list, -1 for the default


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
    allowed = np.zeros((n, m), bool)
    for j, code in enumerate(channels):
        allowed[:, j] = not catalog.is_restricted(code)
    priority = np.full((n, m), DEFAULT_PRIORITY, np.int32)
    min_ppm = np.zeros((n, m), np.int32)
    max_ppm = np.full((n, m), PPM, np.int32)
    which = np.full((n, m), -1, np.int32)
    index = {c: j for j, c in enumerate(channels)}
    decided = np.zeros((n, m), bool)
    for k, rule in enumerate(rules.rules):
        code = rule_channel(rule, channels, catalog)
        if code is None:
            continue
        j = index[code]
        mask = texts.mask(rule)
        todo = ~decided[:, j] if mask is None else mask & ~decided[:, j]
        if not todo.any():
            continue
        allowed[todo, j] = rule.allowed
        priority[todo, j] = rule.priority
        if rule.min_share is not None:
            min_ppm[todo, j] = _ppm(rule.min_share)
        if rule.max_share is not None:
            max_ppm[todo, j] = _ppm(rule.max_share)
        which[todo, j] = k
        decided[todo, j] = True
    return Decisions(allowed=allowed, priority=priority, min_ppm=min_ppm, max_ppm=max_ppm,
                     rule=which)
