"""Figures computed from table cells (qa/answer/tablecompute.py, through
qa/answer/tableanswer.py) on real TAT-QA layouts: which cells are the operands, in which order,
and when the table's own change column is the answer."""

from __future__ import annotations

import pytest

from tests.tatqa_pages import ask_tables, dev_tables


@pytest.mark.parametrize(
    ("context", "question", "value", "operands"),
    [
        # The stated "Change · 2019 over 2018" column is not the change from 2017 to 2019.
        (77, "What is the net difference in sale of modules between 2017 and 2019?", 653718e3,
         ("$ 1,460,116", "$ 806,398")),
        # Operands are levels, never the "F18 · CHANGE" column beside them.
        (55, "What is the nominal difference in EBITDA between F19 and F18?", 11e6,
         ("372", "361")),
        # "The total X from 2017 to 2019": the Total row of a table whose caption names X.
        (111, "What is the total income from continuing operations between 2017 to 2019?",
         174.5e6, ("$45.5", "$62.9", "$66.1")),
        # The part takes the column the whole names ("unrealized gain": Gains).
        (64, "What percentage of the total unrealized gain is generated from U.S. government "
         "obligations in 2018?", 2.84, ("416", "$14,650")),
        # "X of more than 5 years in the total X": the part, then the total.
        (43, "What is the percentage of the operating leases of more than 5 years in the total "
         "operating leases?", 12.02, ("$11,825", "$98,389")),
        (46, "In 2019, what is the percentage constitution of prepaid expenses among the total "
         "prepaid expenses and other?", 92.27, ("$2,303", "$2,496")),
        (85, "What percentage of total non-marketable investments were accounted for using the "
         "equity method in 2019?", 82.05, ("8,000", "$9,750")),
        # An absolute percentage change of a rate is its change in points.
        (135, "What was the absolute percentage change in risk-free interest rate between 2018 "
         "and 2019?", 0.8, ("2.0%", "1.2%")),
        # "the change in the expected rate of salary increase": a change of that row.
        (122, "What is the change in expected rate of salary increase between 2018 and 2019?",
         0.0, ("2.5", "2.5")),
    ],
)  # fmt: skip
def test_operands_are_the_cells_the_question_names(
    context: int, question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = ask_tables(question, dev_tables(context))
    assert found is not None and found.figure is not None, found
    assert found.value == pytest.approx(value)
    assert sorted(cell.text.strip() for cell in found.cells) == sorted(operands)


def test_the_stated_change_answers_a_percentage_asked_by_its_verb() -> None:
    found = ask_tables(
        "What percentage did Sales increased by between F19 and F18?", dev_tables(109)
    )
    assert found is not None and found.value == pytest.approx(5.0)
    assert "as the table states it" in found.description


def test_a_label_that_holds_the_operation_word_is_read() -> None:
    found = ask_tables(
        "What was the Weighted-average fair value at grant date in 2020?", dev_tables(135)
    )
    assert found is not None and found.value == pytest.approx(35.66)


def test_a_total_across_all_years_and_a_movement_column_of_a_roll_forward() -> None:
    total = ask_tables(
        "What is the total unrecognized tax benefit - ending balance across all 3 years?",
        dev_tables(98),
    )
    assert total is not None and total.value == pytest.approx(24584e3)
    # "Dec 29, 2018 | Acquisitions | ... | Dec 28, 2019": acquisitions are 2019's.
    moved = ask_tables(
        "How much amount of goodwill acquisitions for Data Center Group was done in 2019?",
        dev_tables(13),
    )
    assert moved is not None and moved.value == pytest.approx(1758e6)
    balance = ask_tables("What was the goodwill of Data Center Group in 2019?", dev_tables(13))
    assert balance is not None and balance.value == pytest.approx(7155e6)
