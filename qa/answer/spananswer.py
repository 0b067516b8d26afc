"""Ranked passages -> the sentence that answers a words question, and the span inside it.

Retrieval marks one answering sentence per passage; a question asking for words is answered
better by the sentence of the top passages that repeats most of the question (the sentence
retrieval marked gets a head start, and a higher passage a small one). The span is cut from
that sentence by qa/answer/spans.py; its offsets are kept in document terms so the UI can mark it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa.answer.aligned import figure_years, paired_lists
from qa.answer.spans import Span, extract_span
from qa.text.forms import fits_form, words
from qa.text.lexicon import stem
from qa.text.question import Question
from qa.text.textspans import sentences
from qa.types import Figure, Passage

# Passages whose sentences compete, and the head starts of the marked sentence and rank.
SENTENCE_PASSAGES = 3
MARKED_BONUS, RANK_PENALTY, SCORE_WEIGHT = 0.15, 0.05, 0.2
# A sentence that says what the question's form asks for (a cause for why, a date for when).
FORM_BONUS = 0.15
# "respectively" in a question asks for one value per year it names.
RESPECTIVE_RE = re.compile(r"\brespective(?:ly)?\b", re.IGNORECASE)
MIN_LIST_OVERLAP = 0.75  # share of the asked words a list's clause must say
# The model's share in choosing the sentence: its cosine of question and sentence, added to
# the best MODEL_CANDIDATES sentences by words that score within MODEL_MARGIN of the best
# (chosen on TAT-QA contexts 1-139: the model is asked for about 7% of questions there).
MODEL_WEIGHT, MODEL_CANDIDATES, MODEL_MARGIN = 1.0, 3, 0.1
MAX_SENTENCE = 600  # a table row run or a list longer than this is not one sentence
# A table's rows ("Recorded investment | 2019 | $22,446") hold amounts, not the words a words
# question asks for, and its caption line repeats a title: prose that says less of the
# question still answers it better.
TABLE_ROW_PENALTY = 0.5


# How alike a question and a sentence read to the model (a cosine, about -1..1).
Similarity = Callable[[str, str], float]


@dataclass(frozen=True)
class SpanAnswer:
    """The span, the passage its sentence is in, the span's document offsets and the
    figures of the passage that lie inside the span."""

    span: Span
    passage: Passage
    start: int
    end: int
    figures: tuple[Figure, ...] = ()


@lru_cache(maxsize=8192)
def _stems(sentence: str) -> frozenset[str]:
    """Stems of a sentence's words (cached: the same passages answer many questions)."""
    return frozenset(stem(w) for w in words(sentence))


def _overlap(asked: frozenset[str], sentence: str) -> float:
    """Share of the question's content stems the sentence says."""
    if not asked:
        return 0.0
    return len(asked & _stems(sentence)) / len(asked)


def _caption_line(passage: Passage, start: int) -> bool:
    """Whether the sentence at `start` is the caption line a table block opens with (the
    introducing sentence it repeats is read in the prose, where it was written)."""
    lines = passage.text.split("\n", 2)
    return start == 0 and len(lines) > 1 and " | " in lines[1]


def best_sentence(
    question: Question, passages: Sequence[Passage], similarity: Similarity | None = None
) -> tuple[Passage, int, int]:
    """The passage and the document offsets of the sentence that best answers `question`:
    the sentences of the top passages ranked by the words they repeat, their form and their
    passage; with a `similarity` (the bundled model), the best few re-ranked by it too."""
    asked = question.span_stems
    form = question.span_form
    scored: list[tuple[float, Passage, int, int, str]] = []
    for rank, passage in enumerate(passages[:SENTENCE_PASSAGES]):
        for start, end in sentences(passage.text):
            text = passage.text[start:end]
            if not text.strip() or len(text) > MAX_SENTENCE:
                continue
            begin, finish = passage.start + start, passage.start + end
            marked = begin <= passage.sentence_start < finish
            score = (
                _overlap(asked, text)
                + FORM_BONUS * fits_form(form, text)
                + MARKED_BONUS * marked
                + SCORE_WEIGHT * passage.score
                - RANK_PENALTY * rank
                - TABLE_ROW_PENALTY * (" | " in text or _caption_line(passage, start))
            )
            scored.append((score, passage, begin, finish, text.strip()))
    if not scored:
        top = passages[0]
        return top, top.sentence_start, top.sentence_end
    scored.sort(key=lambda s: -s[0])  # stable: of equal scores the earlier sentence first
    close = [s for s in scored[:MODEL_CANDIDATES] if s[0] >= scored[0][0] - MODEL_MARGIN]
    if similarity is not None and len(close) > 1:
        # The model reads meaning the shared words miss ("the reason for the losses" and
        # "the losses were due to higher rates"); it is asked only when the words leave the
        # best few sentences close, so few questions pay for embedding sentences.
        head = [(s[0] + MODEL_WEIGHT * similarity(question.text, s[4]), *s[1:]) for s in close]
        scored = sorted(head, key=lambda s: -s[0])
    _, passage, begin, finish, _ = scored[0]
    return passage, begin, finish


def _year_figure(question: Question, passage: Passage, sentence: str, start: int) -> Figure | None:
    """The figure the sentence pairs with the one year a "what was X in 2019" question names
    ("$2.5 million, $2.6 million and $2.4 million in 2019, 2018 and 2017, respectively")."""
    years = list(question.listed_years)
    if len(years) != 1 or question.span_form not in ("which", "other"):
        return None
    paired = [f for f, y in figure_years(sentence, passage.figures, start).items() if y == years[0]]
    return paired[0] if len(paired) == 1 else None


def span_answer(
    question: Question, passages: Sequence[Passage], similarity: Similarity | None = None
) -> SpanAnswer:
    """The span of the best sentence that answers `question` (passages must not be empty)."""
    passage, start, end = best_sentence(question, passages, similarity)
    sentence = passage.text[start - passage.start : end - passage.start].strip()
    if not sentence:
        sentence = passage.text.strip()
        start = passage.start + passage.text.find(sentence)
    else:
        start += passage.text[start - passage.start :].find(sentence)
    figure = _year_figure(question, passage, sentence, start)
    if figure is not None:
        at = figure.start - start
        span = Span(figure.text, sentence, at, at + len(figure.text))
        return SpanAnswer(span, passage, figure.start, figure.end, (figure,))
    span = extract_span(question, sentence)
    begin, end = start + span.start, start + span.end
    inside = tuple(f for f in passage.figures if begin <= f.start and f.end <= end)
    return SpanAnswer(span, passage, begin, end, inside)


def respective_span(question: Question, passages: Sequence[Passage]) -> SpanAnswer | None:
    """For "What were X in 2019 and 2018 respectively?": the amounts a sentence of the top
    passages pairs with those years ("X was $25 million and $29 million in fiscal 2019 and
    2018, respectively"), in the question's order. Of several such lists the one whose
    surrounding words say most of the question wins; None when no list says most of them."""
    years = list(question.listed_years)
    if len(years) < 2 or not RESPECTIVE_RE.search(question.text):
        return None
    frame = {*years, "respective", "respectively"}  # how it asks, not what it asks about
    asked = question.span_stems - {stem(w) for w in frame}
    best: tuple[float, Passage, list[tuple[Figure, str]], int, str] | None = None
    for rank, passage in enumerate(passages):
        for start, end in sentences(passage.text):
            sentence, at = passage.text[start:end], passage.start + start
            lists = paired_lists(sentence, passage.figures, at)
            for i, group in enumerate(lists):
                if not set(years) <= {y for _, y in group}:
                    continue
                # A list's words: the sentence up to the next list (the subject before the
                # first list governs every list: "X was a and b, of which c and d were Y").
                hi = lists[i + 1][0][0].start - at if i + 1 < len(lists) else len(sentence)
                score = _overlap(asked, sentence[:hi]) - RANK_PENALTY * rank
                if best is None or score > best[0]:
                    best = (score, passage, group, at, sentence)
    if best is None or best[0] < MIN_LIST_OVERLAP:
        return None
    _, passage, group, at, sentence = best
    by_year = {y: f for f, y in group}
    chosen = [by_year[y] for y in years]
    first, last = min(f.start for f in chosen), max(f.end for f in chosen)
    span = Span(tuple(f.text for f in chosen), sentence, first - at, last - at)
    return SpanAnswer(span, passage, first, last, tuple(chosen))
