"""``pdz-xl leggi``: read a workbook and show the Plan found in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..money import format_eur
from .common import load_or_fail, print_json

if TYPE_CHECKING:
    from ..plan import Plan


def describe_plan(plan: Plan) -> list[str]:
    """Italian summary lines of a Plan, for the terminal."""
    out = [f"File: {plan.source}",
           f"Anno del piano: {plan.plan_year}"
           + (f" (confronto con {plan.comparison_year})" if plan.comparison_year else "")]
    out.append(f"Tabelle dei costi: {len(plan.tables)}; righe di costo: {len(plan.lines)}; "
               f"totali dichiarati: {len(plan.totals)}")
    total = sum(ln.amount(plan.plan_year) for ln in plan.lines)
    out.append(f"Totale delle righe {plan.plan_year}: {format_eur(total)}")
    if plan.channel_codes:
        out.append("Canali nelle tabelle: " + ", ".join(plan.channel_codes))
    items = [r for r in plan.revenues if r.kind == "item"]
    if items:
        out.append(f"Entrate: {len(items)} voci, "
                   f"{format_eur(sum(r.amount or 0 for r in items))}")
    for s in plan.summaries:
        out.append(f"Riepilogo «{s.kind}» nel foglio «{s.sheet}»: {len(s.rows)} righe")
    out.extend(describe_layout(plan))
    for a in plan.assumptions:
        out.append(f"Ipotesi: {a}")
    for a in plan.ambiguities:
        out.append(f"Lettura incerta: {a}")
    for n in plan.notes:
        out.append(f"[{n.code} {n.severity}] {n.cell or ''}: {n.message}")
    return out


def describe_layout(plan: Plan) -> list[str]:
    """How each table was read, in the words of the «_pdz» sheet (``pdz-xl mappa``)."""
    from ..layout.mapping import column_role_text, layout_rows

    layout = plan.layout
    if layout is None:
        return []
    out = ["Come è stata letta la cartella (chiavi del foglio «_pdz»; «pdz-xl mappa» le "
           "scrive):"]
    for t in layout.tables():
        cols = ", ".join(f"{_letter(c)} {column_role_text(r)}"
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
        out.append(f"  da verificare: {d.key} = {d.value} (sicurezza {d.sure}{alts})")
    return out


def _letter(col: int) -> str:
    from ..cells import col_letters

    return col_letters(col)


def register(app: typer.Typer) -> None:
    """Add ``leggi`` (alias ``read``)."""

    def leggi(
        file: Path = typer.Argument(..., help="Cartella di lavoro .xlsx/.xlsm da leggere."),
        json_out: bool = typer.Option(False, "--json", help="Stampa il piano in JSON."),
    ) -> None:
        """Legge una cartella di lavoro e mostra righe, totali, entrate e riepiloghi trovati."""
        plan = load_or_fail(file)
        if json_out:
            from ..layout.mapping import layout_rows

            data = plan.to_json_dict()
            if plan.layout is not None:
                data["layout"] = [{"chiave": d.key, "valore": d.value, "sicurezza": d.sure,
                                   "alternative": d.alternatives, "perche": d.why}
                                  for d in layout_rows(plan.layout)]
            print_json(data)
            return
        for line in describe_plan(plan):
            typer.echo(line)

    app.command("leggi")(leggi)
    app.command("read", hidden=True)(leggi)
