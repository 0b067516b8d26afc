"""A document's figures with the context only the document knows (qa/figures/document.py):
its reporting period for figures whose sentence names none, a table line's row label and
header unit, and a parsed table's cells read from the table, not the text."""

from __future__ import annotations

import pytest

from qa.figures.document import PERIODIC_KINDS, document_figures, table_unit
from qa.types import Document, Figure

from .table_samples import SPANNING, parse

TEXT = (
    "Key figures (RMB million)\nRevenue | 1H2022 | 1,420.5\n\n"
    "Revenue was RMB2.3 billion. The plant opened on 3 May 2022. It has 300 staff."
)


def figures(text: str = TEXT, period: str = "1H2023") -> dict[str, Figure]:
    document = Document("d", "d.txt", "D", text, metadata=(("period", period),) if period else ())
    return {f.text: f for f in document_figures(document)}


def test_a_figure_without_a_period_takes_the_documents_reporting_period() -> None:
    found = figures()
    assert found["RMB2.3 billion"].period == "1H2023"
    assert found["300 staff"].period == "1H2023"
    assert found["3 May 2022"].period is None  # a date is not a periodic quantity
    assert "date" not in PERIODIC_KINDS
    assert figures(period="")["RMB2.3 billion"].period is None


def test_a_table_line_gives_its_row_label_and_its_header_unit() -> None:
    revenue = figures()["1,420.5"]
    assert revenue.value == pytest.approx(1.4205e9)
    assert (revenue.unit, revenue.kind, revenue.scale) == ("RMB", "currency", "million")
    assert (revenue.metric, revenue.period) == ("revenue", "1H2022")


def test_figures_come_in_text_order_and_slice_back() -> None:
    document = Document("d", "d.txt", "D", TEXT)
    found = document_figures(document)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert all(TEXT[f.start : f.end] == f.text for f in found)


def test_a_parsed_tables_figures_are_its_cells_only() -> None:
    text, table = parse(SPANNING)
    document = Document("d", "d.html", "D", text, tables=(table,))
    inside = [f for f in document_figures(document) if table.start <= f.start < table.end]
    assert len(inside) == 9 and all(f.cell is not None for f in inside)  # no text duplicates


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("RMB million | 1H2022 | 1H2021", ("RMB", "million", 1e6)),
        ("(US$'000)", ("USD", "thousand", 1e3)),
        ("Figures in HK$ mn", ("HKD", "million", 1e6)),
        ("(in US$ thousands)", ("USD", "thousand", 1e3)),
        ("€ billions", ("EUR", "billion", 1e9)),
        ("Key figures | 1H2022", None),
        ("Employees | 2022", None),
    ],
)
def test_table_unit_reads_a_currency_and_scale_from_a_header(
    header: str, unit: tuple[str, str, float] | None
) -> None:
    assert table_unit(header) == unit
