"""Findings for people (terminal text) and for machines (JSON with stable names).

JSON contract (names never change; amounts are decimal strings, ``"-100000.00"``)::

    {"file", "plan_year", "tolerance_cents", "errori", "avvisi", "arrotondamenti",
     "findings": [{"code", "rule", "family", "severity", "category", "cell", "message",
                   "path", "difference", "expected", "found", "related_cells", "fix"}]}
"""

from __future__ import annotations

from ..channels.display import channel_labels
from ..findings import Finding
from ..plan import Plan
from ..plurals import plural
from .engine import counts

_GROUPS = (("errore", "Errori"), ("avviso", "Avvisi"), ("arrotondamento", "Arrotondamenti"))


def rounding_count(findings: list[Finding]) -> int:
    """How many findings are rounding differences."""
    return sum(1 for f in findings if f.category == "arrotondamento")


def group_of(f: Finding) -> str:
    """``errore`` / ``avviso`` / ``arrotondamento``: how reports group a finding."""
    return "arrotondamento" if f.category == "arrotondamento" else f.severity


def ranked(findings: list[Finding]) -> list[Finding]:
    """Real errors first, then warnings, then rounding; stable within each group."""
    order = {key: i for i, (key, _) in enumerate(_GROUPS)}
    return sorted(findings, key=lambda f: order[group_of(f)])


def findings_json(plan: Plan, findings: list[Finding], tolerance_cents: int | None = None
                  ) -> dict:
    """The machine view of one workbook's findings."""
    errori, avvisi = counts(findings)
    return {"file": plan.source, "plan_year": plan.plan_year,
            "tolerance_cents": tolerance_cents, "errori": errori, "avvisi": avvisi,
            "arrotondamenti": rounding_count(findings),
            "findings": [f.to_json_dict() for f in findings]}


def counts_words(errori: int, avvisi: int, rounding: int = 0) -> str:
    """``1 errore, 6 avvisi (di cui 3 arrotondamenti)``: the counts in words."""
    tail = f" (di cui {plural(rounding, 'arrotondamento', 'arrotondamenti')})" \
        if rounding else ""
    return f"{plural(errori, 'errore', 'errori')}, {plural(avvisi, 'avviso', 'avvisi')}{tail}"


def summary_line(name: str, findings: list[Finding]) -> str:
    """``file.xlsx: 12 errori, 6 avvisi (di cui 3 arrotondamenti)`` or ``nessun rilievo``."""
    if not findings:
        return f"{name}: nessun rilievo."
    return f"{name}: {counts_words(*counts(findings), rounding_count(findings))}"


def findings_text(plan: Plan, findings: list[Finding]) -> list[str]:
    """Lines for the terminal: a summary, then errors, warnings and rounding apart."""
    out = [summary_line(plan.source, findings)]
    names = channel_labels(plan)  # a channel's path shows its name, never its code
    for key, title in _GROUPS:
        group = [f for f in findings if group_of(f) == key]
        if not group:
            continue
        out.append(f"  {title}:")
        for f in group:
            where = f.cell or "-"
            path = f"  [{' / '.join(names.get(p, p) for p in f.path)}]" if f.path else ""
            out.append(f"    {f.code} {where}{path}")
            out.append(f"        {f.message}")
            if f.fix is not None:
                out.append(f"        correzione: {f.fix.description} in {f.fix.cell}")
    return out
