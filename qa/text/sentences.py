"""A sentence splitter that knows financial prose: it does not break inside "RMB1.42",
"Dr. Ann Lee", "Co.", "e.g.", decimals or initials.

It returns character spans, never rewritten text, so callers can slice the source.
"""

from __future__ import annotations

import re

# Words that end with a period without ending the sentence (compared lower-case, no period).
# "etc." is left out on purpose: followed by a capital it nearly always ends the sentence.
ABBREVIATIONS = frozenset(
    """
    dr mr mrs ms prof sr jr st mt co corp inc ltd llc plc bros no nos vs approx e.g i.e a.m
    p.m u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec fig figs est dept govt
    yr yrs mln bn int'l ref refs vol pp cf al
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets/footnote marks,
# then whitespace. Whether it really ends a sentence is decided in `_is_boundary`.
_CANDIDATE = re.compile(r"""[.!?。！？]+["'”’)\]]*(?:\[\d+\])?(?=\s)""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'&]*)\.?$")
_NEXT_START = re.compile(r"""\s+["'“‘(\[]?([A-Z0-9●•\u4e00-\u9fff]|$)""")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Decide whether a candidate punctuation run really ends a sentence."""
    punct = match.group(0)
    if punct.startswith(".") and len(punct.rstrip("\"'”’)]")) == 1:
        head = text[max(0, match.start() - 24) : match.start() + 1]
        word = _WORD_BEFORE.search(head)
        if word:
            token = word.group(1).rstrip(".")
            if token.lower() in ABBREVIATIONS:
                return False
            # A single capital letter before the period is an initial ("J. Smith").
            if len(token) == 1 and token.isupper():
                return False
    following = _NEXT_START.match(text, match.end())
    # The next sentence starts with a capital, a digit, a bullet or CJK; "etc. and" does not.
    return following is not None


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split `text[start:end]` into sentences; return (start, end) spans, whitespace trimmed.

    >>> s = "Revenue was RMB1.42 billion. Dr. Ann Lee said so. Growth was 9.5%!"
    >>> [s[a:b] for a, b in sentence_spans(s)]
    ['Revenue was RMB1.42 billion.', 'Dr. Ann Lee said so.', 'Growth was 9.5%!']
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _CANDIDATE.finditer(text, start, stop):
        if _is_boundary(text, match):
            spans.append((cursor, match.end()))
            cursor = match.end()
    spans.append((cursor, stop))
    return [trimmed for a, b in spans if (trimmed := _trim(text, a, b)) is not None]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split one over-long span at whitespace into pieces of at most `max_chars` characters.

    A run with no whitespace at all (a URL, a 1 MB line of digits) is cut hard.

    >>> t = "aaa bbb ccc"
    >>> [t[a:b] for a, b in split_long(t, 0, len(t), 7)]
    ['aaa bbb', 'ccc']
    """
    pieces: list[tuple[int, int]] = []
    cursor = start
    while end - cursor > max_chars:
        cut = text.rfind(" ", cursor + 1, cursor + max_chars + 1)
        if cut <= cursor:
            cut = cursor + max_chars
        piece = _trim(text, cursor, cut)
        if piece:
            pieces.append(piece)
        cursor = cut
    last = _trim(text, cursor, end)
    if last:
        pieces.append(last)
    return pieces
