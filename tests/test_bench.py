"""Smoke tests for the benchmark harness (`python -m bench`): it runs on tiny sizes, builds
its table and JSON, and reports a failing benchmark instead of hiding it. No timing asserts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench import __main__ as cli
from bench import build, latency, scale, server
from bench.common import Context, Row, judged, meets, percentile


def test_goal_checks_read_like_the_table() -> None:
    assert meets(1.3, "<= 1.3") and not meets(1.31, "<= 1.3")
    assert meets(0.9, ">= 0.9") and not meets(0.0, "> 0")
    with pytest.raises(ValueError, match="goal must look like"):
        meets(1.0, "about 1")


def test_a_row_is_judged_by_its_ratio_when_it_has_a_floor() -> None:
    row = judged("b", "m", 12.0, "ms", floor=10.0, goal="<= 1.3")
    assert row.ratio == pytest.approx(1.2) and row.met is True
    assert judged("b", "m", 2.0, "s", goal="< 1").met is False
    assert judged("b", "m", 2.0, "s").met is None


def test_percentile_interpolates_and_refuses_no_values() -> None:
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 95) == pytest.approx(48.0)
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_unknown_benchmark_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(["--only", "latency,nope"])
    assert exit_info.value.code == 2
    assert "nope" in capsys.readouterr().err


def test_main_prints_the_table_writes_json_and_reports_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fine(ctx: Context) -> list[Row]:
        return [judged("fine", "latency p50", 11.0, "ms", floor=10.0, goal="<= 1.3")]

    def broken(ctx: Context) -> list[Row]:
        raise RuntimeError("no model here")

    monkeypatch.setattr(cli, "BENCHMARKS", {"fine": fine, "broken": broken})
    out = tmp_path / "results.json"
    status = cli.main(["--quick", "--json", str(out), "--workdir", str(tmp_path / "work")])

    assert status == 1  # a failing benchmark fails the run
    table = capsys.readouterr().out
    assert "| fine | latency p50 | 11.0 ms | 10.0 ms | 1.10 | <= 1.3 | yes |" in table
    saved = json.loads(out.read_text())
    assert saved["quick"] is True
    assert saved["benchmarks"]["fine"]["rows"][0]["ratio"] == pytest.approx(1.1)
    assert saved["benchmarks"]["broken"]["error"] == "RuntimeError: no model here"


def test_build_time_against_corpus_size_reports_each_size_and_the_growth(tmp_path: Path) -> None:
    ctx = Context(quick=True, workdir=tmp_path, log=lambda _: None)
    rows = build.against_size(ctx, (1, 2), repeats=1)
    assert [r.unit for r in rows] == ["s", "s", "x"]
    assert "1 copies" in rows[0].metric and "2 copies" in rows[1].metric
    assert rows[1].extra["megabytes"] > rows[0].extra["megabytes"] > 0
    assert rows[2].goal == build.GOAL_GROWTH and rows[2].met in (True, False)


def test_exact_top_k_matches_a_full_sort() -> None:
    base = scale.make_vectors("gaussian", 500, seed=3)
    queries = scale.make_vectors("gaussian", 4, seed=4)
    expected = np.argsort(-(queries @ base.T), axis=1)[:, :10]
    assert (scale.exact_top_k(base, queries) == expected).all()


@pytest.mark.usefixtures("one_faiss_thread")
@pytest.mark.parametrize("index_type", scale.TYPES)
def test_scale_measures_every_index_type_on_a_tiny_corpus(tmp_path: Path, index_type: str) -> None:
    prefix = scale.prepare(tmp_path, "clustered", 1000, queries=10)
    result = scale.child(prefix, index_type, queries=10, params={})
    assert result["count"] == 1000
    assert 0.0 <= result["recall"] <= 1.0
    if index_type == "flat":
        assert result["recall"] == 1.0  # exact search finds the exact neighbours
    rows = scale._rows(result, "clustered", 1000, "flat")
    assert [r.unit for r in rows] == ["s", "MiB", "ms", ""]
    assert all(r.met is None for r in rows)  # goals apply at 1M only


def test_scale_overrides_refuse_unknown_constants(tmp_path: Path) -> None:
    prefix = scale.prepare(tmp_path, "gaussian", 200, queries=2)
    with pytest.raises(SystemExit, match="NO_SUCH"):
        scale.child(prefix, "hnsw", queries=2, params={"NO_SUCH": 1.0})


def test_server_load_counts_errors_and_latencies() -> None:
    def flaky(question: str) -> str:
        if question == "bad":
            raise ConnectionError("refused")
        return question

    wall, latencies, errors = server.drive(flaky, ["a", "bad", "b", "c"], workers=2)
    assert wall >= 0 and len(latencies) == 3
    assert errors == ["ConnectionError: refused"]


@pytest.mark.model
@pytest.mark.slow
def test_latency_runs_on_two_questions_with_the_real_model(
    tmp_path: Path, real_qa: object, real_index_dir: Path
) -> None:
    ctx = Context(quick=True, workdir=tmp_path, index=real_index_dir, log=lambda _: None)
    rows = latency.run(ctx, questions=["What was the total revenue?", "What was the net loss?"])
    by_metric = {row.metric: row for row in rows}
    assert by_metric["ask p50 (cache cleared)"].floor is not None
    assert by_metric["ask p50 (cache cleared)"].met in (True, False)
    assert any(metric.startswith("stage p50: embed") for metric in by_metric)
