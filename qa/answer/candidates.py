"""Which figure answers a question: every figure of the passages of the kind the question
asks for becomes a `Candidate`, scored by what it measures and where it stands.

A figure is topical when what it measures (its metric, unit and sentence) shares the
question's topic, the names the question mentions ("Cloud Services") appear in its passage,
and, for a finance measure ("revenue growth"), its sentence is about that measure. Among
those, the ranking prefers metric coverage of the asked words, then the sentence, the
passage's retrieval score and rank (the top passage and the retrieval's answering sentence
weigh heavily), and a change or a level as the question asks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from qa.text.intent import Intent, tokens
from qa.text.kinds import answering_kinds
from qa.text.textspans import sentences
from qa.types import Figure, Passage

# Ranking weights: what the figure measures matters most, then its sentence, then retrieval.
W_METRIC, W_PRECISION, W_SENTENCE, W_CONTEXT, W_NOUN = 2.0, 0.5, 1.5, 0.5, 2.0
W_SCORE, W_RANK, W_ROLE, W_BEST_SENTENCE, W_UNIT = 1.0, 0.5, 0.5, 0.5, 1.0
# Counted units that say nothing about what is counted: the thing is in the sentence.
GENERIC_UNITS = frozenset({"", "units", "unit", "pieces", "items", "sets", "times", "people"})
_NOT_ALNUM_RE = re.compile(r"[\W_]+")  # what str.isalnum() rejects
LIST_ITEM_RE = re.compile(r"\s*(?:[●•▪◦\-*]|\d{1,2}[.)]\s)")
# What a finance question measures: a figure answering "Cloud Services revenue growth" must be
# about revenue (or its synonyms), not about IoT devices that grew in the Cloud Services section.
MEASURES = frozenset(
    {"revenu", "loss", "profit", "margin", "cash", "expenditur", "invest", "income", "cost"}
)


@dataclass(frozen=True)
class Candidate:
    """One figure considered as the answer, with what the ranking knows about it."""

    figure: Figure
    passage: Passage
    sentence: str
    score: float
    topical: bool  # shares the question's topic (or counted noun) and names
    coverage: float  # share of the asked words found in its metric or sentence


def figure_sentence(figure: Figure, passage: Passage) -> str:
    """The sentence of `passage` that holds `figure` (document offsets), or the passage text.

    >>> p = Passage("Loss fell. Cash was RMB5 billion.", 0.9, "d", "D", "", 100, 133, 0, 100, 110)
    >>> f = Figure("RMB5 billion", 5e9, "RMB", "currency", 120, 132)
    >>> figure_sentence(f, p)
    'Cash was RMB5 billion.'
    """
    return figure_context(figure, passage)[1]


def figure_context(figure: Figure, passage: Passage) -> tuple[str, str]:
    """The sentence before the one holding `figure` ("" if none) and that sentence, which
    together resolve "its capacity" to the AIDC the previous sentence named.

    >>> p = Passage("Loss fell. Cash was RMB5 billion.", 0.9, "d", "D", "", 100, 133, 0, 100, 110)
    >>> figure_context(Figure("RMB5 billion", 5e9, "RMB", "currency", 120, 132), p)
    ('Loss fell.', 'Cash was RMB5 billion.')
    """
    at = figure.start - passage.start
    previous = ""
    for start, end in _sentences(passage.text):
        if start <= at < end:
            return previous, passage.text[start:end]
        previous = passage.text[start:end]
    return "", passage.text


@lru_cache(maxsize=1024)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of a passage (cached: every figure of a passage asks)."""
    return tuple(sentences(text))


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Lower-case letters and digits only, so "mega cities" meets "megacities"."""
    return _NOT_ALNUM_RE.sub("", text.lower())


def covers(group: frozenset[str], words: AbstractSet[str], squashed: str) -> bool:
    """Whether text (its stems `words`, its `squash`) says one of a group's stems; a long
    stem also matches inside a compound ("megacity" in "mega cities").

    >>> covers(frozenset({"megacity"}), {"mega", "city"}, "megacities")
    True
    """
    for alt in group:
        core = alt[:-1] if alt.endswith("y") else alt
        if alt in words or (len(core) >= 6 and core in squashed):
            return True
    return False


def coverage(intent: Intent, text: str) -> float:
    """Share of the question's topic groups that `text` says (1.0 when it names none)."""
    if not intent.topics:
        return 1.0
    words, squashed = tokens(text), squash(text)
    return sum(covers(g, words, squashed) for g in intent.topics) / len(intent.topics)


def names_present(intent: Intent, passage: Passage) -> bool:
    """Every name the question mentions is in the passage, its section, its document's title
    or, unless the passage is a list item (which stands alone), the text just before it (where
    a paragraph introduced "our Lumen platform" before a chunk boundary)."""
    before = "" if LIST_ITEM_RE.match(passage.text) else passage.context_before
    where = squash(f"{passage.doc_title} {passage.section} {before} {passage.text}")
    return all(squash(name) in where for name in intent.entities)


def _noun_hit(intent: Intent, figure: Figure, sentence: str) -> bool:
    """The counted noun's head is what the figure counts (its unit or metric), or, for a
    generic unit ("1 million units"), what its sentence is about."""
    counted = f"{figure.unit} {figure.metric or ''}"
    if figure.unit.lower() in GENERIC_UNITS:
        counted += f" {sentence}"
    return covers(intent.nouns, tokens(counted), squash(counted))


def _candidate(intent: Intent, figure: Figure, passage: Passage, rank: int) -> Candidate:
    previous, sentence = figure_context(figure, passage)
    described = f"{figure.metric or ''} {figure.unit}"
    metric_words = tokens(described)
    asked = set(intent.keywords)
    precision = len(metric_words & asked) / len(metric_words) if metric_words else 0.0
    noun_hit = bool(intent.nouns) and _noun_hit(intent, figure, sentence)
    in_best = passage.sentence_start <= figure.start < passage.sentence_end
    score = (
        W_METRIC * coverage(intent, described)
        + W_PRECISION * precision
        + W_SENTENCE * coverage(intent, sentence)
        + W_CONTEXT * coverage(intent, f"{previous} {sentence}")
        + W_NOUN * noun_hit
        + W_SCORE * passage.score
        + W_RANK / (1 + rank)
        + W_ROLE * ((figure.role == "change") == (intent.role == "change"))
        + W_BEST_SENTENCE * in_best
        + W_UNIT * (figure.kind == intent.unit_kind)
    )
    covered = coverage(intent, f"{described} {sentence}")
    on_topic = noun_hit if intent.nouns and intent.kind == "count" else covered > 0
    measures = [g for g in intent.topics if g & MEASURES]
    if measures:
        said = tokens(f"{described} {sentence}")
        on_topic = on_topic and any(covers(g, said, squash(sentence)) for g in measures)
    topical = on_topic and names_present(intent, passage)
    return Candidate(figure, passage, sentence, score, topical, covered)


def rank_figures(intent: Intent, passages: Sequence[Passage]) -> list[Candidate]:
    accepts = answering_kinds(intent.kind)  # the table retrieval reads too
    return sorted(
        (
            _candidate(intent, figure, passage, rank)
            for rank, passage in enumerate(passages)
            for figure in passage.figures
            if figure.kind in accepts
        ),
        key=lambda c: -c.score,
    )


def loose_noun(intent: Intent, candidates: list[Candidate]) -> list[Candidate]:
    """When no figure counts the asked noun, those whose sentence names it (and the asked
    names) still answer: "the cumulative shipments are nearly 1 million units" in a sentence
    about door lock modules answers "how many modules shipped"."""
    loose = []
    for c in candidates:
        words, squashed = tokens(c.sentence), squash(c.sentence)
        if covers(intent.nouns, words, squashed) and names_present(intent, c.passage):
            loose.append(c)
    return loose
