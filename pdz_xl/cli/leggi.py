"""``pdz-xl leggi``: read a workbook and show the Plan found in it."""

from __future__ import annotations

from pathlib import Path

import typer

from ..money import format_eur
from ..plan import Plan
from .common import load_or_fail, print_json


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
    for a in plan.assumptions:
        out.append(f"Ipotesi: {a}")
    for n in plan.notes:
        out.append(f"[{n.code} {n.severity}] {n.cell or ''}: {n.message}")
    return out


def register(app: typer.Typer) -> None:
    """Add ``leggi`` (alias ``read``)."""

    def leggi(
        file: Path = typer.Argument(..., help="Cartella di lavoro .xlsx/.xlsm da leggere."),
        json_out: bool = typer.Option(False, "--json", help="Stampa il piano in JSON."),
    ) -> None:
        """Legge una cartella di lavoro e mostra righe, totali, entrate e riepiloghi trovati."""
        plan = load_or_fail(file)
        if json_out:
            print_json(plan.to_json_dict())
            return
        for line in describe_plan(plan):
            typer.echo(line)

    app.command("leggi")(leggi)
    app.command("read", hidden=True)(leggi)
