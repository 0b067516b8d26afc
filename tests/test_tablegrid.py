"""A table's layout -> a Table record (qa/ingest/loaders/tablegrid.py): header rows merged per
column, symbol columns folded, group rows and totals, unit columns, percent companions and
footnote marks — in HTML layouts that trip parsers and straight from a `Grid`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.figures.document import document_figures
from qa.figures.table import table_figures
from qa.ingest.loaders.tablegrid import Grid, label_key, structure

from .table_samples import (
    GROUPS,
    SEC,
    SPANNING,
    assert_spans_slice,
    figures_of,
    load,
    parse,
)


def test_a_spanning_header_merges_over_the_columns_below_it() -> None:
    text, table = parse(SPANNING)
    assert [c.header for c in table.columns] == [
        "Years Ended September 30 · 2019",
        "Years Ended September 30 · 2018",
        "Years Ended September 30 · 2017",
    ]
    assert [c.period for c in table.columns] == ["FY2019", "FY2018", "FY2017"]
    assert table.number == 1 and text[table.start : table.end].startswith(table.caption)
    assert_spans_slice(text, table)


def test_group_rows_head_the_rows_below_and_totals_close_them() -> None:
    text, table = parse(GROUPS)
    paths = [row.path for row in table.rows]
    assert paths == [
        ("Assets",),
        ("Assets", "Cash and equivalents"),
        ("Assets", "Receivables"),
        ("Assets", "Total assets"),
        ("Liabilities",),
        ("Liabilities", "Borrowings"),
    ]
    assert [row.group for row in table.rows] == [True, False, False, False, True, False]
    assert table.rows[1].label == "Cash and equivalents (1)"  # as written, mark kept
    assert table.rows[1].name == "Assets › Cash and equivalents"
    assert_spans_slice(text, table)


def test_currency_symbols_in_their_own_cells_fold_into_the_numbers() -> None:
    text, table = parse(SEC)
    assert [c.header for c in table.columns] == ["Fiscal 2019", "Fiscal 2018", "Change"]
    assert [c.period for c in table.columns] == ["FY2019", "FY2018", None]
    assert table.unit == "USD" and table.scale == "thousand"
    figures = figures_of(text, table)
    revenue = figures["net revenue", "FY2019"]
    assert (revenue.value, revenue.unit, revenue.kind) == (12_345_000, "USD", "currency")
    assert_spans_slice(text, table)


@pytest.mark.parametrize(
    ("label", "key"),
    [("Other assets(1)", "Other assets"), ("Receivables*", "Receivables"),
     ("Americas:", "Americas"), ("Goodwill [2]", "Goodwill"), ("Level 3", "Level 3")],
)  # fmt: skip
def test_footnote_marks_are_stripped_for_matching(label: str, key: str) -> None:
    assert label_key(label) == key


def test_a_layout_table_without_value_columns_is_not_a_table() -> None:
    assert structure(Grid((("Only one column",), ("Another",)))) is None


MULTI = """
<table><thead>
<tr><th></th><th>Domestic</th><th></th><th>International</th><th></th></tr>
<tr><th></th><th>September 30,</th><th></th><th>September 30,</th><th></th></tr>
<tr><th></th><th>2019</th><th>2018</th><th>2019</th><th>2018</th></tr></thead>
<tbody><tr><td>Discount rate</td><td>4.00%</td><td>3.75%</td><td>1.90%</td><td>2.80%</td></tr>
<tr><td>Expected return on plan assets</td><td></td><td></td><td>3.40%</td><td>3.70%</td></tr>
</tbody></table>
"""


def test_multi_row_headers_with_two_groups_and_blank_cells() -> None:
    text, table = parse(MULTI)
    assert [c.header for c in table.columns] == [
        "Domestic · September 30 · 2019", "Domestic · September 30 · 2018",
        "International · September 30 · 2019", "International · September 30 · 2018",
    ]  # fmt: skip
    assert table.columns[0].period == "as of September 30, 2019"
    assert table.rows[1].cells == ("", "", "3.40%", "3.70%")
    assert table.rows[1].spans[:2] == (None, None)
    rate = figures_of(text, table)["discount rate", "as of September 30, 2018"]
    assert rate.text in ("3.75%", "2.80%") and rate.kind == "percent"
    assert_spans_slice(text, table)


UNIT_COLUMN = """## Operating data

| | Unit | 1H2023 | 1H2022 |
|---|---|--:|--:|
| Revenue | RMB million | 2,310.5 | 1,980.0 |
| Gross margin | % | 45.1 | 44.0 |
| Cash | US$'000 | 512 | 498 |
"""


def test_a_unit_column_gives_each_row_its_unit_and_scale(
    make_corpus: Callable[[dict[str, str]], Path],
) -> None:
    document = load(make_corpus, "ops.md", UNIT_COLUMN)
    (table,) = document.tables
    assert [c.period for c in table.columns] == ["1H2023", "1H2022"]  # the unit column is gone
    assert [row.unit for row in table.rows] == ["RMB million", "%", "US$'000"]
    figures = {(f.metric, f.period): f for f in document_figures(document) if f.cell}
    revenue, margin, cash = (figures[m, "1H2023"] for m in ("revenue", "gross margin", "cash"))
    assert (revenue.value, revenue.unit, revenue.scale) == (2_310_500_000, "RMB", "million")
    assert (margin.value, margin.kind) == (45.1, "percent")
    assert (cash.value, cash.unit, cash.scale) == (512_000, "USD", "thousand")


CENTRED = """
<p>Segment sales were as follows:</p>
<p>(1) Systems include modules sold with the systems.</p>
<table><thead>
<tr><th></th><th></th><th>Years Ended</th><th></th><th></th><th>Change</th><th></th><th></th></tr>
<tr><th>(Dollars in thousands)</th><th>2019</th><th>2018</th><th>2017</th><th>2019 over 2018</th>
<th></th><th>2018 over 2017</th><th></th></tr></thead>
<tbody><tr><td>Modules</td><td>$ 1,460,116</td><td>$ 502,001</td><td>$ 806,398</td>
<td>$ 958,115</td><td>191%</td><td>$(304,397)</td><td>(38)%</td></tr>
<tr><td>Systems .</td><td>1,603,001</td><td>1,742,043</td><td>2,134,926</td><td>(139,042)</td>
<td>(8)%</td><td>(392,883)</td><td>(18)%</td></tr></tbody></table>
"""


def test_centred_spanning_headers_and_percent_companion_columns() -> None:
    text, table = parse(CENTRED)
    assert [c.header for c in table.columns] == [
        "Years Ended · 2019", "Years Ended · 2018", "Years Ended · 2017",
        "Change · 2019 over 2018", "Change · 2019 over 2018 · %",
        "Change · 2018 over 2017", "Change · 2018 over 2017 · %",
    ]  # fmt: skip
    assert [c.period for c in table.columns][:3] == ["FY2019", "FY2018", "FY2017"]
    assert table.caption == "Segment sales were as follows"  # not the footnote below it
    assert (table.unit, table.scale) == ("USD", "thousand")
    assert table.rows[1].path == ("Systems",)
    change = next(f for f in table_figures(table) if f.cell == (1, 0, 4))
    assert text[change.start : change.end] == "191%"
    assert (change.value, change.kind, change.role, change.direction) == (
        191.0, "percent", "change", "increase",
    )  # fmt: skip


def test_a_grid_with_one_header_row_becomes_columns_and_rows() -> None:
    table = structure(
        Grid((("", "2019", "2018"), ("Revenue", "100", "90"), ("Cost", "(40)", "(35)")))
    )
    assert table is not None
    assert [(c.header, c.period) for c in table.columns] == [("2019", "2019"), ("2018", "2018")]
    assert [(r.label, r.cells) for r in table.rows] == [
        ("Revenue", ("100", "90")),
        ("Cost", ("(40)", "(35)")),
    ]
    assert table.header_rows == (("", "2019", "2018"),)
    assert (table.unit, table.scale) == ("", "")  # nothing states one


def test_the_caption_states_the_unit_and_scale() -> None:
    grid = Grid((("", "2019"), ("Revenue", "100")), caption="Results (RMB in millions)")
    table = structure(grid)
    assert table is not None and (table.unit, table.scale) == ("RMB", "million")


def test_a_heading_printed_in_a_value_column_moves_to_the_label_column() -> None:
    grid = Grid((("", "", "Balance Sheet Data:"), ("Cash", "$", "5"), ("Debt", "$", "7")), 0)
    table = structure(grid)
    assert table is not None and table.unit == "USD"  # the "$" column is folded away
    assert [(r.path, r.group, r.cells) for r in table.rows] == [
        (("Balance Sheet Data",), True, ("",)),
        (("Balance Sheet Data", "Cash"), False, ("5",)),
        (("Balance Sheet Data", "Debt"), False, ("7",)),
    ]


def test_a_new_group_heading_ends_the_previous_group() -> None:
    grid = Grid(
        (("Segment", "2019"), ("Americas:", ""), ("Sales", "10"), ("Total Americas", "10"),
         ("Asia", ""), ("Sales", "4"))
    )  # fmt: skip
    table = structure(grid)
    assert table is not None and table.label_header == "Segment"
    assert [r.name for r in table.rows if not r.group] == [
        "Americas › Sales",
        "Americas › Total Americas",
        "Asia › Sales",
    ]


@pytest.mark.parametrize(
    "rows",
    [
        (("Only one column",), ("Another",)),
        ((" ", ""), ("", "  ")),  # nothing but blanks
        (),
    ],
)
def test_what_holds_no_value_column_is_no_table(rows: tuple[tuple[str, ...], ...]) -> None:
    assert structure(Grid(rows)) is None


def test_blank_rows_and_columns_are_dropped() -> None:
    grid = Grid((("", "", "2019", ""), ("", "", "", ""), ("Revenue", "", "100", "")))
    table = structure(grid)
    assert table is not None
    assert [c.header for c in table.columns] == ["2019"] and table.rows[0].cells == ("100",)


@pytest.mark.parametrize(
    ("label", "key"),
    [("Net sales .....", "Net sales"), ("Revenue²", "Revenue"), ("Goodwill†", "Goodwill"),
     ("Other assets (iii)", "Other assets"), ("Acme Co.", "Acme Co."), ("Q4 (a)", "Q4")],
)  # fmt: skip
def test_leader_dots_and_more_footnote_marks_are_stripped(label: str, key: str) -> None:
    assert label_key(label) == key


def test_a_header_cell_that_ends_mid_phrase_heads_only_its_own_column() -> None:
    grid = Grid(
        (
            ("", "Number of Restaurants", ""),
            ("", "", "Land and"),
            ("", "Ground", "Building"),
            ("Fiscal Year", "Leases", "Leases"),
            ("2020 – 2024", "381", "697"),
            ("2025 – 2029", "198", "270"),
        )
    )
    table = structure(grid)
    assert table is not None
    assert [c.header for c in table.columns] == [
        "Number of Restaurants · Ground · Leases",
        "Number of Restaurants · Land and · Building · Leases",
    ]
