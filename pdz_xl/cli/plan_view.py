"""What ``leggi`` (and ``demo``) print of a Plan: a compact summary, the cost lines as a
table with their cells, how each table was read. Channels by the workbook's names,
summary tables by their own titles; the codes stay in ``--json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cells import parse_a1, split_sheet_ref
from ..channels.display import channel_labels
from ..money import format_eur
from ..plurals import plural

if TYPE_CHECKING:
    from ..grid import WorkbookGrid
    from ..plan import Line, Plan, SummaryTable

SUMMARY_KINDS = {
    "triennale_costi": "costi del triennio", "triennale_canali": "entrate del triennio",
    "pluriennale": "più anni", "confronto": "confronto tra anni", "riepilogo": "riepilogo",
}


def describe_plan(plan: Plan, grid: WorkbookGrid | None = None) -> list[str]:
    """Italian summary lines of a Plan, for the terminal (the lines themselves apart:
    :func:`lines_table`)."""
    names = channel_labels(plan)
    out = [f"File: {plan.source}",
           f"Anno del piano: {plan.plan_year}"
           + (f" (confronto con {plan.comparison_year})" if plan.comparison_year else "")]
    out.append(f"Tabelle dei costi: {len(plan.tables)}; righe di costo: {len(plan.lines)}; "
               f"totali dichiarati: {len(plan.totals)}")
    total = sum(ln.amount(plan.plan_year) for ln in plan.lines)
    out.append(f"Totale delle righe {plan.plan_year}: {format_eur(total)}")
    if plan.channel_codes:
        out.append("Canali nelle tabelle: " + ", ".join(names.get(c, c)
                                                         for c in plan.channel_codes))
    items = [r for r in plan.revenues if r.kind == "item"]
    if items:
        out.append(f"Entrate: {plural(len(items), 'voce', 'voci')}, "
                   f"{format_eur(sum(r.amount or 0 for r in items))}")
    for s in plan.summaries:
        title = summary_title(s, grid)
        kind = SUMMARY_KINDS.get(s.kind, s.kind)
        what = f"«{title}» ({kind})" if title else f"di {kind}"
        out.append(f"Riepilogo {what} nel foglio «{s.sheet}»: "
                   f"{plural(len(s.rows), 'riga', 'righe')}")
    return out


def describe_reading(plan: Plan) -> list[str]:
    """How each table was read, assumptions, uncertain readings and reading notes."""
    out = describe_layout(plan)
    out += [f"Ipotesi: {a}" for a in plan.assumptions]
    out += [f"Lettura incerta: {a}" for a in plan.ambiguities]
    out += [f"[{n.code} {n.severity}] {n.cell or ''}: {n.message}" for n in plan.notes]
    return out


def summary_title(s: SummaryTable, grid: WorkbookGrid | None) -> str | None:
    """The title the workbook gives a summary table: its own title, else a lone text
    just above its header (the sheet's title row), else its header's first cell."""
    if s.title:
        return s.title
    sheet = grid.sheet(s.sheet) if grid is not None else None
    if sheet is None or not s.rows:
        return None
    col = parse_a1(split_sheet_ref(s.rows[0].cell)[1])[1]
    for r in range(s.header_row - 1, max(0, s.header_row - 4), -1):
        cells = {c: v for c, v in sheet.rows.get(r, {}).items() if v.value not in (None, "")}
        if not cells:
            continue
        if len(cells) == 1 and isinstance(cell := next(iter(cells.values())).value, str):
            return " ".join(cell.split())
        break
    head = sheet.rows.get(s.header_row, {}).get(col)
    return " ".join(head.value.split()) if head is not None and isinstance(head.value, str) \
        else None


def lines_view(plan: Plan, limit: int | None = None) -> list:
    """The cost lines as rich renderables: under each group's heading (sheet · path), a
    table of cella, voce, importo of the plan year and canali (the workbook's names and
    amounts, one a line; no column before allocation); the first ``limit`` lines when
    given. The column widths are the same in every group: the groups read as one table."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    names = channel_labels(plan)
    shown = plan.lines if limit is None else plan.lines[:limit]
    year = plan.plan_year
    head = f"Importo {year}"
    cell_w = max([len("Cella"), *(len(split_sheet_ref(ln.cell)[1]) for ln in shown)])
    amount_w = max([len(head), *(len(_amount(ln, year)) for ln in shown)])
    split = any(ln.has_split() for ln in shown)  # no «Canali» column before allocation
    title = f"Righe di costo {year}: {len(shown)}"
    if len(shown) < len(plan.lines):
        title += f" di {len(plan.lines)} (--righe 0 per vederle tutte)"
    out: list = [Text(title, style="bold")]
    groups: list[tuple[tuple[str, tuple[str, ...]], list[Line]]] = []
    for ln in shown:
        key = (ln.sheet, tuple(ln.path))
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(ln)
    for i, ((sheet, path), lines) in enumerate(groups):
        out.append(Text(" · ".join([sheet, " / ".join(path)] if path else [sheet]),
                        style="bold"))
        table = Table(box=box.SIMPLE_HEAD, show_header=i == 0,
                      expand=True, pad_edge=False, show_edge=False)
        table.add_column("Cella", width=cell_w, no_wrap=True)
        table.add_column("Voce", ratio=1)
        table.add_column(head, width=amount_w, justify="right", no_wrap=True)
        if split:
            table.add_column("Canali", ratio=1)
        for ln in lines:
            row = [split_sheet_ref(ln.cell)[1], ln.voce, _amount(ln, year)]
            table.add_row(*row, *([_channels(ln, names)] if split else []))
        out.append(table)
    return out


def _amount(ln: Line, year: int) -> str:
    value = ln.amounts.get(year)
    return "" if value is None else format_eur(value)


def _channels(ln: Line, names: dict[str, str]) -> str:
    return "\n".join(f"{names.get(code, code)} {format_eur(v)}"
                     for code, v in ln.channels.items() if v)


def describe_layout(plan: Plan) -> list[str]:
    """How each table was read, in the words of the «_pdz» sheet (``pdz-xl mappa``)."""
    from ..layout.mapping import column_role_text, layout_rows
    from ..layout.model import COL_CHANNEL

    layout = plan.layout
    if layout is None:
        return []
    names = channel_labels(plan)

    def role_text(role) -> str:  # a channel column by the workbook's name («_pdz» reads it)
        if role.role == COL_CHANNEL and role.channel in names:
            return f"canale {names[role.channel]}"
        return column_role_text(role)

    out = ["Come è stata letta la cartella (chiavi del foglio «_pdz»; «pdz-xl mappa» le "
           "scrive):"]
    for t in layout.tables():
        cols = ", ".join(f"{_letter(c)} {role_text(r)}"
                         for c, r in sorted(t.columns.items()))
        extra = ""
        if t.kind == "costi":
            extra = f"; totali {t.totals}" + (f"; livelli {', '.join(t.levels)}"
                                              if t.levels else "") + (
                "; una riga per voce e canale" if t.shape == "lunga" else "")
        out.append(f"  tabella {t.anchor}: {t.kind}, righe {t.first_row}-{t.last_row}"
                   f"{extra}; colonne: {cols}")
    unsure = [d for d in layout_rows(layout) if d.sure in ("media", "bassa")]
    for d in unsure:
        alts = f"; considerato: {'; '.join(d.alternatives)}" if d.alternatives else ""
        value = d.value
        if value.startswith("canale ") and value[7:] in names:
            value = f"canale {names[value[7:]]}"
        out.append(f"  da verificare: {d.key} = {value} (sicurezza {d.sure}{alts})")
    return out


def _letter(col: int) -> str:
    from ..cells import col_letters

    return col_letters(col)
