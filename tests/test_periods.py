"""Reporting periods (qa/text/periods.py): the phrases found in real report sentences, their
canonical labels, which of them carry to the next sentences, and which periods can answer
which."""

from __future__ import annotations

import itertools

import pytest

from qa.text.periods import find_period_cues, period_year, periods_compatible


def test_comparison_period_does_not_carry_to_the_next_sentence() -> None:
    cues = find_period_cues("compared with the full year of 2021, it was 9%.")
    assert [(c.label, c.carries) for c in cues] == [("FY2021", False)]


@pytest.mark.parametrize(
    ("asked", "stated", "ok"),
    [
        ("2019", "1H2022", False),
        ("2022", "1H2022", True),
        ("1H2022", "1H2022", True),
        ("2H2022", "1H2022", False),
        ("FY2022", "1H2022", False),
        ("FY2021", "FY2021", True),
        ("1H2022", "as of June 30, 2022", True),
        ("1H2022", None, True),
        ("2021", "since 2018", False),
    ],
)
def test_period_compatibility(asked: str, stated: str | None, ok: bool) -> None:
    assert periods_compatible(asked, stated) is ok


# --- the phrases reports use, one row per pattern ----------------------------------------------

CUES = [
    ("For the six months ended June 30, 2022, it rose", "1H2022", "six months ended June 30, 2022"),
    ("for the six months ended 30 June 2023", "1H2023", "six months ended 30 June 2023"),
    ("For the year ended December 31, 2019 the company", "FY2019", "year ended December 31, 2019"),
    ("In the second half of the year 2021, sales rose.", "2H2021", "second half of the year 2021"),
    ("Business highlights in 1H2022:", "1H2022", "1H2022"),
    ("Revenue in H2 2022 was higher.", "2H2022", "H2 2022"),
    ("Sales in the fourth quarter of 2019 fell.", "4Q2019", "fourth quarter of 2019"),
    ("Q4 2019 results were strong.", "4Q2019", "Q4 2019"),
    ("3Q2022 revenue was flat.", "3Q2022", "3Q2022"),
    ("Revenue for the full year of 2021 was RMB4.7 billion.", "FY2021", "the full year of 2021"),
    ("Revenue in FY2023 was US$2bn.", "FY2023", "FY2023"),
    ("Net income in fiscal year 2019 rose.", "FY2019", "fiscal year 2019"),
    ("Cash as at 31 December 2019 was $5m.", "as of December 31, 2019", "as at 31 December 2019"),
    ("As of June 30,2022, it grew.", "as of June 30, 2022", "As of June 30,2022"),
    ("Since 2018, we have led the industry.", "since 2018", "Since 2018"),
    ("It rose 28% over the past three years.", "in three years", "over the past three years"),
    ("Orders grew in the last 12 months.", "in 12 months", "in the last 12 months"),
    ("The robot was released during March 2020.", "March 2020", "during March 2020"),
    ("Revenue in the calendar year 2018 rose.", "2018", "in the calendar year 2018"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "label", "phrase"), CUES)
def test_each_period_phrase_gets_its_canonical_label_and_span(
    text: str, label: str, phrase: str
) -> None:
    (cue,) = find_period_cues(text)
    assert cue.label == label
    assert text[cue.start : cue.end] == phrase


@pytest.mark.parametrize(
    "text",
    ["The 2019 figure was restated.", "FY19 revenue", "Revenue rose 5% in 2019,2020.", "page 2022"],
)
def test_a_year_that_is_not_introduced_as_a_period_is_no_cue(text: str) -> None:
    assert find_period_cues(text) == []


@pytest.mark.parametrize(
    ("text", "carries"),
    [
        ("In 1H2022, revenue rose.", [True]),
        ("Since 2018, we invested RMB10 billion.", [False]),
        ("Users grew 28% in six months.", [False]),
        ("vs. full year 2020, margin rose.", [False]),
        ("As of June 30, 2022, cash was RMB19.51 billion.", [True]),
    ],
)
def test_only_a_period_that_frames_the_paragraph_carries(text: str, carries: list[bool]) -> None:
    assert [c.carries for c in find_period_cues(text)] == carries


def test_cues_come_in_text_order_without_overlaps(release_text: str) -> None:
    cues = find_period_cues(release_text)
    assert len(cues) > 10
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))
    assert {"1H2022", "as of June 30, 2022"} <= {c.label for c in cues}


@pytest.mark.parametrize(
    ("label", "year"),
    [("FY2019", 2019), ("3Q2022", 2022), ("since 2018", 2018), ("March 2020", 2020),
     ("2019", 2019), ("in three years", None), ("in 12 months", None)],
)  # fmt: skip
def test_period_year_reads_the_year_a_label_names(label: str, year: int | None) -> None:
    assert period_year(label) == year


@pytest.mark.parametrize(
    ("asked", "stated", "ok"),
    [
        ("1Q2022", "March 31, 2022", True),  # a quarter-end date is inside the quarter
        ("1Q2022", "1H2022", False),  # a half does not answer one of its quarters
        ("2H2022", "4Q2022", True),
        ("1H2022", "3Q2022", False),
        ("FY2022", "4Q2022", False),
        ("FY2022", "December 31, 2022", True),  # the year-end position
        ("FY2022", "June 30, 2022", False),
        ("2022", "in six months", True),  # a relative period is not held against the figure
    ],
)
def test_quarters_and_dates_fit_inside_the_asked_period(asked: str, stated: str, ok: bool) -> None:
    assert periods_compatible(asked, stated) is ok
