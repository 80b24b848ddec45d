"""The rules a workbook gets when it has no «Regole PDZ» sheet.

- Each restricted channel (catalog ``restricted``) is admitted, at priority 10 (spent
  first, since it can go nowhere else), on the azioni where the workbook already uses it
  and on those whose name carries one of its keywords or aliases, or those of the funds
  that feed its column («FNA», «Dopo di noi», «FAMI», «Povertà» ...): the azione, else the
  servizio, else the voce.
- Each unrestricted channel gets one row admitting it everywhere at priority 50, so the
  sheet lists every channel and priorities can be changed in place.
"""

from __future__ import annotations

import re

from ..channels.catalog import Catalog, normalise_label
from ..plan import Line, Plan
from .rules import DEFAULT_PRIORITY, Rule

RESTRICTED_PRIORITY = 10


def _feeders(code: str, plan: Plan, catalog: Catalog, channels: list[str]) -> list[str]:
    """The channel itself and the catalog funds whose money lands in its column."""
    out = [code]
    out += [r.source for r in plan.revenues if r.channel == code and r.source]
    out += [e.code for e in catalog if catalog.column_for(e.code, channels) == code]
    return list(dict.fromkeys(out))


def _words(codes: list[str], catalog: Catalog) -> list[tuple[str, re.Pattern[str]]]:
    """(what to tell the user, regex over normalised text) for the funds' names: their
    aliases as whole words first, then the catalog's keywords."""
    aliases: list[tuple[str, re.Pattern[str]]] = []
    keywords: list[tuple[str, re.Pattern[str]]] = []
    for code in codes:
        entry = catalog.get(code)
        if entry is None:
            continue
        for alias in [entry.code.replace("_", " "), *entry.aliases]:
            n = normalise_label(alias)
            if len(n) >= 3:
                aliases.append((alias, re.compile(rf"(?<![0-9a-z]){re.escape(n)}(?![0-9a-z])")))
        keywords += [(entry.name, re.compile(k)) for k in entry.keywords]
    return aliases + keywords


_WHERE = {"azione": "dell'azione", "servizio": "del servizio", "voce": "della voce"}


def _text(line: Line, levels: tuple[str, ...]) -> str:
    return next((g.text or g.label for g in line.groups if g.level in levels), "")


def default_rules(plan: Plan, catalog: Catalog, channels: list[str]) -> list[Rule]:
    """Rules for a workbook without a rules sheet (see the module docstring)."""
    rules: list[Rule] = []
    seen: set[tuple[str, ...]] = set()

    def add(rule: Rule) -> None:
        key = (rule.channel, rule.group, rule.servizio, rule.azione, rule.voce)
        if key not in seen:
            seen.add(key)
            rules.append(rule)

    for code in channels:
        if not catalog.is_restricted(code):
            continue
        words = _words(_feeders(code, plan, catalog, channels), catalog)
        for ln in plan.lines:
            group, servizio = _text(ln, ("area", "obiettivo")), _text(ln, ("servizio",))
            azione = _text(ln, ("azione",))
            if ln.channels.get(code):
                add(Rule(channel=code, group=group, servizio=servizio, azione=azione,
                         priority=RESTRICTED_PRIORITY,
                         note="la cartella usa già questo fondo in questa azione"))
                continue
            for level, text in (("azione", azione), ("servizio", servizio),
                                ("voce", ln.voce)):
                norm = normalise_label(text) if text else ""
                hit = next((name for name, rx in words if norm and rx.search(norm)), None)
                if hit is None:
                    continue
                rule = Rule(channel=code, group=group, servizio=servizio,
                            priority=RESTRICTED_PRIORITY,
                            note=f"«{hit}» nel nome {_WHERE[level]}")
                if level == "azione":
                    rule.azione = azione
                elif level == "voce":
                    rule.azione, rule.voce = azione, ln.voce
                add(rule)
                break
    for code in channels:
        if not catalog.is_restricted(code):
            add(Rule(channel=code, priority=DEFAULT_PRIORITY,
                     note="canale non vincolato: può pagare ogni riga"))
    return rules
