"""The cell a metric phrase names (qa/answer/tablecells.py) on small made-up tables: "number"
said by a column of counts, and a metric that names a column read in a named row."""

from __future__ import annotations

from qa.answer.tablecells import best_cell, column_cell
from qa.ingest.loaders.webpage import html_to_document
from qa.text.labels import words
from qa.types import Table


def _tables(body: str) -> tuple[Table, ...]:
    return html_to_document(f"<html><body><main>{body}</main></body></html>")[2]


AWARDS = _tables(
    "<table><tr><th>Awards</th><th>Shares</th><th>Fair Value</th></tr>"
    "<tr><td>Granted</td><td>473,550</td><td>$53.53</td></tr>"
    "<tr><td>Forfeited</td><td>(12,632)</td><td>$50.49</td></tr></table>"
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
    assert found[2] < best_cell("number of shares forfeited", None, AWARDS, set())[2]  # type: ignore[index]


def test_a_metric_that_names_a_column_is_read_in_the_named_row() -> None:
    tables = _tables(
        "<table><tr><th>Plan</th><th>Workforce reduction</th><th>Facility costs</th></tr>"
        "<tr><td>Balance payable as at June 30, 2018</td><td>$1,590</td><td>$3,431</td></tr>"
        "<tr><td>Balance payable as at June 30, 2019</td><td>$1,046</td><td>$2,949</td></tr>"
        "</table>"
    )
    row = words("Balance payable")
    found = column_cell("Workforce reduction", row, "2019", tables, set())
    assert found is not None and found[0].text == "$1,046"
    assert column_cell("Facility costs", row, "2018", tables, set())[0].text == "$3,431"  # type: ignore[index]
    assert column_cell("Severance", row, "2019", tables, set()) is None
    assert column_cell("Workforce reduction", words("Cash payments"), "2019", tables, set()) is None
