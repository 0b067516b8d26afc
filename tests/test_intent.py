"""Question analysis on paraphrases: the kind of figure asked for, the counted noun, the
period named, and topic keywords that meet the release's wording."""

from __future__ import annotations

import pytest

from qa.intent import analyze, keywords, stem

KINDS = [
    ("What was the total revenue?", "currency"),
    ("How much money did they bring in?", "currency"),
    ("What's the top line?", "currency"),
    ("How much did they lose?", "currency"),
    ("How big is the war chest?", "currency"),
    ("How much cash does the company hold?", "currency"),
    ("What did SenseTime spend on R&D?", "currency"),
    ("What was the dividend per share?", "currency"),
    ("What was the gross margin?", "percent"),
    ("What percentage of sales came from abroad?", "percent"),
    ("What share of revenue did Smart Life contribute?", "percent"),
    ("How fast did Smart Auto revenue grow?", "percent"),
    ("By how much did overseas revenue share rise?", "percent"),
    ("How many patents do they own?", "count"),
    ("How many hospitals use SenseCare?", "count"),
    ("What is the number of IoT devices connected?", "count"),
    ("How powerful is the AI supercomputing cluster?", "compute"),
    ("What computing power did the Lingang AIDC launch with?", "compute"),
    ("When did Shanghai Lingang AIDC launch?", "date"),
    ("On what date were the results announced?", "date"),
    ("How long did the StarCraft model train?", "duration"),
    ("For how many years has SenseTime ranked first? How many years?", "duration"),
    ("Where does the base model rank in the world?", "rank"),
    ("How large an area did SenseMARS cover?", "area"),
    ("Who is the CEO?", None),
    ("Which car makers received smart cabin products?", None),
    ("What is SenseTime's stock code?", None),
    ("What reporting period do the results cover?", None),
]


@pytest.mark.parametrize(("question", "kind"), KINDS)
def test_kind_of_figure_asked_for(question: str, kind: str | None) -> None:
    assert analyze(question).kind == kind


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many patents do they own?", "patents"),
        ("How many employees does SenseTime have?", "employees"),
        ("How many hospitals use SenseCare?", "hospitals"),
        ("How many mobile phones have the algorithms pre-installed?", "mobile phones"),
        ("How many customers did Smart Auto serve?", "customers"),
    ],
)
def test_counted_noun(question: str, noun: str) -> None:
    assert analyze(question).noun == noun


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("What was revenue in 2019?", "2019"),
        ("What was revenue in 1H2022?", "1H2022"),
        ("What was revenue in the first half of 2022?", "1H2022"),
        ("What was the full year 2021 revenue contribution?", "FY2021"),
        ("What was revenue last year?", "last year"),
        ("How much cash did they have as of June 30, 2022?", "as of June 30, 2022"),
        ("What was the gross margin?", None),
    ],
)
def test_period_named_in_the_question(question: str, period: str | None) -> None:
    assert analyze(question).period == period


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("How fast did Smart Life revenue grow?", "change"),
        ("What was the revenue growth of Smart Auto?", "change"),
        ("How many patents were added?", "change"),
        ("What was the gross margin?", None),
        ("How many patents do they own?", None),
    ],
)
def test_change_or_level(question: str, role: str | None) -> None:
    assert analyze(question).role == role


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much money did they bring in?", "revenu"),
        ("What's the top line?", "revenu"),
        ("What percentage of sales came from abroad?", "overseas"),
        ("What was turnover?", "revenue"),
        ("How much did they lose?", "loss"),
        ("How big is the war chest?", "cash"),
        ("How much did they spend on research?", "r&d"),
    ],
)
def test_paraphrases_reach_the_release_wording(question: str, expected: str) -> None:
    assert stem(expected) in keywords(question)


def test_company_name_and_question_words_are_not_topic() -> None:
    assert keywords("How many employees does SenseTime have?") == (stem("employees"),)


def test_intent_is_frozen() -> None:
    intent = analyze("What was the gross margin?")
    with pytest.raises(AttributeError):
        intent.kind = "count"  # type: ignore[misc]
