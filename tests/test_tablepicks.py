"""Values and rows a question picks out of a table (qa/answer/tablepicks.py): "X in 2017 and
2019 respectively" in the question's order, and "which segment had the highest / second lowest
Y" ranked over the rows but never the total."""

from __future__ import annotations

from qa.answer.tablepicks import in_year, respective, row_for, which_row
from qa.text.question import parse_question
from tests.table_samples import segment_tables

tables = segment_tables


def test_respective_values_follow_the_question_order_with_the_table_scale() -> None:
    question = parse_question("What were Industrial Solutions in 2017 and 2019 respectively?")
    found = respective(question, tables())
    assert found is not None
    assert (found.value, found.scale) == (("3,507", "4,003"), "million")


def test_a_question_without_respective_values_is_left_to_other_readers() -> None:
    assert respective(parse_question("What was the total net sales in 2019?"), tables()) is None


def test_which_row_ranks_the_rows_but_never_the_total() -> None:
    highest = which_row(
        parse_question("Which segment had the highest net sales in 2018?"), tables()
    )
    assert highest is not None and highest.value == "Transportation Solutions"
    second = which_row(
        parse_question("Which segment had the second lowest net sales in 2019?"), tables()
    )
    assert second is not None and second.value == "Industrial Solutions"


def test_a_subject_finds_its_row_and_a_cell_its_year() -> None:
    match = row_for("Communications Solutions", tables())
    assert match is not None
    table = match.table
    assert table.rows[match.row].label == "Communications Solutions"
    column_2018 = next(c for c, column in enumerate(table.columns) if column.period == "2018")
    assert in_year(table, match.row, column_2018, ["2018"])
    assert not in_year(table, match.row, column_2018, ["2019"])
