"""The name of the ente in the headers and footers of the generated sheets.

In order: what the caller states (``--ente``), the «_pdz» key ``ente``, the file name.
The document properties (company, title) are not used: xlwings Lite does not see them,
and a button must write the same sheet as the command line.
"""

from __future__ import annotations

from pathlib import PurePath

from ..grid import WorkbookGrid
from ..plan import Plan


def ente_name(grid: WorkbookGrid | None, plan: Plan, stated: str | None = None) -> str:
    """The ente as the sheets name it (see the module docstring for the order)."""
    if stated and stated.strip():
        return stated.strip()
    if grid is not None and grid.sheet("_pdz") is not None:
        from ..layout.config import read_config

        written = read_config(grid).ente
        if written and written.strip():
            return written.strip()
    return PurePath(plan.source).stem
