"""xlwings Lite: the bundle a workbook gets (wheel, two-line main.py, requirements.txt) and
the Lite code path without the compiled packages Pyodide lacks (python-calamine, OR-Tools,
fastexcel): functions and a script run through the real dispatch all the same."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from udfs.lite_bundle import LITE_SAFE, MAIN_PY, build_lite_bundle

pytestmark = pytest.mark.xlwings

ROOT = Path(__file__).resolve().parents[1]
BLOCKED = ["python_calamine", "ortools", "fastexcel", "highspy", "msoffcrypto"]


def test_bundle_is_a_pure_wheel_with_lite_safe_dependencies(tmp_path: Path):
    bundle = build_lite_bundle(tmp_path, "https://intranet.esempio.it/pdz/")
    assert bundle.wheel.name.endswith("-py3-none-any.whl")
    assert bundle.requirements.read_text() == \
        f"https://intranet.esempio.it/pdz/{bundle.wheel.name}\n"
    assert bundle.main_py.read_text() == MAIN_PY
    assert len(MAIN_PY.strip().splitlines()) == 2
    with zipfile.ZipFile(bundle.wheel) as zf:
        names = set(zf.namelist())
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(zf.read(meta).decode())
    for needed in ("udfs/functions.py", "udfs/scripts.py", "udfs/lite/main.py",
                   "pdz_xl/query.py", "pdz_xl/data/channels.json"):
        assert needed in names
    hard = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    names_only = {r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].split("[")[0]
                  .strip().lower() for r in hard}
    assert names_only <= LITE_SAFE, names_only - LITE_SAFE


LITE_RUN = r"""
import asyncio, importlib.abc, json, sys, types
BLOCKED = set(sys.argv[1].split(","))

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} non esiste in Pyodide")

sys.meta_path.insert(0, Block())
import os
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"
import xlwings as xw
from xlwings import server
from tests.support.xlwings_payload import book_payload, function_call
from tests.test_excel_functions import stacked
from pathlib import Path

main = types.ModuleType("main")  # what xlwings Lite does with the main.py pane
exec(open("udfs/lite/main.py").read(), main.__dict__)
meta = server.custom_functions_meta(main)
scripts = server.custom_scripts_meta(main)
budget = stacked(Path("workbooks/piano_programma_2021.xlsx"))
data = function_call("pdz_total", [budget, "SERVIZIO TM", "FNPS", None])
total = asyncio.run(server.custom_functions_call(json.loads(json.dumps(data)), main))
data = function_call("pdz_budget", [budget])
handle = asyncio.run(server.custom_functions_call(json.loads(json.dumps(data)), main))
data = function_call("pdz_total", [handle, "SERVIZIO TM", "FNPS", None])
by_handle = asyncio.run(server.custom_functions_call(json.loads(json.dumps(data)), main))
book = xw.Book(json=book_payload(Path("workbooks/piano_operativo_2018.xlsx"), formulas=True))
book = asyncio.run(server.custom_scripts_call(main, "alloca", typehint_to_value={xw.Book: book}))
actions = book.json()["actions"]
print(json.dumps({
    "functions": sorted(f["name"] for f in meta["functions"]),
    "scripts": sorted(s["name"] for s in scripts),
    "total": total,
    "handle": handle,
    "by_handle": by_handle,
    "written_cells": sum(len(a["values"]) * len(a["values"][0]) for a in actions
                         if a["func"] == "setFormula"),
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED),
}))
"""


def test_lite_path_runs_without_compiled_packages():
    proc = subprocess.run([sys.executable, "-c", LITE_RUN, ",".join(BLOCKED)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["loaded"] == []
    assert out["functions"] == ["PDZ_ALLOCATO", "PDZ_BUDGET", "PDZ_CONTROLLI",
                                "PDZ_DISPONIBILE", "PDZ_QUOTA", "PDZ_RESIDUO", "PDZ_RILIEVI",
                                "PDZ_TOTAL", "PDZ_TRIENNIO"]
    assert out["scripts"] == ["Alloca", "Correggi", "Genera triennale", "Nuovo anno",
                              "Pulisci segni", "Valida"]
    assert out["total"] == [[133641.97]]
    assert out["handle"][0][0].startswith("PDZ#")
    assert out["by_handle"] == out["total"]
    assert out["written_cells"] > 149  # every 2018 line got its channel split
