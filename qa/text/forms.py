"""Question -> the form of answer it asks for: words (why, how, who, "what is X", a list) or
a figure, the words forms' cues in a sentence (a cause for why, a date for when, a frequency
for how often), and the words a question is read with.

The forms decide two things downstream: a words question is read from the text, not from a
table row of the same name (qa/answer/compose.py), and its span is trimmed by its form
(qa/answer/spans.py), which reads sentences with the same words. Question grammar only,
general English; no report's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.text.lexicon import EXPLANATION_WORDS, FUNCTION_WORDS, stem

_F = re.IGNORECASE
# Question forms that ask for words, not a figure, whatever figure words they contain
# ("How is the discount rate determined?" names a rate and asks for a method).
_WORDS_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (form, re.compile(pattern, _F))
    for form, pattern in (
        ("why", r"^\W*why\b|\breasons?\s+(?:for|why|behind)\b|\bwhat\s+(?:caused|led\s+to|drove)\b"
         r"|\bprimarily\s+due\s+to\b|\bdue\s+to\s+what\b|\bwhat\b.*\battributable\s+to\b"),
        ("years", r"\b(?:which|what)\s+(?:(?:are|were)\s+the\s+)?(?:fiscal\s+|financial\s+)?"
                  r"(?:years|periods)\b"),
        ("how_often", r"^\W*how\s+(?:often|frequently)\b"),
        ("how", r"^\W*how\s+(?!much\b|many\b|long\b|far\b|big\b|large\b|fast\b|quickly\b|old\b"
         r"|high\b|low\b|popular\b|widely\b|extensive\b|well\b|successful\b|strong\b|powerful\b)"),
        ("where", r"^\W*where\b"),
        ("what_is", r"\b(?:definition|meaning)\s+of\b|\bhow\s+is\b.*\bdefined\b|\bwhat\s+does\s+"
         r"(?:the\s+term\s+)?\S+(?:\s+\S+){0,3}\s+mean\b"),
        ("when", r"^\W*when\b"),
        ("what_does", r"^\W*what\s+(?:is|are|was|were)\b.*\b(?:(?:primarily|mainly|largely)\s+)?"
         r"(?:related\s+to|due\s+to|attributable\s+to|used\s+for|classified\s+as|recogni[sz]ed"
         r"\s+as|comprised\s+of|represented\s+by|based\s+on|defined\s+as|excluded|included"
         r"|driven\s+by|responsible\s+for)\s*\??$"),
        ("why", r"^\W*what\s+(?:factors|drove|impacted|affected|caused)\b"),
        ("what_does", r"^\W*(?:what|which)\s+(?:\w+\s+){0,2}(?:components|items|factors|types"
         r"|kinds|categories|elements|assumptions)\b(?!\s+of\s+\w+\s+(?:was|were|is|are)\b)"),
        ("who", r"^\W*(?:who|whom)\b|\bby\s+whom\b"),
        ("what_does", r"^\W*what\s+(?:does|do|did)\b.*\b(?:compris|consist|includ|contain|show"
         r"|represent|relat|mean|refer|describ|present|allow|requir|involv|cover|result|use"
         r"|reflect|exclud|engag)\w*"),
        ("what_does", r"^\W*what\s+(?:is|are|was|were)\s+(?:represented|included|excluded|meant"
         r"|reflected|taken\s+into\s+account|considered)\b"
         r"|^\W*what\s+(?:is|are|was|were)\b.*\bengaged\s+in\s*\??$"),
        # "What is the plan for the losing investments?": a plan, purpose or policy is words.
        ("what_is", r"^\W*what\s+(?:is|was|are|were)\s+(?:the|its|their|our)\s+(?:\w+\s+)?"
         r"(?:plans?|objectives?|purposes?|polic(?:y|ies)|approach(?:es)?|strateg(?:y|ies)"
         r"|methods?|basis|nature|rationale|implications?|treatment|role|aims?|goals?"
         r"|intentions?|criteria)\s+(?:of|for|to|on|behind|in|regarding)\b"),
        # "What is Trade receivables?", "What are Distribution customers?": a term without an
        # article or owner asks for its definition ("What is the revenue?" asks a figure).
        ("what_is", r"^\W*what\s+(?:is|are)\s+(?!the\b|an?\b|its\b|their\b|our\b|this\b"
         r"|these\b|that\b|those\b)[A-Za-z][\w&-]*(?:\s+[A-Za-z][\w&-]*){0,5}\s*\??\s*$"),
        ("what_is", r"^\W*what\s+(?:is|are|was|were)\s+(?!the\s+(?:total|amount|number|value"
         r"|percentage|change|increase|decrease|difference|average|ratio|proportion|rate"
         r"|balance|sum|level|figure)\b)(?:an?\s+|the\s+)?[a-z-]+\s*(?:\([^)]*\))?\??$"),
    )
)  # fmt: skip
# "When", "In which period ...", "What was the maturity date of ...": a date or period.
_WHEN_RE = re.compile(
    r"^\W*when\b|^\W*(?:in|during)\s+(?:which|what)\s+(?:period|quarter|month)\b"
    r"|^\W*what\s+(?:is|was|are|were)\s+the\s+(?:\w+\s+)?date\b",
    _F,
)
_WHICH_RE = re.compile(r"^\W*(?:(?:in|at|for|from|of|to|by|on)\s+)?(?:which|what)\b", _F)
CAUSE_RE = re.compile(
    r"\b(?:(?:primarily|mainly|largely|partly|partially|principally|mostly)\s+)?(?:due\s+to"
    r"|because(?:\s+of)?|as\s+a\s+result\s+of|driven\s+by|resulting\s+from|attributable\s+to"
    r"|owing\s+to|reflect(?:s|ed|ing)?|in\s+order\s+to)",
    _F,
)
FREQUENCY_RE = re.compile(
    r"\b(?:on\s+an?\s+\w+\s+basis|(?:annual|quarterly|monthly|weekly|daily)\w*(?:\s+basis)?"
    r"|every\s+\w+(?:\s+\w+)?|each\s+(?:year|quarter|month)|at\s+least\s+\w+)\b",
    _F,
)
DATE_RE = re.compile(
    r"\b(?:(?:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+(?:\d{1,2},?\s+)?)?(?:19|20)\d{2}|\d{1,2}\s+(?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December)\s+(?:19|20)\d{2}"
    r"|(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of\s+(?:fiscal\s+)?(?:year\s+)?"
    r"(?:19|20)\d{2}|fiscal\s+(?:year\s+)?(?:19|20)\d{2})\b"
)


def words_form(question: str) -> str | None:
    """The form of a question that asks for words ("why", "how", "who", ...), else None.

    >>> words_form("How is the discount rate for domestic plans determined?")
    'how'
    >>> words_form("How much revenue was there?") is None
    True
    """
    for form, pattern in _WORDS_FORMS:
        if pattern.search(question):
            return form
    return None


def fits_form(form: str, sentence: str) -> bool:
    """Whether `sentence` says what a question of `form` asks for: a cause for "why", a
    date for "when", a frequency for "how often".

    >>> fits_form("why", "Sales rose primarily due to higher volumes."), fits_form("when", "x")
    (True, False)
    """
    pattern = {"why": CAUSE_RE, "when": DATE_RE, "how_often": FREQUENCY_RE}.get(form)
    return bool(pattern and pattern.search(sentence))


def question_form(question: str) -> str:
    """The form that decides how a span is trimmed: a words form, "when", "which" or "what"."""
    form = words_form(question)
    if form:
        return form
    if _WHEN_RE.search(question):
        return "when"
    return "which" if _WHICH_RE.search(question) else "other"


# A question that asks for a number in so many words; without these, a figure kind read from
# a topic word ("paid", "credit losses", "rate") is only a guess.
_NUMBER_ASKED_RE = re.compile(
    r"\bhow\s+(?:much|many|long|big|large|high|low|far)\b|\b(?:what|which)\s+(?:percentage"
    r"|proportion|portion|share|fraction|amount|number|value|total|sum|ratio|figure|level)\b"
    r"|\bamounts?\b|\bnumber\s+of\b|\bpercent(?:age)?\b|%|\bby\s+how\b|\bby\s+what\b"
    r"|\btotal\b|\bper\s+(?!cent\b)\w+|\bin\s+(?:dollars|euros|pounds|[A-Z]{3}|[$€£¥])",
    _F,
)


def asks_number(question: str) -> bool:
    """Whether the question asks for a number in so many words ("how much", "what
    percentage", "the amount of"), not only names a measure ("What is the company paid on a
    cost-plus contract?").

    >>> asks_number("How much was paid?"), asks_number("What is the company paid on a contract?")
    (True, False)
    """
    return bool(_NUMBER_ASKED_RE.search(question))


# "What was the adjustment to the provision for income taxes?" asks for "adjustment": the
# phrase after the copula, up to its first preposition or clause word.
_ASKED_RE = re.compile(
    r"^\W*what(?:['’]s|\s+(?:is|was|are|were))\s+(?:(?:the|its|their|our|an?)\s+)?"
    r"(?P<phrase>[^?]+?)(?=\s+(?:of|to|for|in|on|at|from|by|with|under|during|as|that|which"
    r"|between|when|if)\b|\s*\?|\s*$)",
    _F,
)


def asked_phrase(question: str) -> str:
    """What a "what is / was X" question asks for, X up to its first preposition; "" for a
    question of another shape.

    >>> asked_phrase("What was the adjustment to the provision for income taxes in 2019?")
    'adjustment'
    >>> asked_phrase("What was Cloud Services revenue?"), asked_phrase("Why did it fall?")
    ('Cloud Services revenue', '')
    """
    m = _ASKED_RE.match(question)
    return m.group("phrase").strip() if m else ""


# A word as the span search reads it: numbers, "R&D", "U.S." and "5%" are words too.
WORD_RE = re.compile(r"[A-Za-z0-9][\w&'’.%$£€-]*[\w%]|[A-Za-z0-9$£€]")


@lru_cache(maxsize=1024)
def question_stems(question: str) -> frozenset[str]:
    """Stems of the question's content words (function words, wh-words and the words that
    ask for an explanation dropped)."""
    dropped = FUNCTION_WORDS | EXPLANATION_WORDS
    return frozenset(stem(w) for w in words(question) if w.lower() not in dropped)


def words(text: str) -> list[str]:
    """The words of `text` as the span search reads them (numbers and "R&D" included)."""
    return [m.group(0) for m in WORD_RE.finditer(text)]


# A year as a question or a sentence lists it ("in fiscal 2019 and fiscal 2018"), not a part
# of a number, a date or a range.
LISTED_YEAR_RE = re.compile(r"(?<![\w/.,-])(?:19|20)\d{2}(?![\w/-]|[.,]\d)")


def asked_years(question: str) -> list[str]:
    """The years a question names, in its order ("in fiscal 2019 and fiscal 2018").

    >>> asked_years("What were the balances in fiscal 2019 and fiscal 2018 respectively?")
    ['2019', '2018']
    """
    return list(dict.fromkeys(LISTED_YEAR_RE.findall(question)))
