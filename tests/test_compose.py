"""Answer composition from hand-built passages (no model): the figure that answers, the
sentence for questions without a number, and an honest "not stated"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answer.compose import NOT_STATED, compose_answer
from qa.figures.document import document_figures
from qa.index.lexical import rewrite_question
from qa.pipeline import QA
from qa.text.question import parse_question
from qa.types import Document, Passage
from tests.tatqa_pages import dev_tables

from .release_passages import (
    AAS,
    AUTO,
    CASH,
    CEO,
    CHIPS,
    CITIES,
    CLUSTER,
    CONTRIBUTION,
    DOC_ID,
    DOOR_LOCKS,
    GITHUB,
    GROWTH,
    HEALTH,
    HIGHLIGHTS,
    IOT,
    LIFE,
    LIFE_GROWTH,
    LINGANG,
    MARS,
    MODULES,
    OVERSEAS,
    PATENTS,
    PHONES,
    REVENUE,
    RND,
    passage,
)

FOUND = [
    ("What was the total revenue?", [REVENUE, CASH, GROWTH], "RMB1.42 billion"),
    ("How much money did they bring in?", [GROWTH, REVENUE, CASH], "RMB1.42 billion"),
    ("What's the top line?", [REVENUE, RND], "RMB1.42 billion"),
    ("What was the gross margin?", [REVENUE, GROWTH], "66%"),
    ("How much cash does the company hold?", [CASH, REVENUE], "RMB19.51 billion"),
    ("How big is the war chest?", [REVENUE, CASH], "RMB19.51 billion"),
    ("How much did they lose?", [CASH, REVENUE], "RMB3.21 billion"),
    ("What was the adjusted net loss?", [CASH], "RMB2.56 billion"),
    (
        "How much did SenseTime spend on research and development?",
        [RND, REVENUE],
        "RMB2.04 billion",
    ),
    ("How many patents does SenseTime have?", [PATENTS, RND], "12,502"),
    ("How many patents were added?", [PATENTS], "2,136 patents"),
    ("How many hospitals does SenseCare serve?", [HEALTH, LIFE], "75 hospitals"),
    ("How many customers did Smart Life serve?", [AUTO, LIFE], "183 customers"),
    ("What percentage of sales came from abroad?", [CONTRIBUTION, OVERSEAS], "19%"),
    ("How fast did Smart Life revenue grow?", [GROWTH, LIFE], "98%"),
    ("What was Smart Auto's revenue contribution in 2021?", [CONTRIBUTION], "4%"),
    ("How powerful is the AI supercomputing cluster?", [CLUSTER, LINGANG], "over 2.5 exaFLOPS"),
    ("When did Shanghai Lingang AIDC launch?", [LINGANG, CLUSTER], "January 24, 2022"),
    ("What was total revenue in 1H2022?", [REVENUE], "RMB1.42 billion"),
    # a unit named in the question beats "how many"
    (
        "By how many basis points did the overseas share rise?",
        [OVERSEAS],
        "approximately 760 basis points",
    ),
    # "how much of the X" asks a share; "make up" is not a change
    ("How much of the revenue came from outside China?", [OVERSEAS, REVENUE], "19%"),
    ("How much of total revenue did overseas markets make up?", [OVERSEAS], "19%"),
    # "how much did X go up / improve" asks a change, in percent
    ("How much did Smart Life revenue per customer go up?", [LIFE_GROWTH, GROWTH], "67%"),
    ("What was the jump in revenue per customer at Smart Life?", [LIFE_GROWTH], "67%"),
    # the counted noun ends at its verb ("phone models carry"); "kinds of X" counts X
    ("How many phone models carry SenseTime's algorithms?", [PHONES], "180 mobile phone models"),
    ("How many kinds of domestically made chips were adapted?", [CHIPS], "Five types"),
    ("How many of the SenseFoundry cities are megacities?", [CITIES], "16"),
    ("What's the size of their patent portfolio?", [PATENTS], "12,502"),
    ("total patent count?", [PATENTS], "12,502"),
    ("How many clients did Smart Life serve?", [LIFE], "183 customers"),
    # a generic unit ("1 million units") counts what its sentence is about
    ("How many door lock modules have shipped?", [DOOR_LOCKS, MODULES], "nearly 1 million units"),
    ("How much physical space did SenseMARS cover?", [MARS], "10 million square meters"),
    ("How popular is the open-source platform on GitHub?", [GITHUB], "more than 60,000 stars"),
    # "its capacity is expected": the previous sentence names the AIDC
    ("What is the expected capacity of Lingang AIDC?", [LINGANG, AAS], "5 exaFLOPS"),
    ("How fast did the number of IoT devices grow?", [IOT], "26%"),
]


@pytest.mark.parametrize(("question", "anchors", "text"), FOUND)
def test_the_figure_that_answers_comes_first(question: str, anchors: list[str], text: str) -> None:
    passages = [passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    answer = compose_answer(
        parse_question(rewrite_question(question)), passages
    )  # as the pipeline does
    assert answer.found, answer.answer
    assert answer.figure is not None and answer.figure.text == text
    assert answer.answer.startswith(text)


def test_answer_text_names_metric_and_period_and_cites_the_section() -> None:
    answer = compose_answer(parse_question("What was the total revenue?"), [passage(REVENUE, 0.9)])
    assert answer.answer == "RMB1.42 billion — total revenue, 1H2022"
    assert answer.citation == f"{DOC_ID} · {HIGHLIGHTS}"
    assert answer.sentence.startswith("● The Company's total revenue")
    assert answer.to_dict()["figure"]["value"] == 1_420_000_000


NOT_FOUND = [
    ("How many employees does SenseTime have?", [PATENTS, REVENUE, AUTO], "employees"),
    ("What was revenue in 2019?", [REVENUE, GROWTH], "1H2022, not 2019"),
    ("What was the dividend per share?", [REVENUE, CASH], ""),
    ("What was the full-year 2022 revenue?", [REVENUE], "not FY2022"),
    # a name the question mentions must be in the figure's passage
    ("What was Smart Business revenue?", [REVENUE, GROWTH], "no such amount"),
    # a figure answering a revenue question must be about revenue
    ("What was Smart City revenue growth?", [IOT, CONTRIBUTION], ""),
    ("How many people work at SenseTime?", [CITIES, HEALTH], "employees"),
    ("Who is the chief technology officer?", [CEO, REVENUE], "chief technology officer"),
    ("What is the revenue forecast for next year?", [REVENUE], "forecast"),
    ("How much net cash from operating activities?", [CASH, REVENUE], "operating activities"),
    ("What is SenseTime's market cap?", [REVENUE, CASH], "market cap"),
    ("What was revenue next year?", [REVENUE], "not 2023"),
]


@pytest.mark.parametrize(("question", "anchors", "reason"), NOT_FOUND)
def test_not_stated_keeps_the_passages(question: str, anchors: list[str], reason: str) -> None:
    passages = [passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    answer = compose_answer(parse_question(question), passages)
    assert not answer.found
    assert answer.figure is None
    assert answer.answer.startswith(NOT_STATED) and reason in answer.answer
    assert len(answer.passages) == len(passages)


def test_a_period_of_an_unknown_year_is_not_answered_with_another() -> None:
    answer = compose_answer(
        parse_question("What was the revenue in 1H9999?"), [passage(REVENUE, 0.9)]
    )
    assert not answer.found and "not 1H9999" in answer.answer


@pytest.mark.parametrize("question", ["-1", "2022", "1.", "How much?", "What was it in 1H2022?"])
def test_a_question_without_content_words_is_not_stated(question: str) -> None:
    answer = compose_answer(
        parse_question(question), [passage(PATENTS, 0.9), passage(REVENUE, 0.8)]
    )
    assert not answer.found and answer.figure is None
    assert "names nothing to look for" in answer.answer


def test_low_retrieval_score_is_not_stated() -> None:
    answer = compose_answer(
        parse_question("What was the total revenue?"), [passage(REVENUE, 0.1)], threshold=0.35
    )
    assert not answer.found and answer.passages


def test_just_under_the_threshold_a_figure_naming_every_asked_word_answers() -> None:
    answer = compose_answer(
        parse_question("How much money did they bring in?"), [passage(REVENUE, 0.3)], threshold=0.35
    )
    assert answer.found and answer.figure is not None and answer.figure.text == "RMB1.42 billion"


def test_just_under_the_threshold_partial_coverage_is_not_stated() -> None:
    figure_question = compose_answer(
        parse_question("How much did the robot division earn?"),
        [passage(REVENUE, 0.3)],
        threshold=0.35,
    )
    sentence_question = compose_answer(
        parse_question("What is the weather in Hong Kong?"), [passage(CEO, 0.3)], threshold=0.35
    )
    assert not figure_question.found and not sentence_question.found


def test_no_passages_is_not_stated() -> None:
    answer = compose_answer(parse_question("What was the total revenue?"), [])
    assert not answer.found and answer.answer.startswith(NOT_STATED)


def test_a_question_without_a_number_gets_the_span_of_the_best_sentence() -> None:
    ceo = passage(CEO, 0.7, section="")
    answer = compose_answer(parse_question("Who is the CEO?"), [ceo, passage(REVENUE, 0.5)])
    assert answer.found
    assert answer.answer == answer.value == "Dr. Xu Li"
    assert answer.sentence.startswith("Dr. Xu Li, Executive Chairman")
    assert answer.figures == ()
    assert answer.citation == DOC_ID


def test_baseline_without_figures_answers_with_the_sentence() -> None:
    answer = compose_answer(
        parse_question("What was the gross margin?"), [passage(REVENUE, 0.9)], use_figures=False
    )
    assert answer.found and answer.answer == REVENUE and answer.figures == ()
    low = compose_answer(
        parse_question("What was the gross margin?"), [passage(REVENUE, 0.1)], use_figures=False
    )
    assert not low.found


def test_compose_does_not_mutate_its_input() -> None:
    passages = [passage(REVENUE, 0.9)]
    before = list(passages)
    compose_answer(parse_question("What was the total revenue?"), passages)
    assert passages == before


# --- end to end with the real model, on questions in our own words ----------------------------

REAL_FOUND = [
    ("What revenue did the company report for the half?", 1.42e9),
    ("What gross margin did they achieve?", 66.0),
    ("How much cash does the company have?", 1.951e10),
    ("How many patents does SenseTime hold?", 12502.0),
    ("How many hospitals use SenseTime's medical platform?", 75.0),
    ("How much did the overseas share of revenue go up, in basis points?", 760.0),
]


@pytest.mark.model
@pytest.mark.parametrize(("question", "value"), REAL_FOUND)
def test_real_model_top_figure_answers(real_qa: QA, question: str, value: float) -> None:
    answer = real_qa.ask(question)
    assert answer.found, answer.answer
    assert answer.figure is not None and answer.figure.value == pytest.approx(value)


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "How many employees does SenseTime have?",
        "What was revenue in 2019?",
        "What was Smart Business revenue?",
        "Who is the chief financial officer?",
    ],
)
def test_real_model_says_not_stated(real_qa: QA, question: str) -> None:
    answer = real_qa.ask(question)
    assert not answer.found and answer.passages


def test_a_citation_names_the_page_of_a_pdf_passage() -> None:
    revenue = replace(passage(REVENUE, 0.9), page=3)
    answer = compose_answer(parse_question("What was the total revenue?"), [revenue])
    assert answer.citation == f"{DOC_ID} · {HIGHLIGHTS} · p. 3"
    not_stated = compose_answer(parse_question("What was revenue in 2019?"), [revenue])
    assert not_stated.citation.endswith("· p. 3")


def test_a_table_figure_is_described_with_its_tables_unit_and_scale() -> None:
    text = "Key figures (RMB million)\nRevenue | 1H2022 | 1,420.5\nGross profit | 1H2022 | 937.6\n"
    document = Document("doc", "cobalt.pdf", "Cobalt Results", text, (0,))
    figures = tuple(document_figures(document))
    start = text.index("Revenue")
    table = Passage(
        text=text[start:],
        score=0.9,
        doc="cobalt.pdf",
        doc_title="Cobalt Results",
        section="Key figures",
        start=start,
        end=len(text),
        chunk_id=0,
        sentence_start=start,
        sentence_end=text.index("\n", start),
        figures=figures,
        page=1,
    )
    answer = compose_answer(parse_question("What was the revenue in 1H2022?"), [table])
    assert answer.figure is not None and answer.figure.text == "1,420.5"
    assert answer.figure.value == pytest.approx(1.4205e9)
    assert answer.answer == "RMB1,420.5 million — revenue, 1H2022"
    assert answer.citation == "Cobalt Results · Key figures · p. 1"


@pytest.mark.parametrize(
    ("question", "anchors", "score", "reason"),
    [
        ("What was the dividend per share?", [REVENUE, CASH], 0.8, "not_mentioned"),
        ("What was revenue in 2019?", [REVENUE, GROWTH], 0.8, "other_period"),
        ("What was Smart Business revenue?", [REVENUE, GROWTH], 0.8, "no_such_figure"),
        ("How much did R&D expenditure grow?", [RND], 0.8, "other_figure"),
        ("How much?", [PATENTS], 0.9, "nothing_asked"),
        ("What was the total revenue?", [REVENUE], 0.1, "no_match"),
    ],
)
def test_a_not_stated_answer_says_why_as_a_reason(
    question: str, anchors: list[str], score: float, reason: str
) -> None:
    answer = compose_answer(
        parse_question(question), [passage(a, score - 0.1 * i) for i, a in enumerate(anchors)]
    )
    assert (answer.found, answer.reason, answer.sentence) == (False, reason, "")
    assert answer.to_dict()["reason"] == reason


def test_a_found_answer_has_no_reason_and_gives_its_sentence() -> None:
    answer = compose_answer(parse_question("What was the total revenue?"), [passage(REVENUE, 0.9)])
    assert answer.found and answer.reason is None
    assert (
        answer.to_dict()["sentence"]
        == answer.sentence
        == ("● The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%.")
    )


def test_which_names_are_not_answered_by_a_table_amount() -> None:
    text = (
        "The Group operates defined benefit schemes in Germany, Ghana, India, Ireland, Italy, "
        "the UK, the United States and the Group operates defined benefit indemnity plans in "
        "Greece and Turkey."
    )
    prose = Passage(text, 0.9, "r", "Report", "", 0, len(text), 0, 0, len(text))
    question = parse_question("Which countries does the group operate defined benefit schemes in?")
    answer = compose_answer(question, [prose], tables=dev_tables(3))  # a table row says "57"
    assert isinstance(answer.value, tuple)
    assert answer.value[:2] == ("Germany", "Ghana")
