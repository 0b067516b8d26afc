"""Noun phrases around a figure (qa/figures/phrases.py), the words a figure's metric and counted
noun are read from: on sentences of the shipped release and of reports like it."""

from __future__ import annotations

import pytest

from qa.figures.phrases import (
    backward_np,
    forward_np,
    forward_np_span,
    number_of,
    subject,
    tidy,
    word_before,
)


@pytest.mark.parametrize(
    ("text", "before", "phrase"),
    [
        ("Our gross profit margin was 66%", " was", "gross profit margin"),
        ("Net loss of RMB3.21 billion", " of", "Net loss"),
        ("the Company's cash of RMB19.51 billion", " of", "cash"),  # stops at a possessive
        ("one of the world's leading AI supercomputing clusters of", " of",
         "AI supercomputing clusters"),  # praise words dropped from the front
        ("rapidly growing revenue of 98%", " of", "revenue"),  # stops at a verb
        ("the clusters, with 5 exaFLOPS", " with", ""),  # punctuation in between: no phrase
    ],
)  # fmt: skip
def test_backward_np_is_the_phrase_right_before_a_position(
    text: str, before: str, phrase: str
) -> None:
    assert backward_np(text, 0, text.rindex(before)) == phrase


@pytest.mark.parametrize(
    ("text", "start", "phrase"),
    [
        ("served 20 customers during the period", "customers", "customers"),
        ("covering 6 clinical disciplines such as circulatory", "clinical", "clinical disciplines"),
        ("75 hospitals and have served", "hospitals", "hospitals"),
        ("5 AI sensors with superior functions", "AI", "AI sensors"),
    ],
)
def test_forward_np_is_the_counted_noun_after_a_number(text: str, start: str, phrase: str) -> None:
    assert forward_np(text, text.index(start), len(text)) == phrase


def test_forward_np_span_keeps_one_of_continuation_and_its_end() -> None:
    text = "nearly 1 million units of door lock modules shipped"
    phrase, end = forward_np_span(text, text.index("units"), len(text), of=True)
    assert phrase == "units of door lock modules" and text[:end].endswith("modules")
    assert forward_np_span(text, text.index("units"), len(text)) == ("units", text.index(" of"))


@pytest.mark.parametrize(
    ("phrase", "tidied"),
    [
        ("● The Company's total revenue", "total revenue"),
        ("Total cash reserve held by the Company", "total cash reserve"),
        ("The robots shipped by the Company", "robots"),
        ("and revenue", "revenue"),
        ("Revenue per customer further", "revenue per customer"),
        ("Smart Auto segment", "Smart Auto segment"),  # a name keeps its capitals
        ("SenseCore AI infrastructure", "SenseCore AI infrastructure"),
    ],
)
def test_tidy_drops_what_is_not_the_metric(phrase: str, tidied: str) -> None:
    assert tidy(phrase) == tidied


@pytest.mark.parametrize(
    ("clause", "found"),
    [
        ("the accumulated investment in R&D has exceeded RMB10 billion",
         "accumulated investment in R&D"),
        ("Total cash reserve held by the Company was RMB19.51 billion", "total cash reserve"),
        ("R&D expenditure reached RMB2.04 billion", "R&D expenditure"),
        ("It reached 20 customers", ""),  # a pronoun is no subject
        ("Among the 155 cities that deployed it", ""),  # no verb before the figure
    ],
)  # fmt: skip
def test_subject_is_the_words_before_the_clauses_first_verb(clause: str, found: str) -> None:
    pos = next(i for i, ch in enumerate(clause) if ch.isdigit())
    assert subject(clause, 0, pos) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bringing the total number of patents to 12,502", ("total number of patents", "patents")),
        ("the number of IoT devices connected rose 26%", ("number of IoT devices", "IoT devices")),
        ("a number of 5 stores", None),  # nothing counted between "of" and the figure
        ("revenue rose 5%", None),
    ],
)
def test_number_of_reads_what_is_counted(text: str, found: tuple[str, str] | None) -> None:
    pos = next(i for i, ch in enumerate(text) if ch.isdigit())
    assert number_of(text, 0, pos) == found


def test_word_before_is_the_adjacent_word_only() -> None:
    text = "margin improved by 3.1 pp"
    assert word_before(text, 0, text.index("3.1")) == "by"  # spaces between are allowed
    assert word_before("Revenue rose, 5%", 0, 14) == ""  # punctuation in between
    assert word_before("up 5%", 0, 3) == "up"
