"""Session set-up shared by every test module.

The xlwings dispatch tests run the real ``xlwings.server`` code, which needs a licence key
(the free noncommercial one) and server mode. Both are set here, by the tests themselves,
before any module imports xlwings: xlwings picks its ``func``/``script`` decorators when it
is first imported. The product never reads or needs them.
"""

import os

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"


import io

import pytest

_CHECK_UP_TO = 8 << 20  # bytes: larger outputs (benchmarks) are not re-parsed


@pytest.fixture(autouse=True)
def _written_packages_are_sound(monkeypatch):
    """Every workbook the product writes during a test passes the structural check of
    ``tests/support/ooxml_check.py``; problems fail the test at teardown (never inside
    the write, where the product would turn them into its own error)."""
    from pdz_xl.io.package import Package
    from tests.support.ooxml_check import problems

    found: list[str] = []
    original = Package.write

    def write(self, fh):
        buf = io.BytesIO()
        original(self, buf)
        data = buf.getvalue()
        if len(data) <= _CHECK_UP_TO:
            new = problems(data)
            if new:  # only what the write brought: the input's own flaws are not ours
                new = sorted(set(new) - set(problems(self._archive)))
            found.extend(f"{self.path}: {p}" for p in new)
        fh.write(data)

    monkeypatch.setattr(Package, "write", write)
    yield
    if found:
        pytest.fail("struttura OOXML non valida in un file scritto:\n" + "\n".join(found))
