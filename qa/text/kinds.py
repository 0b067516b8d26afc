"""What a number is: the kinds of figures and the units that mark them, each named once.

`Figure.kind` is one of the figure kinds below (qa/figures sets it); a question's asked kind
(`Intent.kind`, read by qa/text/vocabulary.py's grammar) is one of them too, or `MEASURE`.
Percent, percentage points and basis points keep the number as written (`66%` -> 66), so
code that must not scale a number asks `kind in PERCENT_KINDS`.
"""

from __future__ import annotations

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

# The units that mark the percent kinds (`Figure.unit`).
PERCENT_UNIT = "%"
PERCENTAGE_POINT_UNIT = "pp"
BASIS_POINT_UNIT = "bp"

PERCENT_KINDS = frozenset({PERCENT, PERCENTAGE_POINTS, BASIS_POINTS})
MULTIPLIER_UNIT = "x"
