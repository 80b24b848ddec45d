"""``pdz-xl rigenera``: bring a folder of budget workbooks up to date in one command."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import typer

from .common import fail, print_json


def register(app: typer.Typer) -> None:
    """Add ``rigenera`` (alias ``regenerate``)."""

    def rigenera(
        paths: list[Path] = typer.Argument(..., help="File .xlsx/.xlsm o cartelle."),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="Cartella dei risultati (predefinita: pdz-output "
                                      "accanto a ogni file)."),
        in_place: bool = typer.Option(False, "--in-place",
                                      help="Sovrascrive i file (con copia di sicurezza)."),
        no_backup: bool = typer.Option(False, "--no-backup",
                                       help="Con --in-place: non tenere la copia."),
        alloca: bool = typer.Option(False, "--alloca", help="Alloca le righe senza canali."),
        triennale: bool = typer.Option(False, "--triennale",
                                       help="Rigenera il foglio «Triennale PDZ»."),
        per: str = typer.Option(None, "--per", help="Triennale per «area» o per «obiettivo» "
                                "(predefinito: area, obiettivo se il budget non ha aree)."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processi in parallelo."),
        json_out: bool = typer.Option(False, "--json", help="Risultati in JSON."),
    ) -> None:
        """Legge e controlla ogni cartella e, a richiesta, alloca e genera il triennale."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ..batch.discover import discover
        from ..batch.process import BatchOptions, process_file
        from ..batch.report import exit_code, final_line, print_table
        from ..batch.runner import FileResult, run_files

        if per is not None and per not in ("area", "obiettivo"):
            fail("--per vale «area» oppure «obiettivo».")
        files, problems = discover(paths)
        steps = (("alloca",) if alloca else ()) + (("triennale",) if triennale else ()) \
            + ("valida",)
        options = BatchOptions(steps=steps, out_dir=out, in_place=in_place,
                               backup=not no_backup, per=per)
        job = functools.partial(process_file, options=options)
        results = [FileResult(file=str(p), status="errore", message=f"{p}: {why}")
                   for p, why in problems]
        quiet = json_out or not sys.stderr.isatty()
        console = Console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=console, disable=quiet, transient=True) as progress:
            task = progress.add_task("Rigenerazione", total=len(files))
            for r in run_files(files, job, jobs):
                results.append(r)
                progress.advance(task)
        if json_out:
            print_json({"files": [r.model_dump() for r in results],
                        "riepilogo": final_line(results), "exit_code": exit_code(results)})
        else:
            print_table(results, Console())
            typer.echo(final_line(results))
        raise typer.Exit(exit_code(results))

    app.command("rigenera")(rigenera)
    app.command("regenerate", hidden=True)(rigenera)
