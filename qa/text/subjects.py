"""The metric phrases of a question, as it writes them: one phrase without question words,
periods and filler (`clean_subject`: "the Pre-contract costs from 2018 to 2020" -> "Pre-contract
costs"), or two for an operation over two metrics (`two_subjects`: "the ratio of total assets
to total liabilities", "what percentage of X is made up of Y" -> Y, X; "current ratio"), with
the periods each names itself (`subject_periods`). General financial phrasing only.
"""

from __future__ import annotations

import re

from qa.text.askedperiods import SPLIT_YEAR_RE, YEAR_RANGE_RE, YEAR_RE, question_periods
from qa.text.numerals import DATE_RE

_F = re.IGNORECASE
# "What is the", after a clause that sets the scene ("For Balance payable as at June 30, 2019,").
_OPENING = re.compile(
    r"^\s*(?:(?:for|in|at|as\s+of)\s+(?:[^,?]|,(?=\s*\d)){1,80},\s*)?"
    r"(?:what|how much)\s+(?:is|was|were|are)\s+(?:the\s+)?",
    _F,
)

# Words that carry no metric meaning in an operation question.
_FILLER = re.compile(
    r"(?<![\w-])(?:what|which|how|much|many|is|was|were|are|the|a|an|of|in|for|from|to|and|between|"
    r"at|as|on|by|did|does|do|has|have|had|its|their|company|company's|group|group's|value|"
    r"amount|amounts|year|years|fiscal|fy|respectively|both|period|end|during|over|per|"
    r"than|that|this|these|those|with|its|be|been|being|ended|ending|year-end)(?![\w-])",
    _F,
)


# A quarter named in a question is its period, not part of a metric ("second quarter", "Q2").
_QUARTER_WORDS = re.compile(
    r"\b(?:(?:first|second|third|fourth)\s+(?:and|to)\s+)?"
    r"(?:first|second|third|fourth|[1-4](?:st|nd|rd|th))\s+(?:fiscal\s+)?quarters?\b|\bq[1-4]\b",
    _F,
)


def _strip_years(text: str) -> str:
    text = _QUARTER_WORDS.sub(" ", text)
    text = SPLIT_YEAR_RE.sub(" ", text)
    text = YEAR_RANGE_RE.sub(" ", text)
    return YEAR_RE.sub(" ", text)


def clean_subject(text: str) -> str:
    """A metric phrase without question words, periods and filler.

    >>> clean_subject(" in the Pre-contract costs from 2018 to 2020?")
    'Pre-contract costs'
    >>> clean_subject("the low prices between September 30, 2018 and July 8, 2018")
    'low prices'
    """
    # A day is a period, never part of a metric ("July 8, 2018"; a month is left to weigh).
    text = DATE_RE.sub(lambda m: m[0] if m["m3"] else " ", text)
    text = _strip_years(text)
    text = re.sub(r"\b(?:as (?:at|of)|at)\s+(?:\w+\s+)?\d{1,2},?\s*", " ", text, flags=_F)
    text = re.sub(r"[?]|\((?:increase|decrease|loss|gain)\)", " ", text, flags=_F)
    text = _NAMED_NUMBER.sub(_mark_number, text)
    words = [
        w
        for w in _FILLER.sub(" ", text).split()
        if any(ch.isalpha() for ch in w) or (any(ch.isdigit() for ch in w) and not w.isdigit())
    ]
    return " ".join(w.strip(",;:").lstrip(_NUMBER_MARK) for w in words).strip()


# A small number right after a naming word is part of the name ("level 2 inputs", "tier 1
# capital"); after filler ("more than 5", "the 2") or before a unit of time or a percent
# sign it is a quantity, dropped with the other numbers.
_NAMED_NUMBER = re.compile(
    r"\b([A-Za-z][\w-]*)\s+(\d{1,2})\b(?![.,]?\d|\s*(?:%|percent|[-–]|(?:years?|months?|days?|"
    r"weeks?|quarters?|times)\b))",
    _F,
)
_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", _F)
_NUMBER_MARK = "§"


def _mark_number(match: re.Match[str]) -> str:
    """
    >>> _mark_number(_NAMED_NUMBER.search("level 2 inputs")), _NAMED_NUMBER.search("than 5 years")
    ('level §2', None)
    """
    word = match[1]
    if _FILLER.fullmatch(word) or _MONTH.fullmatch(word):
        return match[0]
    return f"{word} {_NUMBER_MARK}{match[2]}"


_TWO_SUBJECTS = re.compile(
    r"\bratio of (?P<a>.+?) (?:to|and|over|versus|vs\.?) (?P<b>.+)|"
    r"\bproportion of (?P<c>.+?) (?:over|to|in|of|within|out of) (?P<d>.+)|"
    r"(?:value of |amount of |of )?(?P<e>.+?)(?: expressed| stated| shown)? as an? "
    r"(?:percentage|proportion|share|fraction|%) "
    r"of (?P<f>.+)|"
    r"\b(?:percentage|%|proportion|share|fraction) of (?P<m>.+?) (?:in|to|of|within|out of|"
    r"over|among) (?:the )?(?P<n>total\b.+)|"
    r"\b(?:percentage|%|proportion|share|fraction) of (?P<g>.+?) (?:in|to|of|within|out of|"
    r"over|among) (?:the )?(?P<h>.+)|"
    r"\bdifference (?:between|in|of) (?P<i>.+?) and (?P<j>.+)|"
    r"(?P<k>.+?) divided by (?P<l>.+)",
    _F,
)


# Ratios named by their parts ("debt-to-equity ratio", "liability to asset ratio") and the
# common ones named alone.
_NAMED_RATIO = re.compile(r"\b([\w-]+(?: [\w-]+)?)[- ]to[- ]([\w-]+(?: [\w-]+)?) ratio\b", _F)
KNOWN_RATIOS = {
    "current ratio": ("total current assets", "total current liabilities"),
    "quick ratio": ("total current assets less inventories", "total current liabilities"),
}


def subject_periods(question: str) -> tuple[tuple[str, ...], ...]:
    """The years each of two subjects names in its own words (see `two_subjects`), when the
    first names its own: years at the end of a question ("... to Y in 2019 and 2018") are
    the whole question's, not the last subject's."""
    match = _TWO_SUBJECTS.search(_OPENING.sub("", question))
    if not match or _NAMED_RATIO.search(question):
        return ()
    groups = [g for g in match.groups() if g is not None]
    own = tuple(question_periods(group) for group in groups[:2])
    return own if own and own[0] else ()


# "What percentage of X is made up of Y": the part is named after the whole.
_PART_AFTER_WHOLE = re.compile(
    r"\b(?:percentage|%|proportion|share|fraction|portion) of (?P<whole>.+?) (?:is|was|are|were) "
    r"(?:made up|comprised|composed|generated|derived|contributed|attributable|attributed|"
    r"accounted for|represented|due|coming) (?:of|by|from|to|using|under) (?P<part>.+)",
    _F,
)


def two_subjects(question: str) -> tuple[str, str] | None:
    """The two metric phrases of a ratio or a difference, part (or first) before whole."""
    body = _OPENING.sub("", question)
    part_of = _PART_AFTER_WHOLE.search(body)
    if part_of:
        part, whole = clean_subject(part_of["part"]), clean_subject(part_of["whole"])
        return (part, whole) if part and whole else None
    for name, parts in KNOWN_RATIOS.items():
        if name in body.lower():
            return parts
    named = _NAMED_RATIO.search(body)
    if named and "ratio of" not in body.lower():
        return clean_subject(named[1]), clean_subject(named[2])
    match = _TWO_SUBJECTS.search(body)
    if not match:
        return None
    groups = [g for g in match.groups() if g is not None]
    first, second = clean_subject(groups[0]), clean_subject(groups[1])
    if not first or not second:
        return None
    return first, second
