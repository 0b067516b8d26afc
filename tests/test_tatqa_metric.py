"""The benchmark's scoring rules, edge by edge (qa/eval/tatqa_metric.py).

The expected values were checked against the TAT-QA evaluation script's behaviour: scale is
applied to gold and prediction alike, parentheses are negative, "%" divides by 100, spans are
order-free bags, and arithmetic/count F1 equals exact match.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.eval.tatqa_metric import (
    answer_string,
    exact_and_f1,
    is_number,
    normalize_answer,
    score_prediction,
    to_number,
)


@pytest.mark.parametrize(
    ("prediction", "pred_scale", "gold", "gold_scale", "exact"),
    [
        ("1496.5", "million", ["$1,496.5"], "million", 1.0),  # same scale
        ("1496500000", "", ["$1,496.5"], "million", 1.0),  # scale applied to gold
        ("1.4965", "billion", ["$1,496.5"], "million", 0.0),  # rounded to 2 decimals first
        ("1496.5", "", ["$1,496.5"], "million", 0.0),  # the scale matters
        ("1496.5", "thousand", ["$1,496.5"], "million", 0.0),
    ],
)
def test_scale_is_applied_after_rounding_to_two_decimals(
    prediction: str, pred_scale: str, gold: list[str], gold_scale: str, exact: float
) -> None:
    assert score_prediction(prediction, pred_scale, gold, "span", gold_scale).exact_match == exact


def test_parentheses_are_negative() -> None:
    assert to_number("(134)") == -134
    assert score_prediction("-134", "", ["(134)"], "span", "").exact_match == 1.0
    assert score_prediction("134", "", ["(134)"], "span", "").exact_match == 0.0


def test_percent_sign_and_percent_scale_meet() -> None:
    assert to_number("12%") == 0.12
    # "22.22" in percent, "-22.22%" as text, and the bare fraction all match -22.22 percent.
    for prediction, scale in (("-22.22", "percent"), ("-22.22%", ""), ("-0.2222", "")):
        score = score_prediction(prediction, scale, -22.22, "arithmetic", "percent")
        assert score.exact_match == 1.0, (prediction, scale)
    assert score_prediction("-22.22", "", -22.22, "arithmetic", "percent").exact_match == 0.0


def test_ratio_rounds_to_two_decimals() -> None:
    assert score_prediction("2.9318", "", 2.93, "arithmetic", "").exact_match == 1.0
    assert score_prediction("2.94", "", 2.93, "arithmetic", "").exact_match == 0.0


def test_multi_span_order_is_free_and_partial_answers_get_partial_f1() -> None:
    gold = ["fixed-price type", "cost-plus type", "time-and-material type"]
    shuffled = ["time-and-material type", "fixed-price type", "cost-plus type"]
    full = score_prediction(shuffled, "", gold, "multi-span", "")
    assert (full.exact_match, full.f1) == (1.0, 1.0)
    partial = score_prediction(["cost-plus type"], "", gold, "multi-span", "")
    assert partial.exact_match == 0.0
    assert partial.f1 == pytest.approx(0.67)  # {costplus, type} against four gold tokens


def test_f1_equals_exact_match_for_arithmetic_and_count() -> None:
    # The same near miss ("-12.6" plus a stray span) earns partial F1 as a span answer and
    # none as an arithmetic or count answer.
    near_miss = ["-12.6", "decrease"]
    span = score_prediction(near_miss, "", ["-12.6"], "span", "")
    assert span.exact_match == 0.0 and span.f1 == pytest.approx(0.67)
    for answer_type in ("arithmetic", "count"):
        score = score_prediction(near_miss, "", -12.6, answer_type, "")
        assert score.exact_match == score.f1 == 0.0


def test_empty_prediction_scores_zero_with_wrong_scale() -> None:
    for empty in ("", None, []):
        score = score_prediction(empty, "", "", "span", "")
        assert (score.exact_match, score.f1, score.scale_correct) == (0.0, 0.0, False)


def test_scale_correct_compares_scale_names() -> None:
    assert score_prediction("5", "million", ["5"], "span", "million").scale_correct
    assert not score_prediction("5000000", "", ["5"], "span", "million").scale_correct


def test_normalisation_drops_articles_punctuation_and_case() -> None:
    assert normalize_answer("The Annual basis.") == "annual basis"
    assert exact_and_f1("annual basis", "The annual basis")[0] == 1.0
    assert answer_string(["b", "a"], "") == "a b"


@given(st.text(max_size=30))
def test_number_reading_never_crashes(text: str) -> None:
    if is_number(text):
        to_number(text)
    normalize_answer(text)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_a_number_always_matches_itself(value: float) -> None:
    text = f"{value:.2f}"
    assert score_prediction(text, "", value, "arithmetic", "").exact_match == 1.0
