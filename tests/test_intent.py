"""Question analysis on paraphrases: the kind of figure asked for, the counted noun, the
period named, and topic keywords that meet the release's wording."""

from __future__ import annotations

import pytest

from qa.text.intent import analyze, keywords, stem

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
    ("What is the proportion of trade receivables owed by the ten largest customers?", "percent"),
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
    ("By how many basis points did the overseas share rise?", "percent"),
    ("How much of the revenue came from outside China?", "percent"),
    ("How much did revenue per customer go up?", "percent"),
    ("How much did model output per engineer improve?", "percent"),
    ("How much higher than planned is the capacity?", "percent"),
    ("What was the jump in revenue per customer?", "percent"),
    ("How fast did the number of IoT devices grow?", "percent"),
    ("What slice of revenue did Smart Life account for?", "percent"),
    ("How many kinds of chips were adapted?", "count"),
    ("What's the size of their patent portfolio?", "count"),
    ("total patent count?", "count"),
    ("How much physical space did SenseMARS cover?", "area"),
    ("What area did the platform cover at the Olympics?", "area"),
    ("Computing power at Lingang when it opened?", "compute"),
    ("How popular is the open-source platform?", "measure"),
    ("rev?", "currency"),
    ("What is the market cap?", "currency"),
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
        ("How many phone models carry the algorithms?", "phone models"),
        ("How many Smart Auto customers were served?", "smart auto customers"),
        ("How many cities outside China run SenseFoundry?", "cities"),
        ("How many kinds of domestically made chips were adapted?", "chips"),
        ("How many of the SenseFoundry cities are megacities?", "megacities"),
        ("How many people work at SenseTime?", "employees"),
        ("What's the size of their patent portfolio?", "patent"),
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
        # a compact period token is a period whatever its year
        ("What was the revenue in 1H9999?", "1H9999"),
        ("What was revenue in H23001?", "2H3001"),
        ("What was revenue in Q41850?", "4Q1850"),
        ("What was revenue in FY2150?", "FY2150"),
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
        ("How much of revenue did overseas markets make up?", None),
        ("How much did the overseas share go up?", "change"),
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


@pytest.mark.parametrize(
    ("question", "entities"),
    [
        ("What was Smart Business revenue?", ("Smart Business",)),
        ("Smart Auto revenue growth?", ("Smart Auto",)),
        ("EPS for 1H2022?", ("EPS",)),
        ("How many hospitals use SenseCare?", ("SenseCare",)),
        ("Gross margin for the half?", ()),
        ("How much of the revenue came from abroad?", ()),  # a finance phrase
        ("Which segments bounced back by June?", ()),  # a month
    ],
)
def test_names_the_answer_must_mention(question: str, entities: tuple[str, ...]) -> None:
    assert analyze(question).entities == entities


def test_topics_group_a_finance_phrase_with_its_release_words() -> None:
    groups = analyze("How much money did they bring in during 1H2022?").topics
    assert groups == (frozenset({"bring", "revenu"}),)


def test_a_named_unit_titles_and_distinct_metrics_are_kept() -> None:
    assert analyze("By how many basis points did it rise?").unit_kind == "basis_points"
    assert analyze("Who is the chief technology officer?").titles == ("chief technology officer",)
    assert analyze("How many people work there?").named_metrics == ("employees",)
    assert analyze("What is the revenue forecast for next year?").period == "next year"


def test_stems_meet_across_inflection_and_spelling() -> None:
    assert stem("shipped") == stem("shipments") and stem("licences") == stem("licenses")


def test_question_words_and_the_company_are_not_topic() -> None:
    assert keywords("How many employees does the company have?") == (stem("employees"),)


def test_intent_is_frozen() -> None:
    intent = analyze("What was the gross margin?")
    with pytest.raises(AttributeError):
        intent.kind = "count"  # type: ignore[misc]
