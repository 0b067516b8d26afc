"""A sentence that states one measure for several years -> the year of each of its figures.

Reports pair amounts with years in two ways a figure's nearest period cue cannot read:

- a list and "respectively": "Depreciation was $2.5 million, $2.6 million and $2.4 million
  during fiscal 2019, 2018 and 2017, respectively." — the k-th amount is the k-th year's;
- a comparative in parentheses: "Deposits held at 31 December 2019 were £3.5 million (2018:
  £3.1 million)." — the amount in the parentheses is the named year's, the amount before
  them the year the sentence names before it.

Pure functions over a sentence and its figures (document offsets, `offset` = where the
sentence starts); the answer stage uses the years to pick the figure of the asked year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answer.candidates import Candidate
from qa.text.forms import LISTED_YEAR_RE
from qa.types import Figure

_YEAR = r"(?:19|20)\d{2}"
_YEAR_RE = LISTED_YEAR_RE
# "2019, 2018 and 2017", "2019 and 2018", "2019, 2018, and 2017", "2019 and fiscal 2018"
_YEAR_LIST_RE = re.compile(
    rf"(?<![\w/.-]){_YEAR}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:fiscal\s+(?:year\s+)?|FY\s?)?"
    rf"{_YEAR})+\b",
    re.IGNORECASE,
)
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)\s*")
_RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.I)
# "(2018: £12.4 million)", "(FY2018 - $3.1m)", "(2018 – 12%)"
_COMPARATIVE_RE = re.compile(rf"\(\s*(?:FY\s?)?({_YEAR})\s*[:–—-]\s*$")
AMOUNT_KINDS = frozenset({"currency", "percent", "count", "percentage_points", "basis_points"})


def _groups(sentence: str, figures: Sequence[Figure], offset: int) -> list[list[Figure]]:
    """Runs of amounts written as one list ("$2.5 million, $2.6 million and $2.4 million")."""
    groups: list[list[Figure]] = []
    for f in figures:
        if f.kind not in AMOUNT_KINDS:
            continue
        last = groups[-1][-1] if groups else None
        gap = sentence[last.end - offset : f.start - offset] if last else ""
        if last is not None and _LIST_SEP_RE.fullmatch(gap):
            groups[-1].append(f)
        else:
            groups.append([f])
    return [g for g in groups if len(g) >= 2]


def paired_lists(
    sentence: str, figures: Sequence[Figure], offset: int = 0
) -> list[list[tuple[Figure, str]]]:
    """Each list of amounts a "respectively" sentence pairs with a list of as many years,
    with its years, in the sentence's order."""
    years = [_YEAR_RE.findall(m.group(0)) for m in _YEAR_LIST_RE.finditer(sentence)]
    if not _RESPECTIVELY_RE.search(sentence) or not years:
        return []
    paired = []
    for group in _groups(sentence, figures, offset):
        fitting = [y for y in years if len(y) == len(group)]
        if fitting:
            paired.append(list(zip(group, fitting[0], strict=True)))
    return paired


def _respective(sentence: str, figures: Sequence[Figure], offset: int) -> dict[Figure, str]:
    return dict(pair for group in paired_lists(sentence, figures, offset) for pair in group)


def _comparative(sentence: str, figures: Sequence[Figure], offset: int) -> dict[Figure, str]:
    paired: dict[Figure, str] = {}
    amounts = [f for f in figures if f.kind in AMOUNT_KINDS]
    for i, f in enumerate(amounts):
        at = f.start - offset
        m = _COMPARATIVE_RE.search(sentence, 0, at)
        if not m or i == 0:
            continue
        main = amounts[i - 1]
        paired[f] = m.group(1)
        before = list(_YEAR_RE.finditer(sentence, 0, main.start - offset))
        after = list(_YEAR_RE.finditer(sentence, main.end - offset, m.start()))
        own = before[-1] if before else (after[0] if after else None)
        if own is not None and own.group(0) != m.group(1):
            paired[main] = own.group(0)
    return paired


def figure_years(sentence: str, figures: Sequence[Figure], offset: int = 0) -> dict[Figure, str]:
    """The year the sentence gives each of its figures when it pairs amounts with years
    (a "respectively" list or a "(2018: ...)" comparative); figures it does not pair are left
    out.

    >>> s = "Fees were $2.5 million and $2.6 million in 2019 and 2018, respectively."
    >>> f = [Figure("$2.5 million", 2.5e6, "USD", "currency", 10, 22),
    ...      Figure("$2.6 million", 2.6e6, "USD", "currency", 27, 39)]
    >>> sorted(figure_years(s, f).values())
    ['2018', '2019']
    """
    inside = [f for f in figures if offset <= f.start and f.end <= offset + len(sentence)]
    return {**_comparative(sentence, inside, offset), **_respective(sentence, inside, offset)}


def realigned(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with the year their sentence pairs them with as their period (it
    overrides the nearest period cue, which reads "$2.4 million during fiscal 2019, 2018 and
    2017" as fiscal 2019's)."""
    result = []
    for c in candidates:
        at = c.passage.text.find(c.sentence)
        years = figure_years(c.sentence, c.passage.figures, c.passage.start + at) if at >= 0 else {}
        year = years.get(c.figure)
        result.append(replace(c, figure=replace(c.figure, period=year)) if year else c)
    return result
