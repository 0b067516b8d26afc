"""Figures the release implies (qa/answer/textderived.py): profit from margin x revenue, a total
before an addition; each computed, cited, and never presented as stated."""

from __future__ import annotations

import pytest

from qa.answer.textderived import before_addition, margin_product
from qa.pipeline import QA
from qa.text.question import parse_question
from qa.types import Figure, Passage

REVENUE = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 0, 15, metric="total revenue",
                 period="1H2022", scale="billion")  # fmt: skip
MARGIN = Figure("66%", 66.0, "%", "percent", 20, 23, metric="gross profit margin", period="1H2022")


def passage(*figures: Figure) -> Passage:
    return Passage("...", 0.8, "d", "d", "", 0, 30, 0, 0, 30, figures=figures)


def test_profit_is_margin_times_revenue_with_its_derivation() -> None:
    figure = margin_product(
        parse_question("What was the gross profit?"), [passage(REVENUE, MARGIN)]
    )
    assert figure is not None and figure.derivation is not None
    assert figure.value == pytest.approx(937.2e6)
    assert (figure.unit, figure.scale, figure.text) == ("RMB", "million", "RMB937 million")
    assert figure.derivation.operands == (MARGIN, REVENUE)
    assert figure.derivation.formula == "66% × RMB1.42 billion"


def test_a_stated_profit_or_a_margin_question_is_not_computed() -> None:
    stated = Figure("RMB0.9 billion", 0.9e9, "RMB", "currency", 30, 44, metric="gross profit")
    assert (
        margin_product(
            parse_question("What was the gross profit?"), [passage(REVENUE, MARGIN, stated)]
        )
        is None
    )
    assert (
        margin_product(
            parse_question("What was the gross profit margin?"), [passage(REVENUE, MARGIN)]
        )
        is None
    )
    assert (
        margin_product(parse_question("What was the operating profit?"), [passage(REVENUE, MARGIN)])
        is None
    )


def test_total_before_an_addition() -> None:
    added = Figure("2,136 patents", 2136.0, "patents", "count", 0, 13, role="change",
                   metric="patents added")  # fmt: skip
    total = Figure("12,502", 12502.0, "patents", "count", 20, 26, metric="total number of patents")
    figure = before_addition(
        parse_question("How many patents before adding 2,136?"), [passage(added, total)]
    )
    assert figure is not None and figure.derivation is not None
    assert figure.value == 10366.0
    assert figure.derivation.formula == "12,502 − 2,136"
    assert (
        before_addition(
            parse_question("How many patents before adding 99?"), [passage(added, total)]
        )
        is None
    )


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "value", "says"),
    [
        (
            "What was the gross profit?",
            937.2e6,
            "computed from gross profit margin × total revenue",
        ),
        ("How many patents did it hold before adding 2,136?", 10366.0, "computed from"),
    ],
)
def test_seed_release_answers_are_computed_and_say_so(
    real_qa: QA, question: str, value: float, says: str
) -> None:
    answer = real_qa.ask(question)
    assert answer.found
    assert answer.value == pytest.approx(value)
    assert says in answer.answer
    assert answer.figure is not None and answer.figure.derivation is not None


def test_a_part_of_revenue_is_its_share_times_the_total() -> None:
    from qa.answer.textderived import share_product

    share = Figure("19%", 19.0, "%", "percent", 30, 33, period="1H2022",
                   metric="revenue contribution of overseas markets")  # fmt: skip
    figure = share_product(
        parse_question("How much revenue came from overseas markets?"), [passage(REVENUE, share)]
    )
    assert figure is not None and figure.derivation is not None
    assert figure.value == pytest.approx(269.8e6)
    assert figure.derivation.operands == (share, REVENUE)
    # The whole is not a part, and a stated part is not recomputed.
    assert (
        share_product(parse_question("What was the total revenue?"), [passage(REVENUE, share)])
        is None
    )
    stated = Figure("RMB0.3 billion", 0.3e9, "RMB", "currency", 40, 54,
                    metric="revenue from overseas markets")  # fmt: skip
    asked = "How much revenue came from overseas markets?"
    assert share_product(parse_question(asked), [passage(REVENUE, share, stated)]) is None
