r"""Install the add-in where Excel loads it at start, and tell xlwings where Python is.

Follows xlwings' conventions for custom add-ins (``xlwings quickstart --addin``, whose VBA
reads ``PROJECT_NAME & ".conf"``): the ``.xlam`` goes in Excel's XLSTART folder; the user
configuration is ``%USERPROFILE%\.pdz_xl\pdz_xl.conf`` on Windows, ``pdz_xl.conf`` in
Excel's sandbox home on macOS (``~/Library/Containers/com.microsoft.Excel/Data``), with
``"KEY","value"`` lines as xlwings writes them: the interpreter and the UDF module. Keys
already in the file that pdz-xl does not set are kept. VBA reads the file with ``Input #``
in the ANSI code page, so on Windows it is written in that code page, as xlwings does.
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
    """The user configuration file the add-in's VBA reads (``GetConfigFilePath``)."""
    if sys.platform == "darwin":
        return (Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data"
                / f"{PROJECT_NAME}.conf")
    return Path.home() / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def _encoding() -> str:
    return "mbcs" if sys.platform.startswith("win") else "utf-8"


def our_settings() -> dict[str, str]:
    """What the add-in needs: this Python and the module of the worksheet functions."""
    key = "INTERPRETER_WIN" if sys.platform.startswith("win") else "INTERPRETER_MAC"
    return {key: sys.executable, "UDF MODULES": "udfs.functions"}


def read_config(path: Path) -> dict[str, str]:
    """The settings of an xlwings conf file (empty when missing)."""
    if not path.exists():
        return {}
    rows = csv.reader(io.StringIO(path.read_text(encoding=_encoding(), errors="replace")))
    return {r[0]: r[1] for r in rows if len(r) >= 2}


def _write_config(path: Path, settings: dict[str, str]) -> None:
    buf = io.StringIO()
    eol = "\r\n" if sys.platform.startswith("win") else "\n"
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator=eol)
    for key, value in settings.items():
        writer.writerow([key, value])
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buf.getvalue().encode(_encoding())
    write_atomically(path, lambda fh: fh.write(data))


def merged_settings(current: dict[str, str]) -> dict[str, str]:
    """``current`` with pdz-xl's keys set; xlwings matches keys ignoring case, so a key
    spelt differently (``Interpreter_Win``) is replaced, not duplicated."""
    ours = our_settings()
    kept = {k: v for k, v in current.items() if k.upper() not in ours}
    return {**kept, **ours}


def install_addin(target_dir: Path | None = None) -> Path:
    """Build the add-in into Excel's XLSTART (or ``target_dir``) and write the user
    configuration (merged with what is already there)."""
    folder = target_dir or xlstart_dir()
    addin = build_addin(folder)
    path = config_path()
    _write_config(path, merged_settings(read_config(path)))
    return addin


def remove_addin(target_dir: Path | None = None) -> list[Path]:
    """Remove the add-in and the keys pdz-xl set (those still holding pdz-xl's values) from
    the user configuration, deleting the file if nothing else is left; returns what was
    removed."""
    removed = []
    addin = (target_dir or xlstart_dir()) / ADDIN_NAME
    if addin.exists():
        addin.unlink()
        removed.append(addin)
    path = config_path()
    settings = read_config(path)
    ours = our_settings()
    rest = {k: v for k, v in settings.items() if ours.get(k.upper()) != v}
    if rest != settings:
        if rest:
            _write_config(path, rest)
        else:
            path.unlink()
        removed.append(path)
    return removed
