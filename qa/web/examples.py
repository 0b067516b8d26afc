"""The web chat's example questions, read from the corpus: the amounts and percentages its
documents state for a reporting period ("What was the total revenue in 1H2022?"), and one
question about a period no document reports, which shows how "not stated" reads.

Deterministic: the same index gives the same questions. Documents are taken in path order
and in turns, so a corpus of many releases shows several of them; within a document the
figures are taken in reading order, an amount and a percentage in turns, each metric once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain, zip_longest

from qa.index.io import Index
from qa.text.kinds import CURRENCY, PERCENT
from qa.text.periods import period_year
from qa.types import Figure

# Questions shown: this many read from figures, then the "not stated" one.
EXAMPLE_COUNT = 5
# Kinds whose level a "What was the ...?" question asks, in the order they alternate.
ASKED_KINDS = (CURRENCY, PERCENT)
# A metric that reads well in a question: one to five words, letters only ("R&D
# expenditure", "risk-free interest rate"); no footnote digits or "(%)" of a table label.
_METRIC_RE = re.compile(r"[A-Za-z][A-Za-z&'’-]*(?: [A-Za-z&'’-]+){0,4}")
# Reporting periods as qa.text.periods labels them: "1H2022", "3Q2021", "FY2021", "2019".
_PERIOD_RE = re.compile(r"(?:[12]H|[1-4]Q|FY)?(?:19|20)[0-9]{2}")
# How far before the earliest reported year the "not stated" question asks.
YEARS_BEFORE = 10


def example_questions(index: Index, count: int = EXAMPLE_COUNT) -> tuple[str, ...]:
    """Up to `count` questions the corpus answers with a figure, then one it does not.

    Empty when no document states an amount or percentage for a reporting period.
    """
    by_doc: dict[str, list[Figure]] = {}
    for chunk, figures in zip(index.chunks, index.chunk_figures, strict=True):
        by_doc.setdefault(chunk.doc_id, []).extend(figures)
    paths = {doc_id: document.path for doc_id, document in index.documents.items()}
    per_doc = [_picks(by_doc[doc_id], count) for doc_id in sorted(by_doc, key=paths.__getitem__)]
    chosen = _in_turns(per_doc)[:count]
    if not chosen:
        return ()
    asked = [_question(_metric(f), f.period or "") for f in chosen]
    years = [period_year(f.period or "") for figures in by_doc.values() for f in figures]
    earliest = min(year for year in years if year is not None)
    return (*asked, _question(_metric(chosen[0]), str(earliest - YEARS_BEFORE)))


def _question(metric: str, period: str) -> str:
    """ "What was the net loss in 1H2022?", "What were the revenues in FY2019?" """
    plural = re.search(r"[^isu]s$", metric) is not None and not metric.endswith("ss")
    return f"What {'were' if plural else 'was'} the {metric} in {period}?"


def _picks(figures: Iterable[Figure], count: int) -> list[Figure]:
    """A document's askable figures in reading order, each metric once, kinds in turns."""
    seen: set[str] = set()
    by_kind: dict[str, list[Figure]] = {kind: [] for kind in ASKED_KINDS}
    for figure in figures:
        metric = _metric(figure)
        if _askable(figure) and metric.casefold() not in seen:
            seen.add(metric.casefold())
            by_kind[figure.kind].append(figure)
    return _in_turns(by_kind[kind] for kind in ASKED_KINDS)[:count]


def _askable(figure: Figure) -> bool:
    """A stated level of an amount or percentage, of a named metric, for a reporting period."""
    return (
        figure.kind in ASKED_KINDS
        and figure.role == "level"
        and figure.derivation is None
        and _PERIOD_RE.fullmatch(figure.period or "") is not None
        and _METRIC_RE.fullmatch(_metric(figure)) is not None
    )


def _metric(figure: Figure) -> str:
    """What the figure measures, as a question names it: a table cell's own row label
    ("liabilities › Total liabilities" -> "total liabilities").

    >>> _metric(Figure("5", 5.0, "USD", "currency", 0, 1, metric="assets › Total assets"))
    'total assets'
    """
    name = (figure.metric or "").split(" › ")[-1].strip()
    first, _, rest = name.partition(" ")
    # A label's capital ("Total assets"), not a name's ("Cloud Services revenue") or "R&D".
    if first[:1].isupper() and first[1:].islower() and rest == rest.lower():
        first = first.lower()
    return f"{first} {rest}".strip()


def _in_turns(groups: Iterable[Sequence[Figure]]) -> list[Figure]:
    """The first of each group, then the second of each, and so on."""
    rounds = zip_longest(*groups)
    return [figure for figure in chain.from_iterable(rounds) if figure is not None]
