"""The periods a question names (qa/text/askedperiods.py), on questions as TAT-QA's analysts
wrote them."""

from __future__ import annotations

import pytest

from qa.text.askedperiods import is_fine, period_order, previous_period, question_periods


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("What was the revenue in the fiscal 2019 third quarter?", ("3Q2019",)),
        (
            "What is the change in revenues between the second and first quarter in the fiscal "
            "year 2019?",
            ("2Q2019", "1Q2019"),
        ),
        (
            "How much is the Revenue in the first quarter of Fiscal 2018 as a percentage of the "
            "total revenue that year?",
            ("1Q2018",),
        ),
        ("What was net sales in Q2 2019 and Q2 2018?", ("2Q2019", "2Q2018")),
        (
            "What is the percentage increase in the high price from July 7, 2019 to September "
            "29, 2019?",
            ("as of July 7, 2019", "as of September 29, 2019"),
        ),
        ("What is the number of shares outstanding as of September 30, 2018?",
         ("as of September 30, 2018",)),
        ("What was the change in EBIT in 2018/2019 from 2017/2018?", ("2019", "2018")),
        ("What is the change from FY18 to FY19 in revenue?", ("2018", "2019")),
        ("What was the revenue in 2019?", ("2019",)),
        ("How many quarters had sales above $10 million?", ()),
    ],
)  # fmt: skip
def test_question_periods_as_fine_as_the_question_names_them(
    question: str, periods: tuple[str, ...]
) -> None:
    assert question_periods(question) == periods


def test_periods_order_in_time_and_step_back() -> None:
    ordered = sorted(["2019", "1Q2019", "as of July 7, 2019", "2018"], key=period_order)
    assert ordered == ["2018", "1Q2019", "as of July 7, 2019", "2019"]
    assert previous_period("1Q2019") == "4Q2018"
    assert previous_period("3Q2019") == "2Q2019"
    assert previous_period("2019") == "2018"
    assert previous_period("as of July 7, 2019") is None
    assert is_fine("3Q2019") and is_fine("as of July 7, 2019") and not is_fine("2019")
