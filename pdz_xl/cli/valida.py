"""``pdz-xl valida``: check one or more workbooks; exit 0 clean, 1 errori, 2 unreadable."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from ..io.xlsx_reader import read_workbook
from ..layout.detect import detect_plan
from ..pipeline import workbook_rules
from ..validate import ValidationConfig, validate_plan
from ..validate.engine import counts
from ..validate.output import findings_json, findings_text
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, error, print_json


def _write(file: Path, plan, findings, out: Path | None, *, clear: bool) -> None:
    """Write the report and marks (or clear them) through the safe write path."""
    from ..io.xlsx_patch import apply_changeset
    from ..validate.sheet import clear_changeset, report_changeset

    changeset = clear_changeset() if clear else report_changeset(plan, findings,
                                                                 file_label=file.name)
    dest = file if out is None else (out / file.name if out.is_dir() or not out.suffix
                                     else out)
    if dest != file:
        dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = apply_changeset(file, changeset, dest)
    except PdzError as exc:
        error(exc.describe())
        raise typer.Exit(EXIT_UNREADABLE) from None
    msg = f"scritto {result.dest}" + (f" (copia di sicurezza {result.backup})"
                                      if result.backup else "")
    typer.echo(msg, err=True)


def register(app: typer.Typer) -> None:
    """Add ``valida`` (alias ``validate``)."""

    def valida(
        files: list[Path] = typer.Argument(..., help="Cartelle di lavoro da controllare."),
        json_out: bool = typer.Option(False, "--json", help="Risultati in JSON."),
        tolleranza: int = typer.Option(None, "--tolleranza", min=0,
                                       help="Differenze fino a tanti centesimi sono "
                                            "arrotondamenti (predefinito: 5, o quanto "
                                            "indica la cartella)."),
        scrivi: bool = typer.Option(False, "--scrivi",
                                    help="Scrive il foglio «Controlli PDZ» e i segni sulle "
                                         "celle (in -o, oppure nel file con una copia)."),
        pulisci: bool = typer.Option(False, "--pulisci",
                                     help="Toglie i segni e il foglio dei controlli."),
        out: Path = typer.Option(None, "--out", "-o",
                                 help="Con --scrivi/--pulisci: file o cartella di uscita."),
    ) -> None:
        """Controlla righe, totali, riepiloghi e canali e segnala ogni incongruenza."""
        code = EXIT_OK
        reports = []
        for file in files:
            try:
                grid = read_workbook(file)
                plan = detect_plan(grid)
            except PdzError as exc:
                error(exc.describe())
                reports.append({"file": str(file), "errore": exc.describe()})
                code = EXIT_UNREADABLE
                continue
            config = ValidationConfig(tolerance_cents=tolleranza) if tolleranza is not None \
                else None
            findings = validate_plan(plan, config, rules=workbook_rules(grid))
            if counts(findings)[0] and code == EXIT_OK:
                code = EXIT_FINDINGS
            if scrivi or pulisci:
                _write(file, plan, findings, out, clear=pulisci)
            if json_out:
                reports.append(findings_json(plan, findings))
            else:
                for line in findings_text(plan, findings):
                    typer.echo(line)
        if json_out:
            print_json(reports[0] if len(files) == 1 and "findings" in reports[0]
                       else {"files": reports})
        raise typer.Exit(code)

    app.command("valida")(valida)
    app.command("validate", hidden=True)(valida)
