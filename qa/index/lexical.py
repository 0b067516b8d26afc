"""Lexical matching for finance text: a BM25 index (bm25s) over the finance-aware tokens of
qa/text/terms.py, persisted next to the FAISS index.

Why our own tokenizer: "1.42 billion", "1,420 million" and "1.42bn" must be one token; "sales",
"turnover" and "top line" must find "revenue"; "R&D" must find "research and development".
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.text.lexicon import JARGON
from qa.text.terms import TOKENIZER_VERSION, normalize, tokenize

if TYPE_CHECKING:
    from numpy.typing import NDArray

_JARGON = tuple((re.compile(pattern, re.IGNORECASE), repl) for pattern, repl in JARGON)


def rewrite_question(question: str) -> str:
    """Replace analyst jargon with the release's own words (questions only).

    >>> rewrite_question("What was the top line, and how big is the war chest?")
    'What was the revenue, and how big is the cash reserve?'
    """
    for pattern, repl in _JARGON:
        question = pattern.sub(repl, question)
    return question


def _bm25s() -> Any:
    """Import bm25s, which sets its own logger to DEBUG on import; keep our output clean."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


_PERIOD_TOKEN = re.compile(r"half[12](?:y\d{4})?")


def lexical_text(text: str, section: str) -> str:
    """What BM25 indexes for a chunk: its text plus the period its section heading states.

    Bullets under "Business highlights in 1H2022:" never repeat the period themselves; the
    heading's period tokens make "revenue for the six months" find them. Only period tokens
    are taken from the heading: its other words would match every chunk in the section.

    >>> lexical_text("Revenue was RMB1.42 billion.", "Business highlights in 1H2022")
    'Revenue was RMB1.42 billion. half1 half1y2022'
    """
    periods = _PERIOD_TOKEN.findall(normalize(section))
    return " ".join([text, *periods]) if periods else text


class LexicalIndex:
    """BM25 over token lists (bm25s). Scores are raw BM25; retrieval ranks and fuses them."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index texts (one per row, same order as the chunk records)."""
        model = _bm25s().BM25()
        model.index([tokenize(text) or ["<empty>"] for text in texts], show_progress=False)
        return cls(model)

    def scores(self, terms: Sequence[str]) -> NDArray[np.float32]:
        """BM25 score of every row for a question's tokens (`qa.text.terms.tokenize`; zeros
        when no token matches)."""
        tokens = [t for t in terms if t in self._model.vocab_dict]
        if not tokens:
            return np.zeros(self._model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency; a token no row contains gets the highest idf."""
        n = len(self)
        column = self._model.vocab_dict.get(token)
        indptr = self._model.scores["indptr"]
        df = 0 if column is None else int(indptr[column + 1] - indptr[column])
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def coverage(self, terms: Sequence[str]) -> NDArray[np.float32]:
        """For each row, the idf-weighted share of the question's distinct tokens (`terms`) it
        contains.

        1.0 means every informative word of the question is in the row; a word the corpus
        never uses ("employees", "dividend") counts against every row, which is what makes
        this a usable "is this stated at all?" signal.
        """
        tokens = sorted(set(terms) - {"%", "$"})
        covered = np.zeros(len(self), dtype=np.float32)
        if not tokens:
            return covered
        indptr, indices = self._model.scores["indptr"], self._model.scores["indices"]
        total = 0.0
        for token in tokens:
            weight = self.idf(token)
            total += weight
            column = self._model.vocab_dict.get(token)
            if column is not None:
                covered[indices[indptr[column] : indptr[column + 1]]] += weight
        return covered / total

    def save(self, folder: Path) -> None:
        """Write the BM25 matrices (npy + json, no pickle) into `folder`."""
        self._model.save(str(folder), show_progress=False)
        (folder / "tokenizer.json").write_text(json.dumps({"version": TOKENIZER_VERSION}))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by `save`."""
        return cls(_bm25s().BM25.load(str(folder), show_progress=False, allow_pickle=False))

    def __len__(self) -> int:
        return int(self._model.scores["num_docs"])
