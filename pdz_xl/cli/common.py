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
OUT_HELP = "File di uscita (predefinito: il file stesso, con copia di sicurezza)."


def write_workbook(file: Path, changeset, out: Path | None):
    """Apply ``changeset`` to ``file`` and write ``out`` (its folder made if missing), or
    ``file`` itself after a backup copy; returns the write result."""
    from ..io.xlsx_patch import apply_changeset

    if out is not None and out != file:
        out.parent.mkdir(parents=True, exist_ok=True)
    return apply_changeset(file, changeset, out or file)


def written_message(result) -> str:
    """``scritto X (copia di sicurezza Y)`` for a write result."""
    return f"scritto {result.dest}" + (f" (copia di sicurezza {result.backup})"
                                       if result.backup else "")
