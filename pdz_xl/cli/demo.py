"""``pdz-xl demo``: the main job on the bundled sample workbooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from ..errors import PdzError
from .common import fail

SAMPLES = ("piano_operativo_2018.xlsx", "piano_programma_2021.xlsx")


def samples_dir() -> Path:
    """The folder of the sample workbooks shipped with the repository."""
    return Path(__file__).resolve().parents[2] / "workbooks"


def run_demo(out: Path) -> int:
    """Copy the samples into ``out`` and run the whole job on the copies: read, allocate
    the lines without a split, generate the triennial sheets, validate, write the report
    sheet and the marks."""
    from ..io.xlsx_patch import apply_changeset
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan
    from ..pipeline import run_steps
    from .plan_view import describe_plan

    src = samples_dir()
    missing = [s for s in SAMPLES if not (src / s).exists()]
    if missing:
        fail(f"mancano le cartelle di esempio in {src}: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    for name in SAMPLES:
        target = out / name
        shutil.copyfile(src / name, target)
        typer.echo(f"\n=== {name} (copiato in {target}) ===")
        try:
            grid = read_workbook(target)
            plan = detect_plan(grid)
            for line in describe_plan(plan, grid):
                typer.echo(line)
            outcome = run_steps(grid, plan, ("alloca", "triennale", "valida"))
            apply_changeset(target, outcome.changeset, target, backup=False)
        except PdzError as exc:
            fail(exc)
        for line in outcome.changeset.summary:
            typer.echo(f"  {line}")
        sheets = ", ".join(f"«{s.name}»" for s in outcome.changeset.sheets)
        typer.echo(f"risultato scritto in {target} (fogli {sheets} e segni sulle celle)")
    return 0


def register(app: typer.Typer) -> None:
    """Add ``demo``."""

    @app.command("demo")
    def demo(out: Path = typer.Option(Path("out/demo"), "--out", "-o",
                                      help="Cartella dove copiare e lavorare gli esempi.")
             ) -> None:
        """Copia le cartelle di esempio in una cartella di lavoro e ci esegue il lavoro."""
        raise typer.Exit(run_demo(out))
