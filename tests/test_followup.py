"""qa/web/followup.py: elliptical follow-ups borrow the previous question's frame; full questions
stand alone."""

from __future__ import annotations

import pytest

from qa.web.followup import contextualize, frame, is_complete

REVENUE = "What was the total revenue?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Elliptical follow-ups: the fragment replaces the subject of the previous question.
        ("And the net loss?", "What was the net loss?"),
        ("and the net loss", "What was the net loss?"),
        ("What about the gross profit margin?", "What was the gross profit margin?"),
        ("How about R&D expenditure?", "What was R&D expenditure?"),
        ("And what about adjusted net loss?", "What was adjusted net loss?"),
        ("Also, total cash reserve?", "What was total cash reserve?"),
        ("net loss?", "What was net loss?"),
        ("Adjusted net loss", "What was Adjusted net loss?"),
        # Prepositional fragments narrow the previous question instead.
        ("And in 2021?", "What was the total revenue in 2021?"),
        ("What about for Smart Auto?", "What was the total revenue for Smart Auto?"),
        # An opener followed by a full question: the full question is asked.
        ("And what was the net loss?", "What was the net loss?"),
        ("And how much did Smart Life revenue grow?", "How much did Smart Life revenue grow?"),
        # Full questions stand alone.
        ("What was the gross margin?", "What was the gross margin?"),
        ("How many patents did the Company add?", "How many patents did the Company add?"),
        ("Net loss was how much?", "Net loss was how much?"),
        (
            "Overseas markets revenue contribution in the first half",
            "Overseas markets revenue contribution in the first half",
        ),
        # Nothing left after the opener: ask the previous question again.
        ("And?", "What was the total revenue?"),
    ],
)
def test_follow_up_after_a_revenue_question(question: str, expected: str) -> None:
    assert contextualize(question, [REVENUE]) == expected


def test_without_history_every_question_stands_alone() -> None:
    assert contextualize("And the net loss?", []) == "And the net loss?"


def test_the_most_recent_question_is_the_context() -> None:
    history = ["How many patents were added?", REVENUE]
    assert contextualize("And the net loss?", history) == "What was the net loss?"


def test_frame_keeps_the_question_words_up_to_the_auxiliary() -> None:
    assert frame("How much did Smart Life revenue grow") == "How much did"
    assert frame("Tell me the revenue") == "What was"
    assert (
        contextualize("And Smart Auto?", ["How much did Smart Life revenue grow?"])
        == "How much did Smart Auto?"
    )


def test_chains_of_follow_ups_use_the_rewritten_questions() -> None:
    history = [REVENUE]
    second = contextualize("And the net loss?", history)
    history.append(second)
    assert contextualize("And in 2021?", history) == "What was the net loss in 2021?"


def test_whitespace_is_tidied_and_empty_input_stays_empty() -> None:
    assert contextualize("  and   the   net loss ?  ", [REVENUE]) == "What was the net loss?"
    assert contextualize("", [REVENUE]) == ""
    assert contextualize("   ", [REVENUE]) == ""


@pytest.mark.parametrize(
    ("question", "complete"),
    [
        ("What was the net loss?", True),
        ("Did revenue grow?", True),
        ("Revenue grew by how much", True),
        ("the net loss", False),
        ("net loss in 1H2022", False),
        ("a b c d e f", True),  # longer than a fragment
        ("?!", False),
    ],
)
def test_is_complete(question: str, complete: bool) -> None:
    assert is_complete(question) is complete
