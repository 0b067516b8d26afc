"""The sentence and span that answer a words question (qa/answer/spananswer.py), on passages
of the shipped release built by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answer.spananswer import SENTENCE_PASSAGES, best_sentence, span_answer
from qa.types import Passage

from .release_passages import CASH, CEO, CLUSTER, DOC, HEALTH, LINGANG, PATENTS, REVENUE
from .release_passages import passage as release_passage


@pytest.mark.parametrize(
    ("question", "anchors", "span"),
    [
        ("Who is the CEO?", [CEO, REVENUE], "Dr. Xu Li"),
        ("When did Shanghai Lingang AIDC launch?", [LINGANG, CLUSTER], "January 24, 2022"),
        ("When did Shanghai Lingang AIDC launch?", [CLUSTER, LINGANG], "January 24, 2022"),
    ],
)
def test_the_span_is_cut_from_the_sentence_that_repeats_the_question(
    question: str, anchors: list[str], span: str
) -> None:
    passages = [release_passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    found = span_answer(question, passages)
    assert found.span.text == span
    assert DOC[found.start : found.end] == span  # document offsets, for the UI to mark
    assert found.passage.start <= found.start < found.end <= found.passage.end


def test_figures_inside_the_span_ride_with_it() -> None:
    found = span_answer("When did Shanghai Lingang AIDC launch?", [release_passage(LINGANG, 0.8)])
    assert [f.text for f in found.figures] == ["January 24, 2022"]
    who = span_answer("Who is the CEO?", [release_passage(CEO, 0.8)])
    assert who.figures == ()


def test_best_sentence_returns_document_offsets_of_one_sentence() -> None:
    health = release_passage(HEALTH, 0.8)
    chosen, start, end = best_sentence("How many hospitals are served?", [health])
    assert chosen is health
    assert DOC[start:end].startswith("We are currently serving 75 hospitals")
    assert DOC[start:end].rstrip().endswith("over 1 million people.")


def test_only_the_first_passages_compete() -> None:
    question = "When did Shanghai Lingang AIDC launch?"
    fillers = [release_passage(a, 0.8) for a in (REVENUE, CASH, PATENTS)]
    fillers = fillers[: SENTENCE_PASSAGES - 1]
    answer = release_passage(LINGANG, 0.5)
    reached = span_answer(question, [*fillers, answer])
    beyond = span_answer(question, [*fillers, release_passage(PATENTS, 0.6), answer])
    assert reached.span.text == "January 24, 2022"
    assert beyond.passage.text != answer.text


def test_without_a_usable_sentence_the_top_passage_keeps_its_marked_sentence() -> None:
    run = "Revenue " + "and costs " * 80  # one sentence longer than a sentence can be
    long = Passage(run, 0.9, "doc", "Doc", "", 0, len(run), 0, 0, 7)
    assert best_sentence("What was revenue?", [long]) == (long, 0, 7)
    blank = replace(long, text="   ", end=3, sentence_end=3)
    assert best_sentence("What was revenue?", [blank]) == (blank, 0, 3)
