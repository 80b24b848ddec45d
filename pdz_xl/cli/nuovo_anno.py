"""``pdz-xl nuovo-anno``: next year's workbook from this year's, in its own layout.

``nuovo-anno FILE [-o OUT] [--anno N] [--canali vuoti|come-anno-scorso] [--data AAAA-MM-GG]``
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from .common import WORKBOOK_HELP, fail


def register(app: typer.Typer) -> None:
    """Add ``nuovo-anno`` (alias ``next-year``)."""

    def nuovo_anno(
        file: Path = typer.Argument(..., help=WORKBOOK_HELP),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="File (o cartella) della nuova cartella di lavoro "
                                      "(predefinito: accanto all'originale, con l'anno nel "
                                      "nome spostato avanti). L'originale non viene toccato."),
        anno: int = typer.Option(None, "--anno",
                                 help="Anno del nuovo piano (predefinito: l'anno dopo quello "
                                      "della cartella; più avanti: un anno alla volta)."),
        canali: str = typer.Option("vuoti", "--canali",
                                   help="Ripartizione sui canali del nuovo anno: «vuoti» (da "
                                        "allocare) o «come-anno-scorso» (le stesse quote, in "
                                        "proporzione ai nuovi importi)."),
        data: str = typer.Option(None, "--data", help="Data da scrivere in «Controlli PDZ»."),
    ) -> None:
        """Prepara la cartella dell'anno dopo nella stessa impaginazione: l'anno del piano
        resta come anno di confronto, il nuovo anno prende gli importi dalla regola
        documentata (come l'anno scorso, o l'anno 2 del piano triennale), gli anni nelle
        intestazioni vanno avanti, le quote vincolate diventano avanzo vincolato; poi la
        controlla e scrive «Controlli PDZ»."""
        from ..nextyear.build import CHANNEL_MODES
        from ..nextyear.run import next_year_file

        if canali not in CHANNEL_MODES:
            fail("--canali vale «vuoti» oppure «come-anno-scorso».")
        try:
            steps = next_year_file(file, out, year=anno, channels=canali,  # type: ignore[arg-type]
                                   generated_on=data)
        except PdzError as exc:
            fail(exc)
        for step in steps:
            for line in step.result.changeset.summary:
                typer.echo(f"  {line}")
            for note in step.notes:
                typer.echo(f"  nota: {note}")
        typer.echo(f"scritto {steps[-1].dest} (piano {steps[-1].result.year})")

    app.command("nuovo-anno")(nuovo_anno)
    app.command("next-year", hidden=True)(nuovo_anno)
