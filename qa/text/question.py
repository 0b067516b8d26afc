"""A question read once: `parse_question` turns the question's text into a frozen `Question`
that every stage reads (retrieval, figure ranking, derived figures, table answers, spans and
"not stated"), so none of them tokenizes or analyses the text again.

Each field is the reading one or more stages used to make from the raw string, made here by
the same reader (qa/text/intent.py, operations.py, forms.py, labels.py, terms.py), so the
answers are the ones those stages gave. A stage may still test `text` against a cue of its
own (one regex that decides one step of that stage, "does it ask for a margin?"); what
tokenizes, stems or parses the question is a field here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.askedperiods import question_periods
from qa.text.forms import (
    asked_phrase,
    asked_years,
    asks_number,
    question_form,
    question_stems,
    words_form,
)
from qa.text.intent import Intent, analyze, tokens
from qa.text.labels import words
from qa.text.lexicon import concepts, stem
from qa.text.operations import Operation, clean_subject, parse_operation, question_years, year_span
from qa.text.terms import tokenize

# Years as written ("2018", not "FY18"): the columns a table cell must sit in.
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# Questions that ask for an explanation, not a figure: retrieval's cell bonus stays off for them.
_EXPLAIN_RE = re.compile(
    r"^\s*(?:why|where|how\s+(?:is|are|was|were|did|does|do)\b)|\b(?:consists?|includes?|"
    r"represents?|comprises?|stated|led|caused|reasons?|means?|defined|what\s+are)\b",
    re.I,
)
# Every written word, function words and names included ("Acme's", "R&D").
_ANY_WORD_RE = re.compile(r"[\w&'’-]+")


@dataclass(frozen=True)
class Question:
    """What a question asks, read once from `text` (the question as the stages read it:
    cleaned, analyst jargon and the corpus's own words rewritten).

    - `intent`: the kind of figure asked (or none), a change or a level, the counted noun,
      the period, the topic words and their synonyms, the names and metrics it mentions;
    - `operation`: the computation or lookup it asks of a table (None: none), with
      `subject` its metric phrase and `years`/`span_years` the years it names and spans,
      `periods` its periods as fine as it names them (quarters "3Q2019", days "as of July
      7, 2019", else its years; qa/text/askedperiods.py);
    - `form`: the words it asks for ("why", "how", "who", ...; None asks for a figure) and
      `span_form` how a span answering it is trimmed;
    - its words, read by each stage's own reader: `terms` (BM25 tokens), `stems` (stemmed
      content words), `noun_stems` (of the counted noun), `words` (as table labels are read),
      `span_stems` (as answer sentences are read), `all_stems` (every word, function words
      too), `concepts` (the metric concepts it names), `bare_years` (years as written),
      `listed_years` (the years it lists, in its order) and `explains` (it asks for an
      explanation, not a figure);
    - `asks_number` (it asks for a number in so many words: "how much", "what amount") and
      `asked_kind` (the figure kind of the phrase it asks for, None when that is no measure).
    """

    text: str
    intent: Intent
    operation: Operation | None
    subject: str
    years: tuple[str, ...]
    periods: tuple[str, ...]
    span_years: tuple[str, ...]
    form: str | None
    span_form: str
    terms: tuple[str, ...]
    stems: frozenset[str]
    noun_stems: frozenset[str]
    words: tuple[str, ...]
    span_stems: frozenset[str]
    all_stems: frozenset[str]
    concepts: frozenset[str]
    bare_years: frozenset[int]
    explains: bool
    listed_years: tuple[str, ...]
    asks_number: bool
    asked_kind: str | None


def parse_question(text: str) -> Question:
    """Read a question once, for every stage.

    >>> q = parse_question("What is the change in Other in 2019 from 2018?")
    >>> q.operation.kind, q.operation.subjects, q.years
    ('difference', ('Other',), ('2019', '2018'))
    >>> q = parse_question("What were the total liabilities of IMFT in 2018?")
    >>> q.operation is None, q.subject, q.years, q.intent.kind
    (True, 'total liabilities IMFT', ('2018',), 'currency')
    >>> q = parse_question("How many patents do they own?")
    >>> q.intent.kind, q.intent.noun, q.form, sorted(q.noun_stems)
    ('count', 'patents', None, ['patent'])
    """
    intent = analyze(text)
    return Question(
        text=text,
        intent=intent,
        operation=parse_operation(text),
        subject=clean_subject(text),
        years=question_years(text),
        periods=question_periods(text),
        span_years=year_span(text),
        form=words_form(text),
        span_form=question_form(text),
        terms=tuple(tokenize(text)),
        stems=tokens(text),
        noun_stems=tokens(intent.noun or ""),
        words=words(text),
        span_stems=question_stems(text),
        all_stems=frozenset(stem(w) for w in _ANY_WORD_RE.findall(text)),
        concepts=concepts(text),
        bare_years=frozenset(int(y) for y in _YEAR_RE.findall(text)),
        explains=bool(_EXPLAIN_RE.search(text)),
        listed_years=tuple(asked_years(text)),
        asks_number=asks_number(text),
        asked_kind=analyze(asked_phrase(text)).kind,
    )
