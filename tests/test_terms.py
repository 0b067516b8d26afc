"""The search tokenizer (qa/text/terms.py): finance synonyms folded, words stemmed, and every
way of writing one amount read as one number token, so BM25 matches "RMB1.42 billion" with
"RMB1,420 million"."""

from __future__ import annotations

import pytest

from qa.text.terms import normalize, number_token, tokenize


@pytest.mark.parametrize(
    ("written", "token"),
    [("1.42 billion", "n1.42e09"), ("1,420 million", "n1.42e09"), ("66", "n66"), ("abc", None)],
)
def test_one_amount_written_several_ways_is_one_number_token(
    written: str, token: str | None
) -> None:
    assert number_token(written) == token


def test_tokens_fold_synonyms_stem_words_and_split_glued_currencies() -> None:
    assert tokenize("Turnover rose 12% to $1,420 million") == [
        "revenu", "rise", "n12", "%", "$", "n1.42e09",
    ]  # fmt: skip
    assert tokenize("RMB1.42 billion") == ["rmb", "n1.42e09"]
    assert tokenize("US$3m") == ["$", "n3e06"]
    assert tokenize("sales") == tokenize("Revenue") == ["revenu"]


def test_normalize_keeps_the_text_a_tokenizer_reads() -> None:
    assert normalize("Sales were RMB1,420 million").split() == [
        "revenue",
        "were",
        "rmb",
        "n1.42e09",
    ]
