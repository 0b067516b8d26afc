"""Reporting periods: find them in text, name them canonically, and compare them.

Canonical labels: "1H2022" / "2H2022" (halves), "1Q2022" (quarters), "FY2021" (full years),
"2019" (a calendar year named without more detail), "as of June 30, 2022" (a point in time),
"since 2018" (cumulative), "in six months" (relative), "May 2022" (a month).

Bare years are periods, never figures: "Since 2018" and "in 2019" name when, not how much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.numerals import DATE_RE, MONTH_RE, WORDS_RE, date_parts, format_date

_HALF = {"first": 1, "second": 2, "1": 1, "2": 2}
_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_YEAR = r"((?:19|20)[0-9]{2})"
# In a compact token glued to its year ("1H2022", "Q32023", "FY2021") any four digits are a
# year: "1H9999" is a period nobody reports, not a number.
_COMPACT_YEAR = r"((?:19|20)[0-9]{2}|(?:(?<=[HQY])|(?<=[HQ][1-4]))[0-9]{4})"
_DATE = DATE_RE.pattern.replace("(?P<", "(?P<p")  # same date grammar, renamed groups


@dataclass(frozen=True)
class PeriodCue:
    """A period phrase in text. `carries` says whether it also governs the following sentences
    of its paragraph ("In 1H2022, ..." does; "Since 2018, ..." and "compared with ..." don't)."""

    start: int
    end: int
    label: str
    carries: bool = True


def _half(m: re.Match[str]) -> str:
    return f"{_HALF[m['h'].lower()]}H{m['y']}"


def _quarter(m: re.Match[str]) -> str:
    q = m["q"].lower()
    return f"{_QUARTER.get(q, 0) or int(q)}Q{m['y']}"


def _as_of(m: re.Match[str]) -> str:
    sub = DATE_RE.search(m.group(0))
    assert sub is not None  # the pattern embeds DATE_RE
    return "as of " + format_date(*date_parts(sub))


def _month(m: re.Match[str]) -> str:
    sub = DATE_RE.search(m.group(0))
    assert sub is not None
    year, month, _ = date_parts(sub)
    return format_date(year, month, 0)


# (pattern, label builder, carries). Earlier rows win where matches overlap.
PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], object, bool], ...] = (
    (re.compile(rf"\bsix\s+months\s+ended\s+(?:30\s+June|June\s+30)\s*,?\s*(?P<y>{_YEAR})",
                re.I | re.A), lambda m: f"1H{m['y']}", True),
    (re.compile(rf"\b(?:twelve\s+months|year)\s+ended\s+(?:31\s+December|December\s+31)\s*,?\s*"
                rf"(?P<y>{_YEAR})", re.I | re.A), lambda m: f"FY{m['y']}", True),
    (re.compile(rf"\b(?P<h>first|second)\s+half\s+(?:of\s+)?(?:the\s+year\s+)?(?P<y>{_YEAR})",
                re.I | re.A), _half, True),
    (re.compile(rf"(?<![\w])(?P<h>[12])H\s?(?P<y>{_COMPACT_YEAR})\b"), _half, True),
    (re.compile(rf"(?<![\w])H(?P<h>[12])\s?(?P<y>{_COMPACT_YEAR})\b"), _half, True),
    (re.compile(rf"\b(?P<q>first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?P<y>{_YEAR})",
                re.I | re.A), _quarter, True),
    (re.compile(rf"(?<![\w])Q(?P<q>[1-4])\s?(?P<y>{_COMPACT_YEAR})\b"), _quarter, True),
    (re.compile(rf"(?<![\w])(?P<q>[1-4])Q\s?(?P<y>{_COMPACT_YEAR})\b"), _quarter, True),
    (re.compile(rf"\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?:the\s+)?full[\s-]year\s+"
                rf"(?:of\s+)?(?P<y>{_YEAR})", re.I | re.A), lambda m: f"FY{m['y']}", False),
    (re.compile(rf"\b(?:the\s+)?full[\s-]year\s+(?:of\s+)?(?P<y>{_YEAR})", re.I | re.A),
     lambda m: f"FY{m['y']}", True),
    (re.compile(rf"(?<![\w])FY\s?(?P<y>{_COMPACT_YEAR})\b"), lambda m: f"FY{m['y']}", True),
    (re.compile(rf"\bfiscal\s+(?:year\s+)?(?P<y>{_YEAR})\b", re.I | re.A),
     lambda m: f"FY{m['y']}", True),
    (re.compile(rf"\bas\s+(?:of|at)\s+{_DATE}", re.I | re.A), _as_of, True),
    (re.compile(rf"\bsince\s+(?P<y>{_YEAR})\b", re.I | re.A), lambda m: f"since {m['y']}", False),
    (re.compile(rf"\b(?:in|over|during)\s+(?:the\s+(?:past|last)\s+)?(?P<n>{WORDS_RE}|\d+)\s+"
                r"(?P<u>months|weeks|years|days)\b", re.I | re.A),
     lambda m: f"in {m['n'].lower()} {m['u'].lower()}", False),
    (re.compile(rf"\b(?:in|during)\s+(?:{MONTH_RE})\s+{_YEAR}\b", re.I | re.A), _month, True),
    (re.compile(rf"\b(?:in|during|for)\s+(?:the\s+(?:calendar\s+)?year\s+)?(?P<y>{_YEAR})\b"
                r"(?![\w,.]?\d)", re.I | re.A), lambda m: m["y"], True),
)  # fmt: skip


def find_period_cues(text: str) -> list[PeriodCue]:
    """All period phrases in `text`, in order, without overlaps.

    >>> [c.label for c in find_period_cues("In 1H2022, revenue rose; since 2018, it doubled.")]
    ['1H2022', 'since 2018']
    >>> [c.label for c in find_period_cues("As of June 30,2022, the first half of 2021")]
    ['as of June 30, 2022', '1H2021']
    """
    cues: list[PeriodCue] = []
    taken: list[tuple[int, int]] = []
    for pattern, build, carries in PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            label = build(m)  # type: ignore[operator]
            cues.append(PeriodCue(m.start(), m.end(), str(label), carries))
            taken.append((m.start(), m.end()))
    return sorted(cues, key=lambda c: c.start)


_LABEL_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}|(?<=[HQY])[0-9]{4}")


def period_year(label: str) -> int | None:
    """The calendar year a canonical label is about, if it names one.

    >>> period_year("1H2022"), period_year("as of June 30, 2022"), period_year("in six months")
    (2022, 2022, None)
    >>> period_year("1H9999"), period_year("in 1000 days")
    (9999, None)
    """
    m = _LABEL_YEAR_RE.search(label)
    return int(m.group(0)) if m else None


def _grain(label: str) -> tuple[str, int]:
    """("half", 1) for 1H2022, ("month", 6) for a date in June, ("year", 0) for "2022"..."""
    if m := re.fullmatch(r"([12])H\d{4}", label):
        return "half", int(m.group(1))
    if m := re.fullmatch(r"([1-4])Q\d{4}", label):
        return "quarter", int(m.group(1))
    if label.startswith("FY"):
        return "full", 0
    if label.startswith("since"):
        return "since", 0
    if m := DATE_RE.search(label):
        return "month", date_parts(m)[1]
    return "year", 0


def periods_compatible(asked: str, stated: str | None) -> bool:
    """Whether a figure stated for `stated` can answer a question about `asked`.

    A bare year ("2022") accepts anything inside it; a full year does not accept a half; an
    unknown or relative stated period is not held against the figure.

    >>> periods_compatible("2019", "1H2022"), periods_compatible("2022", "1H2022")
    (False, True)
    >>> periods_compatible("FY2022", "1H2022"), periods_compatible("1H2022", "as of June 30, 2022")
    (False, True)
    """
    if stated is None or period_year(stated) is None or period_year(asked) is None:
        return True
    if period_year(asked) != period_year(stated):
        return False
    (a_grain, a_part), (s_grain, s_part) = _grain(asked), _grain(stated)
    if a_grain == "year" or s_grain in ("year", "since"):
        return True
    if a_grain == "full":
        return s_grain in ("full", "month") and (s_grain == "full" or s_part == 12)
    if a_grain == "half":
        if s_grain == "half":
            return a_part == s_part
        if s_grain == "quarter":
            return (s_part + 1) // 2 == a_part
        if s_grain == "month":
            return (s_part + 5) // 6 == a_part
        return False
    if a_grain == "quarter":
        return (s_grain == "quarter" and a_part == s_part) or (
            s_grain == "month" and (s_part + 2) // 3 == a_part
        )
    if a_grain == "month":
        return (s_grain == "month" and a_part == s_part) or s_grain in ("half", "quarter")
    return True
