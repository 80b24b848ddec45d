"""A workbook with a real pivot table (table + cache definition + cache records), made by
LibreOffice Calc through its UNO bridge. XlsxWriter cannot write pivot tables, and a
hand-written one would prove little.

The UNO bridge lives in the system Python (Debian ``python3-uno``), not in the virtual
environment, so the builder runs as a separate process. Missing pieces raise: a test
that needs the pivot workbook fails, it never skips.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

SCRIPT = Path(__file__).with_name("lo_pivot_uno.py")
PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def uno_python() -> str:
    """A Python that can ``import uno`` (LibreOffice's bridge)."""
    for exe in PYTHONS:
        if Path(exe).exists() and subprocess.run([exe, "-c", "import uno"],
                                                 capture_output=True).returncode == 0:
            return exe
    raise RuntimeError("nessun Python con il modulo 'uno' di LibreOffice (pacchetto Debian "
                       "python3-uno): il test con la tabella pivot non può girare.")


def build_pivot_book(path: Path, timeout: float = 180) -> Path:
    """Write ``path``: sheet «Dati» (4 rows) and sheet «Pivot» with a pivot table on it."""
    with tempfile.TemporaryDirectory(prefix="pdz-lo-pivot-") as profile:
        proc = subprocess.run([uno_python(), str(SCRIPT), str(path), profile],
                              capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not path.exists():
        raise RuntimeError(f"LibreOffice non ha creato {path}: {proc.stdout}{proc.stderr}")
    return path
