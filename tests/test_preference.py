"""Which releases a question prefers (qa/preference.py): those of the company it names and
the reporting period it asks about, only when that narrows the choice; and company names read
as "the company" so each report answers the same question of itself."""

from __future__ import annotations

import pytest

from qa.preference import asked_periods, preferred_documents, without_company
from qa.types import Document


def release(company: str, period: str) -> Document:
    meta = (("company", company), ("period", period))
    return Document(f"{company[:4]}-{period}", "x.md", f"{company} results", "", metadata=meta)


LIBRARY = {
    d.id: d
    for d in (
        release("Acme Robotics Limited", "FY2023"),
        release("Acme Robotics Limited", "1H2023"),
        release("Borealis Energy Inc.", "FY2023"),
    )
}


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("What was revenue in 1H2022 compared with the first half of 2021?", ["1H2022", "1H2021"]),
        ("Revenue in FY2023 and in 2022?", ["FY2023", "2022"]),
        ("Cash as of June 30, 2022?", []),  # a point in time is not a reporting period
        ("Growth since 2018?", []),
    ],
)
def test_asked_periods_are_the_reporting_periods_a_question_names(
    question: str, periods: list[str]
) -> None:
    assert asked_periods(question) == periods


@pytest.mark.parametrize(
    ("question", "preferred"),
    [
        ("What was Acme's revenue?", {"Acme-FY2023", "Acme-1H2023"}),
        ("What was Acme Robotics' revenue in FY2023?", {"Acme-FY2023"}),
        ("What was revenue in 1H2023?", {"Acme-1H2023"}),
        ("What was Borealis revenue in FY2023?", {"Bore-FY2023"}),
        ("What was revenue in 2023?", {"Acme-FY2023", "Acme-1H2023", "Bore-FY2023"}),
        ("What was the revenue?", None),  # names nothing: no preference
        ("What was Globex revenue in FY2019?", None),  # names nothing indexed
    ],
)
def test_the_company_and_period_a_question_names_narrow_the_documents(
    question: str, preferred: set[str] | None
) -> None:
    found = preferred_documents(question, LIBRARY)
    if preferred == set(LIBRARY):
        assert found is None  # every document: no narrowing
    else:
        assert found == (frozenset(preferred) if preferred else None)


def test_a_preference_is_taken_among_the_allowed_documents_only() -> None:
    allowed = frozenset({"Acme-1H2023", "Bore-FY2023"})
    assert preferred_documents("Acme revenue?", LIBRARY, allowed) == {"Acme-1H2023"}
    only = frozenset({"Acme-1H2023"})
    assert preferred_documents("Acme revenue?", LIBRARY, only) is None  # nothing to narrow


def test_company_names_are_read_as_the_company_longest_first() -> None:
    assert without_company("What was Acme Robotics' revenue?", LIBRARY) == (
        "What was the company' revenue?"
    )
    assert without_company("Did ACME beat Borealis Energy?", LIBRARY) == (
        "Did the company beat the company?"
    )
    assert without_company("What was revenue?", LIBRARY) == "What was revenue?"
