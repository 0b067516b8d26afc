"""Corpus vocabulary: a corpus's own words are data next to it (qa/text/corpusvocab.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.text.corpusvocab import VocabularyError, load_vocabulary

SHIPPED = Path(__file__).resolve().parents[1] / "corpus"


def test_a_corpus_without_a_vocabulary_rewrites_nothing(tmp_path: Path) -> None:
    assert load_vocabulary(tmp_path).rewrite("Which Formula 1 team?") == "Which Formula 1 team?"


def test_the_shipped_corpus_reads_its_own_words() -> None:
    assert load_vocabulary(SHIPPED).rewrite("Which Formula 1 team?") == "Which F1 team?"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not readable JSON"),
        ('{"rewrites": []}', '"format": 1'),
        ('{"format": 1, "rewrites": [["a"]]}', "pattern, replacement"),
        ('{"format": 1, "rewrites": [["(", "x"]]}', "bad pattern"),
    ],
)
def test_a_malformed_vocabulary_is_refused(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "vocabulary.json").write_text(content, "utf-8")
    with pytest.raises(VocabularyError, match=message):
        load_vocabulary(tmp_path)
