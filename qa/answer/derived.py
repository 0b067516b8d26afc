"""Derived figures: a change, growth rate, average, sum or ratio computed from stated figures,
each with its derivation so every number in it can be cited.

Conventions, as an analyst writes them:
- a change is the later period minus the earlier ("from 2018 to 2019" = 2019 - 2018), a
  difference between two metrics is the first named minus the second;
- a percentage change is (later - earlier) / earlier, in percent;
- ratios and percentages are rounded to two decimals; sums, differences and averages keep
  the precision of their operands (averages two more decimals);
- a derived figure keeps its operands' unit and scale ("-12.6 million" from two cells in
  millions); a ratio has no unit unless asked as a percentage.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from qa.text.numerals import scale_factor
from qa.types import Derivation, Figure

# How a currency code is written before an amount ("US$1,420.5 million").
CURRENCY_SIGNS = {"USD": "US$", "HKD": "HK$", "SGD": "S$", "EUR": "€", "GBP": "£"}
SYMBOLS = {"difference": " − ", "sum": " + ", "product": " × "}


class DerivationError(ValueError):
    """The operands cannot be combined (none, a zero divisor, mixed units)."""


def _ratio_decimals(value: float) -> int:
    """Two decimals, or three significant digits for a value under 0.1: a ratio of 0.0045
    must not read as 0.00.

    >>> _ratio_decimals(1.2345), _ratio_decimals(0.0045), _ratio_decimals(0.0)
    (2, 5, 2)
    """
    magnitude = abs(value)
    if magnitude == 0 or magnitude >= 0.1:
        return 2
    return min(8, 2 - math.floor(math.log10(magnitude)))


def _decimals(figure: Figure) -> int:
    digits = figure.text.replace(",", "").split(".")
    if len(digits) < 2:
        return 0
    return len("".join(ch for ch in digits[1] if ch.isdigit()))


def as_written(figure: Figure) -> float:
    """The number as its table or sentence writes it, its scale word not applied ("1.42 bn"
    -> 1.42), the inverse of how extraction scaled it (qa.text.numerals.scale_factor).

    >>> as_written(Figure("RMB1.42 bn", 1.42e9, "RMB", "currency", 0, 10, scale="bn"))
    1.42
    """
    return figure.value / scale_factor(figure.scale or "")


def _operand_text(figure: Figure) -> str:
    number = as_written(figure)
    text = f"{abs(number):,.{_decimals(figure)}f}"
    return f"({text})" if number < 0 else text


def _format(value: float, decimals: int, unit: str, scale: str, kind: str) -> str:
    written = value / scale_factor(scale)
    text = f"{abs(written):,.{decimals}f}"
    sign = "−" if written < 0 and float(text.replace(",", "")) != 0 else ""
    if unit == "%":
        return f"{sign}{text}%"
    currency = CURRENCY_SIGNS.get(unit, unit) if kind == "currency" else ""
    return f"{sign}{currency}{text} {scale}".strip()


def _check_units(operands: Sequence[Figure]) -> None:
    if not operands:
        raise DerivationError("no operands")
    units = {f.unit for f in operands}
    if len(units) > 1:
        raise DerivationError(f"operands in different units: {sorted(units)}")


def combine(operation: str, operands: Sequence[Figure], *, percent: bool = False) -> Figure:
    """The derived Figure of `operation` over `operands` (in formula order).

    >>> a = Figure("44.1", 44.1e6, "USD", "currency", 0, 4, scale="million", period="2019")
    >>> b = Figure("56.7", 56.7e6, "USD", "currency", 5, 9, scale="million", period="2018")
    >>> combine("difference", [a, b]).text, combine("percent_change", [a, b]).text
    ('−US$12.6 million', '−22.22%')
    >>> combine("average", [a, b]).derivation.formula
    '(44.1 + 56.7) / 2'
    """
    if operation in ("difference", "sum", "average"):
        _check_units(operands)
    first = operands[0]
    scale = first.scale or ""
    if operation == "difference":
        if len(operands) != 2:
            raise DerivationError("a difference needs two operands")
        value = operands[0].value - operands[1].value
        decimals = max(_decimals(f) for f in operands)
        unit, kind = first.unit, first.kind
    elif operation == "sum":
        value = sum(f.value for f in operands)
        decimals = max(_decimals(f) for f in operands)
        unit, kind = first.unit, first.kind
    elif operation == "average":
        value = sum(f.value for f in operands) / len(operands)
        decimals = max(_decimals(f) for f in operands) + 2
        unit, kind = first.unit, first.kind
    elif operation == "product":
        value = 1.0
        for figure in operands:
            value *= figure.value
        unit, kind = operands[-1].unit, operands[-1].kind
        scale = _scale_for(value)
        written = abs(value) / scale_factor(scale)
        decimals = 0 if written >= 100 else 1 if written >= 10 else 2
    elif operation in ("percent_change", "ratio"):
        if len(operands) != 2:
            raise DerivationError(f"a {operation.replace('_', ' ')} needs two operands")
        base = operands[1].value
        if base == 0:
            raise DerivationError("the divisor is zero")
        value = operands[0].value / base
        if operation == "percent_change":
            value = (value - 1.0) * 100.0
        elif percent:
            value *= 100.0
        decimals, scale = _ratio_decimals(value), ""
        as_percent = operation == "percent_change" or percent
        unit, kind = ("%", "percent") if as_percent else ("", "ratio")
    else:
        raise DerivationError(f"unknown operation {operation!r}")
    value = round(value, decimals) if unit == "%" or kind == "ratio" else value
    derivation = Derivation(operation, formula(operation, operands, percent), tuple(operands))
    return Figure(
        text=_format(value, decimals, unit, scale, kind),
        value=value,
        unit=unit,
        kind=kind,
        start=first.start,
        end=first.end,
        period=first.period,
        metric=first.metric,
        scale=scale or None,
        doc_id=first.doc_id,
        derivation=derivation,
    )


def _scale_for(value: float) -> str:
    """The scale word a computed amount is written in: 937,200,000 -> "million"."""
    for word in ("billion", "million"):
        if abs(value) >= scale_factor(word):
            return word
    return ""


def formula(operation: str, operands: Sequence[Figure], percent: bool = False) -> str:
    """The formula over the operands as written.

    >>> f = Figure("2,664", 2664.0, "", "count", 0, 5)
    >>> g = Figure("909", 909.0, "", "count", 6, 9)
    >>> formula("ratio", [f, g]), formula("percent_change", [f, g])
    ('2,664 / 909', '(2,664 − 909) / 909 × 100')
    """
    texts = [_operand_text(f) for f in operands]
    if operation in SYMBOLS:
        return SYMBOLS[operation].join(texts)
    if operation == "average":
        return f"({' + '.join(texts)}) / {len(texts)}"
    if operation == "percent_change":
        return f"({texts[0]} − {texts[1]}) / {texts[1]} × 100"
    return f"{texts[0]} / {texts[1]}" + (" × 100" if percent else "")
