"""Metrics on hand-built Answers, gold parsing, thresholds, the report and `qa eval` end to end
with a fake system (the real pipeline is exercised by the CI gate test)."""

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
from qa.eval.metrics import (
    METRIC_NAMES,
    GoldFigure,
    GoldItem,
    Threshold,
    ThresholdError,
    figure_matches,
    first_figure_rank,
    first_hit_rank,
    parse_threshold,
    percentile,
    score_answer,
    summarize,
)
from qa.eval.report import format_failures, format_table, write_report
from qa.types import Answer, Figure, Passage

REVENUE = "The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%."
FILLER = "SenseTime continued to lead the industry in its R&D capabilities."


def passage(text: str) -> Passage:
    return Passage(text, 0.5, "doc", "Title", "Highlights", 0, len(text), 0, 0, len(text))


def figure(value: float, unit: str, kind: str = "currency") -> Figure:
    return Figure(text=f"{value} {unit}", value=value, unit=unit, kind=kind, start=0, end=1)


def answer(texts: list[str], figures: tuple[Figure, ...] = (), found: bool = True) -> Answer:
    return Answer("q?", "an answer" if found else "", found, tuple(map(passage, texts)), figures)


REV_GOLD = GoldItem("rev", "Revenue?", ("RMB1.42 billion",), GoldFigure(1.42e9, "RMB"))
NA_GOLD = GoldItem("na", "Dividend per share?", unanswerable=True)


# --- passage hits -------------------------------------------------------------------------


def test_hit_rank_is_one_based_and_whitespace_normalized() -> None:
    assert first_hit_rank([FILLER, "revenue was RMB1.42\n  billion"], ["RMB1.42 billion"]) == 2


def test_hit_rank_accepts_any_evidence_alternative() -> None:
    assert first_hit_rank([FILLER, REVENUE], ["absent", "margin of 66%"]) == 2


def test_hit_rank_is_none_beyond_depth_or_without_match() -> None:
    texts = [FILLER] * 10 + [REVENUE]
    assert first_hit_rank(texts, ["RMB1.42 billion"]) is None
    assert first_hit_rank(texts, ["RMB1.42 billion"], depth=11) == 11
    assert first_hit_rank([FILLER], ["rmb1.42 BILLION"]) is None  # case-sensitive


# --- figures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fig", "gold", "expected"),
    [
        (figure(1.42e9, "RMB"), GoldFigure(1.42e9, "RMB"), True),
        (figure(1.427e9, "RMB"), GoldFigure(1.42e9, "RMB"), True),  # within 0.5%
        (figure(1.43e9, "RMB"), GoldFigure(1.42e9, "RMB"), False),  # 0.7% off
        (figure(1.42e9, "CNY"), GoldFigure(1.42e9, "RMB"), True),
        (figure(1.42e9, "USD"), GoldFigure(1.42e9, "RMB"), False),
        (figure(66, "%", "percent"), GoldFigure(66, "%"), True),
        (figure(0.66, "%", "percent"), GoldFigure(66, "%"), False),
        (figure(7.6, "pp", "percentage_points"), GoldFigure(7.6, "%"), False),
        (figure(760, "bp", "basis_points"), GoldFigure(760, "bp"), True),
        (figure(12502, "patents", "count"), GoldFigure(12502, ""), True),
        (figure(12502, "", "count"), GoldFigure(12502, ""), True),
        (figure(12502, "RMB"), GoldFigure(12502, ""), False),
        (figure(2.5, "exaFLOPS", "compute"), GoldFigure(2.5, "exaFLOPS"), True),
    ],
)
def test_figure_matches(fig: Figure, gold: GoldFigure, expected: bool) -> None:
    assert figure_matches(fig, gold) is expected


def test_figure_rank_counts_only_found_answers_and_the_first_three() -> None:
    right, wrong = figure(1.42e9, "RMB"), figure(2.04e9, "RMB")
    gold = GoldFigure(1.42e9, "RMB")
    assert first_figure_rank(answer([REVENUE], (wrong, right)), gold) == 2
    assert first_figure_rank(answer([REVENUE], (right,), found=False), gold) is None
    assert first_figure_rank(answer([REVENUE], (wrong, wrong, wrong, right)), gold) is None


# --- per-question results and summary ----------------------------------------------------


def test_score_answer_records_ranks_lengths_and_failures() -> None:
    result = score_answer(REV_GOLD, answer([FILLER, REVENUE], (figure(1.42e9, "RMB"),)), 12.0)
    assert (result.hit_rank, result.figure_rank, result.found) == (2, 1, True)
    assert result.passage_lengths == (len(FILLER), len(REVENUE))
    assert result.top_passage == FILLER
    assert result.expected == "1.42 billion RMB (RMB1.42 billion)"
    assert result.failed() == ("hit@1",)


def test_unanswerable_fails_only_when_answered() -> None:
    assert score_answer(NA_GOLD, answer([FILLER], found=False), 1.0).failed() == ()
    assert score_answer(NA_GOLD, answer([FILLER]), 1.0).failed() == ("not_stated",)


def test_answerable_marked_not_found_fails_false_not_found() -> None:
    result = score_answer(REV_GOLD, answer([REVENUE], (figure(1.42e9, "RMB"),), False), 1.0)
    assert result.failed() == ("figure@1", "false_not_found")


def test_summarize_on_hand_built_answers() -> None:
    rev = (figure(1.42e9, "RMB"),)
    results = [
        score_answer(REV_GOLD, answer([REVENUE, FILLER, FILLER], rev), 10.0),  # hit 1, fig 1
        score_answer(REV_GOLD, answer([FILLER, FILLER, REVENUE], ()), 20.0),  # hit 3, no fig
        score_answer(REV_GOLD, answer([FILLER] * 5 + [REVENUE], rev, False), 30.0),  # hit 6
        score_answer(REV_GOLD, answer([FILLER]), 40.0),  # no hit
        score_answer(NA_GOLD, answer([FILLER], found=False), 50.0),
        score_answer(NA_GOLD, answer([FILLER]), 60.0),
    ]
    metrics = summarize(results)
    assert list(metrics) == list(METRIC_NAMES)
    assert metrics["hit@1"] == 0.25
    assert metrics["hit@3"] == 0.5
    assert metrics["hit@5"] == 0.5
    assert metrics["mrr@10"] == pytest.approx((1 + 1 / 3 + 1 / 6 + 0) / 4)
    lengths = [len(REVENUE)] + [len(FILLER)] * 2 + [len(FILLER)] * 2 + [len(REVENUE)]
    lengths += [len(FILLER)] * 3 + [len(FILLER)]
    assert metrics["passage_chars@3"] == pytest.approx(sum(lengths) / len(lengths))
    assert metrics["figure@1"] == 0.25
    assert metrics["figure@3"] == 0.25
    assert metrics["not_stated"] == 0.5
    assert metrics["false_not_found"] == 0.25
    assert metrics["latency_p50_ms"] == 35.0
    assert metrics["latency_p95_ms"] == pytest.approx(57.5)


def test_summarize_reports_none_for_unmeasured_metrics() -> None:
    metrics = summarize([score_answer(NA_GOLD, answer([], found=False), 1.0)])
    assert metrics["hit@1"] is None and metrics["figure@1"] is None
    assert metrics["not_stated"] == 1.0


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([10.0, 20.0], 95) == pytest.approx(19.5)
    assert percentile([], 50) is None


# --- thresholds ---------------------------------------------------------------------------


def test_parse_threshold_reads_metric_and_value() -> None:
    assert parse_threshold("hit@1=0.9") == Threshold("hit@1", 0.9, "min")
    assert parse_threshold("false_not_found=0.05", "max") == Threshold(
        "false_not_found", 0.05, "max"
    )


@pytest.mark.parametrize(
    ("text", "bound", "message"),
    [
        ("hit@1", "min", "expects METRIC=VALUE"),
        ("=0.9", "min", "expects METRIC=VALUE"),
        ("hit@1=", "min", "expects METRIC=VALUE"),
        ("hit@2=0.9", "min", "unknown metric 'hit@2'"),
        ("hit@1=high", "min", "not a finite number"),
        ("hit@1=nan", "min", "not a finite number"),
        ("false_not_found=0.05", "min", "lower is better, so bound it with --max"),
        ("hit@1=0.9", "max", "higher is better, so bound it with --min"),
    ],
)
def test_parse_threshold_rejects_bad_input(text: str, bound: str, message: str) -> None:
    with pytest.raises(ThresholdError, match=message):
        parse_threshold(text, bound)


def test_threshold_violation_names_the_metric() -> None:
    metrics = {"hit@1": 0.8, "false_not_found": 0.1, "figure@1": None}
    assert parse_threshold("hit@1=0.9").violation(metrics) == "hit@1 = 0.8 is below the minimum 0.9"
    assert parse_threshold("hit@1=0.8").violation(metrics) is None
    assert "above the maximum" in str(Threshold("false_not_found", 0.05, "max").violation(metrics))
    assert "not measured" in str(parse_threshold("figure@1=0.5").violation(metrics))


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


class FakeSystem:
    """Answers from a table; records the k it was asked with."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.ks: list[int] = []

    def ask(self, question: str, k: int) -> Answer:
        self.ks.append(k)
        return self.answers[question]


def fake_system() -> FakeSystem:
    return FakeSystem(
        {
            REV_GOLD.q: answer([REVENUE], (figure(1.42e9, "RMB"),)),
            NA_GOLD.q: answer([FILLER]),  # wrongly answers an unanswerable question
        }
    )


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


def test_table_and_failures_are_readable() -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    table = format_table(full, full)
    assert all(name in table for name in METRIC_NAMES)
    assert "baseline" in table and "+0.000" in table
    failures = format_failures(full)
    assert "[na] Dividend per share?" in failures and "failed: not_stated" in failures


def test_write_report_writes_markdown_and_two_pngs(tmp_path: Path) -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    paths = write_report(tmp_path / "out", full, full, Path("eval/gold.jsonl"), 10)
    assert [p.name for p in paths] == ["report.md", "metrics.png", "latency.png"]
    assert all(p.stat().st_size > 1000 for p in paths[1:])
    assert paths[1].read_bytes().startswith(b"\x89PNG")
    markdown = paths[0].read_text(encoding="utf-8")
    assert "| hit@1 | 1.000 | 1.000 | +0.000 |" in markdown and "**na**" in markdown


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
