"""What a table's words say about its numbers (qa/ingest/loaders/tableunits.py): scale and
currency notes, the period a column header names, and cell numbers as tables write them —
table-driven on the forms real reports use, and on real TAT-QA dev tables."""

from __future__ import annotations

import pytest

from qa.ingest.loaders.tableunits import (
    column_period,
    currency_of,
    find_scale,
    is_amount,
    is_year,
    parse_cell,
    scale_word,
)
from qa.ingest.loaders.webpage import html_to_document
from tests.tatqa_pages import page

from .table_samples import GROUPS, figures_of, parse, tatqa


def test_negatives_in_parentheses_dashes_as_blank_and_a_caption_scale() -> None:
    text, table = parse(GROUPS)
    assert (table.caption, table.unit, table.scale) == (
        "Condensed balance sheet ($'000)",
        "USD",
        "thousand",
    )
    figures = figures_of(text, table)
    assert figures["liabilities › borrowings", "2019"].value == -250_000
    assert figures["assets › cash and equivalents", "2018"].value == 900_000
    assert ("assets › receivables", "2018") not in figures  # "—" is blank, not zero
    assert figures["assets › total assets", "2019"].scale == "thousand"


@pytest.mark.parametrize(
    ("number", "unit", "scale", "periods"),
    [
        (0, "USD", "million", ["FY2019", "FY2018", "FY2017"]),  # note in the paragraph before
        (4, "USD", "thousand", [None, None, None]),  # "(in thousands):" two paragraphs up
        (7, "USD", "thousand", [None, "2019", "2018"]),  # "$'000" unit row under the years
        (8, "USD", "thousand", ["2019", "2018"]),  # "US$’000", a title row above
        (10, "RMB", "million", [None, None]),  # "RMB’Million" in the header
    ],
)
def test_tatqa_scale_unit_and_periods(
    number: int, unit: str, scale: str, periods: list[str | None]
) -> None:
    _, _, tables = html_to_document(page(tatqa()[number]))
    table = tables[0]
    assert (table.unit, table.scale) == (unit, scale)
    assert [c.period for c in table.columns] == periods


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("$1,496.5", (1496.5, "USD", "")),
        ("(56.7)", (-56.7, "", "")),  # parentheses are a negative
        ("−3.0", (-3.0, "", "")),  # a minus sign, not a hyphen
        ("US$ (3.4)", (-3.4, "USD", "")),
        ("RMB 5,000", (5000.0, "RMB", "")),
        ("€ 12", (12.0, "EUR", "")),
        ("45.1 %", (45.1, "", "%")),
        ("(8)%", (-8.0, "", "%")),
        ("2.5x", (2.5, "", "x")),
        ("3 times", (3.0, "", "x")),
        ("12.5*", (12.5, "", "")),  # a footnote mark after the number
        ("1,234 (a)", (1234.0, "", "")),
        (".5", (0.5, "", "")),
        ("n/a", None),
        ("N/M", None),
        ("--", None),
        ("(1,234", None),  # an unclosed parenthesis is not a number
        ("12,34", None),
        ("$", None),
    ],
)
def test_parse_cell_reads_numbers_as_tables_write_them(
    cell: str, parsed: tuple[float, str, str] | None
) -> None:
    assert parse_cell(cell) == parsed


@pytest.mark.parametrize(
    ("cell", "year", "amount"),
    [("2019", True, False), ("2 0 1 8", True, False), ("2018 (4)", True, False),
     ("2018*", True, False), ("2,019", False, True), ("1,452.4", False, True),
     ("(4)", False, True), ("€m", False, False), ("FY2019", False, False)],
)  # fmt: skip
def test_a_year_is_a_label_not_an_amount(cell: str, year: bool, amount: bool) -> None:
    assert (is_year(cell), is_amount(cell)) == (year, amount)


@pytest.mark.parametrize(
    ("header", "period"),
    [
        ("Six Months Ended June 30 · 2019", "1H2019"),
        ("Three Months Ended March 31 · 2020", "1Q2020"),
        ("Fiscal · 2019 · (in millions)", "FY2019"),
        ("Year Ended May 31 · 2019", "FY2019"),
        ("Q3 2021", "3Q2021"),
        ("FY 2020", "FY2020"),
        ("As of December 31, 2018", "as of December 31, 2018"),
        ("2019 €m", "2019"),
        ("2019 over 2018", None),  # two years: a comparison, not a period
        ("Change %", None),
    ],
)
def test_column_period_names_the_period_a_header_reports(header: str, period: str | None) -> None:
    assert column_period(header) == period


@pytest.mark.parametrize(
    ("text", "options", "found"),
    [
        ("(in thousands, except per share data)", {}, ("thousand", "")),
        ("In millions of euros", {}, ("million", "EUR")),
        ("in thousands of US dollars", {}, ("thousand", "USD")),
        ("amounts in RMB million", {"prose": True}, ("million", "RMB")),
        ("US$m", {}, ("million", "USD")),
        ("€m", {"header": True}, ("million", "EUR")),
        ("Millions", {"header": True}, ("million", "")),
        ("Millions", {}, ("", "")),  # a bare scale word is a note only in a header cell
        ("per $ million of revenue", {"prose": True}, ("", "")),
        ("5m", {}, ("", "")),  # a bare "m" needs a currency before it
    ],
)
def test_find_scale_reads_notes_captions_and_header_cells(
    text: str, options: dict[str, bool], found: tuple[str, str]
) -> None:
    assert find_scale(text, **options) == found


@pytest.mark.parametrize(
    ("text", "code"),
    [("HK$ 5", "HKD"), ("A$", "AUD"), ("S$", "SGD"), ("£", "GBP"), ("yen", "JPY"),
     ("Yuan", "RMB"), ("dollars", "USD"), ("USD 3", "USD"), ("Revenue", "")],
)  # fmt: skip
def test_currency_of_gives_the_iso_code(text: str, code: str) -> None:
    assert currency_of(text) == code


@pytest.mark.parametrize(
    ("word", "scale"),
    [("thousands", "thousand"), ("’000", "thousand"), ("k", "thousand"), ("mn", "million"),
     ("Billions", "billion"), ("trillion", ""), ("", "")],
)  # fmt: skip
def test_scale_word_canonicalizes(word: str, scale: str) -> None:
    assert scale_word(word) == scale
