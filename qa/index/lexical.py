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


# bm25s's file names; `save` writes them and `load` reads them without importing bm25s.
_ARRAYS = ("data", "indices", "indptr")
_PARAMS_FILE = "params.index.json"
_VOCAB_FILE = "vocab.index.json"
# BM25 variants whose scores are plain sums of the stored weights (BM25L and BM25+ add a
# per-token non-occurrence term that this scorer does not have).
_SUMMED_METHODS = frozenset({"lucene", "robertson", "atire"})


class LexicalIndex:
    """BM25 over token lists. bm25s computes the weights when an index is built; a loaded index
    scores with numpy alone, because importing bm25s imports scipy (0.3 s of a one-shot
    `qa ask`) and a question needs only a column sum of the stored weight matrix."""

    def __init__(
        self,
        vocab: dict[str, int],
        arrays: dict[str, NDArray[Any]],
        params: dict[str, Any],
    ) -> None:
        if params.get("method") not in _SUMMED_METHODS:
            raise ValueError(f"unsupported BM25 method {params.get('method')!r}")
        self.data, self.indices, self.indptr = (arrays[name] for name in _ARRAYS)
        self.params = params
        columns = len(self.indptr) - 1
        # bm25s keeps "" in its vocabulary with no weight column; our tokens are never empty.
        self.vocab = {token: column for token, column in vocab.items() if token}
        if any(not 0 <= column < columns for column in self.vocab.values()) or (
            self.indptr[-1] != len(self.data)
        ):
            raise ValueError(f"the vocabulary does not fit {columns} weight columns")
        if len(self.indices) != len(self.data) or (
            len(self.indices)
            and not 0 <= int(self.indices.min()) <= int(self.indices.max()) < len(self)
        ):
            raise ValueError(f"weight rows do not fit {len(self)} documents")

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index texts (one per row, same order as the chunk records)."""
        bm25s = _bm25s()
        model = bm25s.BM25()
        model.index([tokenize(text) or ["<empty>"] for text in texts], show_progress=False)
        params = {
            "k1": model.k1,
            "b": model.b,
            "delta": model.delta,
            "method": model.method,
            "idf_method": model.idf_method,
            "dtype": model.dtype,
            "int_dtype": model.int_dtype,
            "num_docs": int(model.scores["num_docs"]),
            "version": bm25s.__version__,
            "backend": model.backend,
        }
        arrays = {name: np.asarray(model.scores[name]) for name in _ARRAYS}
        return cls(dict(model.vocab_dict), arrays, params)

    def scores(self, terms: Sequence[str]) -> NDArray[np.float32]:
        """BM25 score of every row for a question's tokens (`qa.text.terms.tokenize`; zeros
        when no token matches). A repeated token counts each time, as in bm25s."""
        scores = np.zeros(len(self), dtype=np.float32)
        for token in terms:
            column = self.vocab.get(token)
            if column is not None:
                start, end = self.indptr[column], self.indptr[column + 1]
                np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores

    def idf(self, token: str) -> float:
        """Inverse document frequency; a token no row contains gets the highest idf."""
        n = len(self)
        column = self.vocab.get(token)
        df = 0 if column is None else int(self.indptr[column + 1] - self.indptr[column])
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
        total = 0.0
        for token in tokens:
            weight = self.idf(token)
            total += weight
            column = self.vocab.get(token)
            if column is not None:
                covered[self.indices[self.indptr[column] : self.indptr[column + 1]]] += weight
        return covered / total

    def save(self, folder: Path) -> None:
        """Write the weights in bm25s's own format (npy + json, no pickle) into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in zip(_ARRAYS, (self.data, self.indices, self.indptr), strict=True):
            np.save(folder / f"{name}.csc.index.npy", array, allow_pickle=False)
        vocab = {**self.vocab, "": len(self.indptr) - 1}  # bm25s's loader expects its "" token
        (folder / _VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        (folder / _PARAMS_FILE).write_text(json.dumps(self.params, indent=4), "utf-8")
        (folder / "tokenizer.json").write_text(json.dumps({"version": TOKENIZER_VERSION}))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by `save` (or by bm25s itself)."""
        params = json.loads((folder / _PARAMS_FILE).read_text(encoding="utf-8"))
        vocab = json.loads((folder / _VOCAB_FILE).read_text(encoding="utf-8"))
        arrays = {
            name: np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in _ARRAYS
        }
        return cls(vocab, arrays, params)

    def __len__(self) -> int:
        return int(self.params["num_docs"])
