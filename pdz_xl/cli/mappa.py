"""``pdz-xl mappa``: write the layout pdz-xl reads in a workbook into its ``_pdz`` sheet.

``mappa FILE [-o OUT]``: every decision of the reading (tables, header rows, what each
column holds, where totals stand, heading levels, plan year ...) one per row, with how
sure it is and the readings considered; correcting one value and reading again applies
it. What the sheet already states is kept as stated.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from .common import OUT_HELP, WORKBOOK_HELP, fail, write_workbook, written_message


def register(app: typer.Typer) -> None:
    """Add ``mappa`` (alias ``map``)."""

    def mappa(
        file: Path = typer.Argument(..., help=WORKBOOK_HELP),
        out: Path = typer.Option(None, "--out", "-o", help=OUT_HELP),
    ) -> None:
        """Scrive nel foglio «_pdz» come pdz-xl legge la cartella, da correggere se serve."""
        from ..changeset import Changeset
        from ..io.xlsx_reader import read_workbook
        from ..layout.detect import detect_plan
        from ..layout.mapping import layout_rows, mapping_sheet

        try:
            grid = read_workbook(file)
            plan = detect_plan(grid)
            layout = plan.layout
            rows = layout_rows(layout)
            unsure = [d for d in rows if d.sure in ("media", "bassa")]
            changeset = Changeset(sheets=[mapping_sheet(layout)], summary=[
                f"foglio «_pdz»: {len(rows)} decisioni, {len(unsure)} da verificare"])
            written = write_workbook(file, changeset, out)
        except PdzError as exc:
            fail(exc)
        typer.echo(written_message(written))
        for note in written.notes:
            typer.echo(f"  nota: {note}")
        typer.echo(f"  {changeset.summary[0]}")
        for d in unsure:
            typer.echo(f"  da verificare: {d.key} = {d.value} ({d.sure}"
                       + (f"; {'; '.join(d.alternatives)}" if d.alternatives else "") + ")")
        for n in plan.notes:
            if n.code == "PDZ010":
                typer.echo(f"  attenzione: {n.message}")

    app.command("mappa")(mappa)
    app.command("map", hidden=True)(mappa)
