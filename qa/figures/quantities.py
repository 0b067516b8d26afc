"""The surface of a quantity: where a number starts and ends, its value, unit, kind,
qualifier and whether it states a change. What it measures and when is `qa.figures.extract`' job.

Conventions (see qa/types.py Figure): currencies and counts are fully scaled (RMB1.42 billion
-> 1.42e9); percent, pp and bp are as written (66% -> 66.0); dates are YYYYMMDD numbers with
day 0 when only a month is given (August 2022 -> 20220800); ranks are the position (first ->
1). A range ("10–15%") has its low end in `value` and its high end in `high`. A money figure
wrapped in parentheses ("(RMB 2.1 million)") is an accounting negative.
"""

from __future__ import annotations

import re

from qa.figures.phrases import forward_np_span
from qa.text.kinds import (
    AREA,
    BASIS_POINT_UNIT,
    BASIS_POINTS,
    COMPUTE,
    COUNT,
    CURRENCY,
    DATE,
    DURATION,
    MULTIPLIER,
    MULTIPLIER_UNIT,
    PERCENT,
    PERCENT_KINDS,
    PERCENT_UNIT,
    PERCENTAGE_POINT_UNIT,
    PERCENTAGE_POINTS,
    RANK,
)
from qa.text.numerals import (
    CURRENCY_PREFIXES,
    CURRENCY_SUFFIXES,
    DATE_RE,
    DIGITS_RE,
    ORDINALS,
    SCALE_RE,
    WORD_NUMBERS,
    WORDS_RE,
    date_parts,
    parse_digits,
    parse_words,
    scale_factor,
)
from qa.types import Figure

_F = re.IGNORECASE | re.ASCII
NUMBER_RE = re.compile(
    rf"(?<![0-9])(?<![0-9][.,])(?:{DIGITS_RE}|(?<![\w-]){WORDS_RE}(?![\w-]))", _F
)
# Words before a number that qualify it; they become part of the figure's text.
QUALIFIERS = (
    "more than", "over", "nearly", "approximately", "approx.", "around", "about", "almost",
    "up to", "exceeding", "in excess of", "at least", "less than", "under", "below", "above",
    "close to", "roughly", "some", "only", "as many as", "as much as", "an estimated",
)  # fmt: skip
QUALIFIER_RE = re.compile(
    r"(?<![\w-])(?P<q>" + "|".join(re.escape(q) for q in QUALIFIERS) + r")\s+$", _F
)
# A verb that qualifies without being part of the figure: "has exceeded RMB10 billion".
VERB_QUALIFIER_RE = re.compile(r"\b(?:exceeded|exceeds|surpassed|surpasses|topped)\s+$", _F)
CURRENCY_PREFIX_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:RMB|CNY|HKD|USD|SGD|EUR|GBP|JPY)|(?<![A-Za-z])(?:HK|US|S)\$"
    r"|(?<![A-Za-z$])\$|[€£¥￥])\s?$",
    _F,
)
CURRENCY_SUFFIX_RE = re.compile(
    r"\s(?P<c>" + "|".join(sorted(CURRENCY_SUFFIXES, key=len, reverse=True)) + r")\b", _F
)
# (pattern right after the number, unit, kind). Order matters: "percentage points" before "%".
UNITS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(p, _F), unit, kind)
    for p, unit, kind in (
        (r"\s?(?:percentage\s+points?|ppts?\b|pp\b)", PERCENTAGE_POINT_UNIT, PERCENTAGE_POINTS),
        (r"\s?(?:basis\s+points?|bps\b|bp\b)", BASIS_POINT_UNIT, BASIS_POINTS),
        (r"\s?(?:%|per\s?cent\b|percent\b)", PERCENT_UNIT, PERCENT),
        (r"\s?(?:exaflops|eflops)\b", "exaFLOPS", COMPUTE),
        (r"\s?(?:petaflops|pflops)\b", "petaFLOPS", COMPUTE),
        (r"\s?(?:teraflops|tflops)\b", "teraFLOPS", COMPUTE),
        (r"\s?(?:square\s+(?:meters?|metres?)\b|sq\.?\s?m\b|sqm\b|m²)", "square meters", AREA),
        (r"\s?(?:square\s+(?:feet|foot)\b|sq\.?\s?ft\b)", "square feet", AREA),
        (r"\s?(?:square\s+kilomet(?:er|re)s?\b|km²)", "square kilometers", AREA),
        (r"\s?hectares?\b", "hectares", AREA),
        (r"(?:x\b|\s?times\b|-?fold\b)", MULTIPLIER_UNIT, MULTIPLIER),
    )
)
DURATION_RE = re.compile(
    r"\s+(?:(?:consecutive|straight|successive|full)\s+)?"
    r"(?P<u>years?|months?|weeks?|days?|hours?|quarters?)\b",
    _F,
)
# Numbers after these words are names, not quantities: "stock code: 0020", "Type 3"; so
# are numbers after a CamelCase product name ("PlayStation 5", a game title).
NAME_PREFIX_RE = re.compile(
    r"(?-i:\b[A-Z][a-z]+[A-Z][A-Za-z]*)\s*$|"
    r"\b(?:stock\s+code|code|type|version|phase|tier|grade|level|series|chapter|"
    r"article|section|item|note|room|gate|no\.|iso|iec|covid|windows|iphone)\s*[:#]?\s*$",
    _F,
)
# "the two segments" refers back; it does not state a quantity.
REFERENCE_WORDS = frozenset({"the", "these", "those", "its", "our", "their", "both", "each"})
GLUED_UNIT_RE = re.compile(r"(?:k|m|b|bn|mn|tn|x|pp|bps|bp|fold)(?![A-Za-z])", re.ASCII)
CHANGE_LEFT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _F), direction)
    for p, direction in (
        (r"\b(?:increased?|increasing|increases|rose|rise|rising|rises|grew|grow|growing|grows|"
         r"jumped|climbed|gained|surged|expanded|improved|improving|added|adding|adds)\s+"
         r"(?:by\s+)?(?:an?\s+)?(?:additional\s+)?$", "increase"),
        (r"\b(?:decreased?|decreasing|decreases|declined?|declining|declines|fell|fall|falling|"
         r"dropped|drop|shrank|reduced|cut|narrowed|worsened)\s+(?:by\s+)?$", "decrease"),
        (r"\b(?:increase|growth|rise|gain|jump|expansion)\s+(?:of|by)\s+$", "increase"),
        (r"\b(?:decrease|decline|drop|fall|reduction|contraction)\s+(?:of|by)\s+$", "decrease"),
    )
)  # fmt: skip
UP_DOWN_LEFT = (
    (re.compile(r"\bup\s+(?:by\s+)?$", _F), "increase"),
    (re.compile(r"\bdown\s+(?:by\s+)?$", _F), "decrease"),
)
CHANGE_RIGHT = (
    (re.compile(r"\s*(?:higher|more|increase|growth|rise)\b", _F), "increase"),
    (re.compile(r"\s*(?:lower|less|decrease|decline|drop)\b", _F), "decrease"),
)
RANK_RE = re.compile(
    r"\brank(?:s|ed|ing)?\s+(?:(?:among|in|as)\s+(?:the\s+)?)?"
    rf"(?P<r>top\s+(?P<n>{WORDS_RE}|[0-9]+)"
    rf"|first|second|third|fourth|fifth|No\.\s?[0-9]+|number\s+one|[0-9]+(?:st|nd|rd|th))\b"
    r"|\b(?P<r2>No\.\s?[0-9]+|number\s+one)\b",
    _F,
)


def scan_dates(text: str, start: int, end: int, doc_id: str = "") -> list[Figure]:
    """Dates with a year: one `date` figure each (the year inside is not a separate figure).

    >>> [(f.text, f.value) for f in scan_dates("On June 30,2022 and in May 2022.", 0, 32)]
    [('June 30,2022', 20220630.0), ('May 2022', 20220500.0)]
    """
    found = []
    for m in DATE_RE.finditer(text, start, end):
        year, month, day = date_parts(m)
        if day > 31:
            continue
        value = float(year * 10000 + month * 100 + day)
        found.append(Figure(m.group(0), value, DATE, DATE, m.start(), m.end(), doc_id=doc_id))
    return found


def scan_ranks(text: str, start: int, end: int, doc_id: str = "") -> list[Figure]:
    """Rankings: "ranks first" -> 1, "ranks among the top three" -> 3, "No. 2" -> 2.

    >>> [(f.text, f.value) for f in scan_ranks("It ranks among the top three.", 0, 29)]
    [('top three', 3.0)]
    """
    found = []
    for m in RANK_RE.finditer(text, start, end):
        group = "r" if m["r"] else "r2"
        word = m[group].lower()
        if m["n"]:
            n = m["n"]
            value = parse_words(n) if n[0].isalpha() else parse_digits(n)
        elif word in ORDINALS:
            value = float(ORDINALS[word])
        elif word.startswith("number"):
            value = float(WORD_NUMBERS[word.split()[-1]])
        else:
            value = float(re.sub(r"[^0-9]", "", word))
        s, e = m.span(group)
        found.append(Figure(m[group], value, RANK, RANK, s, e, doc_id=doc_id))
    return found


def _left_qualifiers(text: str, lo: int, start: int) -> tuple[int, str | None]:
    """Extend `start` over up to two qualifiers ("up to over"); return (start, qualifier)."""
    words: list[str] = []
    for _ in range(2):
        m = QUALIFIER_RE.search(text, lo, start)
        if not m:
            break
        words.insert(0, m["q"].lower())
        start = m.start()
    return start, " ".join(words) or None


def _role(text: str, lo: int, start: int, end: int, hi: int, kind: str) -> str | None:
    left = text[lo:start]
    for pattern, direction in CHANGE_LEFT:
        if pattern.search(left):
            return direction
    if kind in PERCENT_KINDS:
        for pattern, direction in UP_DOWN_LEFT:
            if pattern.search(left):
                return direction
        for pattern, direction in CHANGE_RIGHT:
            if pattern.match(text, end, hi):
                return direction
    return None


def _not_a_quantity(text: str, token: str, n_start: int, n_end: int, lo: int, hi: int) -> bool:
    """A number token that names or marks rather than counts: a code, a footnote, "COVID-19",
    "14th", a list marker, "F1", "the two", "one of the"."""
    before = text[n_start - 1] if n_start > lo else ""
    before2 = text[n_start - 2] if n_start - 1 > lo else ""
    after = text[n_end] if n_end < hi else ""
    if token[0].isalpha():
        prev = re.search(r"(\w+)\s+$", text[lo:n_start])
        if prev and prev.group(1).lower() in REFERENCE_WORDS:
            return True
        if re.match(r"\s+of\b", text[n_end:hi], re.I):
            return True  # "one of the"
    elif (
        len(re.sub(r"[^0-9]", "", token)) > 15
        or re.fullmatch(r"0[0-9]+", token)
        or (before == "[" and after == "]")  # footnote mark
        or (before and before in "-−:/" and before2.isalnum())  # COVID-19, BS10012:2017
        or (after.isalpha() and not GLUED_UNIT_RE.match(text, n_end, hi))  # 14th, 1H2022, 5G
        or (after == "-" and not re.match(r"-(?:fold\b|[0-9])", text[n_end:hi]))
        or (after == ":" and text[n_end + 1 : n_end + 2].isdigit())
        or NAME_PREFIX_RE.search(text, lo, n_start)
        or (
            not text[lo:n_start].strip(" \t●•▪*-") and re.match(r"[.)]\s", text[n_end : n_end + 2])
        )  # "1. Cloud Services" list marker
    ):
        return True
    return before.isalpha() and not CURRENCY_PREFIX_RE.search(text, lo, n_start)  # F1, BS10012


def _sign(text: str, lo: int, n_start: int) -> tuple[float, int]:
    """(sign, start): a minus right before the number (not a hyphen after a word) negates it;
    a plus is taken into the figure's text."""
    before = text[n_start - 1] if n_start > lo else ""
    before2 = text[n_start - 2] if n_start - 1 > lo else ""
    if before and before in "-−" and not before2.isalnum():
        return -1.0, n_start - 1
    return 1.0, n_start - (before == "+")


def _currency_before(
    text: str, lo: int, start: int, sign: float, yen: str
) -> tuple[str | None, int, float]:
    """(currency, start, sign) with a currency written before the number ("RMB", "-$")."""
    cm = CURRENCY_PREFIX_RE.search(text, lo, start)
    if not cm:
        return None, start, sign
    code = CURRENCY_PREFIXES[cm.group(0).strip().lower()]
    currency, start = (yen if code == "¥" else code), cm.start()
    if (
        start > lo
        and text[start - 1] in "-−"
        and not (start - 2 >= lo and text[start - 2].isalnum())
    ):
        sign, start = -1.0, start - 1
    return currency, start, sign


def _scale_and_range(text: str, end: int, hi: int, spelled: bool) -> tuple[str, float | None, int]:
    """(scale word, high end of a range, end) after the number: "1.2 billion", "3-5 million"."""
    sm = re.match(SCALE_RE, text[end:hi], re.I | re.A)
    scale_word = ""
    if sm and (sm.group(0)[:1].isspace() or not spelled):
        scale_word, end = sm.group(0).strip(), end + sm.end()
    high = None
    rm = re.match(rf"\s?(?:–|—|-|~)\s?(?P<hi>{DIGITS_RE})", text[end:hi])
    if rm and not spelled:
        high, end = parse_digits(rm["hi"]), end + rm.end()
        hs = re.match(SCALE_RE, text[end:hi], re.I | re.A)
        if hs:
            scale_word, end = hs.group(0).strip(), end + hs.end()
    return scale_word, high, end


def _unit_and_kind(
    text: str, end: int, hi: int, high: float | None, currency: str | None, spelled: bool
) -> tuple[str, str, str | None, float | None, int] | None:
    """(unit, kind, currency, high, end) from what follows the number: a unit ("%", "bps",
    "exaFLOPS"), a currency after it, a duration, or the counted noun; None for a spelled
    number with none of these ("the only one")."""
    unit, kind = "", ""
    for pattern, u, k in UNITS:
        um = pattern.match(text, end, hi)
        if um:
            unit, kind, end = u, k, um.end()
            break
    if kind == PERCENT and high is None:
        rm = re.match(rf"\s?(?:–|—|-|~|to)\s?(?P<hi>{DIGITS_RE})\s?%", text[end:hi])
        if rm:
            high, end = parse_digits(rm["hi"]), end + rm.end()
    if currency is None and not kind:
        cs = CURRENCY_SUFFIX_RE.match(text, end, hi)
        if cs:
            currency, end = CURRENCY_SUFFIXES[cs["c"].lower()], cs.end()
    if currency:
        unit, kind = currency, CURRENCY
    if not kind:
        dm = DURATION_RE.match(text, end, hi)
        if dm:
            unit, kind, end = dm["u"].lower(), DURATION, dm.end()
    if not kind:
        noun, noun_end = forward_np_span(text, end, hi, max_words=3)
        if noun:
            unit, end = noun, noun_end
        elif spelled:
            return None  # "the only one on the market": no counted noun, no quantity
        kind = COUNT
    return unit, kind, currency, high, end


def _direction(
    text: str, span: tuple[int, int, int, int], kind: str, sign: float, plus: bool
) -> str | None:
    """Whether the figure states a change: a change word before or after it, or a signed
    percentage ("-12% year-over-year"; "margin was -12%" is a level). `span` is (sentence
    start, figure start, figure end, sentence end)."""
    lo, start, end, hi = span
    direction = _role(text, lo, start, end, hi, kind)
    stated_as_level = re.search(r"\b(?:is|was|were|are|of|at)\s+$", text[lo:start], _F)
    if sign < 0 and kind in PERCENT_KINDS and not stated_as_level:
        return "decrease"
    if plus and kind in PERCENT_KINDS:
        return "increase"
    return direction


def scan_number(
    text: str, m: re.Match[str], lo: int, hi: int, yen: str, doc_id: str = ""
) -> Figure | None:
    """Build the figure around one number token inside the sentence text[lo:hi], or None when
    the token is not a quantity (a name, a footnote, a list marker, a year, a reference).

    Left to right: the sign and a currency before the number, a scale word and a range after
    it, then its unit and kind, qualifiers ("over"), and whether it states a change.
    """
    token, n_start, n_end = m.group(0), m.start(), m.end()
    spelled = token[0].isalpha()
    if _not_a_quantity(text, token, n_start, n_end, lo, hi):
        return None
    value = parse_words(token) if spelled else parse_digits(token)
    sign, start = _sign(text, lo, n_start)
    currency, start, sign = _currency_before(text, lo, start, sign, yen)
    scale_word, high, end = _scale_and_range(text, n_end, hi, spelled)
    measured = _unit_and_kind(text, end, hi, high, currency, spelled)
    if measured is None:
        return None
    unit, kind, currency, high, end = measured
    is_year = not spelled and re.fullmatch(r"(?:19|20)[0-9]{2}", token)
    if is_year and not (scale_word or currency or kind in PERCENT_KINDS):
        return None  # a bare year is a period, never a figure
    negative = False
    if currency and start > lo and text[start - 1] == "(" and text[end : end + 1] == ")":
        negative, start, end = True, start - 1, end + 1
    start, qualifier = _left_qualifiers(text, lo, start)
    if qualifier is None and VERB_QUALIFIER_RE.search(text, lo, start):
        qualifier = "exceeding"
    plus = n_start > lo and text[n_start - 1] == "+"
    direction = _direction(text, (lo, start, end, hi), kind, sign, plus)
    value *= sign * (-1.0 if negative else 1.0)
    if kind not in PERCENT_KINDS:
        factor = scale_factor(scale_word)
        value *= factor
        high = None if high is None else high * factor
    return Figure(
        text=text[start:end],
        value=value,
        unit=unit,
        kind=kind,
        start=start,
        end=end,
        qualifier=qualifier,
        role="change" if direction else "level",
        direction=direction,
        scale=scale_word or None,
        doc_id=doc_id,
        high=high,
    )
