"""Lists and counts read from tables (qa/answer/tablelists.py), on a small report parsed the way the
index parses HTML."""

from __future__ import annotations

import pytest

from qa.answer.tablelists import list_answer, parse_bound
from qa.text.question import parse_question
from tests.table_samples import segment_tables

tables = segment_tables


def test_list_answer_hands_respective_values_and_rankings_to_the_picks() -> None:
    # The picks themselves are tests/test_tablepicks.py; here, that list_answer reaches them.
    respective = parse_question("What were Industrial Solutions in 2017 and 2019 respectively?")
    found = list_answer(respective, tables())
    assert found is not None and found.value == ("3,507", "4,003")
    ranked = list_answer(
        parse_question("Which segment had the highest net sales in 2018?"), tables()
    )
    assert ranked is not None and ranked.value == "Transportation Solutions"


def test_years_a_row_covers_and_the_years_of_the_table() -> None:
    found = list_answer(
        parse_question("In which years was Industrial Solutions calculated?"), tables()
    )
    assert found is not None and found.value == ("2019", "2018", "2017")
    found = list_answer(parse_question("Which years does the table show?"), tables())
    assert found is not None and found.value == ("2019", "2018", "2017")


def test_years_passing_a_bound_and_how_many() -> None:
    found = list_answer(
        parse_question("In which year was Communications Solutions more than 1,400?"), tables()
    )
    assert found is not None and found.value == ("2018",)
    found = list_answer(
        parse_question("How many years did Industrial Solutions exceed $3,800 million?"), tables()
    )
    assert found is not None and found.value == 2.0


def test_members_of_a_group_and_their_count() -> None:
    found = list_answer(parse_question("What are the components of net sales?"), tables())
    assert found is not None
    assert found.value == (
        "Transportation Solutions", "Industrial Solutions", "Communications Solutions"
    )  # fmt: skip
    count = list_answer(parse_question("How many segments of net sales are there?"), tables())
    assert count is not None and count.value == 3.0


@pytest.mark.parametrize(
    ("question", "above", "value", "scaled"),
    [
        ("How many years did net income exceed $30,000 thousand?", True, 30_000_000.0, True),
        ("In which year was X below 1.5 million?", False, 1_500_000.0, True),
        ("Which years were above 12%?", True, 12.0, False),
    ],
)
def test_bounds(question: str, above: bool, value: float, scaled: bool) -> None:
    bound = parse_bound(question)
    assert bound is not None
    assert (bound.above, bound.value, bound.scaled) == (above, value, scaled)


def test_how_many_rows_pass_a_bound_in_a_year() -> None:
    found = list_answer(
        parse_question("How many segments in 2018 were above $2,000 million?"), tables()
    )
    assert found is not None and found.value == 2.0


def test_a_bound_with_a_scale_meets_a_table_whose_scale_is_unknown() -> None:
    from qa.answer.tablelists import Bound
    from qa.types import Figure

    unscaled = Figure("16,000", 16000.0, "", "count", 0, 6)
    scaled = Figure("16,000", 16e6, "USD", "currency", 0, 6, scale="thousand")
    bound = Bound(True, 15e6, True, 1e3)
    assert bound.holds(unscaled) and bound.holds(scaled)


@pytest.mark.parametrize(
    ("context", "question", "value"),
    [
        # Counted within the group the question names ("Deferred tax assets:"), not the table.
        (88, "How many components of deferred tax assets exceeded $50,000 thousand in 2019?",
         3.0),
        # Listed rows leave out a subtotal without a label and a roll-forward's closing balance.
        (128, "What are the regions in the table to which the carrying amount of goodwill had "
         "been allocated to before recognition of impairment losses?",
         ("Americas", "EMEA", "APJ")),
        (61, "What are the components factored in the calculation of investments in "
         "subsidiaries at end of the period?", ("At beginning of the period", "Additions")),
        # "Which of the years" lists years; a "% of total revenue" column is not the amount.
        (98, "Which of the years had unrecognized tax benefit - ending balance of greater than "
         "$8,200 thousand?", ("2019", "2018")),
        (49, "What was the License and subscription revenue in 2019 and 2018 respectively?",
         ("$ 64,798", "$ 35,452")),
    ],
)  # fmt: skip
def test_lists_and_counts_on_real_layouts(
    context: int, question: str, value: float | tuple[str, ...]
) -> None:
    from tests.tatqa_pages import ask_tables, dev_tables

    found = ask_tables(question, dev_tables(context))
    assert found is not None and found.value == value
