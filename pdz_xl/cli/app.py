"""The ``pdz-xl`` command line: Italian verbs (English aliases), one module per command."""

from __future__ import annotations

import importlib
import sys

import typer

from .. import __version__
from .italiano import ItalianGroup, italianise

app = typer.Typer(
    name="pdz-xl",
    help="Strumenti per il budget del Piano di Zona nelle cartelle Excel: legge, controlla, "
         "alloca i canali di finanziamento e genera il piano triennale.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=ItalianGroup,
)

# Each command lives in pdz_xl/cli/<name>.py and exposes register(app).
COMMAND_MODULES = ("leggi", "mappa", "demo", "valida", "alloca", "triennale", "rigenera",
                   "addin", "nuovo_anno")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pdz-xl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Mostra la versione ed esce."),
) -> None:
    """Strumenti per il budget del Piano di Zona."""


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"pdz_xl.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pdz_xl.cli.{name}":
                continue  # command not part of this build
            raise
        module.register(app)
    italianise(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="pdz-xl")


if __name__ == "__main__":
    sys.exit(main())
