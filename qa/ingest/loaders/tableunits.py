"""What a table's words say about its numbers: the scale and currency of a note or header
("(in millions)", "$'000", "RMB million", "U.S. $ in thousands"), the period a column header
names ("Years Ended September 30 · 2019" -> "FY2019"), and cell numbers as tables write them
("$ (1,234.5)", "12.5%", "—"). Pure functions over strings.
"""

from __future__ import annotations

import re

from qa.text.numerals import DATE_RE, date_parts, format_date
from qa.text.periods import find_period_cues

# Scale word -> multiplier (the Figure convention: currencies and counts fully scaled).
MULTIPLIERS = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
# Currency as a table writes it -> ISO code. Longer forms first where they share a prefix.
_CURRENCIES = (
    (r"hk\$|hkd", "HKD"), (r"us\$|u\.s\.\s?\$|usd|us dollars?", "USD"), (r"rmb|cny|yuan", "RMB"),
    (r"a\$|aud", "AUD"), (r"s\$|sgd", "SGD"), (r"nt\$|nt dollars?|new taiwan dollars?|twd", "TWD"),
    (r"€|eur|euros?", "EUR"), (r"£|gbp", "GBP"),
    (r"¥|jpy|yen", "JPY"), (r"\$|dollars?", "USD"),
)  # fmt: skip
_CURRENCY_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_CURRENCIES)) + ")",
    re.I,
)
_SCALE_WORDS = r"['’‘]?(?P<w>thousands?|millions?|billions?|'000s?|’000s?|‘000s?|000s|mn|m|bn|k)"
_CUR = r"(?:hk\$|us\$|u\.s\.\s?\$|a\$|s\$|rmb|usd|eur|gbp|cny|\$|€|£|¥)"
# A scale stated as a note: "in millions", "(thousands)", "$'000", "RMB million", "(€m)".
_NOTE_RES = (
    re.compile(
        rf"\bin\s*(?:{_CUR}\s*|u\.s\.\s+dollars\s+|dollars\s+)?{_SCALE_WORDS}(?![a-z])", re.I
    ),
    re.compile(rf"\({_CUR}?\s*(?:in\s+)?{_SCALE_WORDS}(?![a-z])[^()]{{0,60}}\)", re.I),
    re.compile(rf"(?<![a-z0-9]){_CUR}\s?{_SCALE_WORDS}(?![a-z])", re.I),
    re.compile(rf"(?<![a-z]){_SCALE_WORDS}\s+of\s+(?:{_CUR}|u\.s\.\s+dollars|dollars|euros)", re.I),
)  # fmt: skip
# In a header cell a bare scale word is a note too ("Millions", "€ million", "'000").
_HEADER_SCALE = re.compile(rf"^\W*(?:{_CUR}\s*)?{_SCALE_WORDS}\W*$", re.I)
_YEAR = re.compile(r"(?<![\d.])(?<!\d,)((?:19|20)\d{2})(?!\d|[,.]\d)")
# "2 0 1 8": single digits spaced out (a typesetting artifact), never "30 2019".
_SHORT_FISCAL = re.compile(r"\bFY?\s?['’]?(\d{2})\b")
_SPACED_DIGITS = re.compile(r"(?<=(?<!\d)\d) (?=\d(?!\d))")
# A quarter a header names: an ordinal next to "quarter", or "Q1".."Q4".
_QUARTER = re.compile(
    r"\b(?P<w>first|second|third|fourth)\b[\s,]*(?:fiscal\s+)?quarter\b|\bq(?P<n>[1-4])\b", re.I
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_NOTE_MARK = re.compile(r"\s*(?:\(\w\)|\*+)$")
_EMPTY = frozenset({"", "-", "–", "—", "−", "--", "n/a", "na", "nm", "n.m.", "*", "—%", "-%"})
_CELL = re.compile(
    r"^(?P<cur>[A-Z]{0,3}\$|[€£¥]|RMB|USD|HKD|EUR|GBP)?\s*(?P<open>\()?\s*"
    r"(?P<cur2>[A-Z]{0,3}\$|[€£¥])?\s*(?P<sign>[-–−])?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<pct>%)?\s*(?P<close>\))?\s*(?P<pct2>%)?\s*(?P<x>x|times)?\s*"
    r"(?P<note>\*+|\(\w\)|\[\d+\])?$",
    re.I,
)


def scale_word(word: str) -> str:
    """The canonical scale of a written scale word.

    >>> scale_word("'000"), scale_word("Millions"), scale_word("bn"), scale_word("m")
    ('thousand', 'million', 'billion', 'million')
    """
    w = word.lower().rstrip("s")
    if w in ("thousand", "'000", "’000", "‘000", "000", "k"):
        return "thousand"
    if w in ("million", "mn", "m"):
        return "million"
    if w in ("billion", "bn"):
        return "billion"
    return ""


def currency_of(text: str) -> str:
    """The ISO code of the first currency `text` names, or "".

    >>> currency_of("U.S. $ in thousands"), currency_of("RMB million"), currency_of("2019")
    ('USD', 'RMB', '')
    """
    match = _CURRENCY_RE.search(text)
    if not match:
        return ""
    index = next(i for i, group in enumerate(match.groups()) if group is not None)
    return _CURRENCIES[index][1]


def find_scale(text: str, *, header: bool = False, prose: bool = False) -> tuple[str, str]:
    """(scale, currency) that a note states, else ("", "").

    In `prose` only explicit notes count ("in millions", "($ in thousands)", "amounts in RMB
    million"), so "rose by $5.2 million" or "per $ million of revenue" state no scale; a
    caption or header also states one as "RMB million" or "$'000", and `header=True` takes
    a cell that is only a scale ("€m", "Millions").

    >>> find_scale("The table below presents sales by contract type (in millions):", prose=True)
    ('million', '')
    >>> find_scale("($ in millions)"), find_scale("$'000", header=True)
    (('million', 'USD'), ('thousand', 'USD'))
    >>> find_scale("Revenue rose by $5.2 million", prose=True)
    ('', '')
    """
    patterns = _NOTE_RES[:2] if prose else _NOTE_RES
    candidates = [p.search(text) for p in patterns]
    if header:
        candidates.append(_HEADER_SCALE.search(text.strip()))
    found = [m for m in candidates if m is not None]
    if not found:
        return "", ""
    match = min(found, key=lambda m: m.start())
    scale = scale_word(match.group("w"))
    # A bare "m" or "k" is a scale only right after a currency ("$m", "€ m").
    if match.group("w").lower() in ("m", "k") and not currency_of(match.group(0)):
        return "", ""
    currency = currency_of(match.group(0))
    tail = re.match(r"\s+of\s+([^.,;)]{1,24})", text[match.end() :])
    if not currency and tail:  # "in thousands of US dollars"
        currency = currency_of(tail.group(1))
    return scale, currency


def column_period(header: str) -> str | None:
    """The canonical period a merged column header names, or None.

    >>> column_period("Years Ended September 30 · 2019"), column_period("1H2022")
    ('FY2019', '1H2022')
    >>> column_period("December 31 · 2019"), column_period("2018 (4)"), column_period("Change")
    ('as of December 31, 2019', '2018', None)
    >>> column_period("F19 · 53 WEEKS"), column_period("FY'22")
    ('FY2019', 'FY2022')
    """
    text = _SPACED_DIGITS.sub("", header.replace(" · ", ", "))
    years = _YEAR.findall(text)
    short = _SHORT_FISCAL.search(text)
    if not years and short:  # "FY19", "F19": fiscal years written with two digits
        return f"FY20{short.group(1)}"
    if len(set(years)) != 1:
        cues = [c.label for c in find_period_cues(text)]
        return cues[0] if len(years) == 0 and len(cues) == 1 else None
    year = years[0]
    lower = text.lower()
    quarter = _QUARTER.search(text)
    if quarter:  # "Fiscal 2019 · Second · Quarter", "Q2 2019"
        q = quarter["w"] or quarter["n"]
        return f"{_ORDINALS.get(q.lower(), 0) or int(q)}Q{year}"
    for cue in find_period_cues(text):
        if cue.label[:2] in ("1H", "2H", "FY") or cue.label[1:2] == "Q":
            return cue.label
    if re.search(r"\bsix\s+months\b", lower):
        date = DATE_RE.search(text)
        month = date_parts(date)[1] if date else 6
        return f"{1 if month <= 6 else 2}H{year}"
    if re.search(r"\b(?:three\s+months|quarter)\b", lower):
        date = DATE_RE.search(text)
        return f"{(date_parts(date)[1] + 2) // 3}Q{year}" if date else None
    if re.search(r"\b(?:years?|fiscal|twelve\s+months|annual|fy)\b", lower):
        return f"FY{year}"
    date = DATE_RE.search(text)
    if date and date.group("m3") is None:
        y, m, d = date_parts(date)
        return "as of " + format_date(y, m, d)
    return str(year)


def parse_cell(cell: str) -> tuple[float, str, str] | None:
    """(value as written, currency, "%" or "x" or "") of a numeric cell, else None.

    Parentheses and minus signs make it negative; dashes and "n/a" are blank (None).

    >>> parse_cell("$ (1,234.5)"), parse_cell("12.5%"), parse_cell("—"), parse_cell("FY2019")
    ((-1234.5, 'USD', ''), (12.5, '', '%'), None, None)
    """
    text = cell.strip()
    if text.lower() in _EMPTY:
        return None
    match = _CELL.match(text)
    if not match or bool(match["open"]) != bool(match["close"]):
        return None
    value = float(match["num"].replace(",", ""))
    if match["open"] or match["sign"]:
        value = -value
    symbol = match["cur"] or match["cur2"] or ""
    mark = "%" if match["pct"] or match["pct2"] else "x" if match["x"] else ""
    return value, currency_of(symbol) if symbol else "", mark


def is_year(cell: str) -> bool:
    """A cell that is a year (a label, not an amount).

    >>> is_year("2019"), is_year("2 0 1 8"), is_year("2,019"), is_year("2018 (4)")
    (True, True, False, True)
    """
    text = _NOTE_MARK.sub("", _SPACED_DIGITS.sub("", cell.strip()))
    return bool(re.fullmatch(r"(?:19|20)\d{2}", text))


def is_amount(cell: str) -> bool:
    """A numeric cell that is not a year: what a header row never holds.

    >>> is_amount("1,452.4"), is_amount("2019"), is_amount("€m"), is_amount("(4)")
    (True, False, False, True)
    """
    return parse_cell(cell) is not None and not is_year(cell)
