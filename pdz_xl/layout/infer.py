"""Inference: a workbook grid becomes its layout (tables, column and row roles, how sure).

Sheet by sheet: header bands and table regions, the role of each column, the kind of
each table; then the plan year from the cost tables; then, walking each sheet top to
bottom with the groups open on it, the role of every row of every cost table, totals
read so that they reconcile. What the ``_pdz`` sheet states is taken as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cells import sheet_ref
from ..channels.catalog import Catalog, normalise_label, split_year
from ..errors import LayoutError
from ..grid import SheetGrid, WorkbookGrid
from .amounts import AmountReader
from .columns import column_roles, group_levels
from .config import OWNED_SHEETS, LayoutConfig
from .cost_rows import infer_cost_rows
from .kinds import classify
from .labels import Heading, heading_of, numbering_of, strip_numbering
from .long_rows import LongLine, infer_long_rows
from .mapping import parse_column_role
from .model import (
    COL_AMOUNT,
    COL_CHANNEL,
    COL_UNKNOWN,
    COL_VOCE,
    COL_YEAR_NAME,
    KIND_COST,
    KIND_IGNORE,
    KIND_PLURIENNALE,
    KIND_REVENUE,
    KIND_REVENUE_MULTI,
    KIND_SUMMARY,
    KIND_TRIENNIAL,
    LEVELS,
    SURE_HIGH,
    SURE_LOW,
    SURE_MEDIUM,
    SURE_STATED,
    ColumnRole,
    Decision,
    GroupRef,
    SheetLayout,
    TableLayout,
    WorkbookLayout,
)
from .regions import Region, find_regions
from .rowdata import RowData, read_rows
from .sections import cost_title, split_revenue_section
from .state import ReadState, SheetState
from .units import apply_unit
from .vocabulary import PLAN_KINDS, header_meaning

_PRIMARY_ORDER = ("previsione", "budget", "preventivo", "assestato", "anno", "importo",
                  "preconsuntivo", "consuntivo", "po")
_PAST_ORDER = ("assestato", "budget", "previsione", "preventivo", "anno", "importo",
               "preconsuntivo", "consuntivo", "po")


@dataclass
class Runtime:
    """What execution needs beside the layout: the rows read once, pivoted lines."""

    rows: dict[int, list[RowData]] = field(default_factory=dict)  # id(table) -> rows
    long_lines: dict[int, dict[int, LongLine]] = field(default_factory=dict)
    grids: dict[str, SheetGrid] = field(default_factory=dict)
    state: ReadState = field(default_factory=ReadState)


def make_resolver(catalog: Catalog, config: LayoutConfig):
    """Header/label -> (code, year), with the workbook's explicit column mapping first."""

    cache: dict[str, tuple[str | None, int | None]] = {}

    def resolve(text: str):
        hit = cache.get(text)
        if hit is not None:
            return hit
        hit = catalog.resolve(text)
        if config.column_channels:
            name, year = split_year(text)
            mapped = config.column_channels.get(normalise_label(name)) or \
                config.column_channels.get(normalise_label(text))
            if mapped:
                hit = (mapped, year)
        cache[text] = hit
        return hit

    resolve.meanings = {}  # header text -> HeaderMeaning (vocabulary.header_meaning)
    return resolve


def infer_layout(grid: WorkbookGrid, catalog: Catalog, config: LayoutConfig,
                 amounts: AmountReader, summaries: dict | None = None
                 ) -> tuple[WorkbookLayout, Runtime]:
    """The layout of a workbook, and what was read to infer it. ``summaries``: cost tables
    found to repeat other sheets ((sheet, header row, first column) -> why), read as
    summaries."""
    resolve = make_resolver(catalog, config)
    assumptions: list[str] = []
    rt = Runtime()
    if config.tolerance_cents is not None:
        rt.state.tolerance = config.tolerance_cents
    sheets: list[SheetLayout] = []
    unit_notes: list[str] = []
    unit_decisions: list[Decision] = []
    for sheet in sheets_to_read(grid, config, assumptions, amounts):
        apply_unit(sheet, config, amounts, unit_notes, unit_decisions)
        rt.grids[sheet.name] = sheet
        sl = SheetLayout(sheet.name)
        summary_sheet = sheet.name.casefold() in {s.casefold() for s in config.summary_sheets}
        for reg in find_regions(sheet, resolve, _stated_regions(config, sheet.name)):
            t = _table(sheet, reg, resolve, config, summary_sheet, summaries or {})
            if t is not None:
                sl.tables.append(t)
                section = None if _stated(t) else split_revenue_section(sheet, t, resolve)
                if section is not None:
                    sl.tables.append(section)
        if sl.tables and all(t.kind != KIND_COST for t in sl.tables) and any(
                t.kind not in (KIND_IGNORE,) and t.kind.startswith(("riepilogo", "pluri",
                                                                     "triennale", "confronto"))
                for t in sl.tables):
            sl.role = "riepilogo"
        sheets.append(sl)
    cost = [t for s in sheets for t in s.tables if t.kind == KIND_COST]
    if not cost:
        raise LayoutError(
            "non ho trovato nessuna tabella dei costi (una riga di intestazione con "
            "«BUDGET <anno>» o «Importo» e le righe di costo sotto). Indicare fogli e righe "
            "di intestazione nel foglio «_pdz», oppure generare la mappa con «pdz-xl mappa».",
            file=grid.source)
    plan_year, comparison, year_decisions = _years(cost, config, assumptions, grid)
    year_decisions += _stated_workbook_keys(config) + unit_decisions
    for t in cost:
        _mark_secondary(t, plan_year)
    for t in _other_years_of_the_same_voci(cost, plan_year, grid):
        t.kind = KIND_IGNORE  # never more cost lines; said as an ambiguity (PDZ012)
    layout = WorkbookLayout(source=grid.source, plan_year=plan_year,
                            comparison_year=comparison, sheets=sheets,
                            decisions=year_decisions, assumptions=assumptions)
    layout.ambiguities.extend(unit_notes)
    for t in (t for t in cost if t.kind == KIND_IGNORE and not _stated(t)):
        d = next(d for d in t.decisions if d.key == f"tabella {t.anchor}")
        amounts.note("PDZ012", "avviso", sheet_ref(t.sheet, t.header_row, t.first_col),
                     f"tabella {t.anchor}: {d.why}. Se sono altre voci del piano, indicare "
                     f"nel foglio «_pdz» la chiave «tabella {t.anchor}» con «costi».")
    index = 0
    for sl in sheets:
        sheet = rt.grids[sl.name]
        ss = SheetState()
        first = next((t for t in sl.tables if t.kind == KIND_COST), None)
        if first is not None:
            _title_groups(sheet, first.header_rows[0], ss)
        prev: TableLayout | None = None
        last_cost = next((x for x in reversed(sl.tables) if x.kind == KIND_COST), None)
        stated_rows = {r: v for (s, r), v in config.row_roles.items()
                       if s == sl.name.casefold()}
        for t in sl.tables:
            if t.kind != KIND_COST:
                continue
            index += 1
            t.index = index
            if prev is not None:
                last = max((r.row for r in prev.rows if r.role in ("voce", "totale")),
                           default=prev.header_row)
                ss.close_table(prev.index, last)
            _header_group(sheet, t, ss)
            rows = [r for r in range(t.first_row, t.last_row + 1) if r in sheet.rows]
            data = read_rows(sheet, _without_header_copies(sheet, t, rows), t.columns,
                             amounts)
            rt.rows[id(t)] = data
            if t.shape == "lunga":
                rt.long_lines[id(t)] = infer_long_rows(rt.state, ss, t, data, resolve)
            else:
                hint = _voce_hint(t)
                levels = config.table_value(config.table_levels, sl.name, t.header_row,
                                            t.first_col)
                if levels:
                    hint = tuple(levels)
                infer_cost_rows(rt.state, ss, t, data, stated_rows, hint,
                                config.table_value(config.table_totals, sl.name,
                                                   t.header_row, t.first_col),
                                t is last_cost)
            prev = t
    for t in layout.tables():
        if t.kind == KIND_COST:
            _note_ambiguity(layout, t)
    return layout, rt


def _without_header_copies(sheet: SheetGrid, t: TableLayout, rows: list[int]) -> list[int]:
    """The body rows but the copies of the header row (repeated at each printed page)."""
    col = t.voce_col
    head = sheet.value(t.header_row, col) if col is not None else None
    if not isinstance(head, str) or not head.strip():
        return rows
    header = {c: sheet.value(t.header_row, c) for c in t.columns}
    out = []
    for r in rows:
        cells = sheet.rows[r]
        cell = cells.get(col)
        if cell is not None and cell.value == head and all(
                (cells[c].value if c in cells else None) == v for c, v in header.items()):
            continue
        out.append(r)
    return out


def _stated(t: TableLayout) -> bool:
    return any(d.key.startswith("tabella ") and d.sure == SURE_STATED for d in t.decisions)


def _note_ambiguity(layout: WorkbookLayout, t: TableLayout) -> None:
    for d in t.decisions:
        if d.sure == SURE_LOW and d.key.startswith("totali "):
            layout.ambiguities.append(
                f"tabella {t.anchor}: non si capisce se i totali stanno sotto o sopra le loro "
                f"righe ({'; '.join(d.alternatives)}); letto «{d.value}». Indicarlo nel "
                f"foglio «_pdz» (chiave «{d.key}»).")


def sheets_to_read(grid: WorkbookGrid, config: LayoutConfig, assumptions: list[str],
                   amounts: AmountReader) -> list[SheetGrid]:
    """The sheets holding the budget: all visible ones but ours, or those stated."""
    by_cf = {s.name.casefold(): s for s in grid.sheets}
    wanted = [s for s in config.sheets]
    missing = [s for s in wanted if s.casefold() not in by_cf]
    if missing:
        raise LayoutError("i fogli indicati in «_pdz» (chiave «fogli») non esistono: "
                          + ", ".join(f"«{m}»" for m in missing) + ". Fogli della cartella: "
                          + ", ".join(f"«{n}»" for n in grid.sheet_names), file=grid.source)
    for name in config.ignore_sheets + config.summary_sheets:
        if name.casefold() not in by_cf:
            amounts.note("PDZ010", "avviso", None,
                         f"il foglio «{name}» indicato nel foglio «_pdz» non esiste: "
                         "l'indicazione è stata ignorata. Fogli della cartella: "
                         + ", ".join(f"«{n}»" for n in grid.sheet_names))
    wanted_cf = {s.casefold() for s in wanted}
    ignored = {s.casefold() for s in config.ignore_sheets}
    out = []
    for sheet in grid.sheets:
        key = sheet.name.casefold()
        if key in OWNED_SHEETS or key in ignored:
            continue
        if wanted_cf and key not in wanted_cf:
            continue
        if sheet.state != "visible" and not wanted_cf:
            if sheet.rows:
                assumptions.append(f"foglio nascosto «{sheet.name}» non letto (indicarlo in "
                                   "«_pdz», chiave «fogli», per leggerlo).")
            continue
        out.append(sheet)
    return out


def _stated_regions(config: LayoutConfig, sheet: str) -> dict:
    return {"anchors": config.anchors(sheet)}


def _table(sheet: SheetGrid, reg: Region, resolve, config: LayoutConfig,
           summary_sheet: bool, summaries: dict) -> TableLayout | None:
    stated_cols: dict[int, ColumnRole] = {}
    for (s, r, c), text in config.column_roles.items():
        if s == sheet.name.casefold() and r == reg.header_row and \
                (reg.first_col <= c <= reg.last_col or not config.anchors(sheet.name)):
            header = " / ".join(reg.headers.get(c, []))
            role = parse_column_role(text, c, header, resolve)
            if role is not None:
                stated_cols[c] = role
                reg.first_col = min(reg.first_col, c)
                reg.last_col = max(reg.last_col, c)
    roles = column_roles(reg, resolve, stated_cols)
    if not roles:
        return None
    body = reg.body_rows()
    kind, why, long_shape = classify(sheet, body, roles, resolve)
    if kind in (KIND_REVENUE, KIND_REVENUE_MULTI):
        title = cost_title(sheet, reg.header_rows[0], reg.first_col, reg.last_col)
        if title is not None:  # «Riepilogo costi 2021 per fonte»: costs, not revenues
            kind, why = KIND_SUMMARY, f"costi per canale (titolo «{title}»)"
    stated_kind = config.table_value(config.table_kind, sheet.name, reg.header_row,
                                     reg.first_col)
    sure = SURE_HIGH
    if stated_kind:
        kind, why, sure = stated_kind, "indicato nel foglio «_pdz»", SURE_STATED
    elif summary_sheet and kind == KIND_COST:
        kind = KIND_PLURIENNALE if len({r.year for r in roles.values()
                                        if r.role == COL_AMOUNT}) > 1 else KIND_SUMMARY
        why, sure = "foglio di riepilogo indicato in «_pdz»", SURE_STATED
    elif kind == KIND_COST and (sheet.name.casefold(), reg.header_row,
                                reg.first_col) in summaries:
        kind = KIND_SUMMARY
        why = summaries[(sheet.name.casefold(), reg.header_row, reg.first_col)]
        sure = SURE_MEDIUM
    hint = ()
    voce = next((r for r in roles.values() if r.role == COL_VOCE), None)
    if voce is not None:
        hint = header_meaning(voce.header.split(" / ")[-1], resolve).levels if voce.header \
            else ()
    group_levels(roles, hint, reg)
    title = None
    label = next((r for r in roles.values() if r.role == COL_VOCE), None)
    if label is not None and label.header and \
            header_meaning(label.header, resolve).role == COL_UNKNOWN:
        title = label.header
    t = TableLayout(sheet=sheet.name, kind=kind, header_rows=list(reg.header_rows),
                    first_row=reg.first_row, last_row=reg.last_row, first_col=reg.first_col,
                    last_col=reg.last_col, columns=roles,
                    shape="lunga" if long_shape and kind == KIND_COST else "larga",
                    excel_table=reg.excel_table, title=title)
    if kind != KIND_COST:
        _trim_trailing_titles(sheet, t)
    t.decisions.append(Decision(f"tabella {t.anchor}", kind, sure, why))
    if kind == KIND_TRIENNIAL and not any(r.role == "triennio" for r in roles.values()):
        t.kind = KIND_SUMMARY
    return t


def _trim_trailing_titles(sheet: SheetGrid, t: TableLayout) -> None:
    """Text rows at the bottom of a summary or revenue table title what follows."""
    values = [c for c, r in t.columns.items() if r.is_value]
    r = t.last_row
    while r >= t.first_row:
        cells = sheet.rows.get(r)
        if cells and any(c in cells and cells[c].value not in (None, "") for c in values):
            break
        r -= 1
    t.last_row = r


def _voce_hint(t: TableLayout) -> tuple[str, ...]:
    voce = next((r for r in t.columns.values() if r.role == COL_VOCE), None)
    if voce is None or not voce.header:
        return ()
    return header_meaning(voce.header.split(" / ")[-1], lambda s: (None, None)).levels


def _stated_workbook_keys(config: LayoutConfig) -> list[Decision]:
    """The workbook-wide keys a ``_pdz`` sheet states, to be written back as they are."""
    from ..money import format_eur

    out = []
    for key, names in (("fogli", config.sheets), ("ignora_fogli", config.ignore_sheets),
                       ("riepiloghi", config.summary_sheets)):
        if names:
            out.append(Decision(key, "; ".join(names), SURE_STATED, "indicato"))
    if config.tolerance_cents is not None:
        out.append(Decision("tolleranza", format_eur(config.tolerance_cents, symbol=False),
                            SURE_STATED, "tolleranza di arrotondamento in euro"))
    for header, code in config.column_channel_keys:
        out.append(Decision(f"colonna {header}", code, SURE_STATED,
                            "canale di ogni colonna con questa intestazione"))
    return out


def _years(cost: list[TableLayout], config: LayoutConfig, assumptions: list[str],
           grid: WorkbookGrid) -> tuple[int, int | None, list[Decision]]:
    cols = [r for t in cost for r in t.columns.values() if r.role == COL_AMOUNT and r.year]
    named = _year_column_values(grid, cost)  # the «Anno» column of long tables
    plan_years = sorted({r.year for r in cols if (r.kind or "anno") in PLAN_KINDS} | named)
    all_years = sorted({r.year for r in cols} | named)
    decisions: list[Decision] = []
    plan_year = config.plan_year
    why, sure, alts = "indicato", SURE_STATED, []
    if plan_year is None:
        triennium = _triennium_start(cost)
        if triennium is not None:
            plan_year, why, sure = triennium, "primo anno del triennio delle colonne", SURE_HIGH
        elif (split := _split_year(cost)) in plan_years and split != plan_years[-1]:
            plan_year = split  # «Budget 2021 | FNPS 2021 ... | Previsione 2022 | 2023»
            why, sure = ("l'anno ripartito sui canali (gli anni seguenti, senza "
                         "ripartizione, sono stime)"), SURE_MEDIUM
            alts = [f"{y}" for y in plan_years if y != split]
        elif plan_years:
            plan_year = plan_years[-1]
            why, sure = "l'anno più recente delle colonne di budget/previsione", SURE_HIGH
            alts = [f"{y}" for y in plan_years[:-1]]
        elif all_years:
            plan_year, why, sure = all_years[-1], "l'anno più recente delle colonne", SURE_MEDIUM
        else:
            plan_year = _title_year(grid, cost)
            why, sure = "dal titolo del foglio", SURE_LOW
            if plan_year is not None:
                assumptions.append(f"anno del piano {plan_year} dedotto dal titolo del foglio "
                                   f"«{cost[0].sheet}».")
    if plan_year is None:
        raise LayoutError("non riesco a stabilire l'anno del piano: scriverlo nel foglio "
                          "«_pdz» (chiave «anno_piano»).", file=grid.source)
    earlier = [y for y in plan_years if y < plan_year] or [y for y in all_years
                                                            if y < plan_year]
    comparison = config.comparison_year or (earlier[-1] if earlier else None)
    if config.plan_year is None and len(all_years) > 1:
        assumptions.append(f"anno del piano {plan_year}, anno di confronto {comparison}: "
                           "dalle intestazioni delle colonne.")
    decisions.append(Decision("anno_piano", str(plan_year), sure, why, alts))
    if comparison is not None:
        decisions.append(Decision("anno_confronto", str(comparison),
                                  SURE_STATED if config.comparison_year else SURE_HIGH,
                                  "l'anno precedente più vicino nelle colonne"))
    return plan_year, comparison, decisions


def _split_year(cost: list[TableLayout]) -> int | None:
    """The one year the channel headers name (``FNPS 2021``, ``FSOL 2021``), or None
    when they name none or several (an avanzo names the year it comes from)."""
    years = {r.year for t in cost for r in t.columns.values()
             if r.role == COL_CHANNEL and r.year and not (r.channel or "").startswith("AVANZO")}
    return years.pop() if len(years) == 1 else None


def _year_column_values(grid: WorkbookGrid, cost: list[TableLayout]) -> set[int]:
    out: set[int] = set()
    for t in cost:
        cols = [c for c, r in t.columns.items() if r.role == COL_YEAR_NAME]
        sheet = grid.sheet(t.sheet)
        if not cols or sheet is None:
            continue
        for r in range(t.first_row, t.last_row + 1):
            v = sheet.value(r, cols[0])
            if isinstance(v, str) and v.strip().isdigit():
                v = int(v.strip())
            if isinstance(v, (int, float)) and not isinstance(v, bool) and \
                    float(v).is_integer() and 1980 <= v <= 2199:
                out.add(int(v))
    return out


def _triennium_start(cost: list[TableLayout]) -> int | None:
    """With a triennio column next to consecutive years, the plan year is the first."""
    for t in cost:
        if not any(r.role == "triennio" for r in t.columns.values()):
            continue
        years = sorted({r.year for r in t.columns.values() if r.role == COL_AMOUNT and r.year
                        and (r.kind or "anno") in PLAN_KINDS})
        if len(years) >= 2 and years == list(range(years[0], years[0] + len(years))):
            return years[-3] if len(years) > 3 else years[0]  # 2020 | 2021 2022 2023
    return None


def _title_year(grid: WorkbookGrid, cost: list[TableLayout]) -> int | None:
    import re

    for t in cost:
        sheet = grid.sheet(t.sheet)
        if sheet is None:
            continue
        for r in range(1, t.header_rows[0]):
            for cell in sheet.rows.get(r, {}).values():
                m = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", str(cell.value or ""))
                if m:
                    return int(m.group(1))
    return None


def _other_years_of_the_same_voci(cost: list[TableLayout], plan_year: int,
                                  grid: WorkbookGrid) -> list[TableLayout]:
    """Cost tables with no amount of the plan year whose voci are (80 % or more) the voci
    of a table that has it: the same lines in another year (``Consuntivo 2020`` under
    the ``Budget 2021``), not more lines. Each gets its decision («ignora», media)."""
    def plan_cols(t: TableLayout) -> bool:
        return any(r.role == COL_AMOUNT and not r.secondary and r.year in (None, plan_year)
                   for r in t.columns.values())

    def voci(t: TableLayout) -> list[str]:
        sheet, col = grid.sheet(t.sheet), t.voce_col
        if sheet is None or col is None:
            return []
        out = []
        for r in range(t.first_row, t.last_row + 1):
            cells = sheet.rows.get(r)
            if cells and col in cells and isinstance(cells[col].value, str) and any(
                    c in cells and type(cells[c].value) in (int, float)
                    for c, role in t.columns.items() if role.role == COL_AMOUNT):
                out.append(normalise_label(cells[col].value))
        return out

    with_plan = [t for t in cost if plan_cols(t)]
    others = [t for t in cost if not plan_cols(t) and not _stated(t)
              and any(r.role == COL_AMOUNT for r in t.columns.values())]
    if not with_plan or not others:
        return []
    pool = {v for t in with_plan for v in voci(t)}
    out = []
    for t in others:
        mine = voci(t)
        if len(mine) >= 2 and sum(v in pool for v in mine) >= 0.8 * len(mine):
            years = sorted({r.year for r in t.columns.values()
                            if r.role == COL_AMOUNT and r.year})
            t.decisions = [d for d in t.decisions if d.key != f"tabella {t.anchor}"]
            t.decisions.append(Decision(
                f"tabella {t.anchor}", KIND_IGNORE, SURE_MEDIUM,
                "ha solo importi di altri anni (" + ", ".join(map(str, years)) + ") delle "
                f"stesse voci di una tabella del {plan_year}: letta come confronto, non "
                "come altre righe di costo", [KIND_COST]))
            out.append(t)
    return out


def _mark_secondary(t: TableLayout, plan_year: int) -> None:
    """Two amount columns of the same year (Preventivo 2020, Assestato 2020): one counts
    as the year's amount, the other is kept apart (``other_amounts``)."""
    by_year: dict[int, list[ColumnRole]] = {}
    for r in t.columns.values():
        if r.role == COL_AMOUNT:
            by_year.setdefault(r.year or 0, []).append(r)
    budget_years = {y for y, roles in by_year.items()
                    if any((r.kind or "anno") in PLAN_KINDS for r in roles)}
    for year, roles in by_year.items():
        # a consuntivo (or PO, pre-consuntivo) looks back: beside the budget columns of
        # the plan it is kept apart, not taken as that year's budget
        if year not in budget_years and budget_years and year < min(budget_years):
            for r in roles:
                if (r.kind or "anno") not in PLAN_KINDS:
                    r.secondary = True
                    r.why = (r.why + "; " if r.why else "") + \
                        "colonna di consuntivo: tenuta a parte"
            continue
        if len(roles) < 2:
            continue
        order = _PRIMARY_ORDER if year in (plan_year, 0) else _PAST_ORDER
        roles.sort(key=lambda r: order.index(r.kind) if r.kind in order else len(order))
        for r in roles[1:]:
            r.secondary = True
            r.why = (r.why + "; " if r.why else "") + \
                f"altra colonna del {year}: tenuta a parte"
    _mark_secondary_channels(t, plan_year)


def _mark_secondary_channels(t: TableLayout, plan_year: int) -> None:
    """A channel with a column per year (``Budget 2021 | FNPS | ... | Budget 2020 | FNPS
    | ...``): the plan year's column is the split, the others are kept apart. A channel
    header without a year belongs to the year of the amount column on its left."""
    block_year: int | None = None
    by_code: dict[str, list[tuple[int, ColumnRole]]] = {}
    for _col, r in sorted(t.columns.items()):
        if r.role == COL_AMOUNT:
            block_year = r.year
        elif r.role == COL_CHANNEL and r.channel:
            by_code.setdefault(r.channel, []).append((r.year or block_year or 0, r))
    for code, cols in by_code.items():
        if len(cols) < 2:
            continue
        primary = next((r for y, r in cols if y == plan_year), cols[0][1])
        for year, r in cols:
            if r is not primary:
                r.secondary = True
                if not r.year and year:
                    r.year = year
                r.why = (r.why + "; " if r.why else "") + \
                    f"canale {code} di un altro anno ({year or 'senza anno'}): tenuto a parte"


def _title_groups(sheet: SheetGrid, first_header: int, ss: SheetState) -> None:
    """Area/obiettivo/servizio headings written above the first table of a sheet."""
    for r in range(1, first_header):
        for c, cell in sorted(sheet.rows.get(r, {}).items()):
            if isinstance(cell.value, str):
                h = heading_of(cell.value, bold=cell.bold)
                num = numbering_of(cell.value) if h is None else None
                if num is not None and (num.rest.upper() == num.rest or cell.bold
                                        or num.depth >= 2):  # «7.1 Cartella sociale»
                    h = Heading("obiettivo", num.parts[-1], num.rest, cell.value.strip())
                if h is not None and h.level in ("area", "obiettivo", "servizio"):
                    label = strip_numbering(h.label) if h.level == "obiettivo" else h.label
                    ss.open(GroupRef(h.level, label, h.text, h.number,
                                     sheet_ref(sheet.name, r, c), LEVELS.index(h.level)))


def _header_group(sheet: SheetGrid, t: TableLayout, ss: SheetState) -> None:
    """The header's own label cell naming a group (``SERVIZIO TM`` over its table)."""
    if not t.title:
        return
    h = heading_of(t.title, bold=True)
    if h is None:
        return
    voce = t.voce_col or t.first_col
    label = strip_numbering(h.label) if h.level == "obiettivo" else h.label
    ss.open(GroupRef(h.level, label, h.text, h.number, sheet_ref(sheet.name, t.header_row,
                                                                 voce),
                     LEVELS.index(h.level)), t.index)


__all__ = ["COL_CHANNEL", "SURE_LOW", "SURE_MEDIUM", "Runtime", "infer_layout",
           "make_resolver"]
