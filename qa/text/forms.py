"""The form of a question: whether it asks for words ("why", "how", "who", "what does X
include") rather than a figure, how a span answering it is trimmed ("when", "which"), and the
words it is read with. The span search (qa/answer/spans.py) reads sentences with the same words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.text.lexicon import FUNCTION_WORDS, stem

_F = re.IGNORECASE
# A word as the span search reads it: numbers, "R&D", "U.S." and "5%" are words too.
WORD_RE = re.compile(r"[A-Za-z0-9][\w&'’.%$£€-]*[\w%]|[A-Za-z0-9$£€]")
# Question forms that ask for words, not a figure, whatever figure words they contain
# ("How is the discount rate determined?" names a rate and asks for a method).
_WORDS_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (form, re.compile(pattern, _F))
    for form, pattern in (
        ("why", r"^\W*why\b|\breasons?\s+(?:for|why|behind)\b|\bwhat\s+(?:caused|led\s+to|drove)\b"
         r"|\bprimarily\s+due\s+to\b|\bdue\s+to\s+what\b|\bwhat\b.*\battributable\s+to\b"),
        ("years", r"\b(?:which|what)\s+(?:fiscal\s+|financial\s+)?years\b"),
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
         r"|represent|relat|mean|refer|describ|present|allow|requir|involv|cover|result|use)\w*"),
        ("what_is", r"^\W*what\s+(?:is|are|was|were)\s+(?!the\s+(?:total|amount|number|value"
         r"|percentage|change|increase|decrease|difference|average|ratio|proportion|rate"
         r"|balance|sum|level|figure)\b)(?:an?\s+|the\s+)?[a-z-]+\s*(?:\([^)]*\))?\??$"),
    )
)  # fmt: skip
_WHEN_RE = re.compile(r"^\W*when\b", _F)
_WHICH_RE = re.compile(r"^\W*(?:(?:in|at|for|from|of|to|by|on)\s+)?(?:which|what)\b", _F)


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


def question_form(question: str) -> str:
    """The form that decides how a span is trimmed: a words form, "when", "which" or "what"."""
    form = words_form(question)
    if form:
        return form
    if _WHEN_RE.search(question):
        return "when"
    return "which" if _WHICH_RE.search(question) else "other"


@lru_cache(maxsize=1024)
def question_stems(question: str) -> frozenset[str]:
    """Stems of the question's content words (function words and wh-words dropped)."""
    return frozenset(stem(w) for w in words(question) if w.lower() not in FUNCTION_WORDS)


def words(text: str) -> list[str]:
    """The words of `text` as the span search reads them (numbers and "R&D" included)."""
    return [m.group(0) for m in WORD_RE.finditer(text)]
