"""Figures a report's sentences imply but do not print, by two identities every analyst uses:

- a profit is its margin times revenue: "revenue was RMB1.42 billion, with gross profit
  margin of 66%" implies gross profit of about RMB937 million, when no gross profit amount
  is stated;
- a total before an addition is the total less the addition: "added 2,136 patents, bringing
  the total to 12,502" implies 10,366 before.

Each returns a derived Figure (qa/answer/derived.py) whose derivation cites the stated operands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.answer.derived import DerivationError, combine
from qa.text.labels import words
from qa.text.periods import periods_compatible
from qa.text.question import Question
from qa.types import Figure, Passage

_F = re.IGNORECASE
_PROFIT = re.compile(
    r"\b(?P<kind>gross|operating|net|pre-?tax|ebitda)?\s*(?:profit|income|earnings)\b(?!\s+margin)",
    _F,
)
_NOT_AN_AMOUNT = re.compile(
    r"\bmargin\b|\bper\s+share\b|\bpercent(?:age)?\b|%|\bshare of\b|\bratio\b|\brate\b|"
    r"\bhow much of\b|\bwhat (?:part|portion|proportion) of\b",
    _F,
)
_AMOUNT_ASKED = re.compile(r"^\s*(?:what|how much)\b", _F)
_BEFORE = re.compile(
    r"\bbefore\s+(?:adding|the addition of|it added|they added|acquiring|buying)\s+"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)",
    _F,
)


def _figures(passages: Sequence[Passage]) -> list[Figure]:
    return [figure for passage in passages for figure in passage.figures]


def percent_of(share: Figure, whole: Figure, metric: str | None) -> Figure | None:
    """share % of whole, a derived figure that cites both as stated ("66% × RMB1.42 billion"),
    in the whole's unit; None when they cannot be combined."""
    fraction = replace(share, value=share.value / 100.0, unit=whole.unit, kind="ratio")
    try:
        product = combine("product", [fraction, whole])
    except DerivationError:
        return None
    if product.derivation is None:
        return None
    basis = f"{share.metric} × {whole.metric}" + (f", {whole.period}" if whole.period else "")
    derivation = replace(
        product.derivation,
        operands=(share, whole),
        formula=f"{share.text} × {whole.text}",
        basis=basis,
    )
    return replace(product, metric=metric, derivation=derivation)


def margin_product(question: Question, passages: Sequence[Passage]) -> Figure | None:
    """A profit amount from its margin and revenue, when the passages state no such amount.

    >>> rev = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 0, 15,
    ...              metric="total revenue", period="1H2022", scale="billion")
    >>> gm = Figure("66%", 66.0, "%", "percent", 20, 23, metric="gross profit margin",
    ...             period="1H2022")
    >>> p = Passage("...", 0.8, "d", "d", "", 0, 30, 0, 0, 30, figures=(rev, gm))
    >>> from qa.text.question import parse_question
    >>> margin_product(parse_question("What was the gross profit?"), [p]).text
    'RMB937 million'
    """
    asked = _PROFIT.search(question.text)
    if not asked or not asked["kind"] or not _AMOUNT_ASKED.search(question.text):
        return None
    if _NOT_AN_AMOUNT.search(question.text):
        return None  # a margin, a share or a per-share figure is asked, not the amount
    name = f"{asked['kind'].lower()} profit"
    figures = _figures(passages)
    stated = [
        f for f in figures
        if f.kind == "currency" and f.metric and name in f.metric and "margin" not in f.metric
    ]  # fmt: skip
    if stated:
        return None  # the report states it: nothing to compute
    margins = [
        f for f in figures
        if f.unit == "%" and f.role == "level" and f.metric and name in f.metric
        and "margin" in f.metric
    ]  # fmt: skip
    for margin in margins:
        revenues = [
            f for f in figures
            if f.kind == "currency" and f.role == "level" and f.metric
            and "revenue" in f.metric
            and (margin.period is None or periods_compatible(margin.period, f.period))
        ]  # fmt: skip
        if not revenues:
            continue
        product = percent_of(margin, revenues[0], name)
        if product is not None:
            return product
    return None


def before_addition(question: Question, passages: Sequence[Passage]) -> Figure | None:
    """A total before an addition the question names: the stated total less the addition.

    >>> added = Figure("2,136 patents", 2136.0, "patents", "count", 0, 13, role="change",
    ...                metric="patents added")
    >>> total = Figure("12,502", 12502.0, "patents", "count", 20, 26,
    ...                metric="total number of patents")
    >>> p = Passage("...", 0.8, "d", "d", "", 0, 30, 0, 0, 30, figures=(added, total))
    >>> from qa.text.question import parse_question
    >>> q = parse_question("How many patents did it hold before adding 2,136?")
    >>> before_addition(q, [p]).value
    10366.0
    """
    match = _BEFORE.search(question.text)
    if not match:
        return None
    number = float(match["num"].replace(",", ""))
    for passage in passages:
        added = [f for f in passage.figures if f.value == number and f.kind == "count"]
        for addition in added:
            totals = [
                f for f in passage.figures
                if f is not addition and f.kind == "count" and f.unit == addition.unit
                and f.value > number and f.role == "level"
            ]  # fmt: skip
            if not totals:
                continue
            total = totals[0]
            try:
                before = combine("difference", [total, addition])
            except DerivationError:
                continue
            derivation = before.derivation
            if derivation is None:
                return None
            basis = f"{total.metric or 'the total'} less {addition.metric or 'the addition'}"
            return replace(before, derivation=replace(derivation, basis=basis))
    return None


_TOTALS = ("revenue", "sales", "turnover")
# Words of an amount question that say nothing about which part of the total is asked.
_GENERIC = frozenset(words("how much what was were is the total amount of from came generated by"))


def share_product(question: Question, passages: Sequence[Passage]) -> Figure | None:
    """A part of revenue from its share and the total, when the part's amount is not stated:
    "overseas markets contributed 19% of revenue" and "total revenue was RMB1.42 billion"
    imply about RMB270 million from overseas markets.

    >>> rev = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 0, 15,
    ...              metric="total revenue", period="1H2022", scale="billion")
    >>> share = Figure("19%", 19.0, "%", "percent", 20, 23,
    ...                metric="revenue contribution of overseas markets", period="1H2022")
    >>> p = Passage("...", 0.8, "d", "d", "", 0, 30, 0, 0, 30, figures=(rev, share))
    >>> from qa.text.question import parse_question
    >>> share_product(parse_question("How much revenue came from overseas markets?"), [p]).text
    'RMB270 million'
    """
    lowered = question.text.lower()
    total_word = next((w for w in _TOTALS if w in lowered), None)
    text = question.text
    if total_word is None or not _AMOUNT_ASKED.search(text) or _NOT_AN_AMOUNT.search(text):
        return None
    asked = [w for w in question.words if w not in _GENERIC and w not in words(total_word)]
    if not asked:
        return None
    figures = _figures(passages)

    def names_part(figure: Figure) -> bool:
        return bool(figure.metric) and all(w in words(figure.metric or "") for w in asked)

    if any(f.kind == "currency" and names_part(f) for f in figures):
        return None  # the part's amount is stated
    shares = [f for f in figures if f.unit == "%" and f.role == "level" and names_part(f)
              and total_word in (f.metric or "")]  # fmt: skip
    wholes = [f for f in figures if f.kind == "currency" and f.role == "level" and f.metric
              and total_word in f.metric and not names_part(f)]  # fmt: skip
    for share in shares:
        for whole in wholes:
            if share.period and whole.period and not periods_compatible(share.period, whole.period):
                continue
            product = percent_of(share, whole, share.metric)
            if product is not None:
                return product
    return None


def text_derived(question: Question, passages: Sequence[Passage]) -> Figure | None:
    """The first identity that answers the question from the passages' figures, or None."""
    return (
        margin_product(question, passages)
        or share_product(question, passages)
        or before_addition(question, passages)
    )
