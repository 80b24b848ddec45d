"""``pdz-xl leggi``: read a workbook and show the Plan found in it.

``leggi FILE [--json] [--righe N]``: a compact summary, the cost lines in a table
(cella, gruppo, voce, importo, canali; the first 500 by default, ``--righe N`` the first N,
``--righe 0`` all), how each table was read.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from .common import fail, print_json

DEFAULT_LINES = 500  # a big plan's table stays quick to print; --righe 0 shows them all


def register(app: typer.Typer) -> None:
    """Add ``leggi`` (alias ``read``)."""

    def leggi(
        file: Path = typer.Argument(..., help="Cartella di lavoro .xlsx/.xlsm da leggere."),
        json_out: bool = typer.Option(False, "--json", help="Stampa il piano in JSON."),
        righe: int = typer.Option(DEFAULT_LINES, "--righe", metavar="N", min=0,
                                  help=f"Quante righe di costo mostrare: le prime N (0: "
                                       f"tutte; predefinito: {DEFAULT_LINES})."),
    ) -> None:
        """Legge una cartella di lavoro e mostra righe (con le loro celle), totali, entrate e
        riepiloghi trovati, e come è stata letta ogni tabella."""
        from ..io.xlsx_reader import read_workbook
        from ..layout.detect import detect_plan
        from .plan_view import describe_plan, describe_reading, lines_view

        try:
            grid = read_workbook(file)
            plan = detect_plan(grid)
        except PdzError as exc:
            fail(exc)
        if json_out:
            from ..layout.mapping import layout_rows

            data = plan.to_json_dict()
            if plan.layout is not None:
                data["layout"] = [{"chiave": d.key, "valore": d.value, "sicurezza": d.sure,
                                   "alternative": d.alternatives, "perche": d.why}
                                  for d in layout_rows(plan.layout)]
            print_json(data)
            return
        from rich.console import Console

        for line in describe_plan(plan, grid):
            typer.echo(line)
        if plan.lines:
            console = Console(highlight=False)
            for part in lines_view(plan, righe or None):
                console.print(part)
        for line in describe_reading(plan):
            typer.echo(line)

    app.command("leggi")(leggi)
    app.command("read", hidden=True)(leggi)
