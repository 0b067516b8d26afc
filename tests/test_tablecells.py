"""Operands named by a table's rows or columns (qa/answer/tablecells.py, through
qa/answer/tableanswer.py) on small made-up tables: two rows named together by short names
("Acme and Borealis"), a column named with the row the rest of the question names, and a
column's Total row as the whole of a proportion."""

from __future__ import annotations

import pytest

from qa.answer.tableanswer import table_answer
from qa.answer.tablecells import best_cell, column_cell, header_score
from qa.text.question import parse_question
from qa.types import Table
from tests.table_samples import parse

CUSTOMERS = """
<p>Customers that accounted for 10% or more of revenue:</p>
<table>
<tr><th></th><th>2019</th><th>2018</th><th>2017</th></tr>
<tr><td>Acme Devices Inc. (“Acme”)</td><td>32%</td><td>36%</td><td>34%</td></tr>
<tr><td>Borealis Telecom Co., Ltd. (“Borealis”)</td><td>13%</td><td>8%</td><td>11%</td></tr>
</table>
"""

RESTRUCTURING = """
<p>The restructuring liability:</p>
<table>
<tr><th></th><th>Severance</th><th>Lease exits</th><th>Total</th></tr>
<tr><td>Balance payable as at June 30, 2018</td><td>$1,590</td><td>$3,431</td><td>$5,021</td></tr>
<tr><td>Cash payments</td><td>(213)</td><td>(1,290)</td><td>(1,503)</td></tr>
<tr><td>Balance payable as at June 30, 2019</td><td>$1,046</td><td>$2,949</td><td>$3,995</td></tr>
</table>
"""

FAIR_VALUE = """
<p>Assets measured at fair value (in thousands):</p>
<table>
<tr><th></th><th>Quoted Prices (Level 1)</th><th>Observable Inputs (Level 2)</th>
<th>Unobservable Inputs (Level 3)</th><th>Total Fair Value</th></tr>
<tr><td>Money market funds</td><td>$—</td><td>$2,010</td><td>$—</td><td>$2,010</td></tr>
<tr><td>Commercial paper</td><td>—</td><td>44,300</td><td>—</td><td>44,300</td></tr>
<tr><td>Total</td><td>$—</td><td>46,310</td><td>—</td><td>46,310</td></tr>
</table>
"""


def table(html: str) -> tuple[Table, ...]:
    return (parse(html)[1],)


@pytest.mark.parametrize(
    ("question", "value", "operands"),
    [
        ("What is the total percentage of revenue from Acme and Borealis in 2017?", 45.0,
         ("34%", "11%")),
        ("What is the average percentage of revenue from Acme and Borealis in 2017?", 22.5,
         ("34%", "11%")),
        ("What is the average percentage of revenue from Acme and Borealis in 2018?", 22.0,
         ("36%", "8%")),
    ],
)  # fmt: skip
def test_two_rows_named_by_their_short_names_are_combined_in_one_year(
    question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = table_answer(parse_question(question), table(CUSTOMERS))
    assert found is not None and found.value == pytest.approx(value)
    assert tuple(cell.text for cell in found.cells) == operands


def test_respective_values_of_two_rows_named_by_their_short_names() -> None:
    question = parse_question(
        "What are the respective percentage of revenue from Acme and Borealis in 2019?"
    )
    found = table_answer(question, table(CUSTOMERS))
    assert found is not None and found.value == ("32%", "13%")


def test_one_row_whose_name_holds_and_is_not_split() -> None:
    html = """<table><tr><th></th><th>2019</th><th>2018</th></tr>
    <tr><td>Research and development</td><td>10</td><td>30</td></tr>
    <tr><td>Sales and marketing</td><td>50</td><td>70</td></tr></table>"""
    found = table_answer(
        parse_question("What is the average research and development in 2019?"), table(html)
    )
    assert found is not None and found.value == pytest.approx(20.0)  # its 2019 and 2018


@pytest.mark.parametrize(
    ("question", "value", "operands"),
    [
        ("For Balance payable as at June 30, 2019, what is Severance expressed as a percentage "
         "of Lease exits?", 35.47, ("$1,046", "$2,949")),
        ("For Balance payable as at June 30, 2019, what is the difference between Severance and "
         "Lease exits?", -1903.0, ("$1,046", "$2,949")),
    ],
)  # fmt: skip
def test_columns_named_in_the_row_the_question_names(
    question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = table_answer(parse_question(question), table(RESTRUCTURING))
    assert found is not None and found.value == pytest.approx(value)
    assert tuple(cell.text for cell in found.cells) == operands


@pytest.mark.parametrize(
    ("question", "operands"),
    [
        # The part is a row of the column the whole names; the whole is that column's Total.
        ("What proportion of level 2 inputs is made up of commercial paper?", ("44,300", "46,310")),
        ("What proportion of Total Fair Value is made up of level 2 inputs?", ("46,310", "46,310")),
    ],
)  # fmt: skip
def test_a_column_named_alone_is_its_total_row(question: str, operands: tuple[str, ...]) -> None:
    found = table_answer(parse_question(question), table(FAIR_VALUE))
    assert found is not None and found.figure is not None
    assert tuple(cell.text for cell in found.cells) == operands


def test_a_column_is_named_by_a_name_in_parentheses_and_its_number() -> None:
    header = "Observable Inputs (Level 2)"
    assert header_score(("level", "2", "input"), header) > header_score(
        ("level", "2", "input"), "Unobservable Inputs (Level 3)"
    )


def test_no_column_named_gives_no_cell() -> None:
    assert column_cell("Deferred revenue", None, table(FAIR_VALUE), set()) is None


AWARDS = (
    parse(
        "<table><tr><th>Awards</th><th>Shares</th><th>Fair Value</th></tr>"
        "<tr><td>Granted</td><td>473,550</td><td>$53.53</td></tr>"
        "<tr><td>Forfeited</td><td>(12,632)</td><td>$50.49</td></tr></table>"
    )[1],
)


def test_a_column_of_counts_says_number() -> None:
    found = best_cell("number of shares forfeited", None, AWARDS, set())
    assert found is not None
    cell, match, score = found
    assert (cell.text, cell.kind, match.label) == ("(12,632)", "count", "Forfeited")
    # "number" and "shares" are both the Shares column's: the row and column are named in full.
    assert score >= 0.9


def test_a_column_of_money_does_not_say_number() -> None:
    found = best_cell("number of fair value forfeited", None, AWARDS, set())
    assert found is not None and found[0].text == "$50.49"
    counted = best_cell("number of shares forfeited", None, AWARDS, set())
    assert counted is not None and found[2] < counted[2]


def test_a_metric_that_names_a_column_is_read_in_the_named_row() -> None:
    tables = (
        parse(
            "<table><tr><th>Plan</th><th>Workforce reduction</th><th>Facility costs</th></tr>"
            "<tr><td>Balance payable as at June 30, 2018</td><td>$1,590</td><td>$3,431</td></tr>"
            "<tr><td>Balance payable as at June 30, 2019</td><td>$1,046</td><td>$2,949</td></tr>"
            "</table>"
        )[1],
    )
    found = column_cell("Workforce reduction", "2019", tables, set(), "Balance payable")
    assert found is not None and found[0].text == "$1,046"
    earlier = column_cell("Facility costs", "2018", tables, set(), "Balance payable")
    assert earlier is not None and earlier[0].text == "$3,431"
    assert column_cell("Severance", "2019", tables, set(), "Balance payable") is None
