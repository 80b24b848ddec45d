"""``pdz-xl rigenera``: bring a folder of budget workbooks up to date in one command."""

from __future__ import annotations

import functools
import signal
import sys
from pathlib import Path

import typer

from .common import fail, print_json


def register(app: typer.Typer) -> None:
    """Add ``rigenera`` (alias ``regenerate``)."""

    def rigenera(
        paths: list[Path] = typer.Argument(..., help="File .xlsx/.xlsm o cartelle."),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="Cartella dei risultati, con le sottocartelle dei file "
                                      "(predefinita: pdz-output nella cartella indicata); "
                                      "un file .xlsx/.xlsm con un solo file."),
        in_place: bool = typer.Option(False, "--in-place",
                                      help="Sovrascrive i file (con copia di sicurezza)."),
        no_backup: bool = typer.Option(False, "--no-backup",
                                       help="Con --in-place: non tenere la copia."),
        alloca: bool = typer.Option(False, "--alloca", help="Alloca le righe senza canali."),
        triennale: bool = typer.Option(False, "--triennale",
                                       help="Rigenera il foglio «Triennale PDZ»."),
        per: str = typer.Option(None, "--per", help="Triennale per «area» o per «obiettivo» "
                                "(predefinito: area, obiettivo se il budget non ha aree)."),
        nuovo_anno: bool = typer.Option(False, "--nuovo-anno",
                                        help="Scrive la cartella dell'anno dopo di ogni file "
                                             "(come «pdz-xl nuovo-anno»), con l'anno nel "
                                             "nome spostato avanti; gli originali restano."),
        canali: str = typer.Option(None, "--canali",
                                   help="Con --nuovo-anno: «vuoti» (predefinito) o "
                                        "«come-anno-scorso»."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processi in parallelo."),
        json_out: bool = typer.Option(False, "--json", help="Risultati in JSON."),
    ) -> None:
        """Legge e controlla ogni cartella e, a richiesta, alloca e genera il triennale, o
        prepara la cartella dell'anno dopo (--nuovo-anno)."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ..batch.discover import discover
        from ..batch.outputs import DEFAULT_DIR, check_options, plan_outputs
        from ..batch.process import BatchOptions, process_file, target_label, warm_up
        from ..batch.report import exit_code, final_line, print_table
        from ..batch.runner import FileResult, run_files
        from ..errors import PdzError

        if per is not None and per not in ("area", "obiettivo"):
            fail("--per vale «area» oppure «obiettivo».")
        if canali is not None and not nuovo_anno:
            fail("--canali vale solo con --nuovo-anno.")
        if canali not in (None, "vuoti", "come-anno-scorso"):
            fail("--canali vale «vuoti» oppure «come-anno-scorso».")
        if nuovo_anno and (alloca or triennale or per is not None):
            fail("--nuovo-anno non va con --alloca, --triennale o --per: prima il nuovo "
                 "anno, poi «pdz-xl rigenera --alloca» sulla cartella dei nuovi file.")
        if nuovo_anno and in_place:
            fail("--nuovo-anno scrive sempre nuovi file (l'anno prima resta com'è): "
                 "--in-place non vale; indicare la cartella di uscita con -o.")
        try:
            check_options(out=out, in_place=in_place, no_backup=no_backup)
            found = discover(paths, out=out)
            targets = plan_outputs(found.files, paths, out=out, in_place=in_place,
                                   default_dir=DEFAULT_DIR)
            if nuovo_anno:
                from ..batch.next_year import next_year_targets

                warm_up()
                if not (out is not None and all(t.dest == out for t in targets)):
                    targets = next_year_targets(targets, jobs, run_files, target_label)
        except PdzError as exc:
            if json_out:
                print_json({"files": [], "errore": exc.describe(), "exit_code": 2})
            fail(exc)
        steps = (("alloca",) if alloca else ()) + (("triennale",) if triennale else ()) \
            + ("valida",)
        options = BatchOptions(steps=steps, backup=not no_backup, per=per,
                               channels=canali or "vuoti")
        if nuovo_anno:
            from ..batch.next_year import process_next_year

            job = functools.partial(process_next_year, options=options)
        else:
            job = functools.partial(process_file, options=options)
        results = [FileResult(file=str(p), status="errore", message=f"{p}: {why}")
                   for p, why in found.problems]
        cleaned = [f"rimosso il file temporaneo «{p}» lasciato da un'esecuzione interrotta"
                   for p in found.cleaned]
        # SIGTERM unwinds like Ctrl-C: the workers are stopped and remove their temporaries
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        quiet = json_out or not sys.stderr.isatty()
        console = Console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=console, disable=quiet, transient=True) as progress:
            task = progress.add_task("Rigenerazione", total=len(targets))
            for r in run_files(targets, job, jobs, label=target_label, warm_up=warm_up):
                results.append(r)
                progress.advance(task)
        if json_out:
            print_json({"files": [r.model_dump() for r in results],
                        "riepilogo": final_line(results), "exit_code": exit_code(results),
                        "note": cleaned})
        else:
            print_table(results, Console())
            for line in cleaned:
                typer.echo(f"nota: {line}")
            typer.echo(final_line(results))
        raise typer.Exit(exit_code(results))

    app.command("rigenera")(rigenera)
    app.command("regenerate", hidden=True)(rigenera)
