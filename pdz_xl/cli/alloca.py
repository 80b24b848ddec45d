"""``pdz-xl alloca``: fill the channel columns, exact to the cent, within the rules."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from ..io.xlsx_patch import apply_changeset
from ..io.xlsx_reader import read_workbook
from ..layout.detect import detect_plan
from ..money import format_eur, to_decimal_str
from .common import EXIT_FINDINGS, fail, print_json


def register(app: typer.Typer) -> None:
    """Add ``alloca`` (alias ``allocate``)."""

    def alloca(
        file: Path = typer.Argument(..., help="Cartella di lavoro .xlsx/.xlsm."),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="File di uscita (predefinito: il file stesso, con "
                                      "copia di sicurezza)."),
        modo: str = typer.Option("vuote", "--modo",
                                 help="vuote: solo le righe senza ripartizione; tutto: "
                                      "rialloca tutto; anno-scorso: resta vicino ai canali "
                                      "già usati."),
        solver: str = typer.Option("auto", "--solver", help="auto, ortools o highs."),
        json_out: bool = typer.Option(False, "--json", help="Riepilogo in JSON."),
    ) -> None:
        """Ripartisce le righe di costo sui canali di finanziamento secondo le regole."""
        from ..allocate.apply import allocation_changeset

        if modo not in ("vuote", "tutto", "anno-scorso"):
            fail(f"modo «{modo}» sconosciuto: usare vuote, tutto o anno-scorso.")
        try:
            grid = read_workbook(file)
            plan = detect_plan(grid)
            changeset, _plan, result = allocation_changeset(grid, plan, mode=modo,
                                                            solver=solver)
            written = apply_changeset(file, changeset, out or file)
        except PdzError as exc:
            fail(exc, EXIT_FINDINGS if "allocazione impossibile" in exc.message else 2)
        if json_out:
            print_json({"file": str(written.dest), "solver": result.solver,
                        "righe": result.lines_allocated,
                        "canali": [{"canale": s.code,
                                    "disponibile": to_decimal_str(s.disponibile),
                                    "allocato": to_decimal_str(s.allocato),
                                    "residuo": to_decimal_str(s.residuo)}
                                   for s in result.channels]})
            return
        typer.echo(f"{result.lines_allocated} righe allocate ({result.solver}); scritto "
                   f"{written.dest}" + (f" (copia {written.backup})" if written.backup else ""))
        typer.echo(f"{'Canale':<26}{'Disponibile':>20}{'Allocato':>20}{'Residuo':>20}")
        for s in result.channels:
            typer.echo(f"{s.code:<26}{format_eur(s.disponibile):>20}"
                       f"{format_eur(s.allocato):>20}{format_eur(s.residuo):>20}")

    app.command("alloca")(alloca)
    app.command("allocate", hidden=True)(alloca)
