"""Question -> the operation it asks for over a report's figures.

"What is the change in Other in 2019 from 2018?" asks for a difference of one metric across
two periods; "What is the ratio of total assets to total liabilities in 2019?" for a ratio of
two metrics in one period; "In which year was revenue the largest?" for the period where one
metric peaks. `parse_operation` names the operation, the metric phrases (as the question
writes them) and the periods, in the order the question gives them; it knows general
financial phrasing only, never a report's own words.

Periods are years here ("2019", "FY19" -> "2019", "fiscal 2018" -> "2018"): the unit in which
reports' tables label their columns; qa/text/askedperiods.py reads finer ones (quarters,
days) and qa/text/subjects.py the metric phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.askedperiods import YEAR_RANGE_RE, question_years
from qa.text.subjects import clean_subject, subject_periods, two_subjects

# clean_subject and question_years live in qa/text/subjects.py and askedperiods.py now;
# they stay importable from here.
__all__ = ["Operation", "clean_subject", "parse_operation", "question_years", "year_span"]

_F = re.IGNORECASE
# Operation cues, most specific first.
_PERCENT_CHANGE = re.compile(
    r"\b(?:percent(?:age)?|%)\s*(?:increase\s*/\s*\(?decrease\)?|change|increase|decrease|"
    r"growth|decline|rise|fall|drop|movement|difference)|\bgrowth rate\b|"
    r"\brate of (?:change|growth|increase|decrease)\b|\bby what percent(?:age)?\b|"
    r"\bhow much (?:percent|%)\b|\b(?:change|increase|decrease|growth)\s*\(\s*%\s*\)",
    _F,
)
_PERCENT_BY = re.compile(
    r"\b(?:what|by what|how much)\s+percent(?:age)?\s+(?:did|does|has|have|was|were|is)\s+"
    r"(?P<subject>.+?)\s+(?:increas|decreas|grow|grew|rise|rose|fall|fell|declin|chang|drop)",
    _F,
)
_RATIO = re.compile(
    r"\bratio\b|\bproportion\b|\bas a (?:percentage|proportion|share|fraction|%) of\b|"
    r"\bwhat (?:percentage|%|proportion|share|fraction) of\b|\bpercentage of\b|\bshare of\b|"
    r"\bdivided by\b|\bper cent of\b",
    _F,
)
_AVERAGE = re.compile(r"\baverage\b|\bmean\b", _F)
_CHANGE = re.compile(
    r"\b(?:change|changes|difference|increase|decrease|decline|rise|fall|growth|grow|grew|"
    r"increased|decreased|variance|movement|declined)\b",
    _F,
)
_DECREASE = re.compile(r"\b(?:decrease|decreased|decline|declined|fall|fell|drop|dropped)\b", _F)
_INCREASE = re.compile(r"\bincrease", _F)
_SUM = re.compile(r"\b(?:sum|combined|total|altogether|aggregate)\b", _F)
_SUPERLATIVE_MAX = re.compile(
    r"\b(?:largest|highest|greatest|biggest|most|maximum|larger|higher|greater|bigger|more)\b",
    _F,
)
_SUPERLATIVE_MIN = re.compile(
    r"\b(?:smallest|lowest|least|minimum|fewest|smaller|lower|less|fewer)\b", _F
)
_WHICH_YEAR = re.compile(r"\b(?:which|what)\s+(?:(?:fiscal\s+)?(?:year|period)s?|FY|fiscal)\b", _F)
_WHICH = re.compile(r"(?:^|,)\s*(?:in\s+|for\s+)?(?:which|what)\b", _F)
_COUNT = re.compile(r"^\s*how many\b", _F)
_SPAN = re.compile(
    r"\b(?:from|between)\s+(?:FY\s?|fiscal\s+)?((?:19|20)\d{2})\s+(?:to|and|through|until)\s+"
    r"(?:FY\s?|fiscal\s+)?((?:19|20)\d{2})\b|\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b",
    _F,
)


@dataclass(frozen=True)
class Operation:
    """What a question asks to be computed or looked up.

    kind: "percent_change", "difference", "average", "ratio", "sum", "argmax", "argmin",
    "lookup". `subjects` are metric phrases as written; `periods` are years in question order.
    `percent` marks a ratio asked as a percentage ("as a percentage of").
    """

    kind: str
    subjects: tuple[str, ...]
    periods: tuple[str, ...]
    percent: bool = False
    inner: str = ""  # "ratio": the change of a ratio between two periods
    decrease: bool = False  # "by how much did X decrease": earlier minus later
    # The years each subject names itself ("granted shares between 2017 and 2018 over
    # outstanding shares at September 30, 2017"), () where it names none.
    subject_periods: tuple[tuple[str, ...], ...] = ()


def year_span(question: str) -> tuple[str, ...]:
    """Every year of a span the question names ("from 2015 to 2019", "2017-2019", "over the
    3 year period from 2017 to 2019"), else ().

    >>> year_span("the average from 2015 to 2019"), year_span("in 2018 and 2019")
    (('2015', '2016', '2017', '2018', '2019'), ())
    """
    match = _SPAN.search(question)
    if not match:
        return ()
    first, last = sorted((int(match[1] or match[3]), int(match[2] or match[4])))
    if not 1 < last - first <= 10:
        return ()
    return tuple(str(year) for year in range(first, last + 1))


def _after(pattern: re.Pattern[str], question: str) -> str:
    match = pattern.search(question)
    return question[match.end() :] if match else question


_DIFFERENCE_BETWEEN = re.compile(r"\bdifference (?:between|in|of)\b", _F)
_SUM_WORDS = re.compile(r"\bsum\b|\bcombined\b", _F)
# "across all 3 years", "for both years": every year the row reports.
_ALL_YEARS = re.compile(
    r"\b(?:across|over|for|in)\s+(?:all|the|both)(?:\s+(?:\d|two|three|four|five))?\s+"
    r"(?:fiscal\s+)?years\b",
    _F,
)


def _extreme(question: str, years: tuple[str, ...]) -> Operation | None:
    """ "In which year was X the largest?", "Between 2018 and 2019, which year has higher X?" """
    if not (_WHICH.search(question) and _WHICH_YEAR.search(question)):
        return None
    subject = clean_subject(_WHICH_YEAR.sub(" ", question))
    subject = " ".join(_SUPERLATIVE_MAX.sub(" ", _SUPERLATIVE_MIN.sub(" ", subject)).split())
    if _SUPERLATIVE_MAX.search(question):
        return Operation("argmax", (subject,), years)
    if _SUPERLATIVE_MIN.search(question):
        return Operation("argmin", (subject,), years)
    return None


_AVERAGE_OF = re.compile(
    r"\bbetween\s+(?P<a>.*?\baverage\b.+?)\s+and\s+(?P<b>.*?\baverage\b.+?)\??$", _F
)


def _change_of_averages(question: str, years: tuple[str, ...]) -> Operation | None:
    """ "the change between 2018 and 2019 average free cash flow" (an average of opening and
    closing balance per year, then their change), "the percentage change in the average X",
    and "the difference between 2019 average X and 2019 average Y"."""
    average, change = _AVERAGE.search(question), _CHANGE.search(question)
    percent = _PERCENT_CHANGE.search(question)
    first = min((m.start() for m in (change, percent) if m), default=None)
    if not average or first is None or first > average.start():
        return None
    pair = _AVERAGE_OF.search(question)
    if pair and len(years) <= 1:
        subjects = (
            clean_subject(_after(_AVERAGE, pair["a"])),
            clean_subject(_after(_AVERAGE, pair["b"])),
        )
        if all(subjects):
            return Operation("difference", subjects, years, inner="average")
    # "between 2017-2018, and 2018-2019": each pair of years is one average, named by the
    # year it ends in (as "the 2019 average" is that of 2018 and 2019).
    pairs = [m for m in YEAR_RANGE_RE.finditer(question) if int(m[2]) - int(m[1]) == 1]
    if len(pairs) >= 2:
        years = tuple(sorted({m[2] for m in pairs}, reverse=True))
    if len(years) < 2:
        return None
    kind = "percent_change" if percent else "difference"
    subject = clean_subject(_after(_AVERAGE, question))
    return Operation(kind, (subject,), years, inner="average")


# "the percentage constitution of X in Y" is the percentage of X in Y; "the absolute
# percentage change" of a rate is its change in points, not relative.
_COMPOSITION = re.compile(
    r"\b(percentage|proportion|share)\s+(?:of\s+)?(?:constitution|composition)\s+of\b", _F
)
_ABSOLUTE = re.compile(r"\babsolute\s+(?:percentage|percent|%)\s+(?=change|difference)", _F)


def _normalized(question: str) -> str:
    """
    >>> _normalized("What is the percentage constitution of X in Y?")
    'What is the percentage of X in Y?'
    """
    return _ABSOLUTE.sub("", _COMPOSITION.sub(r"\1 of", question))


def parse_operation(question: str) -> Operation | None:
    """The operation a question asks for, or None when it asks for no computation.

    >>> op = parse_operation("What is the change in Other in 2019 from 2018?")
    >>> op.kind, op.subjects, op.periods
    ('difference', ('Other',), ('2019', '2018'))
    >>> parse_operation("What is the ratio of total assets to total liabilities in 2019?").subjects
    ('total assets', 'total liabilities')
    >>> parse_operation("In which year was the amount for Sensors the largest?").kind
    'argmax'
    """
    question = _normalized(question)
    years = question_years(question)
    extreme = _extreme(question, years)
    if extreme is not None:
        return extreme
    of_averages = _change_of_averages(question, years)
    if of_averages is not None:
        return of_averages
    by = _PERCENT_BY.search(question)
    if by:  # "What percentage did sales increase by between F19 and F18?"
        return Operation("percent_change", (clean_subject(by["subject"]),), years)
    if _PERCENT_CHANGE.search(question):
        subject = clean_subject(_after(_PERCENT_CHANGE, question))
        return Operation("percent_change", (subject,), years)
    ratio = _RATIO.search(question)
    if ratio:
        pair = two_subjects(question)
        percent = bool(re.search(r"percent|%", question, _F))
        if pair:
            change = _CHANGE.search(question)
            if change and change.start() < ratio.start() and len(years) >= 2:
                # "the change in the current ratio from 2018 to 2019": a ratio per year, then
                # their difference.
                return Operation("difference", pair, years, percent, inner="ratio")
            return Operation(
                "ratio", pair, years, percent, subject_periods=subject_periods(question)
            )
    if _AVERAGE.search(question):
        subject = clean_subject(_after(_AVERAGE, question))
        return Operation("average", (subject,), year_span(question) or years)
    if _CHANGE.search(question):
        pair = two_subjects(question) if _DIFFERENCE_BETWEEN.search(question) else None
        if pair and len(years) <= 1:
            return Operation("difference", pair, years, subject_periods=subject_periods(question))
        change = _CHANGE.search(question)
        # "the change in X" names X after the word; "How much did X decrease by" before it.
        subject = clean_subject(_after(_CHANGE, question)) or clean_subject(
            question[: change.start()] if change else question
        )
        decrease = bool(_DECREASE.search(question)) and not _INCREASE.search(question)
        return Operation("difference", (subject,), years, decrease=decrease)
    if _SUM.search(question) and (
        len(years) >= 2 or _SUM_WORDS.search(question) or _ALL_YEARS.search(question)
    ):
        return _sum(question, years)
    return None


def _sum(question: str, years: tuple[str, ...]) -> Operation:
    """ "the sum of X and Y" (two metrics), "the total X from 2017 to 2019" (one metric over
    years: its Total row, the word kept)."""
    cue = _SUM.search(question)
    rest = _after(_SUM, question)
    parts = tuple(part for piece in re.split(r"\band\b|,", rest) if (part := clean_subject(piece)))
    if len(years) >= 2 or len(parts) < 2:
        total = "total " if cue and cue[0].lower() == "total" else ""
        parts = (total + clean_subject(rest),)
    return Operation("sum", parts, year_span(question) or years)
