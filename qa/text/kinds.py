"""What a number is: the kinds of figures and the units that mark them, each named once, and
the one table of which figure kinds answer what a question asks.

`Figure.kind` is one of the figure kinds below (qa/figures sets it); a question's asked kind
(`Intent.kind`, read by qa/text/vocabulary.py's grammar) is one of them too, or `MEASURE`.
Percent, percentage points and basis points keep the number as written (`66%` -> 66), so
code that must not scale a number asks `kind in PERCENT_KINDS`.

`answering_kinds` is read by retrieval's figure bonus (qa/retrieval.py) and by the answer's
candidates (qa/answer/candidates.py) alike, so the passages a question is sent to hold the
figures its answer may be chosen from.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Figure kinds.
CURRENCY = "currency"
PERCENT = "percent"
PERCENTAGE_POINTS = "percentage_points"
BASIS_POINTS = "basis_points"
COUNT = "count"
MULTIPLIER = "multiplier"  # "3x", "twice", "five-fold"
COMPUTE = "compute"  # computing power: exaFLOPS and the like
AREA = "area"
DATE = "date"
DURATION = "duration"
RANK = "rank"
RATIO = "ratio"  # a computed ratio that is not a percentage (qa/answer/derived.py)
# An asked kind only: a vague "how popular is X" that any measure of size answers.
MEASURE = "measure"

# The units written for the percent kinds and for multipliers (`Figure.unit`).
PERCENT_UNIT = "%"
PERCENTAGE_POINT_UNIT = "pp"
BASIS_POINT_UNIT = "bp"
MULTIPLIER_UNIT = "x"

PERCENT_KINDS = frozenset({PERCENT, PERCENTAGE_POINTS, BASIS_POINTS})

# Asked kind -> the figure kinds that answer it. A vague "how popular / how big" (MEASURE)
# is answered by any measure of size or standing, not by a date or a duration.
ANSWERING_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        CURRENCY: frozenset({CURRENCY}),
        PERCENT: PERCENT_KINDS,
        COUNT: frozenset({COUNT}),
        COMPUTE: frozenset({COMPUTE}),
        DATE: frozenset({DATE}),
        DURATION: frozenset({DURATION}),
        RANK: frozenset({RANK}),
        AREA: frozenset({AREA}),
        MEASURE: frozenset({COUNT, CURRENCY, PERCENT, COMPUTE, AREA, RANK}),
    }
)


def answering_kinds(asked: str | None) -> frozenset[str]:
    """The figure kinds that can answer a question asking for `asked` (none for a question
    that asks for words).

    >>> sorted(answering_kinds("percent")), answering_kinds(None)
    (['basis_points', 'percent', 'percentage_points'], frozenset())
    """
    return ANSWERING_KINDS.get(asked or "", frozenset())
