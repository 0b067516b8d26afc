"""One table of which figure kinds answer what a question asks, read by retrieval's figure
bonus and by the answer's candidates alike."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answer.candidates import rank_figures
from qa.retrieval import figure_match
from qa.text import kinds
from qa.text.intent import Intent
from qa.text.kinds import ANSWERING_KINDS, COUNT, MEASURE, PERCENT_KINDS, RANK, answering_kinds
from qa.text.question import parse_question
from qa.types import Figure, Passage

FIGURE_KINDS = (
    kinds.CURRENCY, kinds.PERCENT, kinds.PERCENTAGE_POINTS, kinds.BASIS_POINTS, kinds.COUNT,
    kinds.MULTIPLIER, kinds.COMPUTE, kinds.AREA, kinds.DATE, kinds.DURATION, kinds.RANK,
    kinds.RATIO,
)  # fmt: skip
TEXT = "Stars on the platform reached 60,000 in the period."


def _figure(kind: str) -> Figure:
    start = TEXT.index("60,000")
    return Figure("60,000", 60000.0, "", kind, start, start + 6, metric="platform stars")


def _passage(figure: Figure) -> Passage:
    return Passage(TEXT, 0.9, "d", "D", "S", 0, len(TEXT), 0, 0, len(TEXT), figures=(figure,))


def _retrieval_accepts(asked: str, kind: str) -> bool:
    question = parse_question("How many platform stars?")
    question = replace(question, intent=Intent(question.text, asked))
    return figure_match(question, [_figure(kind)]) > 0


def _answer_accepts(asked: str, kind: str) -> bool:
    intent = Intent("How many platform stars?", asked)
    return bool(rank_figures(intent, [_passage(_figure(kind))]))


@pytest.mark.parametrize("asked", sorted(ANSWERING_KINDS))
def test_retrieval_and_answers_accept_the_same_figure_kinds(asked: str) -> None:
    for kind in FIGURE_KINDS:
        expected = kind in answering_kinds(asked)
        assert _retrieval_accepts(asked, kind) == expected, (asked, kind)
        assert _answer_accepts(asked, kind) == expected, (asked, kind)


def test_both_read_the_table_when_it_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kinds, "ANSWERING_KINDS", {COUNT: frozenset({RANK})})
    assert _retrieval_accepts(COUNT, RANK) and _answer_accepts(COUNT, RANK)
    assert not _retrieval_accepts(COUNT, COUNT) and not _answer_accepts(COUNT, COUNT)


def test_a_how_popular_question_gets_the_figure_bonus() -> None:
    # Retrieval once looked up "measure" as a figure kind of its own and found none.
    question = parse_question("How popular is the open-source platform on GitHub?")
    assert question.intent.kind == MEASURE
    assert figure_match(question, [_figure(COUNT)]) > 0


def test_percent_questions_accept_points_and_a_words_question_accepts_nothing() -> None:
    assert answering_kinds(kinds.PERCENT) == PERCENT_KINDS
    assert answering_kinds(None) == frozenset()
