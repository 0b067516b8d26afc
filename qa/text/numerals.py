"""Numbers as written in prose: digits, spelled-out words, scale words, currencies, dates.

Tables, not code: every surface form the extractor knows is a named constant here, so adding
"lakh" or "CHF" is a one-line change. Pure functions only.
"""

from __future__ import annotations

import re

# Spelled-out cardinals. Larger numbers are always written in digits in financial prose.
WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip

# Ordinals used in rankings ("ranks first", "No. 2").
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip

# Scale word (lower case) -> factor. Single letters only count when glued to the number
# ("US$5m", "3k"), because "5 m" is five metres; see SCALE_RE.
SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    # Forms tables and headers use ("$'000", "in thousands", "$mm"); SCALE_RE never matches
    # them in prose, so they only serve scale_factor's readers of a figure's scale word.
    "thousands": 1e3, "'000": 1e3, "’000": 1e3, "‘000": 1e3, "millions": 1e6, "mm": 1e6,
    "billions": 1e9,
}  # fmt: skip

# Currency written before the number -> ISO code. "¥" is resolved from context (see
# resolve_yen), so it maps to a placeholder here.
CURRENCY_PREFIXES: dict[str, str] = {
    "rmb": "RMB", "cny": "RMB", "hk$": "HKD", "hkd": "HKD", "us$": "USD", "usd": "USD",
    "$": "USD", "s$": "SGD", "sgd": "SGD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "jpy": "JPY", "¥": "¥", "￥": "¥",
}  # fmt: skip
# Currency written after the number ("5 million yuan") -> ISO code.
CURRENCY_SUFFIXES: dict[str, str] = {
    "yuan": "RMB", "renminbi": "RMB", "rmb": "RMB", "cny": "RMB", "hong kong dollars": "HKD",
    "hk dollars": "HKD", "hkd": "HKD", "us dollars": "USD", "dollars": "USD", "usd": "USD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR", "pounds": "GBP", "yen": "JPY", "jpy": "JPY",
}  # fmt: skip

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Misspellings seen in real releases ("25 Augsut 2022" in a release's dateline).
    "augsut": 8, "agust": 8, "feburary": 2, "febuary": 2, "septmber": 9,
}  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# A month name, optionally abbreviated with a dot ("Aug."), as a whole word.
MONTH_RE = rf"(?:{_MONTH_ALT})\.?"
# Digits: grouped thousands (1,420.5) or plain (2.5, .5). "30,2022" is not grouped thousands.
DIGITS_RE = r"(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_WORD_ALT = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# Spelled-out numbers, including hyphenated compounds ("twenty-five").
WORDS_RE = rf"(?:(?:{_TENS})-(?:{_UNITS})|{_WORD_ALT})"
SCALE_RE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|mln|tn|trn)|(?:k|m|b))(?![A-Za-z])"

# Day Month Year, Month Day, Year (comma and space optional: "June 30,2022"), Month Year.
DATE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<d1>[0-3]?[0-9])\s+(?P<m1>{MONTH_RE})\s*,?\s+(?P<y1>[0-9]{{4}})"
    rf"|(?P<m2>{MONTH_RE})\s+(?P<d2>[0-3]?[0-9])(?:st|nd|rd|th)?\s*,\s*(?P<y2>[0-9]{{4}})"
    rf"|(?P<m3>{MONTH_RE})\s+(?P<y3>[0-9]{{4}}))(?![\w])",
    re.IGNORECASE | re.ASCII,
)


def parse_digits(text: str) -> float:
    """Parse a digit string with thousands separators.

    >>> parse_digits("1,420.5")
    1420.5
    >>> parse_digits(".5")
    0.5
    """
    return float(text.replace(",", ""))


def parse_words(text: str) -> float:
    """Parse a spelled-out number, including "twenty-five".

    >>> parse_words("Five"), parse_words("twenty-five")
    (5.0, 25.0)
    """
    parts = text.lower().split("-")
    return float(sum(WORD_NUMBERS[p] for p in parts))


def scale_factor(word: str) -> float:
    """Factor for a scale word as written; 1.0 for none.

    >>> scale_factor(" billion"), scale_factor("bn"), scale_factor("")
    (1000000000.0, 1000000000.0, 1.0)
    """
    return SCALES.get(word.strip().lower(), 1.0)


def resolve_yen(text: str) -> str:
    """The ISO code "¥" stands for in `text`: JPY only when the text is about Japan or yen.

    Chinese releases write ¥ for renminbi, so RMB is the default rather than JPY.

    >>> resolve_yen("Revenue was ¥3 billion in Tokyo"), resolve_yen("¥3 billion, Shanghai")
    ('JPY', 'RMB')
    """
    return "JPY" if re.search(r"\b(?:yen|JPY|Japan|Japanese|Tokyo)\b", text) else "RMB"


def date_parts(match: re.Match[str]) -> tuple[int, int, int]:
    """(year, month, day) of a DATE_RE match; day is 0 for "August 2022".

    >>> date_parts(DATE_RE.search("on 25 Augsut 2022."))
    (2022, 8, 25)
    """
    month = match["m1"] or match["m2"] or match["m3"]
    year = match["y1"] or match["y2"] or match["y3"]
    day = match["d1"] or match["d2"] or "0"
    return int(year), MONTHS[month.lower().rstrip(".")], int(day)


def format_date(year: int, month: int, day: int) -> str:
    """Canonical written form of a date: "June 30, 2022", or "August 2022" without a day.

    >>> format_date(2022, 6, 30), format_date(2022, 8, 0)
    ('June 30, 2022', 'August 2022')
    """
    name = MONTH_NAMES[month - 1]
    return f"{name} {day}, {year}" if day else f"{name} {year}"
