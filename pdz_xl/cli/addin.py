"""``pdz-xl addin``: build, install and remove the Excel ribbon add-in; the xlwings Lite
bundle."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import PdzError
from .common import fail


def register(app: typer.Typer) -> None:
    """Add the ``addin`` group."""
    addin = typer.Typer(help="Componente aggiuntivo di Excel (scheda «PDZ») e xlwings Lite.",
                        no_args_is_help=True)

    @addin.command("build")
    def build(out: Path = typer.Option(Path("dist"), "--output", "-o",
                                       help="Cartella dove scrivere pdz_xl.xlam.")) -> None:
        """Costruisce pdz_xl.xlam dai sorgenti VBA e dalla barra multifunzione."""
        from ..addin.build import build_addin

        try:
            typer.echo(f"scritto {build_addin(out)}")
        except (PdzError, RuntimeError, ValueError, OSError) as exc:
            fail(str(exc))

    @addin.command("install")
    def install(cartella: Path = typer.Option(None, "--cartella",
                                              help="Cartella di avvio di Excel (predefinita: "
                                                   "XLSTART dell'utente).")) -> None:
        """Installa il componente in Excel e scrive la configurazione di xlwings."""
        from ..addin.install import config_path, install_addin

        try:
            path = install_addin(cartella)
        except (PdzError, RuntimeError, ValueError, OSError) as exc:
            fail(exc if isinstance(exc, PdzError) else str(exc))
        typer.echo(f"installato {path}; configurazione in {config_path()}. Riavviare Excel.")

    @addin.command("remove")
    def remove(cartella: Path = typer.Option(None, "--cartella",
                                             help="Cartella di avvio di Excel.")) -> None:
        """Toglie il componente e le impostazioni di pdz-xl dalla configurazione."""
        from ..addin.install import remove_addin

        try:
            removed = remove_addin(cartella)
        except (PdzError, OSError) as exc:
            fail(exc if isinstance(exc, PdzError) else str(exc))
        typer.echo("rimossi: " + (", ".join(str(p) for p in removed) or "niente da rimuovere"))

    @addin.command("lite")
    def lite(url: str = typer.Option(..., "--url", help="Indirizzo HTTPS dove si pubblica "
                                                         "la ruota (Excel la scarica da lì)."),
             out: Path = typer.Option(Path("dist/lite"), "--output", "-o",
                                      help="Cartella di uscita.")) -> None:
        """Prepara per xlwings Lite: ruota di pdz-xl, main.py e requirements.txt."""
        from udfs.lite_bundle import build_lite_bundle

        try:
            bundle = build_lite_bundle(out, url)
        except (RuntimeError, OSError) as exc:
            fail(str(exc))
        typer.echo(f"scritti {bundle.wheel}, {bundle.main_py}, {bundle.requirements}: "
                   f"pubblicare la ruota in {url}, poi incollare main.py e requirements.txt "
                   "in xlwings Lite.")

    app.add_typer(addin, name="addin")
