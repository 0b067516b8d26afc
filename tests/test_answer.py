"""Answer composition from hand-built passages (no model): the figure that answers, the
sentence for questions without a number, and an honest "not stated"."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answer import NOT_STATED, compose_answer
from qa.figures import extract_figures
from qa.types import Passage

DOC_ID = "sensetime-2022-interim-results"
DOC = (Path(__file__).resolve().parents[1] / "corpus" / f"{DOC_ID}.txt").read_text("utf-8")
FIGURES = extract_figures(DOC, DOC_ID)
HIGHLIGHTS = "Business highlights in 1H2022"


def passage(anchor: str, score: float, section: str = HIGHLIGHTS) -> Passage:
    """The release line holding `anchor`, as retrieval would return it: its figures attached
    (document offsets) and `anchor` marked as the best sentence."""
    at = DOC.index(anchor)
    start = DOC.rfind("\n", 0, at) + 1
    end = DOC.find("\n", at)
    return Passage(
        text=DOC[start:end],
        score=score,
        doc=DOC_ID,
        doc_title=DOC_ID,
        section=section,
        start=start,
        end=end,
        chunk_id=start,
        sentence_start=at,
        sentence_end=at + len(anchor),
        figures=tuple(f for f in FIGURES if start <= f.start and f.end <= end),
    )


REVENUE = "The Company's total revenue was RMB1.42 billion"
GROWTH = "The revenue of Smart Life increased by 98%"
CONTRIBUTION = "Revenue contribution of Smart Life and Smart Auto accounted for"
OVERSEAS = "Overseas markets contributed 19% of the revenue"
RND = "R&D expenditure reached RMB2.04 billion"
PATENTS = "the Company added 2,136 patents"
CASH = "Total cash reserve held by the Company was RMB19.51 billion"
CLUSTER = "SenseTime has launched one of the world's leading AI supercomputing clusters"
LINGANG = "Shanghai Lingang AIDC officially launched on January 24, 2022"
AUTO = "Smart Auto segment served 20 customers"
LIFE = "Smart Life segment served 183 customers"
HEALTH = "We are currently serving 75 hospitals"
CEO = "Dr. Xu Li, Executive Chairman of the Board and Chief Executive Officer of SenseTime"

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
]


@pytest.mark.parametrize(("question", "anchors", "text"), FOUND)
def test_the_figure_that_answers_comes_first(question: str, anchors: list[str], text: str) -> None:
    passages = [passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    answer = compose_answer(question, passages)
    assert answer.found, answer.answer
    assert answer.figure is not None and answer.figure.text == text
    assert answer.answer.startswith(text)


def test_answer_text_names_metric_and_period_and_cites_the_section() -> None:
    answer = compose_answer("What was the total revenue?", [passage(REVENUE, 0.9)])
    assert answer.answer == "RMB1.42 billion — total revenue, 1H2022"
    assert answer.citation == f"{DOC_ID} · {HIGHLIGHTS}"
    assert dict(answer.extra)["sentence"].startswith("● The Company's total revenue")
    assert answer.to_dict()["figure"]["value"] == 1_420_000_000


NOT_FOUND = [
    ("How many employees does SenseTime have?", [PATENTS, REVENUE, AUTO], "employees"),
    ("What was revenue in 2019?", [REVENUE, GROWTH], "1H2022, not 2019"),
    ("What was the dividend per share?", [REVENUE, CASH], ""),
    ("What was the full-year 2022 revenue?", [REVENUE], "not FY2022"),
]


@pytest.mark.parametrize(("question", "anchors", "reason"), NOT_FOUND)
def test_not_stated_keeps_the_passages(question: str, anchors: list[str], reason: str) -> None:
    passages = [passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    answer = compose_answer(question, passages)
    assert not answer.found
    assert answer.figure is None
    assert answer.answer.startswith(NOT_STATED) and reason in answer.answer
    assert len(answer.passages) == len(passages)


def test_low_retrieval_score_is_not_stated() -> None:
    answer = compose_answer("What was the total revenue?", [passage(REVENUE, 0.2)], threshold=0.35)
    assert not answer.found and answer.passages


def test_no_passages_is_not_stated() -> None:
    answer = compose_answer("What was the total revenue?", [])
    assert not answer.found and answer.answer.startswith(NOT_STATED)


def test_a_question_without_a_number_gets_the_best_sentence() -> None:
    ceo = passage(CEO, 0.7, section="")
    answer = compose_answer("Who is the CEO?", [ceo, passage(REVENUE, 0.5)])
    assert answer.found
    assert answer.answer.startswith("Dr. Xu Li, Executive Chairman")
    assert answer.figures == ()
    assert answer.citation == DOC_ID


def test_baseline_without_figures_answers_with_the_sentence() -> None:
    answer = compose_answer(
        "What was the gross margin?", [passage(REVENUE, 0.9)], use_figures=False
    )
    assert answer.found and answer.answer == REVENUE and answer.figures == ()
    low = compose_answer("What was the gross margin?", [passage(REVENUE, 0.1)], use_figures=False)
    assert not low.found


def test_compose_does_not_mutate_its_input() -> None:
    passages = [passage(REVENUE, 0.9)]
    before = list(passages)
    compose_answer("What was the total revenue?", passages)
    assert passages == before
