"""``pdz-xl alloca``: fill the channel columns, exact to the cent, within the rules."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from ..money import format_eur, to_decimal_str
from ..plurals import plural
from .common import (
    EXIT_FINDINGS,
    OUT_HELP,
    WORKBOOK_HELP,
    fail,
    print_json,
    write_workbook,
    written_message,
)

MODES = ("vuote", "tutto", "anno-scorso")
SOLVERS = ("auto", "ortools", "highs")


def _infeasible_json(exc) -> dict:
    exp = exc.explanation
    return {"esito": "impossibile", "mancano": to_decimal_str(exp.total),
            "canali": [{"canale": c.code, "disponibile": to_decimal_str(c.disponibile),
                        "mancano": to_decimal_str(c.short),
                        "righe": [ln.cell for ln in c.lines]} for c in exp.channels],
            "righe": [{"cella": p.line.cell, "scoperti": to_decimal_str(p.missing),
                       "motivo": p.reason} for p in exp.lines],
            "conflitti": exp.rule_conflicts, "messaggio": exp.message}


def _table(result) -> list[str]:
    width = max([len("Canale"), *(len(s.header) for s in result.channels)]) + 2
    rows = [f"{'Canale':<{width}}{'Disponibile':>20}{'Allocato':>20}{'Residuo':>20}"]
    for s in result.channels:
        rows.append(f"{s.header:<{width}}{format_eur(s.disponibile):>20}"
                    f"{format_eur(s.allocato):>20}{format_eur(s.residuo):>20}")
    tot = [sum(getattr(s, k) for s in result.channels)
           for k in ("disponibile", "allocato", "residuo")]
    rows.append(f"{'Totale':<{width}}" + "".join(f"{format_eur(v):>20}" for v in tot))
    return rows


def register(app: typer.Typer) -> None:
    """Add ``alloca`` (alias ``allocate``)."""

    def alloca(
        file: Path = typer.Argument(..., help=WORKBOOK_HELP),
        out: Path = typer.Option(None, "--out", "-o", help=OUT_HELP),
        modo: str = typer.Option("vuote", "--modo", metavar="|".join(MODES),
                                 help="vuote: compila solo le celle vuote, le celle già "
                                      "scritte restano; tutto: rialloca tutto; anno-scorso: "
                                      "rialloca restando vicino alle quote attuali."),
        solver: str = typer.Option("auto", "--solver", metavar="|".join(SOLVERS),
                                   help="auto (OR-Tools se installato), ortools o highs."),
        json_out: bool = typer.Option(False, "--json", help="Riepilogo in JSON."),
    ) -> None:
        """Ripartisce le righe di costo sui canali di finanziamento secondo le regole."""
        from ..allocate.apply import AllocationInfeasible, allocation_changeset
        from ..allocate.solver import solver_label
        from ..io.xlsx_reader import read_workbook
        from ..layout.detect import detect_plan

        if modo not in MODES:
            fail(f"modo «{modo}» sconosciuto: usare {', '.join(MODES)}.")
        if solver not in SOLVERS:
            fail(f"risolutore «{solver}» sconosciuto: usare {', '.join(SOLVERS)}.")
        try:
            grid = read_workbook(file)
            plan = detect_plan(grid)
            changeset, _plan, result = allocation_changeset(grid, plan, mode=modo,
                                                            solver=solver)
            written = write_workbook(file, changeset, out)
        except AllocationInfeasible as exc:
            if json_out:
                print_json(_infeasible_json(exc))
                raise typer.Exit(EXIT_FINDINGS) from None
            fail(exc, EXIT_FINDINGS)
        except (PdzError, ValueError) as exc:
            fail(exc if isinstance(exc, PdzError) else str(exc))
        if json_out:
            print_json({"esito": "allocato", "file": str(written.dest), "modo": modo,
                        "risolutore": result.solver, "righe": result.lines_allocated,
                        "canali": [{"canale": s.code, "intestazione": s.header,
                                    "disponibile": to_decimal_str(s.disponibile),
                                    "allocato": to_decimal_str(s.allocato),
                                    "residuo": to_decimal_str(s.residuo)}
                                   for s in result.channels],
                        "note": changeset.summary[1 + len(result.channels):]
                        + written.notes})
            return
        typer.echo(f"{plural(result.lines_allocated, 'riga allocata', 'righe allocate')} "
                   f"(modo {modo}, {solver_label(result.solver)}); "
                   f"{written_message(written)}")
        for row in _table(result):
            typer.echo(row)
        for note in changeset.summary[1 + len(result.channels):] + written.notes:
            typer.echo(f"nota: {note}")

    app.command("alloca")(alloca)
    app.command("allocate", hidden=True)(alloca)
