"""Which figure answers (qa/answer/candidates.py): figures of the asked kind ranked by what
they measure and where they stand, on passages of the shipped release built by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answer.candidates import (
    coverage,
    covers,
    figure_context,
    loose_noun,
    names_present,
    rank_figures,
    squash,
)
from qa.text.intent import analyze, tokens

from .release_passages import (
    CASH,
    CONTRIBUTION,
    DOOR_LOCKS,
    HEALTH,
    IOT,
    MODULES,
    PATENTS,
    REVENUE,
    RND,
    passage,
)


@pytest.mark.parametrize(
    ("question", "anchors", "top"),
    [
        ("What was the total revenue?", [CASH, REVENUE], "RMB1.42 billion"),
        ("How much cash does the company hold?", [REVENUE, CASH], "RMB19.51 billion"),
        ("How many patents does the company have?", [RND, PATENTS], "12,502"),
        ("How many hospitals are served?", [MODULES, HEALTH], "75 hospitals"),
    ],
)
def test_the_figure_measuring_the_asked_words_ranks_first_whatever_the_passage_order(
    question: str, anchors: list[str], top: str
) -> None:
    passages = [passage(a, 0.8 - 0.1 * i) for i, a in enumerate(anchors)]
    ranked = rank_figures(analyze(question), passages)
    assert ranked[0].figure.text == top and ranked[0].topical
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_only_figures_of_the_asked_kind_are_candidates() -> None:
    passages = [passage(PATENTS, 0.8), passage(RND, 0.7), passage(REVENUE, 0.6)]
    counts = rank_figures(analyze("How many patents does the company have?"), passages)
    amounts = rank_figures(analyze("How much was spent on R&D?"), passages)
    assert counts and {c.figure.kind for c in counts} == {"count"}
    assert amounts and {c.figure.kind for c in amounts} == {"currency"}


def test_a_finance_measure_must_be_what_the_figure_is_about() -> None:
    intent = analyze("What was Smart City revenue growth?")
    ranked = rank_figures(intent, [passage(IOT, 0.8), passage(CONTRIBUTION, 0.7)])
    assert ranked and not any(c.topical for c in ranked)  # IoT devices grew, not revenue


def test_the_candidate_carries_its_sentence_and_what_it_covers() -> None:
    (best, *_) = rank_figures(analyze("What was the total revenue?"), [passage(REVENUE, 0.9)])
    assert best.sentence.startswith("● The Company's total revenue was RMB1.42 billion")
    assert best.coverage == 1.0 and best.passage.score == 0.9


def test_figure_context_gives_the_sentence_before_and_the_one_holding_the_figure() -> None:
    health = passage(HEALTH, 0.8)
    figure = next(f for f in health.figures if f.text == "75 hospitals")
    before, sentence = figure_context(figure, health)
    assert sentence.startswith("We are currently serving 75 hospitals")
    assert before.startswith("We have received") and before.endswith("covering 16 licenses.")
    first = health.figures[0]
    assert figure_context(first, health) == ("", health.text[: health.text.index(" We have")])


@pytest.mark.parametrize(
    ("asked", "text", "said"),
    [
        ("megacity", "16 mega cities", True),  # a long stem inside a compound
        ("revenue", "total revenue", True),
        ("revenue sales", "net sales", True),  # any word of the group
        ("cash", "cashflow", False),  # a short stem must be a word of its own
        ("patents", "intellectual property", False),
    ],
)
def test_covers_finds_a_stem_as_a_word_or_inside_a_compound(
    asked: str, text: str, said: bool
) -> None:
    assert covers(tokens(asked), tokens(text), squash(text)) is said


def test_coverage_is_the_share_of_asked_words_said() -> None:
    intent = analyze("What was Smart City revenue?")
    assert len(intent.topics) == 3
    assert coverage(intent, "Smart City revenue was RMB1 billion") == 1.0
    assert coverage(intent, "City revenue was RMB1 billion") == pytest.approx(2 / 3)
    assert coverage(intent, "The board met twice.") == 0.0
    assert coverage(analyze("How much?"), "anything at all") == 1.0  # nothing asked


def test_a_name_the_question_mentions_may_stand_just_before_the_passage() -> None:
    intent = analyze("How many hospitals does SenseCare serve?")
    health = passage(HEALTH, 0.8)
    alone = replace(health, text=health.text[health.text.index("We are") :])
    assert names_present(intent, health)
    assert not names_present(intent, alone)
    assert names_present(intent, replace(alone, context_before="Our SenseCare platform grew."))
    listed = replace(alone, text="● " + alone.text, context_before="Our SenseCare platform.")
    assert not names_present(intent, listed)  # a list item stands alone


def test_loose_noun_keeps_the_figures_whose_sentence_names_the_counted_thing() -> None:
    intent = analyze("How many door lock modules have shipped?")
    ranked = rank_figures(intent, [passage(DOOR_LOCKS, 0.8), passage(PATENTS, 0.7)])
    loose = loose_noun(intent, ranked)
    assert [c.figure.text for c in loose] == ["nearly 1 million units"]
