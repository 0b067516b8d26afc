"""The sentence that introduces a table and what it says the table shows
(qa/text/tableintro.py)."""

from __future__ import annotations

import pytest

from qa.text.tableintro import introduces_table, shown_extent, title_extent


@pytest.mark.parametrize(
    ("sentence", "introduces"),
    [
        ("Aggregate emoluments of the Directors of the Company were as follows:", True),
        ("The provision for income taxes consisted of the following", True),
        ("The table below shows the carrying amounts of our debt", True),
        ("Cash provided by operating activities for 2018 as compared to 2017:", True),
        ("Revenue grew by 5% in 2019.", False),
        ("Professional service revenues decreased by $31.3 million.", False),
    ],
)
def test_a_sentence_introduces_a_table(sentence: str, introduces: bool) -> None:
    assert introduces_table(sentence) is introduces


@pytest.mark.parametrize(
    ("caption", "title"),
    [
        ("As of December 31, 2019, maturities of lease liabilities were as follows",
         "maturities of lease liabilities"),
        ("The table below shows the carrying amounts of our debt (USD million)",
         "the carrying amounts of our debt"),
        ("4) Professional Service and Other (USD thousand)", "Professional Service and Other"),
        ("22. Directors' remuneration", "Directors' remuneration"),
        ("Cash provided by operating activities for 2018 as compared to 2017",
         "Cash provided by operating activities for 2018 as compared to 2017"),
        ("(in thousands)", None),
    ],
)  # fmt: skip
def test_the_title_of_a_caption_line(caption: str, title: str | None) -> None:
    found = title_extent(caption)
    assert (caption[found[0] : found[1]] if found else None) == title


def test_a_sentence_that_shows_nothing_has_no_extent() -> None:
    assert shown_extent("Revenue grew by 5% in 2019.") is None
