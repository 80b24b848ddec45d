"""``pdz-xl triennale``: generate the "Triennale PDZ" sheet (and the data package)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from ..io.xlsx_patch import apply_changeset
from ..io.xlsx_reader import read_workbook
from ..layout.detect import detect_plan
from .common import fail


def register(app: typer.Typer) -> None:
    """Add ``triennale`` (alias ``triennial``)."""

    def triennale(
        file: Path = typer.Argument(..., help="Cartella di lavoro .xlsx/.xlsm."),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="File di uscita (predefinito: il file stesso, con "
                                      "copia di sicurezza)."),
        per: str = typer.Option("area", "--per", help="Costi per area o per obiettivo."),
        fdp: Path = typer.Option(None, "--fdp",
                                 help="Cartella dove esportare il Fiscal Data Package."),
        data: str = typer.Option(None, "--data", help="Data di generazione da scrivere."),
    ) -> None:
        """Genera il foglio «Triennale PDZ»: costi e ricavi dei tre anni, saldo, grafici."""
        from ..triennial.build import triennial_changeset
        from ..triennial.fdp import export_fdp

        if per not in ("area", "obiettivo"):
            fail("--per vale area oppure obiettivo.")
        try:
            grid = read_workbook(file)
            plan = detect_plan(grid)
            changeset, result = triennial_changeset(grid, plan, per=per, generated_on=data)
            written = apply_changeset(file, changeset, out or file)
        except PdzError as exc:
            fail(exc)
        typer.echo(f"scritto {written.dest}: " + "; ".join(changeset.summary))
        if fdp is not None:
            path = export_fdp(result, fdp, f"Piano triennale {file.name}")
            typer.echo(f"Fiscal Data Package in {path}")

    app.command("triennale")(triennale)
    app.command("triennial", hidden=True)(triennale)
