"""One place where the steps of the job are chained, for every door.

The CLI (``rigenera``, ``demo``, ``valida --scrivi``) and the Excel buttons call these
functions and apply the returned Changeset, so all of them produce the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .changeset import Changeset
from .grid import WorkbookGrid
from .plan import Plan
from .validate import validate_plan
from .validate.config import config_for_grid
from .validate.engine import counts
from .validate.report import counts_words
from .validate.sheet import REPORT_SHEET, clear_changeset, report_changeset
from .validate.visto import apply_visti, read_visti

STEPS = ("valida", "alloca", "triennale", "pulisci", "correggi")


@dataclass
class Outcome:
    """The Changeset of the steps run, and what to tell the user."""

    changeset: Changeset = field(default_factory=Changeset)
    errori: int = 0
    avvisi: int = 0
    summaries: dict[str, str] = field(default_factory=dict)


def run_steps(grid: WorkbookGrid, plan: Plan, steps: tuple[str, ...] | list[str], *,
              tolerance_cents: int | None = None, per: str | None = None,
              generated_on: str | None = None) -> Outcome:
    """Run ``steps`` in order; validation runs last so it sees the allocation."""
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ValueError(f"passi sconosciuti: {', '.join(unknown)}")
    outcome = Outcome()
    if "pulisci" in steps:
        outcome.changeset = outcome.changeset.merge(clear_changeset())
        outcome.summaries["pulisci"] = "segni rimossi"
    if "alloca" in steps:
        from .allocate.apply import allocation_changeset

        cs, plan, _allocation = allocation_changeset(grid, plan)
        outcome.changeset = outcome.changeset.merge(cs)
        outcome.summaries["alloca"] = "; ".join(cs.summary) or "nessuna riga da allocare"
    if "triennale" in steps:
        from .triennial.build import triennial_changeset

        cs, _data = triennial_changeset(grid, plan, per=per, generated_on=generated_on)
        outcome.changeset = outcome.changeset.merge(cs)
        outcome.summaries["triennale"] = "; ".join(cs.summary)
    if "correggi" in steps:
        from .validate.correct import corrections

        fixes = corrections(apply_visti(validate_plan(plan, config_for_grid(
            grid, tolerance_cents)), read_visti(grid, REPORT_SHEET)))
        outcome.changeset = outcome.changeset.merge(fixes.changeset)
        outcome.summaries["correggi"] = "; ".join(line.strip() for line in fixes.lines())
    if "valida" in steps:
        findings = apply_visti(validate_plan(plan, config_for_grid(grid, tolerance_cents)),
                               read_visti(grid, REPORT_SHEET))
        outcome.errori, outcome.avvisi = counts(findings)
        outcome.changeset = outcome.changeset.merge(
            report_changeset(plan, findings, file_label=_file_label(plan),
                             generated_on=generated_on))
        outcome.summaries["valida"] = counts_words(outcome.errori, outcome.avvisi)
    return outcome


def workbook_rules(grid: WorkbookGrid):
    """The "Regole PDZ" of the workbook (read with its own channel catalog), or None."""
    return config_for_grid(grid).purposes


def _file_label(plan: Plan) -> str:
    from pathlib import PurePath

    return PurePath(plan.source).name
