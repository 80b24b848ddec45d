"""Install the add-in where Excel loads it at start, and tell xlwings where Python is.

Follows xlwings' conventions for custom add-ins: the ``.xlam`` goes in Excel's XLSTART
folder; the configuration is the user file ``~/.pdz_xl/pdz_xl.conf`` (``"KEY","value"``
lines, the format xlwings reads) with the UDF module and the interpreter. Keys already in
the file that pdz-xl does not set are kept.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

from ..errors import PdzError
from ..io.atomic import write_atomically
from .build import ADDIN_NAME, PROJECT_NAME, build_addin


def xlstart_dir() -> Path:
    """Excel's start-up folder for this user (Windows, macOS)."""
    if sys.platform.startswith("win"):
        return Path(os.environ["APPDATA"]) / "Microsoft" / "Excel" / "XLSTART"
    if sys.platform == "darwin":
        return (Path.home() / "Library" / "Group Containers" / "UBF8T346G9.Office"
                / "User Content.localized" / "Startup.localized" / "Excel")
    raise PdzError("Excel non c'è su questo sistema: indicare la cartella con --cartella.")


def config_path() -> Path:
    """The user configuration file of the add-in (``%USERPROFILE%\\.pdz_xl\\pdz_xl.conf``)."""
    return Path.home() / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def our_settings() -> dict[str, str]:
    """What the add-in needs: this Python and the module of the worksheet functions."""
    key = "INTERPRETER_WIN" if sys.platform.startswith("win") else "INTERPRETER_MAC"
    return {key: sys.executable, "UDF MODULES": "udfs.functions"}


def read_config(path: Path) -> dict[str, str]:
    """The settings of an xlwings conf file (empty when missing)."""
    if not path.exists():
        return {}
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    return {r[0]: r[1] for r in rows if len(r) >= 2}


def _write_config(path: Path, settings: dict[str, str]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for key, value in settings.items():
        writer.writerow([key, value])
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buf.getvalue().encode("utf-8")
    write_atomically(path, lambda fh: fh.write(data))


def install_addin(target_dir: Path | None = None) -> Path:
    """Build the add-in into Excel's XLSTART (or ``target_dir``) and write the config."""
    folder = target_dir or xlstart_dir()
    addin = build_addin(folder)
    settings = read_config(config_path())
    settings.update(our_settings())
    _write_config(config_path(), settings)
    return addin


def remove_addin(target_dir: Path | None = None) -> list[Path]:
    """Remove the add-in and pdz-xl's keys from the config; returns what was removed."""
    removed = []
    addin = (target_dir or xlstart_dir()) / ADDIN_NAME
    if addin.exists():
        addin.unlink()
        removed.append(addin)
    path = config_path()
    settings = read_config(path)
    ours = set(our_settings())
    if settings and ours & set(settings):
        rest = {k: v for k, v in settings.items() if k not in ours}
        if rest:
            _write_config(path, rest)
        else:
            path.unlink()
        removed.append(path)
    return removed
