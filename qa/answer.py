"""Question + ranked passages (with their figures) -> Answer, including an explicit "not stated".

A figure answers when it is of the kind the question asks for, what it measures (its metric,
unit and sentence) shares the question's topic, and its period fits the period the question
names. Among those, the ranking prefers metric overlap, then the sentence, the passage's
retrieval score and rank, and a change or a level as the question asks. When none fits, the
answer says why ("It reports revenue for 1H2022, not 2019.") and still returns the passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.config import DEFAULT_NOT_STATED_THRESHOLD
from qa.intent import Intent, analyze, stem, tokens
from qa.periods import period_year, periods_compatible
from qa.textspans import sentences
from qa.types import Answer, Figure, Passage

NOT_STATED = "The release does not state this."
# Figure kinds that answer each asked kind.
ACCEPTS: dict[str, frozenset[str]] = {
    "currency": frozenset({"currency"}),
    "percent": frozenset({"percent", "percentage_points", "basis_points"}),
    "count": frozenset({"count"}),
    "compute": frozenset({"compute"}),
    "date": frozenset({"date"}),
    "duration": frozenset({"duration"}),
    "rank": frozenset({"rank"}),
    "area": frozenset({"area"}),
}
KIND_NAMES = {
    "currency": "amount of money", "percent": "percentage", "count": "count",
    "compute": "computing-power figure", "date": "date", "duration": "duration",
    "rank": "ranking", "area": "area",
}  # fmt: skip
# Ranking weights: what the figure measures matters most, then its sentence, then retrieval.
W_METRIC, W_SENTENCE, W_NOUN, W_SCORE, W_RANK, W_ROLE, W_BEST_SENTENCE = (
    2.0, 1.0, 2.0, 1.0, 0.3, 0.5, 0.3,
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One figure considered as the answer, with what the ranking knows about it."""

    figure: Figure
    passage: Passage
    sentence: str
    score: float
    topical: bool  # shares the question's topic (or counted noun)


def figure_sentence(figure: Figure, passage: Passage) -> str:
    """The sentence of `passage` that holds `figure` (document offsets), or the passage text.

    >>> p = Passage("Loss fell. Cash was RMB5 billion.", 0.9, "d", "D", "", 100, 133, 0, 100, 110)
    >>> f = Figure("RMB5 billion", 5e9, "RMB", "currency", 120, 132)
    >>> figure_sentence(f, p)
    'Cash was RMB5 billion.'
    """
    at = figure.start - passage.start
    for start, end in sentences(passage.text):
        if start <= at < end:
            return passage.text[start:end]
    return passage.text


def _candidate(intent: Intent, figure: Figure, passage: Passage, rank: int) -> Candidate:
    sentence = figure_sentence(figure, passage)
    asked = set(intent.keywords)
    metric = tokens(f"{figure.metric or ''} {figure.unit}")
    in_sentence = tokens(sentence)
    # The counted noun's head decides: "new patents" is about patents, not "new vehicles".
    head = stem(intent.noun.split()[-1]) if intent.noun else ""
    noun_hit = bool(head) and head in metric | {stem(w) for w in figure.unit.split()}
    share = max(1, len(asked))
    score = (
        W_METRIC * len(asked & metric) / share
        + W_SENTENCE * len(asked & in_sentence) / share
        + W_NOUN * noun_hit
        + W_SCORE * passage.score
        + W_RANK / (1 + rank)
        + W_ROLE * ((figure.role == "change") == (intent.role == "change"))
        + W_BEST_SENTENCE * (passage.sentence_start <= figure.start < passage.sentence_end)
    )
    topical = noun_hit if intent.noun else bool(asked & (metric | in_sentence)) or not asked
    return Candidate(figure, passage, sentence, score, topical)


def _citation(passage: Passage) -> str:
    title = passage.doc_title or passage.doc
    return f"{title} · {passage.section}" if passage.section else title


def _describe(figure: Figure) -> str:
    """ "RMB1.42 billion — total revenue, 1H2022" """
    context = ", ".join(part for part in (figure.metric, figure.period) if part)
    return f"{figure.text} — {context}" if context else figure.text


def _not_stated(
    question: str, passages: Sequence[Passage], reason: str, figures: Sequence[Figure] = ()
) -> Answer:
    return Answer(
        question=question,
        answer=f"{NOT_STATED} {reason}".strip(),
        found=False,
        passages=tuple(passages),
        figures=tuple(figures),
        citation=_citation(passages[0]) if passages else "",
        confidence=passages[0].score if passages else 0.0,
        extra=(("reason", reason),),
    )


def _sentence_answer(question: str, passages: Sequence[Passage]) -> Answer:
    top = passages[0]
    sentence = top.sentence.strip() or top.text.strip()
    return Answer(
        question=question,
        answer=sentence,
        found=True,
        passages=tuple(passages),
        citation=_citation(top),
        confidence=top.score,
        extra=(("sentence", sentence),),
    )


def _resolve_relative(period: str | None, passages: Sequence[Passage]) -> str | None:
    """ "last year" / "this year" against the latest year the passages' figures mention."""
    if period not in ("last year", "this year"):
        return period
    years = [y for p in passages for f in p.figures if f.period and (y := period_year(f.period))]
    if not years:
        return None
    return str(max(years) - (1 if period == "last year" else 0))


def compose_answer(
    question: str,
    passages: Sequence[Passage],
    *,
    threshold: float = DEFAULT_NOT_STATED_THRESHOLD,
    use_figures: bool = True,
) -> Answer:
    """Answer `question` from ranked `passages`.

    >>> f = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 10, 25,
    ...            metric="total revenue", period="1H2022")
    >>> p = Passage("Revenue: RMB1.42 billion.", 0.9, "st", "st", "Highlights", 0, 25, 0, 0, 25,
    ...             figures=(f,))
    >>> compose_answer("What was the total revenue?", [p]).answer
    'RMB1.42 billion — total revenue, 1H2022'
    >>> compose_answer("What was revenue in 2019?", [p]).answer
    'The release does not state this. It reports total revenue for 1H2022, not 2019.'
    """
    passages = tuple(passages)
    if not passages:
        return _not_stated(question, passages, "Nothing in the release matches the question.")
    if passages[0].score < threshold:
        return _not_stated(question, passages, "No passage is close enough to the question.")
    intent = analyze(question)
    if not use_figures or intent.kind is None:
        return _sentence_answer(question, passages)
    accepts = ACCEPTS[intent.kind]
    candidates = sorted(
        (
            _candidate(intent, figure, passage, rank)
            for rank, passage in enumerate(passages)
            for figure in passage.figures
            if figure.kind in accepts
        ),
        key=lambda c: -c.score,
    )
    ranked = tuple(c.figure for c in candidates)
    kind_name = KIND_NAMES[intent.kind]
    if not candidates:
        return _not_stated(question, passages, f"No {kind_name} answers this in the release.")
    topical = [c for c in candidates if c.topical]
    if not topical:
        what = f"no count of {intent.noun}" if intent.noun else f"no such {kind_name}"
        return _not_stated(question, passages, f"The closest passages give {what}.", ranked)
    for name in intent.named_metrics:
        needed = tokens(name) or {name}
        topical = [c for c in topical if needed <= tokens(f"{c.figure.metric} {c.sentence}")]
        if not topical:
            return _not_stated(
                question, passages, f"The closest passages do not mention {name}.", ranked
            )
    period = _resolve_relative(intent.period, passages)
    if period is not None:
        fitting = [c for c in topical if periods_compatible(period, c.figure.period)]
        if not fitting:
            near = topical[0].figure
            what = near.metric or kind_name
            return _not_stated(
                question, passages, f"It reports {what} for {near.period}, not {period}.", ranked
            )
        topical = fitting
    best = topical[0]
    ordered = (best.figure, *(f for f in ranked if f is not best.figure))
    return Answer(
        question=question,
        answer=_describe(best.figure),
        found=True,
        passages=passages,
        figures=ordered,
        citation=_citation(best.passage),
        confidence=round(min(1.0, best.passage.score), 4),
        extra=(("sentence", best.sentence.strip()),),
    )
