"""``pdz-xl triennale``: generate the "Triennale PDZ" sheet (and the data package).

``triennale FILE [-o OUT] [--per area|obiettivo] [--anno1 dichiarati|righe] [--fdp DIR]
[--data AAAA-MM-GG] [--ente TESTO]``
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from .common import OUT_HELP, WORKBOOK_HELP, fail, write_workbook, written_message
from .values import parse_date


def register(app: typer.Typer) -> None:
    """Add ``triennale`` (alias ``triennial``)."""

    def triennale(
        file: Path = typer.Argument(..., help=WORKBOOK_HELP),
        out: Path = typer.Option(None, "--out", "-o", help=OUT_HELP),
        per: str = typer.Option(None, "--per", metavar="area|obiettivo",
                                help="Costi per «area» o per «obiettivo» (predefinito: "
                                     "area, obiettivo se il budget non ha aree)."),
        anno1: str = typer.Option("dichiarati", "--anno1", metavar="dichiarati|righe",
                                  help="Anno 1 dei costi: «dichiarati» (il totale scritto "
                                       "del gruppo quando c'è) o «righe» (sempre la somma "
                                       "delle righe). Un «Anno 1» scritto in «Proiezioni "
                                       "PDZ» vale comunque."),
        fdp: Path = typer.Option(None, "--fdp", metavar="CARTELLA",
                                 help="Cartella dove esportare il Fiscal Data Package."),
        data: str = typer.Option(None, "--data", metavar="AAAA-MM-GG", callback=parse_date,
                                 help="Data di generazione da scrivere (AAAA-MM-GG o "
                                      "GG/MM/AAAA)."),
        ente: str = typer.Option(None, "--ente", "--ambito", metavar="NOME",
                                 help="Nome dell'ente nell'intestazione e nel piè di pagina "
                                      "(predefinito: la chiave «ente» del foglio «_pdz», "
                                      "altrimenti il nome del file)."),
    ) -> None:
        """Genera i fogli «Triennale PDZ» (costi e ricavi dei tre anni, saldo, grafici,
        pronto da stampare) e «Confronto PDZ» (anno del piano e anno di confronto); gli
        anni 2 e 3 vengono dalle tabelle triennali della cartella, se ci sono."""
        from ..io.xlsx_reader import read_workbook
        from ..layout.detect import detect_plan
        from ..triennial.build import triennial_changeset
        from ..triennial.fdp import export_fdp

        if per is not None and per not in ("area", "obiettivo"):
            fail("--per vale «area» oppure «obiettivo».")
        if anno1 not in ("dichiarati", "righe"):
            fail("--anno1 vale «dichiarati» oppure «righe».")
        try:
            grid = read_workbook(file)  # the grid too (not just load_plan): projections
            plan = detect_plan(grid)
            changeset, result = triennial_changeset(
                grid, plan, per=per, year1=anno1,  # type: ignore[arg-type]
                generated_on=data, ente=ente)
            written = write_workbook(file, changeset, out)
        except PdzError as exc:
            fail(exc)
        typer.echo(written_message(written))
        for note in written.notes:
            typer.echo(f"  nota: {note}")
        for line in changeset.summary:
            typer.echo(f"  {line}")
        if fdp is not None:
            path = export_fdp(result, fdp, f"Piano triennale {result.years[0]}-"
                              f"{result.years[2]} – {result.ente}")
            typer.echo(f"Fiscal Data Package in {path}")

    app.command("triennale")(triennale)
    app.command("triennial", hidden=True)(triennale)
