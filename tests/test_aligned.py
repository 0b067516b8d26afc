"""The year a sentence gives each of its figures: "respectively" lists and "(2018: ...)"
comparatives (qa/answer/aligned.py)."""

from __future__ import annotations

import pytest

from qa.answer.aligned import figure_years
from qa.figures.extract import extract_figures
from qa.text.forms import asked_years


def years_by_text(sentence: str) -> dict[str, str]:
    figures = extract_figures(sentence)
    return {f.text: year for f, year in figure_years(sentence, figures).items()}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Total depreciation expense on property and equipment was $2.5 million, $2.6 "
            "million, and $2.4 million during fiscal 2019, 2018 and 2017, respectively.",
            {"$2.5 million": "2019", "$2.6 million": "2018", "$2.4 million": "2017"},
        ),
        (
            "The tax benefits realized for the years ended December 31, 2019, 2018 and 2017 "
            "were $131 million, $117 million and $180 million, respectively.",
            {"$131 million": "2019", "$117 million": "2018", "$180 million": "2017"},
        ),
        (
            "Depreciation expense was $12,548 and $12,643 for the years ended December 31, 2019 "
            "and 2018, respectively, of which $9,028 and $9,189, respectively, related to "
            "internal use software costs.",
            {"$12,548": "2019", "$12,643": "2018", "$9,028": "2019", "$9,189": "2018"},
        ),
        (
            "Peel has provided a guarantee, since its acquisition in 2011, of liabilities "
            "which at 31 December 2019 totalled £13.0 million (2018: £12.4 million).",
            {"£13.0 million": "2019", "£12.4 million": "2018"},
        ),
        (
            "The amount of deposits held as collateral at 31 December 2019 is £3.5 million "
            "(2018: £3.1 million).",
            {"£3.5 million": "2019", "£3.1 million": "2018"},
        ),
    ],
)
def test_each_amount_gets_the_year_the_sentence_pairs_it_with(
    sentence: str, expected: dict[str, str]
) -> None:
    assert years_by_text(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # No "respectively": the two amounts need not follow the years' order.
        "Revenue was $5.0 million and $4.2 million in 2019 and 2018.",
        # Three amounts, two years: no pairing.
        "Fees were $1 million, $2 million and $3 million in 2019 and 2018, respectively.",
        "Operating income increased $272 million in 2019.",
    ],
)
def test_no_pairing_is_guessed(sentence: str) -> None:
    assert years_by_text(sentence) == {}


def test_the_years_a_question_names_in_its_order() -> None:
    assert asked_years("What was the 2018 and 2019 revenue, fiscal 2018 first?") == [
        "2018",
        "2019",
    ]
    assert asked_years("What was revenue in 12,019 units?") == []


def test_a_year_list_may_repeat_fiscal() -> None:
    sentence = (
        "Balances are net of $25 million and $29 million of dividends received during fiscal "
        "2019 and fiscal 2018, respectively."
    )
    assert years_by_text(sentence) == {"$25 million": "2019", "$29 million": "2018"}
