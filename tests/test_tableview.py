"""The source-table view, the row chart and the figures CSV of the web chat, and the chat
turn that shows them for an answer read from a table cell."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from qa import pipeline
from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.types import Answer, Figure, Table, TableColumn, TableRow
from qa.web import handlers
from qa.web.tableview import answer_table, row_chart_svg, row_series, table_html, table_panel_html
from tests.test_tables import IMFT

QUESTION = "What were the total liabilities of IMFT in 2018?"


@pytest.fixture
def imft_qa(make_corpus: Callable[[dict[str, str]], Path], tmp_path: Path) -> pipeline.QA:
    page = f"<html><head><title>IMFT notes</title></head><body><main>{IMFT}</main></body></html>"
    corpus = make_corpus({"imft.html": page})
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    return pipeline.QA(settings, embedder=HashEmbedder())


def small_table(cells: tuple[str, ...] = ("$ 12", "(3)", "—")) -> Table:
    columns = (
        TableColumn("2019", "2019"),
        TableColumn("2018", "2018"),
        TableColumn("2017", "2017"),
    )
    rows = (
        TableRow("Assets", ("Assets",), ("", "", ""), (None, None, None), group=True),
        TableRow("Cash <b>(1)</b>", ("Assets", "Cash"), cells, ((0, 1), (2, 3), (4, 5))),
    )
    return Table("doc", 1, "Balance sheet", columns, rows, unit="USD", scale="million")


def cell(text: str, row: int, column: int, doc: str = "doc") -> Figure:
    return Figure(text, 1.0, "USD", "currency", 0, 1, doc_id=doc, cell=(1, row, column))


def test_the_answering_cell_is_highlighted_and_labels_are_escaped() -> None:
    html = table_html(small_table(), answer=(1, 0), used={(1, 1)})
    assert '<td data-cell="1,0" class="cell-answer">$ 12</td>' in html
    assert '<td data-cell="1,1" class="cell-used">(3)</td>' in html
    assert "Cash &lt;b&gt;(1)&lt;/b&gt;" in html and "<b>" not in html
    assert '<tr class="group">' in html and "padding-left:1.3em" in html  # indented under Assets


def test_comparison_cells_are_the_ones_the_answer_quotes() -> None:
    answer = Answer(
        "q", "2019: $ 12 vs 2018: (3)", True,
        figures=(cell("$ 12", 1, 0), cell("(3)", 1, 1), cell("7", 1, 2), cell("(3)", 1, 1, "x")),
    )  # fmt: skip
    found = answer_table(answer, [small_table()])
    assert found is not None and found[1:] == ((1, 0), {(1, 1)})
    assert answer_table(Answer("q", "no", False), [small_table()]) is None


def test_the_row_chart_runs_oldest_first_and_needs_two_periods() -> None:
    table = small_table()
    assert [(p, v) for p, v, _ in row_series(table, 1)] == [("2018", -3.0), ("2019", 12.0)]
    svg = row_chart_svg(table, 1, highlight=0)
    assert svg.count("<rect") == 2 and "Assets › Cash by period" in svg
    assert row_chart_svg(small_table(("$ 12", "—", "")), 1) == ""


def test_a_table_answer_shows_its_table_chart_and_a_csv(imft_qa: pipeline.QA) -> None:
    turn = handlers.chat_turn(imft_qa, QUESTION, 5, [], [])
    assert turn.table["visible"] is True
    html = turn.table["value"]
    assert '<td data-cell="8,1" class="cell-answer">$ 1,305</td>' in html
    assert "<svg" in html and "Total liabilities by period" in html
    path = Path(turn.download["value"])
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    answer = next(r for r in rows if r["cell"] == "table 1, row 9, column 2")
    assert (answer["value"], answer["unit"], answer["metric"], answer["period"]) == (
        "1305000000", "USD", "total liabilities", "2018",
    )  # fmt: skip
    assert answer["document"] == "IMFT notes"


def test_a_prose_answer_hides_the_table_panel(hash_qa: pipeline.QA) -> None:
    turn = handlers.chat_turn(hash_qa, "What was the total revenue?", 5, [], [])
    assert turn.table["visible"] is False and turn.download["visible"] is True
    assert table_panel_html(None, ()) == ""


def test_a_computed_answer_marks_every_operand_and_shows_its_formula() -> None:
    from qa.answer.derived import combine

    later, earlier = cell("$ 12", 1, 0), cell("(3)", 1, 1)
    derived = combine("difference", [later, earlier])
    answer = Answer("q", "computed", True, figures=(derived, later, earlier), value=0.0)
    found = answer_table(answer, [small_table()])
    assert found is not None and found[2] == {(1, 0), (1, 1)}
    html = table_panel_html(answer, [small_table()])
    assert "computed: " in html and "cell-answer" not in html
    assert html.count("cell-used") >= 2
