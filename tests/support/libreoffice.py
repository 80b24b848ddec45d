"""LibreOffice headless as an independent spreadsheet engine for the tests.

LibreOffice keeps the cached values of xlsx formulas by default (``OOXMLRecalcMode`` =
never), which would prove nothing. The helper runs it with a private profile whose
``registrymodifications.xcu`` sets ``OOXMLRecalcMode`` (and ``ODFRecalcMode``) to 0,
"always recalculate", converts the workbook to xlsx and reads the recalculated values.
A missing ``soffice`` is an error (tests fail, never skip).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import openpyxl

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
_LOCK = Path(tempfile.gettempdir()) / "pdz-xl-soffice.lock"
_PROFILE = Path(tempfile.gettempdir()) / "pdz-xl-lo-profile"


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed: the test must fail."""


def soffice() -> str:
    """Path of the soffice binary, or raise."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise LibreOfficeMissing("LibreOffice (soffice) non è installato: "
                                 "bash scripts/setup.sh --test lo installa.")
    return exe


def _profile() -> Path:
    user = _PROFILE / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return _PROFILE


@contextmanager
def _serialised():
    with open(_LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def convert(path: Path, out_dir: Path, fmt: str = "xlsx", timeout: int = 180) -> Path:
    """Open ``path`` in LibreOffice (recalculating everything) and save it as ``fmt``."""
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _serialised():
        proc = subprocess.run(
            [exe, f"-env:UserInstallation=file://{_profile()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out_dir), str(path)],
            capture_output=True, text=True, timeout=timeout,
            env={**os.environ, "HOME": str(_PROFILE)})
    result = out_dir / (path.stem + "." + fmt.split(":")[0])
    if proc.returncode != 0 or not result.exists():
        raise RuntimeError(f"LibreOffice non ha convertito {path}: {proc.stdout}{proc.stderr}")
    return result


def recalculated_values(path: Path) -> dict[str, dict[str, object]]:
    """Every cell value after LibreOffice's recalculation, by sheet and cell."""
    with tempfile.TemporaryDirectory() as tmp:
        out = convert(Path(path), Path(tmp) / "lo")
        wb = openpyxl.load_workbook(out, data_only=True)
        return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                           if c.value is not None} for ws in wb.worksheets}


def _cents(v: object) -> object:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int((Decimal(repr(v)) * 100).quantize(Decimal(1)))
    return v


def formula_mismatches(path: Path, sheets: list[str] | None = None) -> list[str]:
    """Formula cells whose cached value differs (to the cent) from LibreOffice's result."""
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    fresh = recalculated_values(path)
    problems = []
    checked = 0
    for ws in formulas.worksheets:
        if sheets and ws.title not in sheets:
            continue
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    checked += 1
                    ours = _cents(cached[ws.title][c.coordinate].value)
                    theirs = _cents(fresh.get(ws.title, {}).get(c.coordinate))
                    if ours != theirs:
                        problems.append(f"{ws.title}!{c.coordinate} {c.value}: scritto "
                                        f"{ours}, LibreOffice {theirs}")
    if checked == 0:
        problems.append("nessuna formula controllata")
    return problems
