"""The form of a question (qa/text/forms.py): whether it asks for words (why, how, when, who,
what X consists of) or a figure, and the stems a span must repeat."""

from __future__ import annotations

import pytest

from qa.text.forms import question_form, question_stems, words, words_form


@pytest.mark.parametrize(
    ("question", "asks_words", "form"),
    [
        ("Why did revenue decrease?", "why", "why"),
        ("How is the discount rate determined?", "how", "how"),
        ("When was the plan adopted?", "when", "when"),
        ("Who is the auditor?", "who", "who"),
        ("What are the components of deferred tax assets?", "what_does", "what_does"),
        ("Which year had the highest revenue?", None, "which"),
        ("What was the revenue in 2019?", None, "which"),
        ("How much revenue was there?", None, "other"),
    ],
)
def test_a_question_asks_for_words_or_a_figure_by_its_form(
    question: str, asks_words: str | None, form: str
) -> None:
    assert words_form(question) == asks_words
    assert question_form(question) == form


def test_question_stems_are_its_content_words_stemmed_without_question_words() -> None:
    assert question_stems("Why did revenue decrease?") == {"decreas", "revenu"}
    assert question_stems("What was the revenue in 2019?") == {"2019", "revenu"}


def test_words_keep_figures_and_possessives_whole() -> None:
    assert words("The company's U.S. revenue, 12.5% and $3m") == [
        "The", "company's", "U.S", "revenue", "12.5%", "and", "$", "3m",
    ]  # fmt: skip
