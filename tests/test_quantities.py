"""One number token -> one typed figure or none (qa/figures/quantities.py): what is not a
quantity, signs, currencies (¥ by context), scales, ranges, qualifiers, units and the direction
of a change; dates and rankings. Table-driven on sentences like the release's; the whole
extraction (metrics, periods) is in tests/test_extract.py."""

from __future__ import annotations

import pytest

from qa.figures.quantities import NUMBER_RE, scan_dates, scan_number, scan_ranks
from qa.text.numerals import resolve_yen
from qa.types import Figure


def scanned(sentence: str) -> list[Figure | None]:
    """The figure (or None) of each number token of one sentence, as extraction scans them."""
    yen = resolve_yen(sentence)
    return [
        scan_number(sentence, m, 0, len(sentence), yen, "doc") for m in NUMBER_RE.finditer(sentence)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "It was hit by COVID-19 in 2022.",  # a name, then a year
        "See note [3].",  # a footnote mark
        "1. Smart City grew.",  # a list marker
        "It is one of the leaders.",
        "The F1 team won.",
        "stock code: 0020",  # leading zeros: a code
        "the two segments grew",  # a reference, not a count
        "It is the only one on the market.",  # a spelled number counting nothing
    ],
)
def test_tokens_that_are_not_quantities_give_no_figure(sentence: str) -> None:
    tokens = scanned(sentence)
    assert tokens and all(figure is None for figure in tokens)


@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit", "kind"),
    [
        ("Revenue of ¥3 billion in Tokyo", "¥3 billion", 3e9, "JPY", "currency"),
        ("Revenue of ¥3 billion in Shanghai", "¥3 billion", 3e9, "RMB", "currency"),
        ("Losses of (RMB 2.1 million)", "(RMB 2.1 million)", -2.1e6, "RMB", "currency"),
        ("Cost was -RMB5 million", "-RMB5 million", -5e6, "RMB", "currency"),
        ("It took 18 months", "18 months", 18, "months", "duration"),
        ("It has 5,000 stores", "5,000 stores", 5000, "stores", "count"),
        ("A spread of 150 bps", "150 bps", 150, "bp", "basis_points"),
    ],
)
def test_a_number_is_read_with_its_sign_currency_scale_and_unit(
    sentence: str, text: str, value: float, unit: str, kind: str
) -> None:
    figure = next(f for f in scanned(sentence) if f is not None)
    assert (figure.text, figure.value, figure.unit, figure.kind) == (text, value, unit, kind)
    assert sentence[figure.start : figure.end] == text and figure.doc_id == "doc"


@pytest.mark.parametrize(
    ("sentence", "qualifier", "role", "direction"),
    [
        ("It rose by up to over 30%.", "up to over", "change", "increase"),
        ("Investment exceeded RMB10 billion", "exceeding", "level", None),
        ("Margin was 5 percentage points higher", None, "change", "increase"),
        ("Revenue was down 3%", None, "change", "decrease"),
        ("Revenue +12% year on year", None, "change", "increase"),
        ("Margin was -12%", None, "level", None),  # a negative level, not a fall
        ("Net loss narrowed by RMB1 billion", None, "change", "decrease"),
    ],
)
def test_qualifiers_and_the_direction_of_a_change_come_from_the_words_around(
    sentence: str, qualifier: str | None, role: str, direction: str | None
) -> None:
    figure = next(f for f in scanned(sentence) if f is not None)
    assert (figure.qualifier, figure.role, figure.direction) == (qualifier, role, direction)


def test_a_range_carries_its_upper_end_scaled() -> None:
    figure = scanned("Guidance of RMB1–2 billion")[0]
    assert figure is not None and figure.text == "RMB1–2 billion"
    assert (figure.value, figure.high, figure.scale) == (1e9, 2e9, "billion")


def test_a_bare_year_is_a_period_but_a_scaled_one_is_an_amount() -> None:
    assert scanned("In 2021 it grew")[0] is None
    figure = scanned("Sales were RMB2022 million")[0]
    assert figure is not None and figure.value == 2.022e9


def test_dates_with_a_year_are_one_figure_each() -> None:
    text = "From 30 June 2022 to May 2023, 35 June 2022 aside."
    assert [(f.text, f.value, f.kind) for f in scan_dates(text, 0, len(text))] == [
        ("30 June 2022", 20220630.0, "date"),
        ("May 2023", 20230500.0, "date"),
    ]


@pytest.mark.parametrize(
    ("sentence", "text", "rank"),
    [
        ("It ranks first in China.", "first", 1),
        ("It was ranked No. 2 globally.", "No. 2", 2),
        ("It is the number one player.", "number one", 1),
        ("It ranks 3rd.", "3rd", 3),
        ("It ranked among the top 10.", "top 10", 10),
        ("It ranks among the top three.", "top three", 3),
    ],
)
def test_rankings_are_rank_figures(sentence: str, text: str, rank: int) -> None:
    (figure,) = scan_ranks(sentence, 0, len(sentence))
    assert (figure.text, figure.value, figure.kind) == (text, rank, "rank")
    assert sentence[figure.start : figure.end] == text
