"""Answers from tables (qa/answer/tableanswer.py, qa/answer/tablematch.py) on real TAT-QA reports,
parsed from their HTML the way the index parses them; the gold derivations are checked operand by
operand."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from qa.answer.tableanswer import table_answer
from qa.eval.tatqa import load_tatqa, render_html
from qa.ingest.loaders.webpage import html_to_document
from qa.text.question import parse_question
from qa.types import Table

DEV = Path(__file__).resolve().parent.parent / "eval" / "tatqa" / "tatqa_dataset_dev.json"


@cache
def tables(index: int) -> tuple[Table, ...]:
    context = load_tatqa(DEV, limit=index + 1)[index]
    return html_to_document(render_html(context))[2]


@pytest.mark.parametrize(
    ("context", "question", "value", "operands"),
    [
        (0, "What is the change in Other in 2019 from 2018?", -12.6e6, ("44.1", "56.7")),
        (0, "What is the percentage change in Other in 2019 from 2018?", -22.22, ("44.1", "56.7")),
        (0, "What is the amount of total sales in 2019?", 1496.5e6, ("$1,496.5",)),
        (3, "What is the 2019 average defined contribution schemes?", 172e6, ("166", "178")),
    ],
)
def test_cells_and_derivations_match_the_gold(
    context: int, question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = table_answer(parse_question(question), tables(context))
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(value)
    assert tuple(cell.text for cell in found.cells) == operands


def test_superlative_answers_with_the_year() -> None:
    found = table_answer(
        parse_question("In which year is the amount of total sales the largest?"), tables(0)
    )
    assert found is not None and found.value == "2019"


def test_a_period_the_table_does_not_report_is_refused_with_what_is_missing() -> None:
    found = table_answer(
        parse_question("What is the change in Other from 2015 to 2016?"), tables(0)
    )
    assert found is not None and found.value is None
    assert found.missing == "the table gives Other for 2019, 2018, 2017, not 2015, 2016"


def test_text_questions_are_left_to_the_text() -> None:
    assert (
        table_answer(
            parse_question("What is the company paid on a cost-plus type contract?"), tables(0)
        )
        is None
    )
    assert (
        table_answer(parse_question("How is industry end market information presented?"), tables(1))
        is None
    )


def test_ratio_of_two_rows_in_one_year() -> None:
    found = table_answer(
        parse_question("What is the ratio of IMFT’s total assets to total liabilities in 2019?"),
        tables(5),
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(2.93)
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "2,664 / 909"


def test_the_difference_between_two_averages_matches_the_gold_derivation() -> None:
    # Gold: [(166+178)/2] - [(57+44)/2] = 121.5 (million).
    found = table_answer(
        parse_question(
            "What is the difference between 2019 average defined contribution schemes and 2019 "
            "average defined benefit schemes?"
        ),
        tables(3),
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(121.5e6)
    assert sorted(cell.text for cell in found.cells) == ["166", "178", "44", "57"]
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "((166 + 178) / 2) − ((57 + 44) / 2)"


def test_a_decrease_is_the_earlier_value_less_the_later() -> None:
    found = table_answer(
        parse_question("How much did Other decrease by from 2018 to 2019?"), tables(0)
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(12.6e6)  # 56.7 - 44.1
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "56.7 − 44.1"
    change = table_answer(
        parse_question("How much did Other change by from 2018 to 2019?"), tables(0)
    )
    assert change is not None and change.value == pytest.approx(-12.6e6)
