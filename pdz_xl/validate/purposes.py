"""Family «canali», PDZ404: restricted funds used on lines outside their stated purpose.

Purposes are stated in the «Regole PDZ» sheet (the allocation rules, see
:mod:`pdz_xl.allocate.rules`): the first matching row decides for a line and a channel.
The rule fires only where the workbook states purposes: for a restricted channel
(catalog ``restricted``) when some row admits it somewhere, and for any channel a row
explicitly excludes from a line («Ammesso: no»). Without a rules sheet nothing is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..channels.catalog import default_catalog
from ..channels.display import channel_label
from ..money import format_eur
from .engine import Checker

if TYPE_CHECKING:
    from ..allocate.rules import RuleSet


def check(ck: Checker) -> None:
    """PDZ404 over every non-zero channel cell."""
    rules = ck.config.purposes
    if rules is None or not rules.from_sheet:
        return
    catalog = ck.config.catalog or default_catalog()
    stated = {r.channel for r in rules.rules if r.allowed}
    for ln in ck.plan.lines:
        for code, v in ln.channels.items():
            if not v:
                continue
            decision = rules.decide(ln, code, catalog)
            if decision.allowed:
                continue
            explicit = decision.rule is not None
            if not explicit and not (catalog.is_restricted(code) and code in stated):
                continue
            why = (f"la regola in {decision.rule} lo esclude" if explicit else
                   f"il foglio «Regole PDZ» lo ammette solo per: {_purposes(rules, code)}")
            fund = "del fondo vincolato" if catalog.is_restricted(code) else "del canale"
            ck.add("PDZ404", ln.channel_cells[code],
                   f"la riga «{ln.voce}» usa {format_eur(v)} {fund} "
                   f"«{channel_label(ck.plan, code, catalog)}», ma "
                   f"{why}.", path=ln.path, difference=v, expected=0, found=v,
                   related=[decision.rule] if decision.rule else [])


def _purposes(rules: RuleSet, code: str) -> str:
    names = []
    for r in rules.rules:
        if r.channel == code and r.allowed:
            parts = [p for p in (r.group, r.servizio, r.azione, r.voce) if p and p != "*"]
            names.append(" / ".join(parts) or "tutte le righe")
    shown = "; ".join(names[:4])
    return shown + (f" e altre {len(names) - 4}" if len(names) > 4 else "")
