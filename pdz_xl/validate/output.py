"""Findings for people (terminal text) and for machines (JSON with stable names)."""

from __future__ import annotations

from ..findings import Finding
from ..plan import Plan
from .engine import counts


def findings_json(plan: Plan, findings: list[Finding]) -> dict:
    """``{"file", "plan_year", "errori", "avvisi", "findings": [...]}``."""
    errori, avvisi = counts(findings)
    return {"file": plan.source, "plan_year": plan.plan_year, "errori": errori,
            "avvisi": avvisi, "findings": [f.to_json_dict() for f in findings]}


def findings_text(plan: Plan, findings: list[Finding]) -> list[str]:
    """One line per finding, grouped: real errors first, then rounding, then warnings."""
    errori, avvisi = counts(findings)
    head = f"{plan.source}: {errori} errori, {avvisi} avvisi"
    if not findings:
        return [f"{plan.source}: nessun rilievo."]
    order = {"errore": 0, "avviso": 1}
    ranked = sorted(findings, key=lambda f: (order[f.severity], f.category == "arrotondamento"))
    out = [head]
    for f in ranked:
        tag = "arrotondamento" if f.category == "arrotondamento" else f.severity
        out.append(f"  {f.code} [{tag}] {f.cell or '-'}: {f.message}")
    return out
