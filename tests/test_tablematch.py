"""Rows and columns a question names (qa/answer/tablematch.py), on real TAT-QA dev tables
parsed from their HTML the way the index parses them."""

from __future__ import annotations

import pytest

from qa.answer.tablematch import (
    best_rows,
    column_year,
    covered,
    leftover,
    value_columns,
    words,
    year_columns,
)

from .tatqa_pages import dev_tables


def test_row_matching_prefers_the_label_the_question_names() -> None:
    match = best_rows("total sales", dev_tables(0))[0]
    assert match.table.rows[match.row].label == "Total sales"
    assert words("Liabilities") == words("liability")


@pytest.mark.parametrize(
    ("context", "phrase", "label"),
    [
        (1, "automotive", "Automotive"),
        (1, "total industrial solutions", "Total Industrial Solutions"),
        (3, "defined benefit schemes", "Defined benefit schemes"),
        (5, "total assets", "Total assets"),
        (5, "cash and equivalents", "Cash and equivalents"),
        (7, "operating free cash flow", "Operating free cash flow"),
        (11, "research and development", "Research, development and engineering"),
        (8, "depreciation and amortization", "Add: depreciation and amortisation"),  # spelling
    ],
)
def test_best_rows_finds_the_row_a_phrase_names(context: int, phrase: str, label: str) -> None:
    matches = best_rows(phrase, dev_tables(context))
    assert matches[0].table.rows[matches[0].row].label == label
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(0.5 <= m.score <= 1.0 for m in matches)


def test_a_group_heading_holds_no_values_so_is_never_the_match() -> None:
    table = dev_tables(1)[0]
    assert table.rows[0].group and table.rows[0].leaf == "Transportation Solutions"
    matches = best_rows("transportation solutions", (table,))
    assert matches and all(m.row != 0 for m in matches)


def test_a_phrase_no_row_names_matches_nothing() -> None:
    assert best_rows("dividend per share", dev_tables(0)) == []
    assert best_rows("", dev_tables(0)) == []


def test_leftover_is_what_the_column_must_say() -> None:
    phrase = words("international discount rate")
    (match,) = best_rows("international discount rate", dev_tables(2))
    assert match.label == "Discount rate"
    assert leftover(phrase, match) == ("international",)


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("Total liabilities of IMFT", ("total", "liability", "imft")),
        ("Cash and cash equivalents", ("cash", "cash", "equivalent")),
        ("Property, plant, and equipment", ("property", "plant", "equip")),
        ("Net profit/(loss) after tax", ("net", "profit", "loss", "after", "tax")),
        ("The Company’s net sales", ("net", "sal")),  # curly possessive, stop words dropped
    ],
)
def test_words_are_the_stemmed_content_words_in_order(text: str, stems: tuple[str, ...]) -> None:
    assert words(text) == stems


@pytest.mark.parametrize(
    ("needles", "haystack", "share"),
    [
        ("receivable", "Receivables", 1.0),
        ("amortisation", "amortization", 1.0),  # a near spelling of a long word
        ("total liabilities", "liabilities", 0.5),
        ("cost", "post", 0.0),  # short words must be equal
        ("", "anything", 0.0),
    ],
)
def test_covered_counts_needles_found_near_spellings_included(
    needles: str, haystack: str, share: float
) -> None:
    assert covered(words(needles), words(haystack)) == share


@pytest.mark.parametrize(
    ("context", "years"),
    [
        (0, [2019, 2018, 2017]),  # "Years Ended September 30 · 2019"
        (2, [2019, 2018, 2019, 2018]),  # two groups of the same years
        (4, [2019, 2018]),  # "2 0 1 8" spaced out in the header
        (8, [2019, 2018, None]),  # a "Change %" column reports no year
    ],
)
def test_column_year_reads_each_columns_year(context: int, years: list[int | None]) -> None:
    table = dev_tables(context)[0]
    assert [column_year(table, c) for c in range(len(table.columns))] == years


def test_year_and_value_columns_put_the_hinted_header_first_and_skip_blanks() -> None:
    table = dev_tables(2)[0]  # Domestic 2019, 2018 | International 2019, 2018
    assert year_columns(table, 0, "2019") == [0, 2]
    assert year_columns(table, 0, "2019", words("international")) == [2, 0]
    assert year_columns(table, 0, "2017") == []
    assert value_columns(table, 0, words("international")) == [2, 3, 0, 1]
    assert value_columns(table, 1) == [2, 3]  # the domestic cells are blank
