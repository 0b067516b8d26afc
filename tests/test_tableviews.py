"""Tables whose rows are periods, read the other way round (qa/answer/tableviews.py): a schedule
of lease payments by year, stock prices by quarter; the view's figures point at the cells the
report prints."""

from __future__ import annotations

import pytest

from qa.answer.tableviews import Transposed, is_period_label, table_cell, transposed, view_column
from tests.tatqa_pages import ask_tables, dev_tables

tables = dev_tables


def test_a_schedule_by_year_is_read_with_years_as_columns() -> None:
    source = tables(193)[0]  # rows 2021 ... 2025, Thereafter, totals; Operating / Finance Leases
    view = transposed(source)
    assert isinstance(view, Transposed)
    assert [c.header for c in view.columns][:2] == ["2021", "2022"]
    assert [row.label for row in view.rows] == ["Operating Leases", "Finance Leases"]
    figure = table_cell(view, 0, 1)  # Operating Leases, 2022
    assert figure is not None and figure.text == "135"
    r = source.row_index("2022")
    assert figure.cell == (source.number, r, 0)
    assert source.rows[r].cells[0] == "135"
    assert view_column(view, figure) == 1


def test_tables_dated_by_their_columns_have_no_view() -> None:
    assert transposed(tables(0)[0]) is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [("2021", True), ("FY2019", True), ("2020 – 2024", True), ("Fourth Quarter", True),
     ("Thereafter", False), ("Total lease payments", False), ("Notes due 2025", False)],
)  # fmt: skip
def test_period_labels(label: str, expected: bool) -> None:
    assert is_period_label(label) is expected


@pytest.mark.parametrize(
    ("context", "question", "value"),
    [
        (193, "What were the operating leases for 2021?", 138e6),
        (193, "What was the percentage change in operating leases between 2024 and 2025?", -25.53),
        (263, "What is the sum of finance leases from 2020 to 2024?", 140e6),
        # Quarters down the rows, under a year heading or a year in the column header.
        (240, "In 2019, what is the change in high price between the third quarter and fourth "
         "quarter?", -3.52),
        (240, "What is the average quarterly low price for 2019?", 10.3025),
        (240, "What is the difference in the high and low prices of the common stock in the "
         "fourth quarter of 2019?", 1.97),
        (79, "In 2018, how many quarters had stock prices lower than $2.00 during their lows?",
         1.0),
        (240, "What is the high and low sale prices of the common stock in the fourth quarter of "
         "2019 respectively?", ("$11.44", "$9.47")),
        # A range the table prints as one period ("2020 – 2024") is that period.
        (139, "What is the difference of ground leases expiring between the periods 2020 - 2024 "
         "and 2025 - 2029?", -183.0),
    ],
)  # fmt: skip
def test_questions_on_tables_whose_rows_are_periods(
    context: int, question: str, value: float | tuple[str, ...]
) -> None:
    found = ask_tables(question, tables(context))
    assert found is not None
    if isinstance(value, tuple):
        assert found.value == value
    else:
        assert found.value == pytest.approx(value)
