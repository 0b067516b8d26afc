"""The periods a question asks about, as fine as it names them: a year ("2019"), a quarter
("the fiscal 2019 third quarter" -> "3Q2019") or a day ("July 7, 2019" -> "as of July 7,
2019"), in question order. Labels are those of qa/text/periods.py, so a table cell's period
(qa/answer/tableperiods.py) is compared with them directly.
"""

from __future__ import annotations

import re

from qa.text.numerals import DATE_RE, date_parts, format_date
from qa.text.periods import period_year

_F = re.IGNORECASE
_QUARTER = re.compile(
    r"\b(?:(?P<w>first|second|third|fourth)|(?P<o>[1-4])(?:st|nd|rd|th))"
    r"(?:\s+(?:fiscal\s+)?quarter\b|(?=\s+and\s+(?:first|second|third|fourth)\s+quarter))|"
    r"\bq(?P<n>[1-4])\b",
    _F,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d{2})(?!\d|,\d)")
_MONTH_END = {1: 3, 2: 6, 3: 9, 4: 12}
# A year as questions write it: "2019", "FY2019", "fiscal 2019", "FY19".
YEAR_RE = re.compile(
    r"(?<![\w.])(?:FY\s?|fiscal\s+(?:year\s+)?)?((?:19|20)\d{2})(?![\w.%])|"
    r"(?<![\w])FY?\s?(\d{2})\b",
    _F,
)
YEAR_RANGE_RE = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")
# A fiscal year written by the two calendar years it spans ("2018/2019", "2018/19").
SPLIT_YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\s*/\s*((?:19|20)?\d{2})\b")


def question_years(question: str) -> tuple[str, ...]:
    """The years a question names, in order, ranges expanded.

    A fiscal year written as the two calendar years it spans is the later one, as its
    column is labelled by the year it ends in.

    >>> question_years("change from FY18 to FY19"), question_years("average for 2017-2019")
    (('2018', '2019'), ('2017', '2018', '2019'))
    >>> question_years("EBIT in 2018/2019 from 2017/2018")
    ('2019', '2018')
    """
    expanded = SPLIT_YEAR_RE.sub(_later_year, question)
    expanded = YEAR_RANGE_RE.sub(
        lambda m: (
            " ".join(str(y) for y in range(int(m[1]), int(m[2]) + 1))
            if 0 < int(m[2]) - int(m[1]) <= 10
            else m[0]
        ),
        expanded,
    )
    years = []
    for match in YEAR_RE.finditer(expanded):
        year = match[1] or f"20{match[2]}"
        if year not in years:
            years.append(year)
    return tuple(years)


def _later_year(match: re.Match[str]) -> str:
    first, second = match[1], match[2]
    later = int(second) if len(second) == 4 else int(first[:2] + second)
    return str(later) if later == int(first) + 1 else match[0]


def _quarters(question: str) -> list[tuple[int, str]]:
    """(position, "3Q2019") of each quarter the question names with a year near it: the
    nearest year after it, else before it."""
    years = [(m.start(), m[1]) for m in _YEAR.finditer(question)]
    found = []
    for match in _QUARTER.finditer(question):
        q = match["w"] or match["o"] or match["n"]
        number = _ORDINALS.get(q.lower(), 0) or int(q)
        after = [y for at, y in years if at > match.start()]
        before = [y for at, y in years if at < match.start()]
        year = after[0] if after else (before[-1] if before else None)
        if year:
            found.append((match.start(), f"{number}Q{year}"))
    return found


def _days(question: str) -> list[tuple[int, str]]:
    """(position, "as of July 7, 2019") of each full date the question names."""
    found = []
    for match in DATE_RE.finditer(question):
        year, month, day = date_parts(match)
        if day:
            found.append((match.start(), "as of " + format_date(year, month, day)))
    return found


def question_periods(question: str) -> tuple[str, ...]:
    """The periods a question names, in order: quarters and days where it names them,
    else its years.

    >>> question_periods("What was the revenue in the fiscal 2019 third quarter?")
    ('3Q2019',)
    >>> question_periods("the change between the second and first quarter in fiscal 2019")
    ('2Q2019', '1Q2019')
    >>> question_periods("the high price from July 7, 2019 to September 29, 2019")
    ('as of July 7, 2019', 'as of September 29, 2019')
    >>> question_periods("the change from 2018 to 2019")
    ('2018', '2019')
    """
    fine = _quarters(question) or _days(question)
    if not fine:
        return question_years(question)
    named = {period_year(label) for _, label in fine}
    years = [(question.find(y), y) for y in question_years(question) if int(y) not in named]
    ordered = sorted(fine + [(at, y) for at, y in years if at >= 0])
    return tuple(dict.fromkeys(label for _, label in ordered))


def is_fine(period: str) -> bool:
    """A quarter or a day, finer than a year."""
    return not re.fullmatch(r"(?:FY)?\d{4}", period)


def period_order(period: str) -> tuple[int, int, int]:
    """A sort key in time: a year or full year at its end, a quarter at its last month, a
    day as itself.

    >>> period_order("2019") > period_order("3Q2019") > period_order("as of July 7, 2019")
    True
    """
    year = period_year(period) or 0
    if match := re.fullmatch(r"([1-4])Q\d{4}", period):
        return year, _MONTH_END[int(match[1])], 31
    if match := DATE_RE.search(period):
        return date_parts(match)
    return year, 12, 31


def previous_period(period: str) -> str | None:
    """The period before: the year before a year, the quarter before a quarter; None for a
    day (the day before is not what a report compares).

    >>> previous_period("2019"), previous_period("1Q2019"), previous_period("as of May 1, 2019")
    ('2018', '4Q2018', None)
    """
    if re.fullmatch(r"\d{4}", period):
        return str(int(period) - 1)
    if match := re.fullmatch(r"([1-4])Q(\d{4})", period):
        quarter, year = int(match[1]), int(match[2])
        return f"{quarter - 1}Q{year}" if quarter > 1 else f"4Q{year - 1}"
    return None
