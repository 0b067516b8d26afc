"""Question + ranked passages (with their figures) -> Answer, including an explicit "not stated".

A figure answers when it is of the kind the question asks for, what it measures (its metric,
unit and sentence) shares the question's topic, the names the question mentions ("Smart
Business") appear in its passage, and its period fits the period the question names. Among
those, the ranking prefers metric coverage of the asked words, then the sentence, the
passage's retrieval score and rank (the top passage and the retrieval's answering sentence
weigh heavily), and a change or a level as the question asks. When none fits, the answer says
why ("It reports revenue for 1H2022, not 2019.") and still returns the passages.

Retrieval's score alone does not refuse a question in the grey zone just under the threshold:
a passage that names every asked word (after finance synonyms) is an answer even when the
question's wording is far from the release's ("How much money did they bring in?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.config import DEFAULT_NOT_STATED_THRESHOLD
from qa.intent import Intent, analyze, tokens
from qa.periods import period_year, periods_compatible
from qa.textspans import sentences
from qa.types import Answer, Figure, Passage

NOT_STATED = "The release does not state this."
# Figure kinds that answer each asked kind ("measure": a vague "how popular is X").
ACCEPTS: dict[str, frozenset[str]] = {
    "currency": frozenset({"currency"}),
    "percent": frozenset({"percent", "percentage_points", "basis_points"}),
    "count": frozenset({"count"}),
    "compute": frozenset({"compute"}),
    "date": frozenset({"date"}),
    "duration": frozenset({"duration"}),
    "rank": frozenset({"rank"}),
    "area": frozenset({"area"}),
    "measure": frozenset({"count", "currency", "percent", "compute", "area", "rank"}),
}
KIND_NAMES = {
    "currency": "amount of money", "percent": "percentage", "count": "count",
    "compute": "computing-power figure", "date": "date", "duration": "duration",
    "rank": "ranking", "area": "area", "measure": "figure",
}  # fmt: skip
# Ranking weights: what the figure measures matters most, then its sentence, then retrieval.
W_METRIC, W_PRECISION, W_SENTENCE, W_CONTEXT, W_NOUN = 2.0, 0.5, 1.5, 0.5, 2.0
W_SCORE, W_RANK, W_ROLE, W_BEST_SENTENCE, W_UNIT = 1.0, 0.5, 0.5, 0.5, 1.0
# Below the threshold by at most this much, full coverage of the asked words still answers.
GREY_ZONE = 0.15
# Counted units that say nothing about what is counted: the thing is in the sentence.
GENERIC_UNITS = frozenset({"", "units", "unit", "pieces", "items", "sets", "times", "people"})
LIST_ITEM_RE = re.compile(r"\s*(?:[●•▪◦\-*]|\d{1,2}[.)]\s)")
RELATIVE_YEARS = {"last year": -1, "this year": 0, "next year": 1}
# What a finance question measures: a figure answering "Smart City revenue growth" must be
# about revenue (or its synonyms), not about IoT devices that grew in the Smart City section.
MEASURES = frozenset(
    {"revenu", "loss", "profit", "margin", "cash", "expenditur", "invest", "income", "cost"}
)
# Abbreviated job titles and what a release writes instead.
TITLES = {
    "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer",
}  # fmt: skip


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
    for start, end in sentences(passage.text):
        if start <= at < end:
            return previous, passage.text[start:end]
        previous = passage.text[start:end]
    return "", passage.text


def _squash(text: str) -> str:
    """Lower-case letters and digits only, so "mega cities" meets "megacities"."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def covers(group: frozenset[str], words: set[str], squashed: str) -> bool:
    """Whether text (its stems `words`, its `_squash`) says one of a group's stems; a long
    stem also matches inside a compound ("megacity" in "mega cities").

    >>> covers(frozenset({"megacity"}), {"mega", "city"}, "megacities")
    True
    """
    for alt in group:
        core = alt[:-1] if alt.endswith("y") else alt
        if alt in words or (len(core) >= 6 and core in squashed):
            return True
    return False


def _coverage(intent: Intent, text: str) -> float:
    if not intent.topics:
        return 1.0
    words, squashed = tokens(text), _squash(text)
    return sum(covers(g, words, squashed) for g in intent.topics) / len(intent.topics)


def _names_present(intent: Intent, passage: Passage) -> bool:
    """Every name the question mentions is in the passage, its section, its document's title
    or, unless the passage is a list item (which stands alone), the text just before it (where
    a paragraph introduced "our SenseCare platform" before a chunk boundary)."""
    before = "" if LIST_ITEM_RE.match(passage.text) else passage.context_before
    where = _squash(f"{passage.doc_title} {passage.section} {before} {passage.text}")
    return all(_squash(name) in where for name in intent.entities)


def _noun_hit(intent: Intent, figure: Figure, sentence: str) -> bool:
    """The counted noun's head is what the figure counts (its unit or metric), or, for a
    generic unit ("1 million units"), what its sentence is about."""
    counted = f"{figure.unit} {figure.metric or ''}"
    if figure.unit.lower() in GENERIC_UNITS:
        counted += f" {sentence}"
    return covers(intent.nouns, tokens(counted), _squash(counted))


def _candidate(intent: Intent, figure: Figure, passage: Passage, rank: int) -> Candidate:
    previous, sentence = figure_context(figure, passage)
    described = f"{figure.metric or ''} {figure.unit}"
    metric_words = tokens(described)
    asked = set(intent.keywords)
    precision = len(metric_words & asked) / len(metric_words) if metric_words else 0.0
    noun_hit = bool(intent.nouns) and _noun_hit(intent, figure, sentence)
    in_best = passage.sentence_start <= figure.start < passage.sentence_end
    score = (
        W_METRIC * _coverage(intent, described)
        + W_PRECISION * precision
        + W_SENTENCE * _coverage(intent, sentence)
        + W_CONTEXT * _coverage(intent, f"{previous} {sentence}")
        + W_NOUN * noun_hit
        + W_SCORE * passage.score
        + W_RANK / (1 + rank)
        + W_ROLE * ((figure.role == "change") == (intent.role == "change"))
        + W_BEST_SENTENCE * in_best
        + W_UNIT * (figure.kind == intent.unit_kind)
    )
    coverage = _coverage(intent, f"{described} {sentence}")
    on_topic = noun_hit if intent.nouns and intent.kind == "count" else coverage > 0
    measures = [g for g in intent.topics if g & MEASURES]
    if measures:
        said = tokens(f"{described} {sentence}")
        on_topic = on_topic and any(covers(g, said, _squash(sentence)) for g in measures)
    topical = on_topic and _names_present(intent, passage)
    return Candidate(figure, passage, sentence, score, topical, coverage)


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
    """ "last year" / "this year" / "next year" against the latest year the passages'
    figures mention."""
    if period not in RELATIVE_YEARS:
        return period
    years = [y for p in passages for f in p.figures if f.period and (y := period_year(f.period))]
    if not years:
        return None
    return str(max(years) + RELATIVE_YEARS[period])


def _unmentioned(intent: Intent, passages: Sequence[Passage]) -> str | None:
    """A job title or a distinct finance metric the question names and no passage mentions."""
    text = " ".join(f"{p.section} {p.text}" for p in passages).lower()
    for title in intent.titles:
        if title not in text and TITLES.get(title, title) not in text:
            return title.upper() if title in TITLES else title
    for name in intent.named_metrics:
        if not (tokens(name) or {name}) <= tokens(text):
            return name
    return None


def _rank_figures(intent: Intent, passages: Sequence[Passage]) -> list[Candidate]:
    accepts = ACCEPTS[intent.kind or ""]
    return sorted(
        (
            _candidate(intent, figure, passage, rank)
            for rank, passage in enumerate(passages)
            for figure in passage.figures
            if figure.kind in accepts
        ),
        key=lambda c: -c.score,
    )


def _loose_noun(intent: Intent, candidates: list[Candidate]) -> list[Candidate]:
    """When no figure counts the asked noun, those whose sentence names it (and the asked
    names) still answer: "the cumulative shipments are nearly 1 million units" in a sentence
    about door lock modules answers "how many modules shipped"."""
    loose = []
    for c in candidates:
        words, squashed = tokens(c.sentence), _squash(c.sentence)
        if covers(intent.nouns, words, squashed) and _names_present(intent, c.passage):
            loose.append(c)
    return loose


def _figure_answer(
    question: str, intent: Intent, passages: tuple[Passage, ...], grey: bool
) -> Answer:
    kind = intent.kind or ""
    candidates = _rank_figures(intent, passages)
    ranked = tuple(c.figure for c in candidates)
    kind_name = KIND_NAMES[kind]
    topical = [c for c in candidates if c.topical]
    if not topical and intent.kind == "count" and intent.nouns:
        topical = _loose_noun(intent, candidates)
    if grey:  # under the threshold: only a figure naming every asked word, in the top passage
        topical = [c for c in topical if c.coverage >= 1.0 and c.passage is passages[0]]
    if not topical:
        if kind == "measure":
            return _sentence_answer(question, passages)
        if not candidates:
            return _not_stated(question, passages, f"No {kind_name} answers this in the release.")
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
    top = passages[0].score
    if not use_figures:
        if top < threshold:
            return _not_stated(question, passages, "No passage is close enough to the question.")
        return _sentence_answer(question, passages)
    intent = analyze(question)
    grey = top < threshold
    if top < threshold - GREY_ZONE:
        return _not_stated(question, passages, "No passage is close enough to the question.")
    missing = _unmentioned(intent, passages)
    if missing:
        return _not_stated(question, passages, f"The closest passages do not mention {missing}.")
    if intent.kind is None:
        if grey and _coverage(intent, f"{passages[0].section} {passages[0].text}") < 1.0:
            return _not_stated(question, passages, "No passage is close enough to the question.")
        return _sentence_answer(question, passages)
    return _figure_answer(question, intent, passages, grey)
