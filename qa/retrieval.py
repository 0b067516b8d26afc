"""Question -> ranked `Passage`s: dense (FAISS), lexical (BM25) and their fusion, with the
answering sentence of each passage pinpointed.

Scores are calibrated to 0..1 so a user can read them and one threshold can say "not stated":
    dense part   = (cosine - COSINE_FLOOR) / (COSINE_CEIL - COSINE_FLOOR), clipped to 0..1
    lexical part = idf-weighted share of the question's words found in the chunk (0..1)
    hybrid       = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
Ranking uses the same hybrid score (weights measured with `qa eval`, see README).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from qa.index.core import Index
from qa.index.lexical import LexicalIndex
from qa.text.intent import tokens as intent_tokens
from qa.text.kinds import answering_kinds
from qa.text.periods import period_year
from qa.text.question import Question
from qa.text.sentences import sentence_spans
from qa.text.tableintro import asks_table_subject
from qa.text.terms import tokenize
from qa.types import Chunk, Figure, Passage

if TYPE_CHECKING:
    from numpy.typing import NDArray

# all-MiniLM-L6-v2 cosines: unrelated text sits near 0.1, a paraphrase of the answer above 0.7.
COSINE_FLOOR = 0.10
COSINE_CEIL = 0.75
# Share of the dense part in the hybrid score.
DENSE_WEIGHT = 0.5
# BM25's rank order breaks ties within the lexical part (a small share of its max-normalized score).
BM25_TIEBREAK = 0.15
# Dense candidates fetched from FAISS before fusion (the lexical side scores every chunk).
DENSE_CANDIDATES = 100
# Figure-aware bonus: a chunk holding a figure of the kind the question asks for ("how much
# revenue" -> a currency figure) whose metric shares the question's topic words gains up to
# this much. Applied to the best FIGURE_RERANK_DEPTH fused candidates only.
FIGURE_BONUS = 0.1
FIGURE_RERANK_DEPTH = 20
# Cell bonus: a chunk holding a table cell whose row label the question names (and whose
# column period is a year the question names) gains up to this much, so a question about
# "total liabilities in 2018" lands on the table rows, not on prose about liabilities.
CELL_BONUS = 0.15


@dataclass(frozen=True)
class Scored:
    """One chunk row with its calibrated parts (kept for evaluation and debugging)."""

    row: int
    score: float
    dense: float
    lexical: float


def calibrate_cosine(cosine: NDArray[np.float32]) -> NDArray[np.float32]:
    """Map raw cosine to 0..1 (see module docstring).

    >>> calibrate_cosine(np.array([0.1, 0.425, 0.9], dtype=np.float32)).round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    scaled = (cosine - COSINE_FLOOR) / (COSINE_CEIL - COSINE_FLOOR)
    return np.asarray(np.clip(scaled, 0.0, 1.0), dtype=np.float32)


def lexical_scores(lexical: LexicalIndex, question: Question) -> NDArray[np.float32]:
    """Word coverage of the question per chunk, with BM25 as a small tiebreak, in 0..1."""
    coverage = lexical.coverage(question.terms)
    bm25 = lexical.scores(question.terms)
    peak = float(bm25.max()) if bm25.size else 0.0
    if peak > 0:
        coverage = (1 - BM25_TIEBREAK) * coverage + BM25_TIEBREAK * bm25 / peak
    return coverage.astype(np.float32)


def rank(
    index: Index,
    question: Question,
    query_vector: NDArray[np.float32] | None,
    *,
    mode: str = "hybrid",
    allowed_docs: frozenset[str] | None = None,
) -> list[Scored]:
    """All candidate chunks for the question, best first."""
    n = len(index.chunks)
    dense = np.zeros(n, dtype=np.float32)
    among = None
    if allowed_docs is not None:  # the allowed documents' chunks get their dense scores
        among = index.rows_of(allowed_docs)
    searchable = n > 0 and (among is None or len(among) > 0)
    if mode in ("hybrid", "dense") and query_vector is not None and searchable:
        cosines, rows = index.search(query_vector, min(n, DENSE_CANDIDATES), among)
        keep = rows >= 0
        dense[rows[keep]] = calibrate_cosine(cosines[keep])
    lexical = lexical_scores(index.lexical, question) if mode in ("hybrid", "lexical") else None
    if mode == "dense" or lexical is None:
        fused = dense
        lexical = np.zeros(n, dtype=np.float32)
    elif mode == "lexical":
        fused = lexical
    else:
        fused = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
    if mode != "dense" and FIGURE_BONUS > 0:
        fused = fused + _figure_bonus(index, question, fused)
    if mode != "dense" and CELL_BONUS > 0:
        fused = fused + _cell_bonus(index, question, fused)
    order = np.argsort(-fused, kind="stable")
    ranked = [
        Scored(int(row), min(1.0, float(fused[row])), float(dense[row]), float(lexical[row]))
        for row in order
    ]
    if allowed_docs is not None:
        ranked = [s for s in ranked if index.chunks[s.row].doc_id in allowed_docs]
    scored = [s for s in ranked if s.score > 0 or mode == "dense"]
    # A question kept to some documents still reads them (their tables answer "Which years
    # does the table show?", whose words no chunk shares) when no chunk scores at all.
    return scored if scored or allowed_docs is None else ranked


def with_table(
    index: Index, question: Question, ranked: Sequence[Scored], depth: int
) -> list[Scored]:
    """For a question about a table itself ("What does the table show?"), whose words no
    chunk shares: the top document's first table block (its caption line says what the table
    holds) joins the first `depth` candidates, right after the top one, when it is not among
    them. Other questions keep their ranking."""
    if not ranked or not asks_table_subject(question.text):
        return list(ranked)
    doc_id = index.chunks[ranked[0].row].doc_id
    tables = index.tables_of(doc_id)
    if not tables:
        return list(ranked)
    first = tables[0]

    def overlaps(row: int) -> bool:
        chunk = index.chunks[row]
        return chunk.start <= first.start < chunk.end or first.start <= chunk.start < first.end

    row = next((int(r) for r in index.rows_of([doc_id]) if overlaps(int(r))), None)
    if row is None or any(s.row == row for s in ranked[:depth]):
        return list(ranked)
    block = next((s for s in ranked if s.row == row), Scored(row, 0.0, 0.0, 0.0))
    return [ranked[0], block, *(s for s in ranked[1:] if s.row != row)]


def figure_match(question: Question, figures: Sequence[Figure]) -> float:
    """How well a chunk's figures fit what the question asks for, 0..1.

    A figure of a compatible kind scores 0.4, plus 0.6 when it counts the very noun of a
    "how many" question, else up to 0.6 for the share of the question's topic words found in
    its metric and unit. 0 when the question asks for no figure.
    """
    intent = question.intent
    if intent.kind is None or not figures:
        return 0.0
    wanted = answering_kinds(intent.kind)
    topic = set(intent.keywords)
    noun = question.noun_stems
    best = 0.0
    for figure in figures:
        if figure.kind not in wanted:
            continue
        described = intent_tokens(f"{figure.metric or ''} {figure.unit}")
        if noun and noun <= described:
            overlap = 1.0
        else:
            overlap = len(described & topic) / len(topic) if topic else 0.0
        best = max(best, 0.4 + 0.6 * overlap)
    return best


def _figure_bonus(
    index: Index, question: Question, fused: NDArray[np.float32]
) -> NDArray[np.float32]:
    bonus = np.zeros_like(fused)
    if question.intent.kind is None:
        return bonus
    depth = min(FIGURE_RERANK_DEPTH, len(fused))
    for row in np.argpartition(-fused, depth - 1)[:depth] if depth else []:
        bonus[row] = FIGURE_BONUS * figure_match(question, index.chunk_figures[int(row)])
    return bonus


def cell_match(question: Question, figures: Sequence[Figure]) -> float:
    """How well a chunk's table cells fit the question, 0..1: 1 for a cell whose row label
    the question names in full (every content word) in a column of a year it names (or it
    names none), 0.5 in another year's column, 0 when no row is named or the question asks
    for an explanation ("What does ... include?", "Why ...").

    >>> from qa.text.question import parse_question
    >>> from qa.types import Figure
    >>> cell = Figure("$1,305", 1.305e9, "USD", "currency", 0, 6, period="2018",
    ...               metric="liabilities › total liabilities", cell=(1, 4, 1))
    >>> cell_match(parse_question("What were the total liabilities of IMFT in 2018?"), [cell])
    1.0
    >>> cell_match(parse_question("What were the total liabilities in 2019?"), [cell])
    0.5
    """
    if question.explains:
        return 0.0
    words = question.stems
    years = question.bare_years
    best = 0.0
    for figure in figures:
        if figure.cell is None or not figure.metric:
            continue
        label = intent_tokens(figure.metric.split(" › ")[-1])
        if not label:
            continue
        if not label <= words:
            continue  # a row the question does not name in full
        best = max(best, 0.5 if years and period_year(figure.period or "") not in years else 1.0)
    return best


def _cell_bonus(
    index: Index, question: Question, fused: NDArray[np.float32]
) -> NDArray[np.float32]:
    bonus = np.zeros_like(fused)
    depth = min(FIGURE_RERANK_DEPTH, len(fused))
    for row in np.argpartition(-fused, depth - 1)[:depth] if depth else []:
        bonus[row] = CELL_BONUS * cell_match(question, index.chunk_figures[int(row)])
    return bonus


def best_sentence(text: str, chunk: Chunk, question_tokens: set[str]) -> tuple[int, int]:
    """The sentence of the chunk sharing most question words (document offsets).

    Ties go to the earlier sentence; a chunk of one sentence returns its whole span.
    """
    spans = sentence_spans(text, chunk.start, chunk.end)
    if len(spans) <= 1 or not question_tokens:
        return spans[0] if spans else (chunk.start, chunk.end)
    best, best_hits = spans[0], -1.0
    for span in spans:
        tokens = set(tokenize(text[span[0] : span[1]]))
        hits = len(tokens & question_tokens) + 0.001 * (span[1] - span[0] < 400)
        if hits > best_hits:
            best, best_hits = span, hits
    return best


def to_passages(
    index: Index, question: Question, ranked: Sequence[Scored], k: int
) -> list[Passage]:
    """The top-k ranked chunks as passages, with answering sentence, figures and context."""
    question_tokens = set(question.terms)
    passages = []
    for scored in ranked[:k]:
        chunk = index.chunks[scored.row]
        document = index.documents[chunk.doc_id]
        sentence = best_sentence(document.text, chunk, question_tokens)
        passages.append(
            Passage(
                text=chunk.text,
                score=round(scored.score, 4),
                doc=document.path,
                doc_title=document.title,
                section=chunk.section,
                start=chunk.start,
                end=chunk.end,
                chunk_id=scored.row,
                sentence_start=sentence[0],
                sentence_end=sentence[1],
                figures=index.chunk_figures[scored.row],
                page=document.page_at(chunk.start),
                context_before=_neighbour(index, scored.row, -1),
                context_after=_neighbour(index, scored.row, +1),
            )
        )
    return passages


def _neighbour(index: Index, row: int, step: int) -> str:
    other = row + step
    if 0 <= other < len(index.chunks) and index.chunks[other].doc_id == index.chunks[row].doc_id:
        return index.chunks[other].text
    return ""
