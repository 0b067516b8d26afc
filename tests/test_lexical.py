"""Finance-aware tokens and BM25."""

from __future__ import annotations

import numpy as np
import pytest

from qa.index.lexical import LexicalIndex
from qa.text.terms import number_token, tokenize


@pytest.mark.parametrize(
    "forms",
    [("1.42 billion", "1,420 million", "1.42bn", "1420000000"), ("66", "66.0"), ("2.5k", "2,500")],
)
def test_number_forms_share_one_token(forms: tuple[str, ...]) -> None:
    assert len({number_token(f) for f in forms}) == 1


@pytest.mark.parametrize(
    ("question", "document"),
    [
        ("What were sales?", "total revenue was RMB1.42 billion"),
        ("What was the top line?", "total revenue was RMB1.42 billion"),
        ("How much went to research and development?", "R&D expenditure reached RMB2.04 billion"),
        ("first half of 2022", "In 1H2022, revenue"),
        ("revenue for the six months", "first half of the year"),
        ("Which Formula 1 team?", "the Alfa Romeo F1 team ORLEN"),
        ("autonomous driving strategy", "self-driving technology"),
        ("What is the war chest?", "Total cash reserve held by the Company"),
        ("1,420 million", "RMB1.42 billion"),
    ],
)
def test_vocabulary_and_numbers_match_across_wordings(question: str, document: str) -> None:
    assert set(tokenize(question)) & set(tokenize(document)) - {"rmb"}


def test_bm25_and_coverage_rank_the_matching_row_first() -> None:
    index = LexicalIndex.build(
        [
            "total revenue was RMB1.42 billion",
            "12,502 patents in total",
            "net loss was RMB3.21 billion",
        ]
    )
    assert int(np.argmax(index.scores(tokenize("How much were sales?")))) == 0
    coverage = index.coverage(tokenize("How many patents?"))
    assert coverage[1] == pytest.approx(1.0) and coverage[0] == 0.0


def test_words_the_corpus_never_uses_lower_coverage_everywhere() -> None:
    index = LexicalIndex.build(["total revenue was RMB1.42 billion", "net loss"])
    assert index.coverage(tokenize("revenue per employee"))[0] < 0.6
    assert index.coverage(tokenize("zzzz qqqq")).max() == 0.0


def test_save_load_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    index = LexicalIndex.build(["alpha beta", "gamma delta"])
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert (
        np.allclose(index.scores(tokenize("beta")), loaded.scores(tokenize("beta")))
        and len(loaded) == 2
    )


def test_saved_weights_score_as_bm25s_scores_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The loaded index scores without bm25s; the files stay bm25s's own format, and bm25s
    reading them ranks every row with the same scores (repeated tokens count twice in both)."""
    import bm25s

    texts = ["total revenue was RMB1.42 billion", "net loss widened", "revenue and net loss"]
    LexicalIndex.build(texts).save(tmp_path)
    ours, theirs = LexicalIndex.load(tmp_path), bm25s.BM25.load(str(tmp_path))
    for question in ("What was revenue?", "net loss revenue revenue", "profit"):
        tokens = [t for t in tokenize(question) if t in ours.vocab]
        expected = theirs.get_scores(tokens) if tokens else np.zeros(3)
        assert np.allclose(ours.scores(tokenize(question)), expected)


def test_damaged_weights_are_refused_at_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    LexicalIndex.build(["alpha beta", "gamma delta"]).save(tmp_path)
    np.save(tmp_path / "indices.csc.index.npy", np.array([0, 1, 7, 1], dtype=np.int32))
    with pytest.raises(ValueError, match="do not fit 2 documents"):
        LexicalIndex.load(tmp_path)


def test_outside_a_named_country_reads_as_overseas() -> None:
    from qa.index.lexical import rewrite_question

    assert rewrite_question("How much revenue came from outside China?") == (
        "How much revenue came from overseas?"
    )
    assert rewrite_question("Sales outside the United States?") == "Sales overseas?"


@pytest.mark.parametrize(
    ("question", "rewritten"),
    [
        ("How large is the workforce?", "How large is the employees?"),
        ("What is the company's headcount?", "What is the company's number of employees?"),
        ("How many staff did it have in 2019?", "How many employees did it have in 2019?"),
        ("How much did the workforce grow?", "How much did the employees grow?"),
        # A word that heads another noun phrase is that phrase's: a row label stays whole.
        ("What is the difference between Workforce reduction and Facility costs?",
         "What is the difference between Workforce reduction and Facility costs?"),
        ("What were staff costs in 2019?", "What were staff costs in 2019?"),
    ],
)  # fmt: skip
def test_an_employee_word_is_rewritten_only_where_it_names_the_employees(
    question: str, rewritten: str
) -> None:
    from qa.index.lexical import rewrite_question

    assert rewrite_question(question) == rewritten
