"""Gold parsing, `evaluate()` and `qa eval` end to end with a fake system (the metrics are in
tests/test_metrics.py, the report in tests/test_report.py; the real pipeline is exercised by the
CI gate test)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

import qa.eval.evaluate as ev
from qa.config import Settings
from qa.eval.metrics import GoldFigure, GoldItem

from .eval_helpers import NA_GOLD, REV_GOLD, FakeSystem, fake_system

# --- gold parsing -------------------------------------------------------------------------

GOOD_LINE = '{"id": "a", "q": "Q?", "evidence": ["x"], "figure": null, "unanswerable": false}'


def write_gold(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_parses_figures_and_skips_blank_lines(tmp_path: Path) -> None:
    line = '{"id": "b", "q": "Q?", "evidence": ["y"], "figure": {"value": 66, "unit": "%"}, '
    path = write_gold(tmp_path, GOOD_LINE, "", line + '"unanswerable": false}')
    items = ev.load_gold(path)
    assert [i.id for i in items] == ["a", "b"]
    assert items[1].figure == GoldFigure(66.0, "%")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", r"gold.jsonl:2: invalid JSON"),
        ("[1, 2]", r"gold.jsonl:2: expected a JSON object"),
        ('{"id": "b", "question": "Q?"}', r"gold.jsonl:2: missing keys \['q'\]"),
        ('{"id": "b", "q": "Q?"}', r"gold.jsonl:2: an answerable question needs at least one"),
        (GOOD_LINE.replace('"a"', '""'), r"gold.jsonl:2: 'id' must be a non-empty string"),
        (GOOD_LINE.replace('["x"]', '"x"'), r"'evidence' must be a list"),
        (GOOD_LINE.replace('["x"]', "[]"), r"needs at least one evidence"),
        (GOOD_LINE.replace("false}", "true}"), r"unanswerable question has no evidence"),
        (GOOD_LINE.replace("null", '{"value": "1"}'), r"'figure' must be null or"),
        (GOOD_LINE.replace("false}", '"no"}'), r"'unanswerable' must be true or false"),
        (GOOD_LINE, r"gold.jsonl:2: duplicate id 'a' \(first on line 1\)"),
    ],
)
def test_load_gold_names_file_and_line_of_errors(
    tmp_path: Path, bad_line: str, message: str
) -> None:
    with pytest.raises(ev.GoldError, match=message):
        ev.load_gold(write_gold(tmp_path, GOOD_LINE, bad_line))


def test_load_gold_defaults_unanswerable_to_false_and_warns_on_unknown_keys(
    tmp_path: Path,
) -> None:
    line = '{"id": "b", "q": "Q?", "evidence": ["y"], "source": "p. 3"}'
    warnings: list[str] = []
    items = ev.load_gold(write_gold(tmp_path, GOOD_LINE, line), warn=warnings.append)
    assert items[1] == GoldItem("b", "Q?", ("y",), None, False)
    assert warnings == ["{}:2: unknown keys ['source'] ignored".format(tmp_path / "gold.jsonl")]


def test_load_gold_rejects_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ev.GoldError, match=r"nope.jsonl: gold file not found"):
        ev.load_gold(tmp_path / "nope.jsonl")
    with pytest.raises(ev.GoldError, match="no questions"):
        ev.load_gold(write_gold(tmp_path, ""))


# --- evaluate(), report, main() with a fake system ----------------------------------------


def test_evaluate_times_each_question_by_wall_clock() -> None:
    ticks: Iterator[float] = iter([1.0, 1.25, 2.0, 2.5])
    system = fake_system()
    result = ev.evaluate(system, [REV_GOLD, NA_GOLD], k=7, clock=lambda: next(ticks))
    assert [r.latency_ms for r in result.results] == [250.0, 500.0]
    assert system.ks == [7, 7]
    assert result.metrics["hit@1"] == 1.0 and result.metrics["not_stated"] == 0.0
    assert [r.id for r in result.failures()] == ["na"]


def test_baseline_uses_paragraphs_dense_no_figures_and_a_sibling_index() -> None:
    base = ev.baseline_settings(Settings(index_dir=Path("data/index")))
    assert (base.chunker, base.retrieval, base.use_figures) == ("paragraph", "dense", False)
    assert base.index_dir == Path("data/index-baseline")


class FakeQA(FakeSystem):
    """Stands in for qa.pipeline.QA: records how it was built and warmed up."""

    built: ClassVar[list[FakeQA]] = []

    def __init__(self, settings: Settings, embedder: object = None) -> None:
        super().__init__(fake_system().answers)
        self.settings, self.embedder, self.warm = settings, embedder or object(), False
        FakeQA.built.append(self)

    def warm_up(self) -> FakeQA:
        self.warm = True
        return self


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[FakeQA]:
    """Make main() build FakeQA systems; return them as they are built."""
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setitem(sys.modules, "qa.pipeline", SimpleNamespace(QA=FakeQA))
    monkeypatch.setattr(FakeQA, "built", [])
    return FakeQA.built


def gold_file(tmp_path: Path) -> str:
    lines = []
    for g in (REV_GOLD, NA_GOLD):
        fig = {"value": g.figure.value, "unit": g.figure.unit} if g.figure else None
        row = {"id": g.id, "q": g.q, "evidence": list(g.evidence), "figure": fig}
        lines.append(json.dumps({**row, "unanswerable": g.unanswerable}))
    return str(write_gold(tmp_path, *lines))


def test_main_json_reports_full_and_baseline(
    cli: list[FakeQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.main([gold_file(tmp_path), "--json", "-k", "3"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["k"] == 3 and payload["full"]["metrics"]["hit@1"] == 1.0
    assert payload["full"]["failures"][0]["id"] == "na"
    assert payload["baseline"]["label"] == "baseline"
    full, base = cli
    assert (full.settings.chunker, base.settings.chunker) == ("structure", "paragraph")
    assert base.settings.index_dir == tmp_path / "index-baseline"
    assert base.embedder is full.embedder  # one model loaded, shared
    assert full.warm and base.warm and full.ks == [3, 3]


def test_main_no_baseline_runs_only_the_full_system(
    cli: list[FakeQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.main([gold_file(tmp_path), "--json", "--no-baseline"]) == 0
    assert json.loads(capsys.readouterr().out)["baseline"] is None
    assert len(cli) == 1


def test_main_prints_table_and_writes_report(
    cli: list[FakeQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.main([gold_file(tmp_path), "--report", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "hit@1" in out and "1 questions with failures" in out
    assert (tmp_path / "r" / "metrics.png").stat().st_size > 0


def test_main_exits_1_naming_each_metric_below_its_minimum(
    cli: list[FakeQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [gold_file(tmp_path), "--json", "--min", "hit@1=0.9", "--min", "not_stated=0.8"]
    assert ev.main([*argv, "--max", "false_not_found=0.05"]) == 1
    err = capsys.readouterr().err
    assert "not_stated = 0 is below the minimum 0.8" in err
    assert "hit@1" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min", "hit@1"], "expects METRIC=VALUE"),
        (["--min", "recall=0.5"], "unknown metric 'recall'"),
        (["-k", "0"], "-k must be at least 1"),
    ],
)
def test_main_exits_2_on_bad_arguments(
    cli: list[FakeQA],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert ev.main([gold_file(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err
    assert cli == []  # nothing was built or run


def test_main_exits_2_on_missing_or_malformed_gold(
    cli: list[FakeQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.main([str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: gold file not found" in capsys.readouterr().err
    assert ev.main([str(write_gold(tmp_path, GOOD_LINE, "{oops"))]) == 2
    assert "gold.jsonl:2: invalid JSON" in capsys.readouterr().err


def test_main_exits_2_on_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main(["--frobnicate"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
