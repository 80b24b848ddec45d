"""Shared pieces of the CLI commands: loading with Italian errors, output helpers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from ..errors import PdzError

if TYPE_CHECKING:  # the core is imported by the command that runs, not for --help
    from ..plan import Plan

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def error(message: str) -> None:
    """Print an Italian error on stderr."""
    typer.echo(f"errore: {message}", err=True)


def fail(exc: PdzError | str, code: int = EXIT_UNREADABLE) -> NoReturn:
    """Print the error and exit with ``code`` (2: could not read or write)."""
    error(exc.describe() if isinstance(exc, PdzError) else exc)
    raise typer.Exit(code)


def load_or_fail(path: Path) -> Plan:
    """Load a plan; on failure print the Italian reason and exit 2."""
    from ..io.load import load_plan

    try:
        return load_plan(path)
    except PdzError as exc:
        fail(exc)


def print_json(data: object) -> None:
    """JSON on stdout, UTF-8, stable key order as given."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


WORKBOOK_HELP = "Cartella di lavoro .xlsx/.xlsm."
OUT_HELP = ("File .xlsx/.xlsm o cartella di uscita (predefinito: il file stesso, con copia "
            "di sicurezza).")


def write_workbook(file: Path, changeset, out: Path | None):
    """Apply ``changeset`` to ``file`` and write where the output rule says: ``out`` (a
    file, or a folder made when missing), or ``file`` itself after a backup copy (nothing
    written when nothing changes); returns the write result."""
    from ..batch.outputs import plan_outputs, prepare_folder
    from ..io.xlsx_patch import apply_changeset

    dest = plan_outputs([file], out=out)[0].dest
    if dest != file:
        prepare_folder(dest)
    return apply_changeset(file, changeset, dest)


def written_message(result) -> str:
    """``scritto X (copia di sicurezza Y)`` for a write result, or that nothing changed."""
    if getattr(result, "unchanged", False):
        return f"nessuna modifica: {result.dest} non è stato riscritto"
    return f"scritto {result.dest}" + (f" (copia di sicurezza {result.backup})"
                                       if result.backup else "")
