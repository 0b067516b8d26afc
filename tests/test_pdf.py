"""PDF text and tables (qa/ingest/loaders/pdf.py): pypdf's layout text rebuilt into
paragraphs, headings and tables, page offsets, and PDFs that cannot be read refused with a
reason. The PDFs are written by the tests (tests/releases.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.ingest.corpus import load_corpus
from qa.ingest.loaders.pdf import PAGE_SEPARATOR, layout_to_page, layout_to_text, load_pdf

from .releases import markdown_release, write_pdf
from .table_samples import assert_spans_slice

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


def test_pdf_tables_from_the_text_layer(tmp_path: Path) -> None:
    from qa.ingest.corpus import load_document
    from tests.releases import write_pdf

    path = write_pdf(tmp_path / "cobalt.pdf")
    document = load_document(path, tmp_path)
    assert document.tables, document.text[:500]
    table = document.tables[0]
    assert [c.period for c in table.columns] == ["1H2023", "1H2022"]
    assert any(row.path == ("Operating profit",) for row in table.rows)
    assert_spans_slice(document.text, table)
    assert document.page_at(table.start) == 1


def test_a_pdf_without_text_is_skipped_with_a_reason(make_corpus: MakeCorpus) -> None:
    from fpdf import FPDF

    folder = make_corpus({"ok.md": markdown_release()})
    pdf = FPDF()
    pdf.add_page()  # an image-only scan has no text layer either
    pdf.output(str(folder / "scan.pdf"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    documents, skipped = load_corpus(folder)
    assert [d.path for d in documents] == ["ok.md"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "no text layer" in reasons["scan.pdf"]
    assert "PDF" in reasons["broken.pdf"]


def test_a_pdf_loads_page_by_page_with_its_title(tmp_path: Path) -> None:
    extracted = load_pdf(write_pdf(tmp_path / "cobalt.pdf"))
    assert extracted.title == "Cobalt Mining Reports 2023 Interim Results"
    assert extracted.format == "pdf" and len(extracted.page_starts) == 2
    second = extracted.page_starts[1]
    assert extracted.text[second - len(PAGE_SEPARATOR) : second] == PAGE_SEPARATOR
    assert extracted.text[second:].startswith("Outlook")
    assert "Demand for battery metals stayed firm across its markets, and the Company" in (
        extracted.text  # wrapped lines joined into one paragraph
    )
    (table,) = extracted.tables
    assert table.number == 1 and table.caption == "Financial Highlights"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4 this is not really a pdf", "is not a readable PDF"),
        (b"", "is not a readable PDF"),
    ],
)
def test_a_broken_pdf_is_a_value_error_with_a_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=reason):
        load_pdf(path)


LAYOUT = """Results

The company grew its revenue in all regions and opened new plants in three coun-
tries during the first half of the year, with more plants to come in the next one.
It plans more.

● First item of the list, long enough to be a wrapped line of this page's text
● Second item

                                   Page 3 of 10
"""


def test_layout_text_becomes_paragraphs_headings_and_list_items() -> None:
    blocks = layout_to_text(LAYOUT).split("\n\n")
    assert blocks[0] == "Results"  # a short line stands alone: a heading
    assert blocks[1].startswith("The company grew") and "three coun-tries during" in blocks[1]
    assert blocks[1].endswith("in the next one. It plans more.")
    assert blocks[2:] == [
        "● First item of the list, long enough to be a wrapped line of this page's text",
        "● Second item",
    ]  # each item its own block; the page number is dropped


def test_lines_with_wide_gaps_are_a_table_with_spans_in_the_page_text() -> None:
    page = "Highlights\n\nRMB million     1H2022     1H2021\n\nRevenue     1,420.5     1,652.0\n"
    text, (table,) = layout_to_page(page)
    assert (table.unit, table.scale) == ("RMB", "million")
    assert [c.period for c in table.columns] == ["1H2022", "1H2021"]
    assert_spans_slice(text, table)
    words = layout_to_text("Name     Role\n\nJane Doe     Director\n")
    assert words == "Name Role\n\nJane Doe Director"  # gaps without amounts are no table
