"""Derived figures (qa/answer/derived.py): each operation on synthetic figures, formula,
rounding."""

from __future__ import annotations

import pytest

from qa.answer.derived import DerivationError, combine, formula
from qa.types import Figure


def money(text: str, value: float, period: str, scale: str = "million") -> Figure:
    multiplier = {"million": 1e6, "thousand": 1e3, "": 1.0}[scale]
    return Figure(text, value * multiplier, "USD", "currency", 0, len(text), period=period,
                  scale=scale or None)  # fmt: skip


LATER, EARLIER = money("44.1", 44.1, "2019"), money("56.7", 56.7, "2018")


def test_difference_keeps_unit_scale_and_precision() -> None:
    figure = combine("difference", [LATER, EARLIER])
    assert figure.value == pytest.approx(-12.6e6)
    assert (figure.unit, figure.scale, figure.text) == ("USD", "million", "−US$12.6 million")
    assert figure.derivation is not None
    assert figure.derivation.formula == "44.1 − 56.7"
    assert figure.derivation.operands == (LATER, EARLIER)


def test_percent_change_is_relative_to_the_earlier_value_in_percent() -> None:
    figure = combine("percent_change", [LATER, EARLIER])
    assert (figure.value, figure.unit, figure.kind) == (-22.22, "%", "percent")
    assert figure.derivation is not None
    assert figure.derivation.formula == "(44.1 − 56.7) / 56.7 × 100"


def test_average_and_sum_over_several_values() -> None:
    third = money("70.8", 70.8, "2017")
    assert combine("average", [LATER, EARLIER, third]).value == pytest.approx(57.2e6)
    assert combine("sum", [LATER, EARLIER, third]).value == pytest.approx(171.6e6)


def test_ratio_rounds_to_two_decimals_and_percent_multiplies() -> None:
    assets, liabilities = money("2,664", 2664, "2019"), money("909", 909, "2019")
    ratio = combine("ratio", [assets, liabilities])
    assert (ratio.value, ratio.unit, ratio.kind, ratio.scale) == (2.93, "", "ratio", None)
    share = combine("ratio", [liabilities, assets], percent=True)
    assert (share.value, share.unit) == (34.12, "%")


def test_a_small_ratio_keeps_three_significant_digits() -> None:
    """2,010 of 442,262 is 0.00454, not "0.00": an analyst must see the size of the share."""
    part, whole = money("2,010", 2010, "2019", ""), money("442,262", 442262, "2019", "")
    ratio = combine("ratio", [part, whole])
    assert ratio.value == pytest.approx(0.00454) and ratio.text.startswith("0.00454")


def test_negative_operands_are_written_in_parentheses() -> None:
    loss = money("(2,235)", -2235, "2019", "thousand")
    earlier = money("(6,986)", -6986, "2018", "thousand")
    figure = combine("difference", [loss, earlier])
    assert figure.value == pytest.approx(4751e3)
    assert formula("difference", [loss, earlier]) == "(2,235) − (6,986)"


@pytest.mark.parametrize(
    ("operation", "operands", "message"),
    [
        ("ratio", [LATER, money("0", 0, "2018")], "divisor is zero"),
        ("difference", [LATER], "needs two operands"),
        ("sum", [LATER, Figure("5%", 5.0, "%", "percent", 0, 2)], "different units"),
        ("median", [LATER, EARLIER], "unknown operation"),
        ("sum", [], "no operands"),
    ],
)
def test_impossible_combinations_are_refused(
    operation: str, operands: list[Figure], message: str
) -> None:
    with pytest.raises(DerivationError, match=message):
        combine(operation, operands)


def test_operands_written_with_an_abbreviated_scale_are_shown_as_written() -> None:
    # Extraction scales "RMB1.42 bn" by qa.text.numerals.scale_factor; the formula undoes it.
    revenue = Figure("RMB1.42 bn", 1.42e9, "RMB", "currency", 0, 10, scale="bn")
    earlier = Figure("RMB1.65 bn", 1.65e9, "RMB", "currency", 11, 21, scale="bn")
    figure = combine("difference", [revenue, earlier])
    assert figure.derivation is not None
    assert figure.derivation.formula == "1.42 − 1.65"
