"""Words of a table label or a question phrase as row matching reads them (qa/text/labels.py):
lower case, singular, no function words, so "Liabilities" meets "liability"."""

from __future__ import annotations

import pytest

from qa.text.labels import words


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Total liabilities of IMFT", ("total", "liability", "imft")),
        ("Liabilities", ("liability",)),
        ("Cash and cash equivalents (1)", ("cash", "cash", "equivalent", "1")),
        ("Net sales – Americas", ("net", "sal", "america")),
    ],
)
def test_label_words_are_lower_case_singular_without_function_words(
    label: str, expected: tuple[str, ...]
) -> None:
    assert words(label) == expected


def test_a_row_label_and_the_question_phrase_naming_it_read_alike() -> None:
    assert words("Total liabilities") == words("total liability")
