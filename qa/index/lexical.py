"""Lexical matching for finance text: a tokenizer that normalizes numbers and finance
vocabulary, and a BM25 index (bm25s) over it, persisted next to the FAISS index.

Why our own tokenizer: "1.42 billion", "1,420 million" and "1.42bn" must be one token; "sales",
"turnover" and "top line" must find "revenue"; "R&D" must find "research and development".
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.text.lexicon import INDEX_STOPWORDS, IRREGULAR, JARGON, PHRASES

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Bump when tokens change: the manifest records it and a mismatch rebuilds the index.
TOKENIZER_VERSION = 6

_PHRASES = tuple((re.compile(pattern, re.IGNORECASE), repl) for pattern, repl in PHRASES)

_JARGON = tuple((re.compile(pattern, re.IGNORECASE), repl) for pattern, repl in JARGON)


def rewrite_question(question: str) -> str:
    """Replace analyst jargon with the release's own words (questions only).

    >>> rewrite_question("What was the top line, and how big is the war chest?")
    'What was the revenue, and how big is the cash reserve?'
    """
    for pattern, repl in _JARGON:
        question = pattern.sub(repl, question)
    return question


# Scale words after a number; their value multiplies it.
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(thousand|million|billion|trillion|mn|bn|tn|[kmb])?(?![a-z])",
    re.IGNORECASE,
)
_WORD = re.compile(r"n\d[\d.e-]*|[a-z0-9_]+(?:'[a-z]+)?|[%$¥€£]")
# Currency prefixes glued to a number ("RMB1.42") are split from it.
_GLUED_CURRENCY = re.compile(r"(?<![a-z])(rmb|cny|usd|hkd|us\$|hk\$|eur|gbp|jpy|[$¥€£])(?=\d)")


def _bm25s() -> Any:
    """Import bm25s, which sets its own logger to DEBUG on import; keep our output clean."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def number_token(text: str) -> str | None:
    """Canonical token for a number with optional scale word.

    >>> number_token("1.42 billion") == number_token("1,420 million") == number_token("1.42bn")
    True
    >>> number_token("66")
    'n66'
    """
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        return None
    return _format_number(match)


def _format_number(match: re.Match[str]) -> str:
    value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
    scale = (match.group(3) or "").lower()
    value *= SCALES.get(scale, 1.0)
    # %g with 6 significant digits: 1.42e9 and 1420e6 print the same.
    return "n" + f"{value:.6g}".replace("+", "")


def _numbers_to_tokens(text: str) -> str:
    return _NUMBER.sub(lambda m: f" {_format_number(m)} ", text)


def normalize(text: str) -> str:
    """Lower-case, NFKC, concept phrases rewritten, numbers canonical.

    >>> normalize("Sales were RMB1,420 million")
    ' revenue  were rmb  n1.42e09 '
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    text = _GLUED_CURRENCY.sub(r"\1 ", text)  # "rmb1.42" -> "rmb 1.42"
    return _numbers_to_tokens(text)


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: normalized, stop words dropped, words stemmed, numbers canonical.

    >>> tokenize("Total revenue was RMB1.42 billion")
    ['total', 'revenu', 'rmb', 'n1.42e09']
    """
    return list(_tokenize(text))


# Chunk sentences are tokenized again for every question that retrieves them; caching them
# keeps the answering-sentence pass far below the cost of embedding the question.
@lru_cache(maxsize=8192)
def _tokenize(text: str) -> tuple[str, ...]:
    words = [
        IRREGULAR.get(w, w) for w in _WORD.findall(normalize(text)) if w not in INDEX_STOPWORDS
    ]
    stems = _stemmer().stemWords([w for w in words if not _is_special(w)])
    out: list[str] = []
    it = iter(stems)
    for word in words:
        out.append(word if _is_special(word) else next(it))
    return tuple(out)


def _is_special(word: str) -> bool:
    return bool(re.fullmatch(r"n[\d.e-]+|half[12](?:y\d*)?|[%$¥€£]", word))


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

    def scores(self, question: str) -> NDArray[np.float32]:
        """BM25 score of every row for the question (zeros when no token matches)."""
        tokens = [t for t in tokenize(question) if t in self._model.vocab_dict]
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

    def coverage(self, question: str) -> NDArray[np.float32]:
        """For each row, the idf-weighted share of the question's distinct tokens it contains.

        1.0 means every informative word of the question is in the row; a word the corpus
        never uses ("employees", "dividend") counts against every row, which is what makes
        this a usable "is this stated at all?" signal.
        """
        tokens = sorted(set(tokenize(question)) - {"%", "$"})
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
