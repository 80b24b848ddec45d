"""Run every rule family over a Plan and collect all findings (never stop at the first).

Reporting policy: each wrong cell is reported once, at itself. A slip shows at every cell
that *states* a number disagreeing with what it should be (an area total whose lines do
not reach it, the pluriennale row and total that repeat it, the revenue side that does not
balance the costs); a cell that already failed an internal check (a summary total against
its own rows, a revenue total against its items) is not reported a second time against the
detail. Differences up to the tolerance are rounding: severity avviso, category
``arrotondamento``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..findings import Finding, Fix
from ..formula_locale import display_formula
from ..gcpause import collector_paused
from ..money import Cents, format_eur, to_decimal_str
from ..plan import Plan
from .config import DEFAULT_TOLERANCE_CENTS, ValidationConfig
from .facts import LineFacts
from .rules import rule

if TYPE_CHECKING:
    from ..allocate.rules import RuleSet

__all__ = ["DEFAULT_TOLERANCE_CENTS", "Checker", "ValidationConfig", "counts", "signed_eur",
           "validate_plan", "value_fix"]


def signed_eur(cents: Cents) -> str:
    """``+€ 0,01`` / ``-€ 100.000,00``: a difference with its sign."""
    return ("+" if cents > 0 else "-") + format_eur(abs(cents))


@dataclass
class Checker:
    """Collects the findings of one run; helpers shared by the rule families."""

    plan: Plan
    config: ValidationConfig
    tolerance: int = DEFAULT_TOLERANCE_CENTS
    findings: list[Finding] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)  # cells with an amount finding

    @cached_property
    def facts(self) -> LineFacts:
        """The per-line figures of this run, shared by the families."""
        return LineFacts(self.plan)

    def is_rounding(self, diff: Cents) -> bool:
        """True when a non-zero difference is within the rounding tolerance."""
        return diff != 0 and abs(diff) <= self.tolerance

    def add(self, code: str, cell: str | None, message: str, *, path: list[str] | None = None,
            severity: str | None = None, category: str | None = None,
            difference: Cents | None = None, expected: Cents | None = None,
            found: Cents | None = None, related: list[str] | None = None,
            fix: Fix | None = None) -> Finding:
        """Record a finding of rule ``code`` (severity and category default to the rule's)."""
        r = rule(code)
        f = Finding(code=code, rule=r.name, family=r.family, severity=severity or r.severity,
                    category=category or r.category, cell=cell, message=message,
                    path=path or [], difference=difference, expected=expected, found=found,
                    related_cells=related or [], fix=fix)
        self.findings.append(f)
        if cell and difference is not None:
            self.reported.add(cell)
        return f

    def compare(self, code: str, cell: str | None, stated: Cents | None, expected: Cents,
                what: str, *, path: list[str] | None = None, related: list[str] | None = None,
                fix: Fix | None = None, against: str = "la somma è",
                once: bool = False) -> Finding | None:
        """Report ``stated`` != ``expected`` (blank counts as zero); differences within the
        tolerance are rounding. With ``once``, a cell already reported is left alone."""
        if once and cell in self.reported:
            return None
        value = stated or 0
        diff = value - expected
        if diff == 0:
            return None
        if self.is_rounding(diff):
            message = (f"{what} {format_eur(value)} invece di {format_eur(expected)} "
                       f"(differenza di arrotondamento {signed_eur(diff)}).")
            return self.add(code, cell, message, path=path, severity="avviso",
                            category="arrotondamento", difference=diff, expected=expected,
                            found=value, related=related, fix=fix)
        message = (f"{what} {format_eur(value)}, ma {against} {format_eur(expected)} "
                   f"(differenza {signed_eur(diff)}).")
        return self.add(code, cell, message, path=path, difference=diff, expected=expected,
                        found=value, related=related, fix=fix)


def value_fix(cell: str | None, expected: Cents, formula: str | None = None) -> Fix | None:
    """A fix that writes the expected amount (or a formula giving it) into ``cell``; the
    description shows the formula as the user types it, ``formula`` keeps the OOXML form."""
    if cell is None:
        return None
    if formula:
        return Fix(cell=cell, description=f"scrivere la formula {display_formula(formula)} "
                                          f"(= {format_eur(expected)})",
                   value=to_decimal_str(expected), formula=formula)
    return Fix(cell=cell, description=f"scrivere {format_eur(expected)}",
               value=to_decimal_str(expected))


def validate_plan(plan: Plan, config: ValidationConfig | None = None, *,
                  rules: RuleSet | None = None) -> list[Finding]:
    """All findings of all rules, family by family, in the order of the workbook.

    ``rules`` (the workbook's «Regole PDZ», e.g. from :func:`config_for_grid` or
    ``pipeline.workbook_rules``) states the purposes of restricted funds; it overrides
    ``config.purposes``. Without stated purposes PDZ404 does not run.
    """
    from . import balance, lines, purposes, reading, revenue, summaries, totals

    config = config or ValidationConfig()
    if rules is not None:
        config = replace(config, purposes=rules)
    checker = Checker(plan, config, tolerance=config.tolerance_for(plan))
    with collector_paused():  # see pdz_xl.gcpause
        for family in (reading, lines, totals, revenue, summaries, balance, purposes):
            family.check(checker)
    return checker.findings


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errori, avvisi); a finding marked «visto» counts as neither (it stays listed)."""
    errori = sum(1 for f in findings if f.severity == "errore" and f.visto is None)
    return errori, sum(1 for f in findings if f.visto is None) - errori
