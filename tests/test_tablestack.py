"""Stacked tables (qa/ingest/loaders/tablestack.py): a table that repeats its header rows over a
second block of rows ("Fiscal 2018" under "Fiscal 2019", "As of December 31, 2018" under the
2019 block) is one table per block, each with its own columns; the block below takes the scale
its table's note gave (qa/ingest/loaders/tableplace.py). And header rules of the parser
(qa/ingest/loaders/tablegrid.py): quarters, change headers, percent columns, footnote digits."""

from __future__ import annotations

import pytest

from qa.ingest.loaders.tablegrid import Grid
from qa.ingest.loaders.tablestack import split_stacked, structures
from qa.ingest.loaders.webpage import html_to_document

QUARTERS = (
    ("", "", "", "", "Fiscal 2019", ""),
    ("", "First", "Second", "Third", "Fourth", ""),
    ("", "Quarter", "Quarter", "Quarter", "Quarter", "Total"),
    ("Revenues", "$ 94,888", "$ 96,037", "$ 88,495", "$84,380", "$363,800"),
    ("Gross margin", "40.1%", "41.5%", "41.1%", "39.7%", "40.6%"),
    ("", "", "", "", "Fiscal 2018", ""),
    ("", "First", "Second", "Third", "Fourth", ""),
    ("", "Quarter", "Quarter", "Quarter", "Quarter", "Total"),
    ("Revenues", "$88,081", "$89,767", "$93,669", "$94,395", "$365,912"),
    ("Gross margin", "42.5%", "41.0%", "40.8%", "40.7%", "41.2%"),
)
ROLL = (
    ("(In Millions)", "Dec 29, 2018", "Acquisitions", "Other", "Dec 28, 2019"),
    ("Data Center Group", "$5,424", "$1,758", "$—", "$7,155"),
    ("Total", "$24,513", "$1,825", "$(62)", "$26,276"),
    ("(In Millions)", "Dec 30, 2017", "Acquisitions", "Other", "Dec 29, 2018"),
    ("Data Center Group", "$5,421", "$3", "$—", "$5,424"),
    ("Total", "$24,389", "$162", "$(38)", "$24,513"),
)
# A wrapped cell under a row ("Maturity date | 30/7/2021~" then "| 11/4/2024") is not a header.
WRAPPED = (
    ("", "2019", "2018"),
    ("Notional amount", "29,423", "77,630"),
    ("Maturity date", "30/7/2021~", "28/6/2019~"),
    ("", "11/4/2024", "8/12/2023"),
    ("Hedge ratio", "1:1", "1:1"),
    ("Change in fair value", "(2,139)", "181"),
)


def test_a_repeated_header_starts_a_block_with_its_own_columns() -> None:
    first, second = structures(Grid(QUARTERS, 3))
    assert [c.period for c in first.columns] == ["1Q2019", "2Q2019", "3Q2019", "4Q2019", "FY2019"]
    assert [c.period for c in second.columns] == ["1Q2018", "2Q2018", "3Q2018", "4Q2018", "FY2018"]
    assert [row.leaf for row in second.rows] == ["Revenues", "Gross margin"]
    assert second.rows[0].cells[2] == "$93,669"


def test_a_one_row_repeated_header_with_several_cells_starts_a_block() -> None:
    blocks = split_stacked(Grid(ROLL, 1))
    assert [len(block.rows) for block in blocks] == [3, 3]
    assert blocks[1].header_count == 1
    second = structures(Grid(ROLL, 1))[1]
    assert second.columns[0].period == "as of December 30, 2017"
    assert second.scale == "million"


@pytest.mark.parametrize("rows", [WRAPPED, QUARTERS[:5]])
def test_a_table_without_a_repeated_header_stays_whole(rows: tuple[tuple[str, ...], ...]) -> None:
    assert split_stacked(Grid(rows, None)) == [Grid(rows, None)]


def test_a_quarter_header_does_not_spread_over_the_total_column() -> None:
    table = structures(Grid(QUARTERS[:5], 3))[0]
    assert table.columns[-1].header == "Fiscal 2019 · Total"


def test_the_block_below_takes_the_scale_of_the_note_above_the_table() -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in QUARTERS[3:]
    )
    head = "".join(
        "<tr>" + "".join(f"<th>{cell}</th>" for cell in row) + "</tr>" for row in QUARTERS[:3]
    )
    page = (
        "<html><body><main><p>Quarterly results (in thousands, except per share data):</p>"
        f"<table><thead>{head}</thead><tbody>{rows}</tbody></table></main></body></html>"
    )
    text, _, tables = html_to_document(page)
    assert [t.number for t in tables] == [1, 2]
    assert [t.scale for t in tables] == ["thousand", "thousand"]
    cell = tables[1].rows[0]
    assert text[cell.spans[2][0] : cell.spans[2][1]] == "$93,669"  # type: ignore[index]


PERCENT_OF_SALES = (
    ("", "2019", "2018"),
    ("Sales", "100.0 %", "100.0 %"),
    ("Gross profit", "40.0", "50.9"),
    ("Operating expenses", "33.1", "27.0"),
    ("Net income", "7.2 %", "20.5 %"),
)
MIXED = (
    ("", "2019", "2018"),
    ("Revenue", "1,000", "900"),
    ("Cost of sales", "600", "500"),
    ("Gross margin", "40%", "44%"),
)


def test_a_column_with_percent_signs_on_its_first_and_last_rows_is_of_percentages() -> None:
    table = structures(Grid(PERCENT_OF_SALES, 1))[0]
    assert [c.unit for c in table.columns] == ["%", "%"]
    assert [c.unit for c in structures(Grid(MIXED, 1))[0].columns] == ["", ""]


@pytest.mark.parametrize(
    ("label", "leaf"),
    [("Order intake1", "Order intake"), ("Effective tax rate4 (%)", "Effective tax rate (%)"),
     ("Level 3", "Level 3"), ("COVID-19 costs", "COVID-19 costs"), ("Scope 2", "Scope 2")],
)  # fmt: skip
def test_a_footnote_digit_glued_to_a_label_is_not_part_of_it(label: str, leaf: str) -> None:
    table = structures(Grid((("", "2019"), (label, "1.0")), 1))[0]
    assert table.rows[0].leaf == leaf


def test_a_lone_change_header_spans_only_the_columns_that_are_not_years() -> None:
    rows = (
        ("", "", "", "Percent Change", ""),
        ("(Dollars in millions)", "2019", "Actual", "Constant", "2018"),
        ("Interest expense", "$2,082", "3%", "3%", "$2,025"),
    )
    table = structures(Grid(rows, 2))[0]
    assert [c.header for c in table.columns] == [
        "2019", "Percent Change · Actual", "Percent Change · Constant", "2018",
    ]  # fmt: skip
    assert [c.unit for c in table.columns] == ["", "%", "%", ""]


def test_a_note_excepting_percentages_does_not_make_a_column_of_percentages() -> None:
    rows = (
        ("", "2019", "2019"),
        ("", "Amount", "% of total revenue"),
        ("", "(In thousands, except percentages)", ""),
        ("Services", "243,053", "34"),
    )
    table = structures(Grid(rows, 3))[0]
    assert [c.unit for c in table.columns] == ["", "%"]
    assert table.scale == "thousand"


def test_an_unlabelled_row_that_sums_the_rows_above_is_their_total() -> None:
    rows = (
        ("", "2019", "2018"),
        ("Employee severance", "$7,169", "$7,845"),
        ("Strategic evaluation", "1,286", "—"),
        ("Other", "—", "591"),
        ("", "$8,455", "$8,436"),
    )
    table = structures(Grid(rows, 1))[0]
    assert table.rows[-1].path == ("Total",) and table.rows[-1].label == ""
    wrong = (*rows[:-1], ("", "$9,000", "$8,436"))
    assert structures(Grid(wrong, 1))[0].rows[-1].path == ()


def test_a_scale_implied_by_the_text_quoting_cells_rounded_a_step_up() -> None:
    page = (
        "<html><body><main><p>Net cash provided by operations was $45.0 million, consisting of "
        "$24.2 million of net income.</p><table><thead><tr><th></th><th>2019</th></tr></thead>"
        "<tbody><tr><td>Net income</td><td>$24,193</td></tr><tr><td>Cash provided by operating "
        "activities</td><td>$45,007</td></tr></tbody></table></main></body></html>"
    )
    assert html_to_document(page)[2][0].scale == "thousand"
    one = page.replace(", consisting of $24.2 million of net income", "")
    assert html_to_document(one)[2][0].scale == ""  # one rounded quote could be chance
