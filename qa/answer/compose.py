"""Question + ranked passages (with their figures) -> Answer, including an explicit "not stated".

The answer is the best topical figure (qa/answer/candidates.py) whose period fits the period the
question names, written with its metric and period ("RMB1.42 billion — total revenue,
1H2022") and cited by document, section and page. When none fits, the answer says why ("It
reports revenue for 1H2022, not 2019.") and still returns the passages. A question that names
nothing to look for ("-1") is not stated; a question that asks for no number gets the best
sentence.

Retrieval's score alone does not refuse a question in the grey zone just under the threshold:
a passage that names every asked word (after finance synonyms) is an answer even when the
question's wording is far from the release's ("How much money did they bring in?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.aligned import realigned
from qa.answer.candidates import coverage, loose_noun, rank_figures
from qa.answer.derived import CURRENCY_SIGNS
from qa.answer.notstated import best_supported, check, stated_in_words, year_in_table
from qa.answer.spananswer import Similarity, SpanAnswer, respective_span, span_answer
from qa.answer.tableanswer import TableAnswer, table_answer
from qa.answer.tablesubject import asks_table_subject, table_subject, table_unit
from qa.answer.textderived import text_derived
from qa.config import DEFAULT_NOT_STATED_THRESHOLD
from qa.text.intent import Intent, change_period, tokens
from qa.text.lexicon import METRIC_EVIDENCE
from qa.text.periods import period_year, periods_compatible
from qa.text.question import Question
from qa.types import Answer, Figure, NotStatedReason, Passage, Table

NOT_STATED = "The release does not state this."
NO_MATCH = "No passage is close enough to the question."
KIND_NAMES = {
    "currency": "amount of money", "percent": "percentage", "count": "count",
    "compute": "computing-power figure", "date": "date", "duration": "duration",
    "rank": "ranking", "area": "area", "measure": "figure",
}  # fmt: skip
# Below the threshold by at most this much, full coverage of the asked words still answers.
GREY_ZONE = 0.15
# A currency code is written before an amount that did not state it ("1,420.5" in a
# "US$ million" table -> "US$1,420.5 million", CURRENCY_SIGNS); other codes as they are.
CURRENCY_MARK_RE = re.compile(r"[A-Za-z$€£¥￥]")
# "What are the components / items / types ...": a list a table's rows can answer.
_TABLE_LIST = re.compile(r"\b(?:components|items|types|kinds|categories|segments)\b", re.I)
# "Which countries ...", "In which markets ...": names are asked ("which of" may pick a row).
_WHICH_NAMES = re.compile(r"^\W*(?:(?:in|at|for|from|to|by|on)\s+)?which\s+(?!of\b)", re.I)
RELATIVE_YEARS = {"last year": -1, "this year": 0, "next year": 1}
# Abbreviated job titles and what a release writes instead.
TITLES = {
    "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cto": "chief technology officer", "coo": "chief operating officer",
}  # fmt: skip


def _citation(passage: Passage) -> str:
    """ "Title · Section · p. 3": the page only for documents with pages (PDF)."""
    parts = (passage.doc_title or passage.doc, passage.section, _page(passage.page))
    return " · ".join(part for part in parts if part)


def _page(page: int | None) -> str:
    return f"p. {page}" if page is not None else ""


def as_stated(figure: Figure) -> str:
    """The figure as a reader needs it: a table value ("1,420.5" under "RMB million") gets
    the currency and scale its table header gave it.

    >>> as_stated(Figure("1,420.5", 1.4205e9, "RMB", "currency", 0, 7, scale="million"))
    'RMB1,420.5 million'
    >>> as_stated(Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 0, 15, scale="billion"))
    'RMB1.42 billion'
    """
    text = figure.text
    if figure.kind != "currency" or CURRENCY_MARK_RE.search(text):
        return text
    sign, digits = ("-", text[1:]) if text[:1] in "-−" else ("", text)
    scale = f" {figure.scale}" if figure.scale and figure.scale not in text.lower() else ""
    return f"{sign}{CURRENCY_SIGNS.get(figure.unit, figure.unit)}{digits}{scale}"


def _describe(figure: Figure) -> str:
    """ "RMB1.42 billion — total revenue, 1H2022" """
    context = ", ".join(part for part in (figure.metric, figure.period) if part)
    text = as_stated(figure)
    return f"{text} — {context}" if context else text


def _not_stated(
    question: Question,
    passages: Sequence[Passage],
    reason: NotStatedReason,
    explanation: str,
    figures: Sequence[Figure] = (),
) -> Answer:
    return Answer(
        question=question.text,
        answer=f"{NOT_STATED} {explanation}".strip(),
        found=False,
        passages=tuple(passages),
        figures=tuple(figures),
        citation=_citation(passages[0]) if passages else "",
        confidence=passages[0].score if passages else 0.0,
        reason=reason,
    )


def _sentence_answer(question: Question, passages: Sequence[Passage]) -> Answer:
    """The top passage's answering sentence, whole (the baseline without figures)."""
    top = passages[0]
    sentence = top.sentence.strip() or top.text.strip()
    return Answer(
        question=question.text,
        answer=sentence,
        found=True,
        passages=tuple(passages),
        citation=_citation(top),
        confidence=top.score,
        sentence=sentence,
        value=sentence,
    )


def _span_answer(
    question: Question,
    passages: Sequence[Passage],
    found: SpanAnswer | None = None,
    similarity: Similarity | None = None,
) -> Answer:
    """The span of the best sentence that answers a words question (qa/answer/spananswer.py), with
    the figures it holds ("January 24, 2022" for "when"); `found` when it is already chosen."""
    found = found or span_answer(question, passages, similarity)
    return Answer(
        question=question.text,
        answer=found.span.text,
        found=True,
        passages=tuple(passages),
        figures=found.figures,
        citation=_citation(found.passage),
        confidence=found.passage.score,
        sentence=found.span.sentence,
        value=found.span.value,
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
        evidence = METRIC_EVIDENCE.get(name)
        if evidence is not None and evidence.search(text):
            continue  # "the projection for X" is answered by "X is expected to ..."
        if not (tokens(name) or {name}) <= tokens(text):
            return name
    return None


def _figure_answer(
    question: Question,
    intent: Intent,
    passages: tuple[Passage, ...],
    grey: bool,
    similarity: Similarity | None = None,
) -> Answer:
    kind = intent.kind or ""
    candidates = rank_figures(intent, passages)
    ranked = tuple(c.figure for c in candidates)
    kind_name = KIND_NAMES[kind]
    topical = [c for c in candidates if c.topical]
    if not topical and intent.kind == "count" and intent.nouns:
        topical = loose_noun(intent, candidates)
    if grey:  # under the threshold: only a figure naming every asked word, in the top passage
        topical = [c for c in topical if c.coverage >= 1.0 and c.passage is passages[0]]
    period = _resolve_relative(change_period(intent), passages)
    if not topical:  # no figure of the asked kind: the best-supported one (qa/answer/notstated.py)
        topical = best_supported(intent, passages, strict=grey)
    if not topical:
        if kind == "measure" or stated_in_words(question, intent, passages):
            return _span_answer(question, passages, similarity=similarity)
        if not candidates:
            explanation = f"No {kind_name} answers this in the release."
            return _not_stated(question, passages, "no_such_figure", explanation)
        what = f"no count of {intent.noun}" if intent.noun else f"no such {kind_name}"
        explanation = f"The closest passages give {what}."
        return _not_stated(question, passages, "no_such_figure", explanation, ranked)
    for name in intent.named_metrics:
        needed = tokens(name) or {name}
        topical = [c for c in topical if needed <= tokens(f"{c.figure.metric} {c.sentence}")]
        if not topical:
            explanation = f"The closest passages do not mention {name}."
            return _not_stated(question, passages, "not_mentioned", explanation, ranked)
    pool = topical = realigned(topical)  # "$2.5 million and $2.6 million in 2019 and 2018"
    if period is not None:
        fitting = [
            c
            for c in topical
            if periods_compatible(period, c.figure.period) or year_in_table(period, c)
        ]
        if not fitting:
            near = topical[0].figure
            what = near.metric or kind_name
            explanation = f"It reports {what} for {near.period}, not {period}."
            return _not_stated(question, passages, "other_period", explanation, ranked)
        topical = fitting
    verdict = check(question, intent, topical, pool)  # qa/answer/notstated.py
    if not verdict.kept:
        return _not_stated(question, passages, verdict.code, verdict.reason, ranked)
    best = verdict.kept[0]
    ordered = (best.figure, *(f for f in ranked if f is not best.figure))
    return Answer(
        question=question.text,
        answer=_describe(best.figure),
        found=True,
        passages=passages,
        figures=ordered,
        citation=_citation(best.passage),
        confidence=round(min(1.0, best.passage.score), 4),
        sentence=best.sentence.strip(),
        value=best.figure.value,
        unit=best.figure.unit,
        scale=best.figure.scale or "",
    )


def _shown(value: float | str | tuple[str, ...]) -> str:
    """A label, a list of labels or a count as the answer text writes it.

    >>> _shown(("2019", "2018")), _shown(3.0), _shown("Services")
    ('2019, 2018', '3', 'Services')
    """
    if isinstance(value, tuple):
        return ", ".join(value)
    return f"{value:g}" if isinstance(value, float) else value


def _names_asked(question: Question, found: TableAnswer) -> bool:
    """A "which X" question asks for names (a row, a column, a country), so an amount the
    tables give it answers another question."""
    return bool(_WHICH_NAMES.search(question.text)) and isinstance(found.value, float)


def _table_answer(question: Question, passages: tuple[Passage, ...], found: TableAnswer) -> Answer:
    """An answer read from a table (a cell, a peak period, or a figure computed from cells),
    cited by the passage that holds its first cell."""
    value, figure = found.value, found.figure
    if found.missing or value is None:
        reason = found.missing or "the table holds no value for it"
        explanation = f"{reason[:1].upper()}{reason[1:]}."
        return _not_stated(question, passages, "not_in_table", explanation)
    cell = found.cells[0] if found.cells else figure
    source = next(
        (p for p in passages if cell is not None and p.start <= cell.start < p.end), passages[0]
    )
    if isinstance(value, float) and figure is not None and figure.value == value:
        computed = figure.derivation is not None
        text = f"{as_stated(figure)} — {found.description}" if computed else _describe(figure)
        unit, scale = figure.unit, figure.scale or ""
    else:
        text = f"{_shown(value)} — {found.description}"
        unit, scale = "", found.scale
    return Answer(
        question=question.text,
        answer=text,
        found=True,
        passages=passages,
        figures=tuple(dict.fromkeys(f for f in (figure, *found.cells) if f is not None)),
        citation=_citation(source),
        confidence=round(min(1.0, source.score), 4),
        sentence=source.sentence.strip(),
        value=value,
        unit=unit,
        scale=scale,
    )


def compose_answer(
    question: Question,
    passages: Sequence[Passage],
    *,
    threshold: float = DEFAULT_NOT_STATED_THRESHOLD,
    use_figures: bool = True,
    tables: Sequence[Table] = (),
    similarity: Similarity | None = None,
) -> Answer:
    """Answer `question` from ranked `passages`; `similarity` (the bundled model's cosine of
    question and sentence) helps choose the sentence of a words answer.

    >>> f = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 10, 25,
    ...            metric="total revenue", period="1H2022")
    >>> p = Passage("Revenue: RMB1.42 billion.", 0.9, "st", "st", "Highlights", 0, 25, 0, 0, 25,
    ...             figures=(f,))
    >>> from qa.text.question import parse_question
    >>> compose_answer(parse_question("What was the total revenue?"), [p]).answer
    'RMB1.42 billion — total revenue, 1H2022'
    >>> compose_answer(parse_question("What was revenue in 2019?"), [p]).answer
    'The release does not state this. It reports total revenue for 1H2022, not 2019.'
    """
    passages = tuple(passages)
    if not passages:
        explanation = "Nothing in the release matches the question."
        return _not_stated(question, passages, "no_match", explanation)
    if not use_figures:
        if passages[0].score < threshold:
            return _not_stated(question, passages, "no_match", NO_MATCH)
        return _sentence_answer(question, passages)
    form = question.form
    asks_words = form is not None and not (
        form == "years" or (form == "what_does" and _TABLE_LIST.search(question.text))
    )
    # "X in 2019 and 2018 respectively" stated in a sentence that says the question's words
    # beats a table row that may only share its head noun.
    listed = respective_span(question, passages)
    if listed is not None:
        return _span_answer(question, passages, listed)
    # A question that asks for words (why, how, what X consists of) is read from the text;
    # a table row of the same name holds its amount, not its explanation.
    from_tables = table_unit(question, tables) or (
        None if asks_words else table_answer(question, tables)
    )
    if from_tables is not None and not _names_asked(question, from_tables):
        return _table_answer(question, passages, from_tables)
    return _text_answer(question, passages, threshold, similarity, tables)


def _text_answer(
    question: Question,
    passages: tuple[Passage, ...],
    threshold: float,
    similarity: Similarity | None,
    tables: Sequence[Table] = (),
) -> Answer:
    """The answer the prose gives: what a table is said to show, a figure the report implies,
    a figure of the asked kind or the span of the best sentence; else why not."""
    if not tables and asks_table_subject(question.text):
        return _not_stated(question, passages, "no_match", "The release has no table.")
    subject = table_subject(question, passages, tables)  # "What does the table show?"
    if subject is not None:
        return _span_answer(question, passages, subject)
    implied = text_derived(question, passages)
    if implied is not None and implied.derivation is not None:
        found = TableAnswer(
            implied.value,
            implied,
            implied.derivation.operands,
            f"computed from {implied.derivation.basis}: {implied.derivation.formula}",
        )
        return _table_answer(question, passages, found)
    intent = question.intent
    if not intent.topics:  # "-1", "2022", "How much?": nothing the release could state
        explanation = "The question names nothing to look for."
        return _not_stated(question, passages, "nothing_asked", explanation)
    top = passages[0].score
    grey = top < threshold
    if top < threshold - GREY_ZONE:
        return _not_stated(question, passages, "no_match", NO_MATCH)
    missing = _unmentioned(intent, passages)
    if missing:
        explanation = f"The closest passages do not mention {missing}."
        return _not_stated(question, passages, "not_mentioned", explanation)
    if intent.kind is None or question.form:
        if grey and coverage(intent, f"{passages[0].section} {passages[0].text}") < 1.0:
            return _not_stated(question, passages, "no_match", NO_MATCH)
        return _span_answer(question, passages, similarity=similarity)
    return _figure_answer(question, intent, passages, grey, similarity)
