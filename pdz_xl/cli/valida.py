"""``pdz-xl valida``: check one or more workbooks; exit 0 clean, 1 errori, 2 unreadable.

``valida FILE... [--json] [--scrivi [-o OUT]] [--pulisci] [--correggi] [--tolleranza EURO]``
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import PdzError
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    error,
    fail,
    print_json,
    write_workbook,
    written_message,
)
from .values import parse_euro_tolerance

if TYPE_CHECKING:
    from ..findings import Finding
    from ..plan import Plan


def write_findings(file: Path, plan: Plan, findings: list[Finding], dest: Path, *,
                   clear: bool) -> None:
    """Write the report sheet and marks (or clear them) through the safe write path."""
    from datetime import date

    from ..validate.sheet import clear_changeset, report_changeset

    changeset = clear_changeset() if clear else report_changeset(
        plan, findings, file_label=file.name, generated_on=date.today().strftime("%d/%m/%Y"))
    result = write_workbook(file, changeset, None if dest == file else dest)
    typer.echo(written_message(result), err=True)
    for note in result.notes:
        typer.echo(f"  nota: {note}", err=True)


def correct_file(file: Path, grid, plan: Plan, findings: list[Finding], dest: Path, config
                 ) -> tuple[Path, Plan, list[Finding]]:
    """Apply the mechanical fixes (backup when in place), say what changed, and return the
    corrected workbook's path, Plan and findings (visti kept)."""
    from ..io.xlsx_reader import read_workbook
    from ..layout.detect import detect_plan
    from ..validate import validate_plan
    from ..validate.correct import corrections
    from ..validate.sheet import REPORT_SHEET
    from ..validate.visto import apply_visti, read_visti

    fixes = corrections(findings)
    for line in fixes.lines():
        typer.echo(line, err=True)
    if not fixes.applied:
        return file, plan, findings
    result = write_workbook(file, fixes.changeset, None if dest == file else dest)
    typer.echo(written_message(result), err=True)
    fixed = detect_plan(read_workbook(result.dest))
    return result.dest, fixed, apply_visti(validate_plan(fixed, config),
                                           read_visti(grid, REPORT_SHEET))


def _destinations(files: list[Path], out: Path | None) -> dict[Path, Path]:
    """Every file's destination by the output rule; exits 2 on a clash, before any write."""
    from ..batch.outputs import plan_outputs

    try:
        return {t.src: t.dest for t in plan_outputs(files, out=out)}
    except PdzError as exc:
        fail(exc)


def register(app: typer.Typer) -> None:
    """Add ``valida`` (alias ``validate``)."""

    def valida(
        files: list[Path] = typer.Argument(..., help="Cartelle di lavoro da controllare."),
        json_out: bool = typer.Option(False, "--json", help="Risultati in JSON."),
        tolleranza: str = typer.Option(None, "--tolleranza", metavar="EURO",
                                       callback=parse_euro_tolerance,
                                       help="Differenze fino a questo importo sono "
                                            "arrotondamenti: in euro («0,05», «€ 0,05») o "
                                            "in centesimi («5 cent»); predefinito: quanto "
                                            "indica il foglio «_pdz», altrimenti 0,05."),
        scrivi: bool = typer.Option(False, "--scrivi",
                                    help="Scrive il foglio «Controlli PDZ» e i segni sulle "
                                         "celle (in -o, oppure nel file con una copia di "
                                         "sicurezza)."),
        pulisci: bool = typer.Option(False, "--pulisci",
                                     help="Toglie i segni e il foglio dei controlli."),
        out: Path = typer.Option(None, "--out", "-o", metavar="FILE|CARTELLA",
                                 help="Con --scrivi/--pulisci: file o cartella di uscita."),
        correggi: bool = typer.Option(False, "--correggi",
                                      help="Applica le correzioni sicure (un totale che "
                                           "deve essere la SOMMA delle sue righe riceve la "
                                           "formula), con una copia di sicurezza; gli altri "
                                           "rilievi restano elencati."),
    ) -> None:
        """Controlla righe, totali, riepiloghi e canali e segnala ogni incongruenza."""
        from ..io.xlsx_reader import read_workbook
        from ..layout.detect import detect_plan
        from ..validate import config_for_grid, counts, validate_plan
        from ..validate.report import findings_json, findings_text
        from ..validate.sheet import REPORT_SHEET
        from ..validate.visto import apply_visti, read_visti

        if scrivi and pulisci:
            fail("--scrivi e --pulisci non vanno insieme: --scrivi scrive i controlli, "
                 "--pulisci li toglie.")
        if correggi and pulisci:
            fail("--correggi e --pulisci non vanno insieme.")
        if out is not None and not (scrivi or pulisci or correggi):
            fail("-o vale solo con --scrivi o --pulisci (senza, valida non scrive nulla).")
        dests = _destinations(files, out) if scrivi or pulisci or correggi else {}
        code = EXIT_OK
        reports: list[dict] = []
        for file in files:
            try:
                grid = read_workbook(file)
                plan = detect_plan(grid)
            except PdzError as exc:
                error(exc.describe())
                reports.append({"file": str(file), "errore": exc.describe()})
                code = EXIT_UNREADABLE
                continue
            config = config_for_grid(grid, tolleranza)
            findings = apply_visti(validate_plan(plan, config),
                                   read_visti(grid, REPORT_SHEET))
            source = file
            if correggi:
                try:
                    source, plan, findings = correct_file(file, grid, plan, findings,
                                                          dests[file], config)
                except PdzError as exc:
                    error(exc.describe())
                    code = EXIT_UNREADABLE
                    continue
            if counts(findings)[0] and code == EXIT_OK:
                code = EXIT_FINDINGS
            if scrivi or pulisci:
                try:
                    write_findings(source, plan, findings, dests[file], clear=pulisci)
                except PdzError as exc:
                    error(exc.describe())
                    code = EXIT_UNREADABLE
            if json_out:
                reports.append(findings_json(plan, findings, config.tolerance_for(plan)))
            else:
                for line in findings_text(plan, findings):
                    typer.echo(line)
        if json_out:
            print_json(reports[0] if len(files) == 1 and "findings" in reports[0]
                       else {"files": reports})
        raise typer.Exit(code)

    app.command("valida")(valida)
    app.command("validate", hidden=True)(valida)
