"""LibreOffice headless as an independent spreadsheet engine for the tests.

LibreOffice keeps the cached values of xlsx formulas by default (``OOXMLRecalcMode`` =
never), which would prove nothing. The helper runs it with a private profile
(``-env:UserInstallation=...``) whose ``user/registrymodifications.xcu`` sets
``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode`` and ``ODFRecalcMode`` to 0,
"always recalculate", converts the workbook (to xlsx, ods, or one CSV per sheet) and reads
the recalculated values.

- A missing ``soffice`` raises :class:`LibreOfficeMissing`: tests fail, never skip.
- Runs are serialised across processes (pytest-xdist workers, benchmarks) with a lock
  file, since LibreOffice refuses a second instance on the same profile.
- Every run has a timeout; on expiry the whole process group is killed and
  :class:`LibreOfficeFailed` is raised.

Public functions: :func:`convert`, :func:`recalculated_values`, :func:`recalculated_csv`,
:func:`formula_mismatches`, :func:`assert_cached_equals_recalculated`.
"""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import openpyxl

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
"""The profile settings: recalculate xlsx and ods formulas on load, always."""

_LOCK = Path(tempfile.gettempdir()) / "pdz-xl-soffice.lock"
_PROFILE = Path(tempfile.gettempdir()) / "pdz-xl-lo-profile"
DEFAULT_TIMEOUT = 180
# CSV filter: comma, double quote, UTF-8, from line 1, ..., sheet -1 = one file per sheet
_CSV_PER_SHEET = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'


class LibreOfficeMissing(RuntimeError):
    """soffice is not installed: the test must fail."""


class LibreOfficeFailed(RuntimeError):
    """soffice ran but produced nothing usable (error, timeout)."""


def soffice() -> str:
    """Path of the soffice binary, or raise :class:`LibreOfficeMissing`."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise LibreOfficeMissing("LibreOffice (soffice) non è installato: i test che "
                                 "ricalcolano con LibreOffice falliscono. Installarlo con "
                                 "'apt-get install libreoffice-calc-nogui' "
                                 "(bash scripts/setup.sh --test lo fa).")
    return exe


def profile_dir() -> Path:
    """The private profile, (re)written with the always-recalculate settings."""
    user = _PROFILE / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    return _PROFILE


@contextmanager
def _serialised() -> Iterator[None]:
    with open(_LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run soffice in its own process group; kill the group on timeout."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "HOME": str(_PROFILE)})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise LibreOfficeFailed(f"LibreOffice non ha finito entro {timeout} s: "
                                f"{' '.join(args[-3:])}") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def convert(path: Path, out_dir: Path, fmt: str = "xlsx",
            timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Open ``path`` in LibreOffice (recalculating everything) and save it as ``fmt``.

    ``fmt`` is what ``--convert-to`` takes (``xlsx``, ``ods``, ``csv:...``). Returns the
    converted file (for the per-sheet CSV filter: the first of the files).
    """
    exe = soffice()
    path, out_dir = Path(path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _serialised():
        proc = _run([exe, f"-env:UserInstallation={profile_dir().as_uri()}", "--headless",
                     "--norestore", "--nolockcheck", "--convert-to", fmt,
                     "--outdir", str(out_dir), str(path)], timeout)
    ext = fmt.split(":")[0]
    result = out_dir / f"{path.stem}.{ext}"
    if not result.exists():
        produced = sorted(out_dir.glob(f"{path.stem}*.{ext}"))
        result = produced[0] if produced else result
    if proc.returncode != 0 or not result.exists():
        raise LibreOfficeFailed(f"LibreOffice non ha convertito {path} in {fmt}: "
                                f"{proc.stdout}{proc.stderr}")
    return result


def recalculated_values(path: Path, sheets: list[str] | None = None,
                        timeout: float = DEFAULT_TIMEOUT) -> dict[str, dict[str, object]]:
    """Every non-empty cell value after LibreOffice's recalculation, by sheet and cell."""
    with tempfile.TemporaryDirectory() as tmp:
        out = convert(Path(path), Path(tmp) / "lo", "xlsx", timeout)
        wb = openpyxl.load_workbook(out, data_only=True)
        return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                           if c.value is not None}
                for ws in wb.worksheets if sheets is None or ws.title in sheets}


def recalculated_csv(path: Path, timeout: float = DEFAULT_TIMEOUT
                     ) -> dict[str, list[list[str]]]:
    """The recalculated workbook as CSV text, one table per sheet (as displayed)."""
    path = Path(path)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(tmp) / "lo"
        convert(path, out_dir, _CSV_PER_SHEET, timeout)
        out: dict[str, list[list[str]]] = {}
        for name in names:
            file = out_dir / f"{path.stem}-{name}.csv"
            if file.exists():
                with file.open(encoding="utf-8", newline="") as fh:
                    out[name] = list(csv.reader(fh))
        return out


def _cents(v: object) -> object:
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return int((Decimal(repr(v) if isinstance(v, float) else v) * 100)
                   .quantize(Decimal(1)))
    return v


def formula_mismatches(path: Path, sheets: list[str] | None = None) -> list[str]:
    """Formula cells whose cached value differs (to the cent) from LibreOffice's result.

    Lists ``"nessuna formula controllata"`` when no formula cell was found, so that a
    comparison over nothing never passes.
    """
    path = Path(path)
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    fresh = recalculated_values(path, sheets)
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


def assert_cached_equals_recalculated(path: Path, sheets: list[str] | None = None) -> None:
    """Fail unless every formula cell's cached value equals LibreOffice's, to the cent
    (amounts compared in cents, anything else as it is)."""
    problems = formula_mismatches(path, sheets)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... e altre {len(problems) - 20}" if len(problems) > 20 else ""
        raise AssertionError(f"{Path(path).name}: valori salvati diversi dal ricalcolo di "
                             f"LibreOffice ({len(problems)}):\n  {shown}{more}")
