"""Table cells as figures (qa/figures/table.py): the row path is the metric, the column's period
the period, the table's unit and scale apply except to per-share and percent rows; on tables
the tests write and on real TAT-QA dev tables."""

from __future__ import annotations

import pytest

from qa.figures.table import cell_figure, column_figures, row_figures, table_figures
from qa.ingest.loaders.webpage import html_to_document
from tests.tatqa_pages import page

from .table_samples import GROUPS, SEC, SPANNING, figures_of, parse, tatqa


def test_per_share_and_percent_rows_are_not_scaled() -> None:
    text, table = parse(SEC)
    figures = figures_of(text, table)
    eps = figures["diluted net loss per share", "FY2019"]
    assert (eps.value, eps.unit, eps.scale) == (-0.12, "USD", None)
    margin = figures["gross margin (%)", "FY2018"]
    assert (margin.value, margin.unit, margin.kind) == (39.0, "%", "percent")
    change = figures["net revenue", None]
    assert (change.value, change.role, change.direction) == (23.5, "change", "increase")


# Contexts 3 and 9 state no scale anywhere on the page; their gold "thousand" is the
# annotators' knowledge, not something a parser can read.
UNSTATED = {3, 9}


def test_tatqa_answers_are_cells_with_the_gold_scale() -> None:
    checked = 0
    for number, context in enumerate(tatqa()):
        if number in UNSTATED:
            continue
        _, _, tables = html_to_document(page(context))
        cells = {f.text.replace(" ", ""): f for f in table_figures(tables[0])}
        for question in context["questions"]:  # type: ignore[attr-defined]
            answer = question["answer"]
            answer = answer[0] if isinstance(answer, list) else answer
            figure = cells.get(str(answer).replace(" ", ""))
            if question["answer_type"] != "span" or figure is None or question["scale"] == "":
                continue
            got = "percent" if figure.kind == "percent" else figure.scale
            assert got == question["scale"], (question["question"], figure)
            checked += 1
    assert checked >= 8


def test_rows_and_columns_are_found_by_label_and_period() -> None:
    from qa.figures.table import column_figures, row_figures

    _, table = parse(GROUPS)
    assert table.row_index("Assets › Cash and equivalents") == 1
    assert table.row_index("cash and equivalents (1)") == table.row_index("Cash and equivalents")
    assert table.row_index("Assets") is None  # a group heading holds no values
    assert table.column_index("2018") == 1 and table.column_index("FY2018") is None
    assert [f.text for f in row_figures(table, 1)] == ["1,200", "900"]
    assert [f.metric for f in column_figures(table, 1)] == [
        "assets › cash and equivalents", "assets › total assets", "liabilities › borrowings",
    ]  # fmt: skip


KEY_DATA = """
<p>Key data (in millions)</p>
<table><tr><th></th><th>2019</th><th>2018</th><th>Change</th></tr>
<tr><td>Revenue</td><td>$ 5.2</td><td>$ 6.0</td><td>(13.3)%</td></tr>
<tr><td>Notes due</td><td>2025</td><td>2024</td><td></td></tr>
<tr><td>Price-to-earnings</td><td>12.1x</td><td>9.8x</td><td></td></tr>
<tr><td>Margin (%)</td><td>41.5</td><td>39.0</td><td>2.5</td></tr></table>
"""


@pytest.mark.parametrize(
    ("cell", "value", "unit", "kind", "scale", "period"),
    [
        ((0, 0), 5.2e6, "USD", "currency", "million", "2019"),  # the table's "(in millions)"
        ((2, 1), 9.8, "x", "multiplier", None, "2018"),
        ((3, 0), 41.5, "%", "percent", None, "2019"),  # a "(%)" row, no "%" in the cell
    ],
)
def test_a_cell_takes_its_rows_columns_and_tables_unit_scale_and_period(
    cell: tuple[int, int], value: float, unit: str, kind: str, scale: str | None, period: str
) -> None:
    text, table = parse(KEY_DATA)
    figure = cell_figure(table, *cell)
    assert figure is not None and text[figure.start : figure.end] == figure.text
    assert (figure.value, figure.unit, figure.kind) == pytest.approx((value, unit, kind))
    assert (figure.scale, figure.period, figure.cell) == (scale, period, (1, *cell))
    assert figure.metric == table.rows[cell[0]].label.lower() and figure.role == "level"


def test_a_change_column_gives_the_direction_of_its_sign() -> None:
    _, table = parse(KEY_DATA)
    fall, rise = column_figures(table, 2)
    assert (fall.text, fall.value, fall.role, fall.direction) == ("(13.3)%", -13.3, "change",
                                                                   "decrease")  # fmt: skip
    assert (rise.text, rise.role, rise.direction) == ("2.5", "change", "increase")


def test_years_in_value_cells_group_rows_and_blanks_are_not_figures() -> None:
    _, table = parse(KEY_DATA)
    assert row_figures(table, 1) == []  # "Notes due | 2025 | 2024" are years, not amounts
    _, groups = parse(GROUPS)
    assert cell_figure(groups, 0, 0) is None  # "Assets" heads a group
    assert cell_figure(groups, 2, 1) is None  # "—" is blank
    assert {f.cell[1] for f in table_figures(groups) if f.cell} == {1, 2, 3, 5}


def test_table_figures_run_row_by_row_left_to_right() -> None:
    _, table = parse(SPANNING)
    figures = table_figures(table)
    assert [f.cell for f in figures] == [(1, r, c) for r in range(3) for c in range(3)]
    assert [f.metric for f in figures[::3]] == ["fixed price", "other", "total sales"]
    assert [f.period for f in figures[:3]] == ["FY2019", "FY2018", "FY2017"]


def test_every_real_dev_table_cell_figure_slices_back_to_its_text() -> None:
    for context in tatqa():
        text, _, tables = html_to_document(page(context))
        for figure in (f for table in tables for f in table_figures(table)):
            assert text[figure.start : figure.end] == figure.text
            assert figure.kind in ("currency", "percent", "count", "multiplier")


def test_a_column_of_shares_counts_in_a_table_of_dollars() -> None:
    _, table = parse(
        "<table><tr><th>Awards</th><th>Shares</th><th>Weighted-Average Fair Value</th></tr>"
        "<tr><td>Granted</td><td>473,550</td><td>$53.53</td></tr>"
        "<tr><td>Vested</td><td>(365,223)</td><td>$41.83</td></tr></table>"
    )
    assert table.unit == "USD"
    shares, price = row_figures(table, 1)
    assert (shares.value, shares.kind, shares.unit) == (-365223.0, "count", "")
    assert (price.value, price.kind, price.unit) == (41.83, "currency", "USD")


def test_a_dollar_value_of_shares_is_money_and_a_number_of_row_counts() -> None:
    _, table = parse(
        "<table><tr><th></th><th>Shares Purchased</th><th>Dollar Value of Shares</th></tr>"
        "<tr><td>January</td><td>262</td><td>$2,372</td></tr>"
        "<tr><td>February</td><td>3,380</td><td>2,150</td></tr></table>"
    )
    assert [f.kind for f in row_figures(table, 1)] == ["count", "currency"]
    _, money = parse(
        "<table><tr><th></th><th>2019</th><th>2018</th></tr>"
        "<tr><td>Revenue</td><td>$1,200</td><td>$1,100</td></tr>"
        "<tr><td>Number of stores</td><td>52</td><td>48</td></tr></table>"
    )
    assert [f.kind for f in row_figures(money, 0)] == ["currency", "currency"]
    assert [f.kind for f in row_figures(money, 1)] == ["count", "count"]
