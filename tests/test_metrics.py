"""Gold-set metrics as pure functions (qa/eval/metrics.py): passage hits, figure matches,
per-question results, the summary and thresholds, on hand-built answers."""

from __future__ import annotations

import pytest

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
from qa.types import Figure

from .eval_helpers import FILLER, NA_GOLD, REV_GOLD, REVENUE, answer, figure

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


@pytest.mark.parametrize(
    ("unit", "gold_unit", "compatible"),
    [
        ("CNY", "RMB", True),
        ("yuan", "rmb", True),
        ("US$", "USD", True),
        ("HK$", "HKD", True),
        ("HKD", "USD", False),
        ("customers", "", True),  # gold "" accepts any count
    ],
)
def test_currency_spellings_that_mean_the_same_currency_agree(
    unit: str, gold_unit: str, compatible: bool
) -> None:
    assert figure_matches(figure(5e6, unit, "count" if not gold_unit else "currency"),
                          GoldFigure(5e6, gold_unit)) is compatible  # fmt: skip


@pytest.mark.parametrize(
    ("gold", "said"),
    [
        (GoldFigure(1.951e10, "RMB"), "19.51 billion RMB"),
        (GoldFigure(-3.2e6, "USD"), "-3.2 million USD"),
        (GoldFigure(12502, ""), "12502"),
        (GoldFigure(760, "bp"), "760 bp"),
    ],
)
def test_the_expected_figure_is_written_as_a_reader_says_it(gold: GoldFigure, said: str) -> None:
    item = GoldItem("x", "Q?", ("evidence",), gold)
    assert score_answer(item, answer([]), 1.0).expected == f"{said} (evidence)"


def test_an_unanswerable_question_expects_not_stated_and_has_no_hit_rank() -> None:
    result = score_answer(NA_GOLD, answer([REVENUE]), 1.0)
    assert result.expected == "(not stated)" and result.hit_rank is None
    assert result.top_passage == REVENUE and result.answer == "an answer"


def test_only_the_first_three_passages_are_measured_for_length() -> None:
    result = score_answer(REV_GOLD, answer([REVENUE, FILLER, "x" * 9, "y" * 50]), 1.0)
    assert result.passage_lengths == (len(REVENUE), len(FILLER), 9)
