"""An answer's figures as CSV (qa/web/export.py), for the web chat's download button: one line
per figure with its cell, document, section and page, and the file named by its content."""

from __future__ import annotations

import csv
import io

from qa.types import Answer, Figure, Passage
from qa.web.export import CSV_COLUMNS, figures_csv, write_figures_csv


def cell(text: str, row: int, column: int, doc: str = "doc") -> Figure:
    """A figure read from cell (row, column) of table 1."""
    return Figure(text, 1.0, "USD", "currency", 0, 1, doc_id=doc, cell=(1, row, column))


def test_figures_csv_has_one_line_per_figure_with_its_cell() -> None:
    answer = Answer("q", "a", True, figures=(cell("$ 12", 1, 0),))
    rows = list(csv.reader(io.StringIO(figures_csv(answer, {"doc": "Acme"}))))
    assert rows[0] == ["text", "value", "unit", "kind", "metric", "period", "document",
                       "section", "page", "cell"]  # fmt: skip
    assert rows[1][:3] == ["$ 12", "1", "USD"] and rows[1][6] == "Acme"
    assert rows[1][-1] == "table 1, row 2, column 1"


TEXT = "Revenue was RMB1.42 billion, with gross profit margin of 66%."
REVENUE = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 12, 27, period="1H2022",
                 metric="revenue", doc_id="r")  # fmt: skip
MARGIN = Figure("66%", 66.0, "%", "percent", 57, 60, metric="gross profit margin", doc_id="r")


def prose_answer() -> Answer:
    passage = Passage(TEXT, 0.9, "r.txt", "Acme Results", "Highlights", 0, len(TEXT), 0, 0,
                      len(TEXT), figures=(REVENUE, MARGIN), page=3)  # fmt: skip
    return Answer("q", "66%", True, passages=(passage,), figures=(MARGIN,))


def test_prose_figures_name_their_document_section_and_page_answer_first() -> None:
    rows = list(csv.DictReader(io.StringIO(figures_csv(prose_answer()))))
    assert [r["text"] for r in rows] == ["66%", "RMB1.42 billion"]
    assert rows[1] == {
        "text": "RMB1.42 billion", "value": "1420000000", "unit": "RMB", "kind": "currency",
        "metric": "revenue", "period": "1H2022", "document": "Acme Results",
        "section": "Highlights", "page": "3", "cell": "",
    }  # fmt: skip
    assert list(rows[0]) == list(CSV_COLUMNS)


def test_the_file_is_named_by_its_content_and_written_once() -> None:
    first = write_figures_csv(prose_answer())
    again = write_figures_csv(prose_answer())
    assert first is not None and first == again and first.name.startswith("figures-")
    assert first.read_text(encoding="utf-8") == figures_csv(prose_answer())
    other = write_figures_csv(prose_answer(), {"r": "Another Title"})
    assert other is not None and other != first


def test_an_answer_without_figures_has_no_file() -> None:
    assert write_figures_csv(Answer("q", "The release does not state this.", False)) is None
