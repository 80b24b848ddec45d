"""``pdz-xl --help`` stays light: the core (reader, Plan, pydantic, solvers) is imported by
the command that runs, not to print the help."""

import subprocess
import sys

from tests.support.oracles import REPO

HELP_THEN_MODULES = """
import sys
from pdz_xl.cli.app import app
try:
    app(["--help"])
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)))
"""


def test_help_imports_no_core_module():
    out = subprocess.run([sys.executable, "-c", HELP_THEN_MODULES], check=True,
                         capture_output=True, text=True, cwd=REPO).stdout
    modules = set(out.split())
    assert "pdz_xl.cli.leggi" in modules and "pdz_xl.cli.rigenera" in modules
    heavy = {"pdz_xl.plan", "pdz_xl.io.xlsx_reader", "pdz_xl.layout.detect",
             "pdz_xl.validate", "pdz_xl.batch.process", "pydantic", "rich.progress",
             "openpyxl", "pandas", "scipy"}
    assert not heavy & modules, sorted(heavy & modules)
    assert "Strumenti per il budget del Piano di Zona" in subprocess.run(
        [sys.executable, "-m", "pdz_xl.cli.app", "--help"], check=True,
        capture_output=True, text=True, cwd=REPO).stdout
