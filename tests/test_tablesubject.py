"""A question about a table itself, answered by the sentence that introduces the table
(qa/answer/tablesubject.py)."""

from __future__ import annotations

import pytest

from qa.answer.compose import compose_answer
from qa.answer.tablesubject import asks_table_subject, table_subject
from qa.text.question import parse_question
from qa.types import Passage


def passage(text: str, score: float = 0.3, start: int = 0) -> Passage:
    return Passage(text, score, "r", "Report", "", start, start + len(text), 0, start,
                   start + len(text))  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        (
            "The following table sets forth, for the periods indicated, certain data derived "
            "from our Consolidated Statements of Operations (in thousands):",
            "for the periods indicated, certain data derived from our Consolidated Statements "
            "of Operations",
        ),
        (
            "The following table shows assets allocated by reportable segment.",
            "assets allocated by reportable segment",
        ),
        (
            "Aggregate emoluments of the Directors of the Company were as follows:",
            "Aggregate emoluments of the Directors of the Company",
        ),
        (
            "The table below summarizes the activity in the allowance for doubtful accounts:",
            "the activity in the allowance for doubtful accounts",
        ),
    ],
)
def test_the_introducing_sentence_says_what_the_table_shows(sentence: str, shown: str) -> None:
    found = table_subject(parse_question("What does the table show?"), [passage(sentence)])
    assert found is not None
    assert found.span.value == shown
    assert sentence[found.start : found.end] == shown


def test_the_first_introducing_sentence_of_the_document_answers() -> None:
    later = passage("The following table shows the revenue by region.", 0.9, start=500)
    first = passage("Revenue grew. The following table shows the revenue by product line:", 0.2)
    found = table_subject(parse_question("What does the table represent?"), [later, first])
    assert found is not None
    assert found.span.value == "the revenue by product line"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does the table show?", True),
        ("What information does the table present?", True),
        ("What is shown in the table?", True),
        ("What do Other items in the table represent?", False),
        ("What does the company's revenue include?", False),
    ],
)
def test_only_a_question_about_the_table_itself_is_one(question: str, asks: bool) -> None:
    assert asks_table_subject(question) is asks


def test_a_table_question_is_answered_under_the_evidence_threshold() -> None:
    text = "The following table sets forth the components of other income, net:"
    answer = compose_answer(parse_question("What does the table show?"), [passage(text, score=0.1)])
    assert answer.found, answer.answer
    assert answer.value == "the components of other income, net"


def test_no_introducing_sentence_gives_none() -> None:
    assert (
        table_subject(parse_question("What does the table show?"), [passage("Revenue grew by 5%.")])
        is None
    )
