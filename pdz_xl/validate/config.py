"""Validation settings: the rounding tolerance and the stated purposes of restricted funds.

The tolerance is, in order: what the caller passes (``--tolleranza``), what the workbook
states (``_pdz`` sheet, key «tolleranza», read into ``Plan.tolerance_cents``), else
:data:`DEFAULT_TOLERANCE_CENTS`. Differences up to it (in absolute value) are rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..plan import Plan

if TYPE_CHECKING:
    from ..allocate.rules import RuleSet
    from ..channels.catalog import Catalog
    from ..grid import WorkbookGrid

DEFAULT_TOLERANCE_CENTS = 5


@dataclass(frozen=True)
class ValidationConfig:
    """What a validation run needs besides the Plan.

    ``tolerance_cents`` None means "the workbook's, else the default". ``purposes`` are the
    rules of the «Regole PDZ» sheet (None: the workbook states no purposes, so restricted
    funds are not checked against purposes). ``catalog`` tells which channels are restricted
    (None: the default catalog).
    """

    tolerance_cents: int | None = None
    purposes: RuleSet | None = None
    catalog: Catalog | None = None

    def tolerance_for(self, plan: Plan) -> int:
        """The effective tolerance in cents for ``plan``."""
        if self.tolerance_cents is not None:
            return self.tolerance_cents
        if plan.tolerance_cents is not None:
            return plan.tolerance_cents
        return DEFAULT_TOLERANCE_CENTS


def config_for_grid(grid: WorkbookGrid, tolerance_cents: int | None = None
                    ) -> ValidationConfig:
    """A config with what only the workbook grid holds: its channel catalog (extended by
    a «Canali PDZ» sheet) and the purposes stated in its «Regole PDZ» sheet."""
    from ..allocate.rules import RULES_SHEET, parse_rules
    from ..channels.catalog import default_catalog
    from ..channels.workbook import extend_from_workbook

    catalog = default_catalog().copy()
    extend_from_workbook(catalog, grid)
    sheet = grid.sheet(RULES_SHEET)
    purposes = parse_rules(sheet, catalog) if sheet is not None else None
    return ValidationConfig(tolerance_cents=tolerance_cents, purposes=purposes,
                            catalog=catalog)
