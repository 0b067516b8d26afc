"""The period of each table cell (qa/answer/tableperiods.py) on real TAT-QA layouts parsed the way
the index parses them: roll-forwards dated by their balance rows, period group headings, quarter
columns, 52/53-week years that end in January."""

from __future__ import annotations

import pytest

from qa.answer.tableperiods import (
    base_label,
    cell_period,
    fits,
    fits_cell,
    label_period,
    quarter_in,
    row_periods,
    series,
)
from tests.tatqa_pages import dev_tables

tables = dev_tables


def test_a_roll_forward_dates_balances_and_gives_movements_the_year_they_lead_to() -> None:
    # "Outstanding at September 30, 2016", "Granted", "Exercised", "Canceled",
    # "Outstanding at September 30, 2017", ... (a stock option roll-forward).
    table = tables(34)[0]
    periods = row_periods(table)
    assert periods[0] == "as of September 30, 2016"
    assert periods[1:4] == ("2017", "2017", "2017")  # Granted, Exercised, Canceled
    assert periods[4] == "as of September 30, 2017"
    assert periods[5] == "2018"
    granted = [table.rows[r].leaf for r in series(table, 1)]
    assert granted == ["Granted", "Granted", "Granted"]
    assert [periods[r] for r in series(table, 0)][-1] == "as of September 30, 2019"


def test_period_group_headings_date_the_rows_under_them() -> None:
    # "December 31, 2019" heading over Transaction related / Servicing related / Total, then
    # "December 31, 2018" over the same rows; the columns name no year.
    table = tables(125)[0]
    totals = [r for r, row in enumerate(table.rows) if row.leaf == "Total"]
    assert [row_periods(table)[r] for r in totals] == [
        "as of December 31, 2019",
        "as of December 31, 2018",
    ]
    assert series(table, totals[0]) == tuple(totals)


def test_dated_columns_leave_rows_undated() -> None:
    table = tables(0)[0]  # Years Ended September 30 · 2019 / 2018 / 2017
    assert set(row_periods(table)) == {None}
    assert cell_period(table, 0, 0) == "FY2019"


def test_quarter_columns_of_a_stacked_table_are_quarters_of_their_block_year() -> None:
    first, second = tables(97)[:2]  # "Fiscal 2019 · First · Quarter" ... then "Fiscal 2018"
    assert [cell_period(first, 0, c) for c in range(5)] == [
        "1Q2019", "2Q2019", "3Q2019", "4Q2019", "FY2019",
    ]  # fmt: skip
    assert cell_period(second, 0, 2) == "3Q2018"


def test_a_52_53_week_year_ending_in_january_answers_for_both_years() -> None:
    # Columns "January 3, 2020" and "December 28, 2018": fiscal 2019 ended on January 3, 2020.
    table = tables(54)[0]
    row = next(r for r, row in enumerate(table.rows) if row.leaf == "Pre-contract costs")
    assert fits_cell("2020", table, row, 0) and fits_cell("2019", table, row, 0)
    assert not fits_cell("2019", table, row, 1) and fits_cell("2018", table, row, 1)


@pytest.mark.parametrize(
    ("label", "period", "base"),
    [
        ("Outstanding at September 30, 2018", "as of September 30, 2018", "Outstanding"),
        ("Balances at December 31, 2017", "as of December 31, 2017", "Balances"),
        ("Nonvested as of December 31, 2019", "as of December 31, 2019", "Nonvested"),
        ("Year ended 30 June 2019", "FY2019", ""),
        ("Net balances at September 30, 2018", "as of September 30, 2018", "Net balances"),
        ("2021", "2021", ""),
        ("Granted", None, "Granted"),
        ("Revenue", None, "Revenue"),
    ],
)
def test_labels_name_their_period_and_the_line_without_it(
    label: str, period: str | None, base: str
) -> None:
    assert label_period(label) == period
    assert base_label(label) == base


@pytest.mark.parametrize(
    ("asked", "stated", "expected"),
    [
        ("2019", "FY2019", True),
        ("2019", "as of December 31, 2019", True),
        ("2019", "2018", False),
        ("3Q2019", "3Q2019", True),
        ("3Q2019", "FY2019", False),
        ("2019", "3Q2019", True),
        ("as of July 7, 2019", "as of July 7, 2019", True),
        ("as of July 7, 2019", "as of September 29, 2019", False),
        ("as of July 7, 2019", "FY2019", True),
        ("2019", None, False),
    ],
)
def test_fits_compares_years_quarters_and_days(
    asked: str, stated: str | None, expected: bool
) -> None:
    assert fits(asked, stated) is expected


@pytest.mark.parametrize(
    ("text", "header", "quarter"),
    [
        ("Fiscal 2019 · Second · Quarter", True, 2),
        ("Second", True, 2),
        ("Second", False, None),
        ("Fourth Quarter", False, 4),
        ("Q3 2019", False, 3),
        ("Total", True, None),
    ],
)
def test_quarters_named_by_headers_and_labels(text: str, header: bool, quarter: int | None) -> None:
    assert quarter_in(text, header=header) == quarter
