"""The metric phrases of a question (qa/text/subjects.py): its subject without dates and
filler, the two subjects of a ratio or a difference (part before whole), and the years each
subject names in its own words."""

from __future__ import annotations

import pytest

from qa.text.subjects import clean_subject, subject_periods, two_subjects


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (" in cash as at December 31, 2019?", "cash"),
        (" in the Pre-contract costs from 2018 to 2020?", "Pre-contract costs"),
        ("the low prices between September 30, 2018 and July 8, 2018", "low prices"),
        # A small number after a naming word names ("level 2"); after filler or before a
        # unit of time it is a quantity.
        ("What proportion of level 2 inputs is money market funds?",
         "proportion level 2 inputs money market funds"),
        ("the leases of more than 5 years", "leases more"),
        ("the Tier 1 capital ratio over 3 years", "Tier 1 capital ratio"),
    ],
)  # fmt: skip
def test_a_subject_loses_its_dates_and_filler(text: str, subject: str) -> None:
    assert clean_subject(text) == subject


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("What is the ratio of total assets to total liabilities in 2019?",
         ("total assets", "total liabilities")),
        ("What was the difference between cash and debt in 2019?", ("cash", "debt")),
        ("What percentage of total revenue is made up of services?",
         ("services", "total revenue")),  # the part is named after the whole
        ("What is the debt-to-equity ratio in 2019?", ("debt", "equity")),
        ("What is the current ratio in 2019?",
         ("total current assets", "total current liabilities")),  # a named ratio
        ("What was revenue in 2019?", None),
    ],
)  # fmt: skip
def test_two_subjects_of_a_ratio_or_a_difference(
    question: str, subjects: tuple[str, str] | None
) -> None:
    assert two_subjects(question) == subjects


def test_years_belong_to_the_subject_that_names_them() -> None:
    assert subject_periods("What is the ratio of cash in 2019 to debt in 2018?") == (
        ("2019",),
        ("2018",),
    )
    # Years at the end of the question are the whole question's.
    assert subject_periods("What was the change in revenue between 2018 and 2019?") == ()
