"""Layout detection: a WorkbookGrid becomes a Plan, remembering where numbers came from.

Works on workbooks laid out like the real documents: several tables per sheet, each with
its own header row (``BUDGET 2020 | BUDGET 2021 | FNPS 2021 | ...``) and channel columns,
bold ``Azione n: ...`` rows, ``TOTALE ...`` rows, a revenue table and summary tables.
An explicit mapping (``_pdz`` sheet, ``PDZ_*`` names) wins over what is detected.
"""

from __future__ import annotations

import re

from ..cells import sheet_ref
from ..channels.catalog import Catalog, default_catalog, normalise_label
from ..channels.workbook import extend_from_workbook
from ..errors import LayoutError
from ..grid import SheetGrid, WorkbookGrid
from ..plan import Group, Line, Plan, ReadNote, StatedTotal, SummaryTable, Table
from .amounts import AmountReader
from .config import OWNED_SHEETS, LayoutConfig, read_config
from .cost_tables import CostTableReader, GroupState
from .labels import heading_of
from .summaries import read_summary, revenues_from
from .tables import TableBlock, find_tables

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def detect_plan(grid: WorkbookGrid, catalog: Catalog | None = None) -> Plan:
    """Detect tables, lines, totals, revenues and summaries of a workbook."""
    catalog = (catalog or default_catalog()).copy()
    amounts = AmountReader()
    amounts.notes.extend(extend_from_workbook(catalog, grid))
    config = read_config(grid)
    resolver = _resolver(catalog, config)

    blocks_by_sheet: list[tuple[SheetGrid, list[TableBlock]]] = []
    assumptions: list[str] = []
    for sheet in _sheets_to_read(grid, config, assumptions):
        rows = config.header_rows.get(sheet.name.casefold())
        blocks = find_tables(sheet, resolver, rows)
        if blocks:
            blocks_by_sheet.append((sheet, blocks))
    cost_blocks = [b for _, bs in blocks_by_sheet for b in bs if b.kind == "cost"]
    if not cost_blocks:
        raise LayoutError(
            "non ho trovato nessuna tabella dei costi (una riga di intestazione con "
            "«BUDGET <anno>» e le righe di costo sotto). Indicare fogli e righe di "
            "intestazione nel foglio «_pdz».", file=grid.source)

    plan_year, comparison_year = _years(cost_blocks, config, assumptions)
    lines: list[Line] = []
    totals: list[StatedTotal] = []
    tables: list[Table] = []
    reader = CostTableReader(amounts, lines, totals, tables)
    summaries: list[SummaryTable] = []
    revenue_tables: list[SummaryTable] = []
    for sheet, blocks in blocks_by_sheet:
        state = GroupState()
        _title_groups(sheet, blocks[0].header_row, state)
        for block in blocks:
            if block.kind == "cost":
                year_of = _year_columns(block, plan_year)
                channel_of = _channel_columns(block, amounts, config)
                reader.read(block, state, year_of, channel_of)
                _check_merged(block, amounts)
            elif block.kind in ("revenue", "revenue_multi"):
                table = read_summary(block, "triennale_canali", amounts, catalog)
                if block.kind == "revenue_multi":
                    summaries.append(table)
                revenue_tables.append(table)
            else:
                summaries.append(read_summary(block, block.kind if block.kind != "triennale"
                                              else "triennale_costi", amounts, catalog))
    channel_codes = _ordered_channels(tables)
    revenues = []
    for table in revenue_tables:
        revenues.extend(revenues_from(table, plan_year, catalog, channel_codes,
                                      len(revenues), amounts))
    years = sorted({y for t in tables for y in t.year_cols})
    return Plan(
        source=grid.source, plan_year=plan_year, comparison_year=comparison_year,
        years=years, tables=tables, lines=lines, totals=totals, revenues=revenues,
        revenue_years=sorted({y for r in revenues for y in r.amounts}),
        summaries=summaries, channel_codes=channel_codes, notes=amounts.notes,
        assumptions=assumptions, config_source=config.source,
        tolerance_cents=config.tolerance_cents,
    )


def _resolver(catalog: Catalog, config: LayoutConfig):
    """Header/label -> (code, year), with the workbook's explicit column mapping first."""

    def resolve(text: str):
        from ..channels.catalog import split_year

        name, year = split_year(text)
        mapped = config.column_channels.get(normalise_label(name)) or \
            config.column_channels.get(normalise_label(text))
        if mapped:
            return mapped, year
        return catalog.resolve(text)

    return resolve


def _sheets_to_read(grid: WorkbookGrid, config: LayoutConfig, assumptions: list[str]
                    ) -> list[SheetGrid]:
    wanted = {s.casefold() for s in config.sheets}
    ignored = {s.casefold() for s in config.ignore_sheets}
    out = []
    for sheet in grid.sheets:
        key = sheet.name.casefold()
        if key in OWNED_SHEETS or key in ignored:
            continue
        if wanted and key not in wanted:
            continue
        if sheet.state != "visible" and not wanted:
            assumptions.append(f"foglio nascosto «{sheet.name}» non letto (indicarlo in "
                               "«_pdz», chiave «fogli», per leggerlo).")
            continue
        out.append(sheet)
    if wanted:
        missing = wanted - {s.name.casefold() for s in grid.sheets}
        if missing:
            raise LayoutError("i fogli indicati in «_pdz» non esistono: "
                              + ", ".join(sorted(missing)), file=grid.source)
    return out


def _years(cost_blocks: list[TableBlock], config: LayoutConfig, assumptions: list[str]
           ) -> tuple[int, int | None]:
    years = sorted({h.year for b in cost_blocks for h in b.columns.values()
                    if h.kind == "year" and h.year})
    plan_year = config.plan_year or (years[-1] if years else None)
    if plan_year is None:
        for b in cost_blocks:
            for r in range(1, b.header_row):
                for cell in b.sheet.rows.get(r, {}).values():
                    m = _YEAR_IN_TEXT.search(str(cell.value or ""))
                    if m:
                        plan_year = int(m.group(1))
                        assumptions.append(f"anno del piano {plan_year} dedotto dal titolo "
                                           f"del foglio «{b.sheet.name}».")
                        break
                if plan_year:
                    break
            if plan_year:
                break
    if plan_year is None:
        raise LayoutError("non riesco a stabilire l'anno del piano: scriverlo nel foglio "
                          "«_pdz» (chiave «anno_piano»).")
    earlier = [y for y in years if y < plan_year]
    comparison = config.comparison_year or (earlier[-1] if earlier else None)
    if config.plan_year is None and len(years) > 1:
        assumptions.append(f"anno del piano {plan_year}, anno di confronto {comparison}: "
                           "dalle intestazioni delle colonne.")
    return plan_year, comparison


def _year_columns(block: TableBlock, plan_year: int) -> dict[int, int]:
    out = {}
    for c, h in block.columns.items():
        if h.kind == "year" and h.year:
            out[c] = h.year
        elif h.kind == "amount":
            out[c] = plan_year
    return out


def _channel_columns(block: TableBlock, amounts: AmountReader, config: LayoutConfig
                     ) -> dict[int, str]:
    out = {}
    for c, h in block.columns.items():
        if h.kind == "channel" and h.code:
            out[c] = h.code
        elif h.kind == "unknown" and c != block.label_col:
            text = block.header_texts.get(c, "")
            if _column_has_amounts(block, c):
                amounts.note("PDZ003", "avviso",
                             sheet_ref(block.sheet.name, block.header_row, c),
                             f"intestazione di colonna «{text}» non riconosciuta: la colonna "
                             "è stata ignorata. Se è un canale, indicarlo nel foglio «_pdz» "
                             f"(chiave «colonna {text}») o nel foglio «Canali PDZ».", text)
    return out


def _column_has_amounts(block: TableBlock, col: int) -> bool:
    for r in block.body_rows:
        cell = block.sheet.get(r, col)
        if cell is not None and isinstance(cell.value, (int, float)) \
                and not isinstance(cell.value, bool):
            return True
    return False


def _check_merged(block: TableBlock, amounts: AmountReader) -> None:
    if not block.body_rows:
        return
    first, last = block.body_rows[0], block.body_rows[-1]
    data_cols = set(block.columns)
    for r1, c1, r2, c2 in block.sheet.merged:
        if r2 < first or r1 > last:
            continue
        if any(c1 <= c <= c2 for c in data_cols) and (c2 > c1 or r2 > r1):
            if c1 == block.label_col and c2 == block.label_col and r1 == r2:
                continue
            amounts.note("PDZ004", "avviso", sheet_ref(block.sheet.name, r1, c1),
                         f"celle unite {sheet_ref(block.sheet.name, r1, c1)}:"
                         f"{sheet_ref(block.sheet.name, r2, c2).split('!')[1]} dentro la "
                         "tabella: l'importo vale solo per la prima cella; meglio separarle.")


def _title_groups(sheet: SheetGrid, first_header: int, state: GroupState) -> None:
    """Area/obiettivo headings written above the first table of a sheet."""
    for r in range(1, first_header):
        for c, cell in sorted(sheet.rows.get(r, {}).items()):
            if isinstance(cell.value, str):
                h = heading_of(cell.value)
                if h is not None and h.level in ("area", "obiettivo"):
                    state.open(Group(level=h.level, label=h.label, number=h.number,
                                     text=h.text, cell=sheet_ref(sheet.name, r, c)))


def _ordered_channels(tables: list[Table]) -> list[str]:
    seen: list[str] = []
    for t in tables:
        for ch in t.channel_cols:
            if ch.code not in seen:
                seen.append(ch.code)
    return seen


__all__ = ["ReadNote", "detect_plan"]
