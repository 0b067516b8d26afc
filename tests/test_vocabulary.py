"""The grammar of questions as tables (qa/text/vocabulary.py): the kind of figure a question
asks for (the first rule that matches decides), the unit it names, change words, job titles and
relative periods. Read through qa/text/intent.py in tests/test_intent.py; here the tables."""

from __future__ import annotations

import pytest

from qa.text.vocabulary import (
    CHANGE_RE,
    KIND_RULES,
    RELATIVE_PERIODS,
    TITLE_RE,
    UNIT_KINDS,
)


def kind_of(question: str) -> str | None:
    """The kind the first matching rule gives; "sentence" when none matches."""
    for pattern, kind in KIND_RULES:
        if pattern.search(question):
            return kind
    return "sentence"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who is the chief executive officer?", None),  # a name: a sentence answer
        ("When did the new plant open?", "date"),
        ("How long is the warranty?", "duration"),
        ("By how many basis points did the margin rise?", "percent"),  # a unit beats how many
        ("How many exaFLOPS does the cluster have?", "compute"),
        ("How much floor space does the campus cover?", "area"),
        ("What share of revenue came from overseas?", "percent"),
        ("How fast did the number of devices grow?", "percent"),  # a rate beats "number of"
        ("How many patents does the company hold?", "count"),
        ("What is the size of the customer base?", "count"),
        ("How powerful is the computing cluster?", "compute"),
        ("Where does the company rank in the market?", "rank"),
        ("What was the top line?", "currency"),
        ("How much was spent on R&D?", "currency"),
        ("How popular is the platform?", "measure"),
        ("Which segment is the largest?", "sentence"),
    ],
)
def test_the_first_matching_rule_names_the_kind_asked(question: str, kind: str | None) -> None:
    assert kind_of(question) == kind


@pytest.mark.parametrize(
    ("question", "unit"),
    [("By how many bps did it rise?", "basis_points"), ("up 3 ppt", "percentage_points"),
     ("What per cent was it?", "percent"), ("How many customers?", None)],
)  # fmt: skip
def test_a_unit_named_in_the_question_gives_the_figure_kind(
    question: str, unit: str | None
) -> None:
    found = next((kind for pattern, kind in UNIT_KINDS if pattern.search(question)), None)
    assert found == unit


@pytest.mark.parametrize(
    ("question", "change"),
    [("How much did revenue grow?", True), ("How much has it gone up?", True),
     ("Was it higher than last year?", True), ("How many new stores opened?", True),
     ("What was the revenue?", False), ("How many stores are there?", False)],
)  # fmt: skip
def test_change_words_mark_a_question_about_a_change(question: str, change: bool) -> None:
    assert bool(CHANGE_RE.search(question)) is change


@pytest.mark.parametrize(
    ("question", "title"),
    [("Who is the chief technology officer?", "chief technology officer"),
     ("Who is the CFO?", "CFO"), ("Who chairs the board as chairman?", "chairman"),
     ("Who founded it?", None)],
)  # fmt: skip
def test_job_titles_a_who_question_asks_about(question: str, title: str | None) -> None:
    found = TITLE_RE.search(question)
    assert (found.group(0) if found else None) == title


@pytest.mark.parametrize(
    ("question", "period"),
    [("What was revenue last year?", "last year"), ("and a year earlier?", "last year"),
     ("What is the forecast for this year?", "this year"),
     ("What is expected for the coming year?", "next year"), ("What was revenue?", None)],
)  # fmt: skip
def test_relative_periods_are_named(question: str, period: str | None) -> None:
    found = next((name for pattern, name in RELATIVE_PERIODS if pattern.search(question)), None)
    assert found == period
