"""Layout detection: a WorkbookGrid becomes a Plan, remembering where numbers came from.

Two steps: :func:`.infer.infer_layout` decides the layout (what the ``_pdz`` sheet states
is taken as given), :func:`.execute.execute_layout` reads the Plan it describes; then
:func:`.accounting.account` checks that every number of the tables read is accounted for.
"""

from __future__ import annotations

from ..channels.catalog import Catalog, default_catalog
from ..channels.workbook import extend_from_workbook
from ..gcpause import collector_paused
from ..grid import WorkbookGrid
from ..plan import Plan, ReadNote
from .accounting import account
from .amounts import AmountReader
from .config import read_config
from .duplicates import summary_tables
from .execute import execute_layout
from .infer import infer_layout
from .labels import clear_label_caches
from .state import ReadState


def layout_ambiguities(layout) -> list[tuple[str, str]]:
    """(message, header cell) of every decision inference could not settle."""
    out = []
    for t in layout.tables():
        for d in t.decisions:
            if d.sure == "bassa":
                out.append((f"tabella {t.anchor}, «{d.key}»: letto «{d.value}» ma la lettura "
                            f"è incerta ({'; '.join(d.alternatives) or d.why}). Indicarlo nel "
                            f"foglio «_pdz» (vedi «pdz-xl mappa»).",
                            f"{t.sheet}!{_letter(t.first_col)}{t.header_row}"))
    return out


def _letter(col: int) -> str:
    from ..cells import col_letters

    return col_letters(col)


def detect_plan(grid: WorkbookGrid, catalog: Catalog | None = None) -> Plan:
    """Infer the layout of a workbook and read its Plan."""
    with collector_paused():  # see pdz_xl.gcpause
        return _detect(grid, catalog)


def _detect(grid: WorkbookGrid, catalog: Catalog | None) -> Plan:
    catalog = (catalog or default_catalog()).copy()
    amounts = AmountReader()
    amounts.notes.extend(extend_from_workbook(catalog, grid))
    config = read_config(grid)
    catalog_notes = list(amounts.notes)
    for cell, message in config.problems:
        amounts.note("PDZ010", "avviso", cell, message)
    layout, runtime = infer_layout(grid, catalog, config, amounts)
    repeated = summary_tables(layout, runtime)
    if repeated:  # read again, those tables as summaries (their notes would repeat too)
        amounts = AmountReader(notes=list(catalog_notes))
        for cell, message in config.problems:
            amounts.note("PDZ010", "avviso", cell, message)
        layout, runtime = infer_layout(grid, catalog, config, amounts, repeated)
        for t in layout.tables():
            why = repeated.get((t.sheet.casefold(), t.header_row, t.first_col))
            if why:
                layout.assumptions.append(
                    f"la tabella {t.anchor} {why}: letta come riepilogo, non come altre "
                    "righe di costo (indicarlo nel foglio «_pdz», chiave «tabella "
                    f"{t.anchor}», se non è così).")
    for message, cell in layout_ambiguities(layout):
        amounts.note("PDZ012", "avviso", cell, message)
    runtime.state = ReadState()  # inference's own bookkeeping: not read from here on
    clear_label_caches()  # inference's memory of labels: not read from here on either
    plan = execute_layout(layout, runtime, catalog, amounts, release_rows=True)
    plan.config_source = config.source
    plan.tolerance_cents = config.tolerance_cents
    account(plan, layout, runtime, amounts)
    plan.notes = list(amounts.notes)
    return plan


__all__ = ["ReadNote", "detect_plan"]
