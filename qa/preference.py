"""Which documents a question prefers: the ones whose metadata match the company or the
reporting period it names ("Acme's revenue in FY2023" -> the Acme FY2023 release).

A preference narrows retrieval only when it picks some but not all of the candidate
documents; the pipeline falls back to all of them when the preferred ones have nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from qa.ingest.metadata import company_names
from qa.text.periods import find_period_cues, periods_compatible
from qa.types import Document

# Period labels a release can be "for": halves, quarters, full years, bare years.
_REPORTING = re.compile(r"^(?:[12]H|[1-4]Q|FY|9M)?(?:19|20)\d{2}$")


def asked_periods(question: str) -> list[str]:
    """The reporting periods a question names.

    >>> asked_periods("What was revenue in 1H2022 compared with the first half of 2021?")
    ['1H2022', '1H2021']
    """
    return [c.label for c in find_period_cues(question) if _REPORTING.match(c.label)]


def _names_company(question: str, document: Document) -> bool:
    text = question.lower()
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        for name in company_names(document.meta("company"))
    )


def _period_match(periods: list[str], document: Document) -> bool:
    stated = document.meta("period")
    return bool(stated) and any(
        asked == stated or (len(asked) == 4 and periods_compatible(asked, stated))
        for asked in periods
    )


def preferred_documents(
    question: str, documents: Mapping[str, Document], allowed: frozenset[str] | None = None
) -> frozenset[str] | None:
    """The ids of the documents the question prefers, or None for no preference."""
    candidates = {i: d for i, d in documents.items() if allowed is None or i in allowed}
    chosen = set(candidates)
    by_company = {i for i, d in candidates.items() if _names_company(question, d)}
    if by_company:
        chosen = by_company
    periods = asked_periods(question)
    by_period = {i for i in chosen if _period_match(periods, candidates[i])}
    if by_period:
        chosen = by_period
    return frozenset(chosen) if chosen and chosen != set(candidates) else None


def without_company(question: str, documents: Mapping[str, Document]) -> str:
    """The question with the names of the documents' companies read as "the company", so
    "Acme revenue" and "Globex revenue" ask the same of their own reports (the names
    come from each document's metadata, never from code).

    >>> doc = Document("d", "d.txt", "Acme", "", metadata=(("company", "Acme Corp"),))
    >>> without_company("What was Acme's revenue?", {"d": doc})
    "What was the company's revenue?"
    """
    names = {n for d in documents.values() for n in company_names(d.meta("company"))}
    for name in sorted(names, key=len, reverse=True):
        question = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "the company", question, flags=re.I)
    return question
