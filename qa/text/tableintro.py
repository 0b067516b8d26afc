"""The sentence that introduces a table, and what it says the table shows.

A report introduces a table in words: "The following table sets forth, for the periods
indicated, certain data derived from our statements of operations:", "Aggregate emoluments
of the Directors were as follows:", "Cash provided by operating activities for 2018 as
compared to 2017:". Ingest reads such a sentence as the caption of a table that has none
(qa/ingest/loaders/tableplace.py); a question about the table itself is answered from it
(qa/answer/tablesubject.py). General English only.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE
# "the following table sets forth X", "the table below shows X": what it shows follows the verb.
SHOWS_RE = re.compile(
    r"\btables?\s+(?:below\s+|above\s+)?(?:sets?\s+forth|shows?|presents?|provides?|summari[sz]es"
    r"|illustrates?|details?|includes?|reflects?|displays?|represents?|contains?)[\s,]+",
    _F,
)
# "X were as follows", "X consisted of the following": what it shows is its subject.
FOLLOWS_RE = re.compile(
    r"\s+(?:(?:is|are|was|were)\s+(?:as\s+follows|set\s+out|shown|presented|summari[sz]ed)\b"
    r"|consist(?:s|ed)?\s+of\s+the\s+following\b)",
    _F,
)
# A scale note or a colon that ends an introducing sentence: "(in thousands):", "(USD million)".
_TAIL_RE = re.compile(
    r"\s*(?:\((?i:in|amounts\s+in)\s[^)]*\)|\([^()]*\b(?:thousands?|millions?|billions?|'000)\)"
    r"|\((?:[A-Z]{3}|[$€£¥])\)|\([A-Z]{3}\s\w+\))?\s*[:.]?\s*$",
)
# A note's number before its title: "4) Professional services", "22. Directors", "(5) Goodwill".
_NUMBERING_RE = re.compile(r"^\s*(?:\(\d{1,2}\)|\d{1,2}[.)])\s+(?=\S)")
# The date an introducing sentence opens with is when, not what, the table shows: "As of
# December 31, 2019, maturities of lease liabilities were as follows".
_WHEN_RE = re.compile(r"(?:as\s+(?:of|at)|at|on)\s+[^,]{0,30}(?:,\s*)?(?:19|20)\d{2},\s+(?=\S)", _F)
# A sentence that says a table (or "the following") comes next.
_INTRODUCES_RE = re.compile(
    r"\b(?:the\s+following|as\s+follows|(?:table|schedule)s?\s+(?:below|above))\b|:\s*$", _F
)


def without_tail(sentence: str) -> str:
    """The sentence without its closing scale note and colon.

    >>> without_tail("Segment sales were as follows (in thousands):")
    'Segment sales were as follows'
    >>> without_tail("Cash provided by operations (USD million)")
    'Cash provided by operations'
    """
    return _TAIL_RE.sub("", sentence, count=1)


def introduces_table(sentence: str) -> bool:
    """Whether a sentence introduces what comes after it ("... were as follows:").

    >>> introduces_table("Segment sales were as follows:"), introduces_table("Sales rose 5%.")
    (True, False)
    """
    return bool(_INTRODUCES_RE.search(sentence.strip()) or SHOWS_RE.search(sentence))


def shown_extent(sentence: str) -> tuple[int, int] | None:
    """Where, in an introducing sentence, what the table shows is: after its verb of showing,
    or its subject when the table "follows"; None when it says neither.

    >>> s = "The table below shows revenue by segment (in millions):"
    >>> a, b = shown_extent(s); s[a:b]
    'revenue by segment'
    >>> s = "At June 30, 2019, future minimum payments were as follows:"
    >>> a, b = shown_extent(s); s[a:b]
    'future minimum payments'
    """
    end = len(without_tail(sentence))
    shows = SHOWS_RE.search(sentence)
    if shows and shows.end() < end:
        return shows.end(), end
    follows = FOLLOWS_RE.search(sentence)
    if follows and follows.start() > 0:
        when = _WHEN_RE.match(sentence[: follows.start()])
        return (when.end() if when else 0), follows.start()
    return None


def title_extent(caption: str) -> tuple[int, int] | None:
    """Where a table's title is in its caption line: what an introducing sentence says is
    shown, else the caption without its note's number and closing scale note.

    >>> c = "4) Professional services and other (USD thousand)"
    >>> a, b = title_extent(c); c[a:b]
    'Professional services and other'
    """
    found = shown_extent(caption)
    if found is not None:
        return found
    numbering = _NUMBERING_RE.match(caption)
    start = numbering.end() if numbering else 0
    end = len(without_tail(caption))
    return (start, end) if end > start else None


# "What does the table show (us)?", "What information does the table present?", "What is
# shown in the table?", "What is the table about?" -- not a question about one row or figure
# of it ("What do Other items in the table represent?").
SUBJECT_RE = re.compile(
    r"^\W*what\s+(?:(?:\w+\s+){0,2}(?:information|data)\s+)?(?:does|do|did)\s+(?:the|this)\s+"
    r"tables?\s+(?:show|represent|present|provide|illustrate|depict|summari[sz]e|set\s+forth"
    r"|display|contain|detail|describe)\w*(?:\s+(?:us|me))?\s*\??\s*$"
    r"|^\W*what\s+(?:is|are)\s+(?:shown|presented|set\s+forth|summari[sz]ed|provided)\s+in\s+"
    r"(?:the|this)\s+tables?\s*\??\s*$"
    r"|^\W*what\s+(?:is|are)\s+(?:the|this)\s+tables?\s+about\s*\??\s*$",
    _F,
)


def asks_table_subject(question: str) -> bool:
    """Whether the question asks what a table shows, naming nothing else.

    >>> asks_table_subject("What does the table show us?"), asks_table_subject("What is revenue?")
    (True, False)
    """
    return bool(SUBJECT_RE.search(question))
