"""Validation: every slip in a budget workbook found, explained and pointed at its cell.

``validate_plan(plan, config)`` runs every rule family (see :mod:`.rules` for the catalog)
and returns the findings; :mod:`.report` renders them as text or JSON, :mod:`.sheet` as the
«Controlli PDZ» sheet and cell marks (a Changeset for the write path).
"""

from .config import DEFAULT_TOLERANCE_CENTS, ValidationConfig, config_for_grid
from .engine import counts, validate_plan
from .rules import RULES

__all__ = ["DEFAULT_TOLERANCE_CENTS", "RULES", "ValidationConfig", "config_for_grid", "counts",
           "validate_plan"]
