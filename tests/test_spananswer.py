"""The sentence that answers a words question among the top passages, and its span in
document terms (qa/answer/spananswer.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from qa.answer.spananswer import SENTENCE_PASSAGES, best_sentence, respective_span, span_answer
from qa.figures.extract import extract_figures
from qa.text.question import parse_question
from qa.types import Passage

from .release_passages import CASH, CEO, CLUSTER, DOC, HEALTH, LINGANG, PATENTS, REVENUE
from .release_passages import passage as release_passage


def passage(text: str, score: float = 0.8, start: int = 100, marked: int = 0) -> Passage:
    """A passage at document offset `start`, its figures attached, the `marked`-th sentence
    marked as retrieval's answering sentence."""
    figures = tuple(
        replace(f, start=f.start + start, end=f.end + start) for f in extract_figures(text)
    )
    sentences = text.split(". ")
    s = sum(len(x) + 2 for x in sentences[:marked])
    e = s + len(sentences[marked])
    return Passage(text, score, "r", "Report", "", start, start + len(text), 0, start + s,
                   start + e, figures=figures)  # fmt: skip


YEARS = (
    "Total depreciation expense on property and equipment was $2.5 million, $2.6 million, and "
    "$2.4 million during fiscal 2019, 2018 and 2017, respectively."
)
COMPARATIVE = (
    "The amount of deposits held as collateral at 31 December 2019 is £3.5 million (2018: £3.1 "
    "million)."
)


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("What was the depreciation amount in 2018?", YEARS, "$2.6 million"),
        ("What was the depreciation amount in 2017?", YEARS, "$2.4 million"),
        ("What is the amount of deposits held as collateral at 31 December 2018?", COMPARATIVE,
         "£3.1 million"),
    ],
)  # fmt: skip
def test_the_figure_of_the_asked_year_answers(question: str, text: str, expected: str) -> None:
    p = passage(text)
    found = span_answer(parse_question(question), [p])
    assert found.span.value == expected
    assert p.text[found.start - p.start : found.end - p.start] == expected
    assert [f.text for f in found.figures] == [expected]


def test_a_why_question_keeps_its_clause_though_the_sentence_pairs_years() -> None:
    text = (
        "Fees were $2.5 million and $2.6 million in 2019 and 2018, respectively, primarily due "
        "to higher volumes."
    )
    found = span_answer(parse_question("Why were fees higher in 2019?"), [passage(text)])
    assert found.span.value == "primarily due to higher volumes"


def test_the_sentence_that_repeats_the_question_wins_over_the_marked_one() -> None:
    text = (
        "Revenue grew in all regions. The discount rate was determined by comparison against "
        "the FTSE pension liability index."
    )
    found = span_answer(
        parse_question("How is the discount rate determined?"), [passage(text, marked=0)]
    )
    assert found.span.value == "by comparison against the FTSE pension liability index"
    assert text[found.start - 100 : found.end - 100] == found.span.value


def test_a_words_question_prefers_prose_to_a_table_row_that_names_it() -> None:
    table = passage(
        "Table (USD million)\nRecorded investment | 2019 | $22,446\nRecorded investment | 2018 "
        "| $31,182",
        score=0.76,
    )
    note = passage(
        "(1) The recorded amounts include deferred initial direct costs which are eliminated "
        "in consolidated results.",
        score=0.3,
        start=400,
    )
    found = span_answer(parse_question("What does the recorded investment include?"), [table, note])
    assert found.passage is note
    assert "deferred initial direct costs" in found.span.text


OF_WHICH = (
    "Depreciation expense from continuing operations was $12,548 and $12,643 for the years "
    "ended December 31, 2019 and 2018, respectively, of which $9,028 and $9,189, respectively, "
    "related to internal use software costs."
)


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        (
            "What were the balances net of dividends received during fiscal 2019 and fiscal "
            "2018 respectively?",
            "Balances are net of $25 million and $29 million of dividends received during "
            "fiscal 2019 and fiscal 2018, respectively.",
            ("$25 million", "$29 million"),
        ),
        (
            "What was the depreciation expense from continuing operations in 2018 and 2019 "
            "respectively?",
            OF_WHICH,
            ("$12,643", "$12,548"),  # the question's order
        ),
        (
            "What was the depreciation expense in 2019 and 2018 related to internal use "
            "software costs respectively?",
            OF_WHICH,
            ("$9,028", "$9,189"),  # the list whose words the question says
        ),
    ],
)
def test_respective_years_get_the_list_the_sentence_pairs_with_them(
    question: str, text: str, expected: tuple[str, ...]
) -> None:
    found = respective_span(parse_question(question), [passage(text)])
    assert found is not None
    assert found.span.value == expected
    assert [f.text for f in found.figures] == list(expected)


@pytest.mark.parametrize(
    "question",
    [
        "What was the depreciation expense in 2019 and 2018?",  # not "respectively"
        "What was the depreciation expense in 2017 and 2018 respectively?",  # 2017 not paired
        "What were the rental costs in 2019 and 2018 respectively?",  # not what it states
    ],
)
def test_no_list_answers_a_question_it_does_not_fit(question: str) -> None:
    assert respective_span(parse_question(question), [passage(OF_WHICH)]) is None


def _likes(word: str) -> Callable[[str, str], float]:
    """A stand-in for the model: 1.0 for a sentence holding `word`, else 0."""
    return lambda question, sentence: float(word in sentence)


def test_the_model_decides_between_sentences_the_words_leave_close() -> None:
    text = (
        "The unrealized losses related to six investments held since 2017. The unrealized "
        "losses were primarily due to higher interest rates."
    )
    question = "What explains the unrealized losses?"
    p = passage(text)
    unmarked = replace(p, sentence_start=p.end, sentence_end=p.end)  # both say the question
    by_words = span_answer(parse_question(question), [unmarked])
    by_model = span_answer(
        parse_question(question), [unmarked], similarity=_likes("interest rates")
    )
    assert by_words.span.sentence.startswith("The unrealized losses related")
    assert by_model.span.sentence.startswith("The unrealized losses were primarily due")


def test_the_model_is_not_asked_when_the_words_decide() -> None:
    text = (
        "The discount rate was determined by comparison against the FTSE pension liability "
        "index. Interest rates rose."
    )
    asked: list[str] = []

    def similarity(question: str, sentence: str) -> float:
        asked.append(sentence)
        return 1.0

    found = span_answer(
        parse_question("How is the discount rate determined?"), [passage(text)], similarity
    )
    assert found.span.value == "by comparison against the FTSE pension liability index"
    assert asked == []


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
    found = span_answer(parse_question(question), passages)
    assert found.span.text == span
    assert DOC[found.start : found.end] == span  # document offsets, for the UI to mark
    assert found.passage.start <= found.start < found.end <= found.passage.end


def test_figures_inside_the_span_ride_with_it() -> None:
    found = span_answer(
        parse_question("When did Shanghai Lingang AIDC launch?"), [release_passage(LINGANG, 0.8)]
    )
    assert [f.text for f in found.figures] == ["January 24, 2022"]
    who = span_answer(parse_question("Who is the CEO?"), [release_passage(CEO, 0.8)])
    assert who.figures == ()


def test_best_sentence_returns_document_offsets_of_one_sentence() -> None:
    health = release_passage(HEALTH, 0.8)
    chosen, start, end = best_sentence(parse_question("How many hospitals are served?"), [health])
    assert chosen is health
    assert DOC[start:end].startswith("We are currently serving 75 hospitals")
    assert DOC[start:end].rstrip().endswith("over 1 million people.")


def test_only_the_first_passages_compete() -> None:
    question = "When did Shanghai Lingang AIDC launch?"
    fillers = [release_passage(a, 0.8) for a in (REVENUE, CASH, PATENTS)]
    fillers = fillers[: SENTENCE_PASSAGES - 1]
    answer = release_passage(LINGANG, 0.5)
    reached = span_answer(parse_question(question), [*fillers, answer])
    beyond = span_answer(
        parse_question(question), [*fillers, release_passage(PATENTS, 0.6), answer]
    )
    assert reached.span.text == "January 24, 2022"
    assert beyond.passage.text != answer.text


def test_without_a_usable_sentence_the_top_passage_keeps_its_marked_sentence() -> None:
    run = "Revenue " + "and costs " * 80  # one sentence longer than a sentence can be
    long = Passage(run, 0.9, "doc", "Doc", "", 0, len(run), 0, 0, 7)
    assert best_sentence(parse_question("What was revenue?"), [long]) == (long, 0, 7)
    blank = replace(long, text="   ", end=3, sentence_end=3)
    assert best_sentence(parse_question("What was revenue?"), [blank]) == (blank, 0, 3)
