"""Run every rule over a Plan and collect all findings (never stop at the first)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Fix
from ..money import Cents, format_eur, to_decimal_str
from ..plan import Plan
from .rules import rule

DEFAULT_TOLERANCE_CENTS = 5


@dataclass(frozen=True)
class ValidationConfig:
    """Settings: the rounding tolerance in cents (differences up to it are rounding)."""

    tolerance_cents: int = DEFAULT_TOLERANCE_CENTS


@dataclass
class Checker:
    """Collects findings for one plan; helpers shared by the rule families."""

    plan: Plan
    config: ValidationConfig
    findings: list[Finding] = field(default_factory=list)
    rules: object | None = None  # allocate.rules.RuleSet when the workbook has one

    def add(self, code: str, cell: str | None, message: str, *, path: list[str] | None = None,
            severity: str | None = None, category: str | None = None,
            difference: Cents | None = None, expected: Cents | None = None,
            found: Cents | None = None, related: list[str] | None = None,
            fix: Fix | None = None) -> Finding:
        """Record a finding of rule ``code``."""
        r = rule(code)
        f = Finding(code=code, rule=r.name, family=r.family, severity=severity or r.severity,
                    category=category or ("lettura" if r.family == "lettura" else "errore"),
                    cell=cell, message=message, path=path or [], difference=difference,
                    expected=expected, found=found, related_cells=related or [], fix=fix)
        self.findings.append(f)
        return f

    def compare(self, code: str, cell: str | None, stated: Cents | None, expected: Cents,
                what: str, *, path: list[str] | None = None, related: list[str] | None = None,
                fix: Fix | None = None, against: str = "la somma è") -> Finding | None:
        """Report ``stated`` != ``expected``; small differences are rounding (avviso)."""
        value = stated or 0
        diff = value - expected
        if diff == 0:
            return None
        rounding = abs(diff) <= self.config.tolerance_cents
        sign = "+" if diff > 0 else "-"
        if rounding:
            message = (f"{what}: {format_eur(value)} invece di {format_eur(expected)} "
                       f"(differenza di arrotondamento {sign}{format_eur(abs(diff))}).")
        else:
            message = (f"{what}: {format_eur(value)}, ma {against} {format_eur(expected)} "
                       f"(differenza {sign}{format_eur(abs(diff))}).")
        return self.add(code, cell, message, path=path,
                        severity="avviso" if rounding else None,
                        category="arrotondamento" if rounding else "errore",
                        difference=diff, expected=expected, found=value, related=related,
                        fix=fix)


def value_fix(cell: str | None, expected: Cents, formula: str | None = None) -> Fix | None:
    """A fix that writes the expected amount (or a formula) into ``cell``."""
    if cell is None:
        return None
    if formula:
        return Fix(cell=cell, description=f"scrivere la formula {formula}",
                   value=to_decimal_str(expected), formula=formula)
    return Fix(cell=cell, description=f"scrivere {format_eur(expected)}",
               value=to_decimal_str(expected))


def validate_plan(plan: Plan, config: ValidationConfig | None = None,
                  rules: object | None = None) -> list[Finding]:
    """All findings of all rules, in a stable order (by family, then sheet position).

    ``rules`` (the workbook's "Regole PDZ") states the purposes of restricted funds; the
    check of restricted funds runs only when the workbook states them.
    """
    from . import balance, lines, reading, summaries, totals

    if config is None:
        tol = plan.tolerance_cents if plan.tolerance_cents is not None else \
            DEFAULT_TOLERANCE_CENTS
        config = ValidationConfig(tolerance_cents=tol)
    checker = Checker(plan, config, rules=rules)
    for family in (reading, lines, totals, summaries, balance):
        family.check(checker)
    return checker.findings


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errori, avvisi)."""
    errori = sum(1 for f in findings if f.severity == "errore")
    return errori, len(findings) - errori
