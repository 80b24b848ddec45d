"""The PDZ_TOTAL benchmark on a tiny size (no LibreOffice): its budget is read as planned
and every answer through the dispatch equals the generated truth, so it cannot rot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_udf

pytestmark = pytest.mark.xlwings


def test_benchmark_runs_small(tmp_path: Path, capsys):
    out = tmp_path / "r.json"
    assert bench_udf.main(["--lines", "200", "--calls", "20", "--repeat", "1",
                           "--no-libreoffice", "--json", str(out)]) == 0
    assert "20 chiamate" in capsys.readouterr().out
    assert out.exists()
