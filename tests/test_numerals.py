"""Numbers as prose writes them (qa/text/numerals.py): digits, spelled-out numbers, scale words,
dates in every order (misspelled months too), ¥ by context."""

from __future__ import annotations

import re

import pytest

from qa.text.numerals import (
    DATE_RE,
    DIGITS_RE,
    SCALE_RE,
    WORDS_RE,
    date_parts,
    format_date,
    parse_digits,
    parse_words,
    resolve_yen,
    scale_factor,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,420.5", 1420.5), ("12,502", 12502.0), ("2.5", 2.5), (".5", 0.5), ("0020", 20.0)],
)
def test_parse_digits_reads_thousands_separators(text: str, value: float) -> None:
    assert parse_digits(text) == value


@pytest.mark.parametrize(
    ("text", "token"),
    [("On June 30,2022 it", "30"), ("It was 1,420.5 million", "1,420.5"), ("about .5%", ".5"),
     ("12,50 units", "12")],  # "12,50" is not grouped thousands
)  # fmt: skip
def test_digits_re_finds_the_number_as_written(text: str, token: str) -> None:
    found = re.search(DIGITS_RE, text)
    assert found is not None and found.group(0) == token


@pytest.mark.parametrize(
    ("text", "value"),
    [("Five", 5.0), ("twenty-five", 25.0), ("dozen", 12.0), ("ninety-nine", 99.0)],
)
def test_parse_words_reads_spelled_out_numbers(text: str, value: float) -> None:
    assert re.fullmatch(WORDS_RE, text.lower())
    assert parse_words(text) == value


@pytest.mark.parametrize(
    ("after", "scale", "factor"),
    [(" billion", "billion", 1e9), ("bn", "bn", 1e9), (" mln", "mln", 1e6), ("m", "m", 1e6),
     ("k", "k", 1e3), (" trillion", "trillion", 1e12), (" metres", None, 1.0),
     ("million", "million", 1e6)],
)  # fmt: skip
def test_a_scale_word_after_a_number_and_its_factor(
    after: str, scale: str | None, factor: float
) -> None:
    found = re.match(SCALE_RE, after)
    assert (found.group(0).strip() if found else None) == scale
    assert scale_factor(scale or "") == factor


def test_scale_factor_knows_the_forms_tables_write() -> None:
    assert [scale_factor(w) for w in ("'000", "’000", "thousands", "mm", "MILLIONS", "lakh")] == [
        1e3, 1e3, 1e3, 1e6, 1e6, 1.0,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "parts", "written"),
    [
        ("on 25 Augsut 2022.", (2022, 8, 25), "August 25, 2022"),  # a misspelled month
        ("As of June 30,2022, it", (2022, 6, 30), "June 30, 2022"),
        ("on January 24, 2022, with", (2022, 1, 24), "January 24, 2022"),
        ("In Aug. 2022 the robot", (2022, 8, 0), "August 2022"),
        ("for the six months ended 30 June 2022", (2022, 6, 30), "June 30, 2022"),
        ("on Dec 1st, 2021", (2021, 12, 1), "December 1, 2021"),
    ],
)
def test_dates_in_every_order_read_and_write_back(
    text: str, parts: tuple[int, int, int], written: str
) -> None:
    match = DATE_RE.search(text)
    assert match is not None and date_parts(match) == parts
    assert format_date(*parts) == written


@pytest.mark.parametrize("text", ["In 2022 revenue rose", "30 June", "May be", "pre-June 2022x"])
def test_what_is_not_a_date_with_a_year_is_no_date(text: str) -> None:
    assert DATE_RE.search(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("Revenue was ¥3 billion in Tokyo", "JPY"), ("Sales in yen rose", "JPY"),
     ("¥3 billion, Shanghai", "RMB"), ("¥500 million from Japanese customers", "JPY")],
)  # fmt: skip
def test_yen_means_renminbi_unless_the_text_is_about_japan(text: str, code: str) -> None:
    assert resolve_yen(text) == code
