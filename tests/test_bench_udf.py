"""The PDZ_TOTAL benchmark on a tiny size (no LibreOffice), so it cannot rot: its budget
is read as generated and every answer through the dispatch equals the core's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_udf

pytestmark = pytest.mark.xlwings


def test_builder_is_read_as_generated():
    budget = bench_udf.build_budget(200)
    query = bench_udf.core_query(budget)
    bench_udf.check_budget(budget, query)
    assert len(query.plan.lines) == 200
    assert query.total() == sum(b for _s, b, _ch in budget.lines)
    assert len(budget.servizi) == bench_udf.AREAS * bench_udf.SERVIZI_PER_AREA
    assert set(query.plan.channel_codes) == set(bench_udf.CHANNELS)


def test_dispatch_answers_equal_the_core():
    budget = bench_udf.build_budget(200)
    query = bench_udf.core_query(budget)
    calls = bench_udf.build_calls(budget, 20)
    assert len(set(calls)) == 20
    handle, _cpu, _wall = bench_udf.budget_handle(budget)
    requests = {"range": bench_udf.Requests(budget.rows, calls),
                "handle": bench_udf.Requests(handle, calls)}
    assert len(requests["handle"].text(0)) < 1000 < len(requests["range"].text(0))
    runs = bench_udf.alternated(requests, budget, 1, list(bench_udf.WAYS))
    expected = [query.total(g, c) / 100 for g, c in calls]
    assert expected == [budget.cents(g, c) / 100 for g, c in calls]
    assert all(a > 0 for a in expected)
    for way, (run,) in runs.items():
        assert len(run.per_call_cpu) == len(run.per_call_wall) == 20
        assert run.answers == expected, way
        assert (run.setup_cpu > 0) == bench_udf.WAYS[way].handle
    _t, spilled = bench_udf.spilled_run(budget, calls)
    assert spilled == expected


def test_check_answers_catches_a_wrong_cent():
    budget = bench_udf.build_budget(200)
    query = bench_udf.core_query(budget)
    calls = bench_udf.build_calls(budget, 3)
    good = [query.total(g, c) / 100 for g, c in calls]
    bench_udf.check_answers(good, calls, budget, query, "prova")
    with pytest.raises(AssertionError):
        bench_udf.check_answers([good[0], good[1] + 0.01, good[2]], calls, budget, query,
                                "prova")


def test_main_runs_small(tmp_path: Path, capsys):
    out = tmp_path / "r.json"
    assert bench_udf.main(["--lines", "200", "--calls", "20", "--repeat", "1",
                           "--no-libreoffice", "--json", str(out)]) == 0
    assert "20 celle" in capsys.readouterr().out
    result = json.loads(out.read_text())
    assert result["lines"] == 200
    assert result["breakdown_per_call_cpu_s"]["dispatch"] > 0
    assert set(result["ways"]) == set(bench_udf.WAYS)
    assert result["handle"].startswith("PDZ#")
