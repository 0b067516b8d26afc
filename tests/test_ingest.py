"""Ingest: Markdown, HTML and PDF releases (generated here) load with sections, pages, tables
and metadata, and answer with the right page and period (fake embedder; one real-model check)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.ingest.corpus import load_corpus, load_document
from qa.pipeline import QA

from .releases import HTML_RELEASE, markdown_release, write_pdf

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def library(make_corpus: MakeCorpus) -> Path:
    """A corpus of one release in each format."""
    folder = make_corpus({"acme.md": markdown_release(), "borealis.html": HTML_RELEASE})
    write_pdf(folder / "cobalt.pdf")
    return folder


@pytest.fixture
def library_qa(library: Path, tmp_path: Path) -> QA:
    return QA(Settings(corpus_dir=library, index_dir=tmp_path / "idx"), embedder=HashEmbedder())


def test_every_format_loads_with_title_company_and_period(library: Path) -> None:
    documents, skipped = load_corpus(library)
    assert skipped == []
    found = {
        d.path: (d.title, d.meta("company"), d.meta("period"), d.meta("format")) for d in documents
    }
    title = "Acme Robotics Reports 2023 Interim Results"
    assert found == {
        "acme.md": (title, "Acme Robotics Limited", "1H2023", "markdown"),
        "borealis.html": (
            "Borealis Energy Reports 2023 Interim Results", "Borealis Energy Inc.", "1H2023", "html"
        ),
        "cobalt.pdf": (
            "Cobalt Mining Reports 2023 Interim Results", "Cobalt Mining Limited", "1H2023", "pdf"
        ),
    }  # fmt: skip


def test_html_pdf_and_markdown_headings_become_sections(library_qa: QA) -> None:
    index = library_qa.index
    by_doc = {
        path: {
            c.section.split(" › ")[-1]
            for c in index.chunks
            if index.documents[c.doc_id].path == path
        }
        for path in ("acme.md", "borealis.html", "cobalt.pdf")
    }
    assert {"Financial Highlights", "Research"} <= by_doc["acme.md"]
    assert {"Financial Highlights", "Operations"} <= by_doc["borealis.html"]
    assert {"Financial Highlights", "Outlook"} <= by_doc["cobalt.pdf"]
    # A page's single <h1> is its title, so its <h2> sections are top-level.
    assert "Operations" in {c.section for c in index.chunks}


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("borealis.html", "Revenue | 1H2023 | 4,870.2"),
        ("borealis.html", "Net profit | 1H2022 | 488.9"),
        ("cobalt.pdf", "Revenue | 1H2023 | 1,420.5"),
        ("cobalt.pdf", "Operating profit | 1H2022 | 250.2"),
    ],
)
def test_table_rows_keep_their_row_and_column_headers(library: Path, name: str, row: str) -> None:
    assert row in load_document(library / name, library).text


def test_table_figures_keep_period_metric_and_the_table_unit(library_qa: QA) -> None:
    figures = [f for fs in library_qa.index.chunk_figures for f in fs if f.text == "1,180.3"]
    (figure,) = figures
    assert (figure.period, figure.metric, figure.unit, figure.kind) == (
        "1H2022", "revenue", "RMB", "currency"
    )  # fmt: skip
    assert figure.value == pytest.approx(1.1803e9)


def test_pdf_passages_carry_their_page(library_qa: QA) -> None:
    document = next(d for d in library_qa.index.documents.values() if d.path == "cobalt.pdf")
    assert len(document.page_starts) == 2 and document.page_starts[0] == 0
    answer = library_qa.ask("When will the third cobalt refinery in Zambia open?", docs=["cobalt"])
    top = answer.passages[0]
    assert "refinery in Zambia" in top.text and top.page == 2
    assert document.page_at(top.start) == 2
    table = library_qa.ask("Operating profit of Cobalt Mining", docs=["cobalt.pdf"]).passages[0]
    assert "Operating profit | 1H2023 | 311.8" in table.text and table.page == 1
    assert all(p.page is None for p in library_qa.ask("megawatts", docs=["borealis"]).passages)


def test_the_document_filter_keeps_answers_inside_the_named_documents(library_qa: QA) -> None:
    for name, path in (("acme", "acme.md"), ("Borealis Energy Reports 2023 Interim Results",
                                              "borealis.html")):  # fmt: skip
        answer = library_qa.ask("What was the revenue?", docs=[name])
        assert answer.passages and {p.doc for p in answer.passages} == {path}
    with pytest.raises(ValueError, match="unknown document"):
        library_qa.ask("revenue", docs=["nope"])


def test_a_figure_without_a_period_takes_the_documents_period(library_qa: QA) -> None:
    figures = [f for fs in library_qa.index.chunk_figures for f in fs]
    patents = next(f for f in figures if f.text == "3,100 patents")
    turbines = next(f for f in figures if f.text == "86 turbines")
    assert patents.period == "1H2023" and turbines.period == "1H2023"


def test_a_sidecar_overrides_detected_metadata_and_is_not_a_document(
    make_corpus: MakeCorpus,
) -> None:
    folder = make_corpus(
        {
            "acme.md": markdown_release(),
            "acme.meta.json": json.dumps(
                {"company": "Acme Holdings", "period": "FY2023", "ticker": "ACM"}
            ),
        }
    )
    documents, skipped = load_corpus(folder)
    (document,) = documents
    assert skipped == []
    assert document.meta("company") == "Acme Holdings" and document.meta("period") == "FY2023"
    assert document.meta("ticker") == "ACM"


def test_a_broken_sidecar_skips_its_document_with_a_reason(make_corpus: MakeCorpus) -> None:
    folder = make_corpus({"acme.md": markdown_release(), "acme.meta.json": "{not json"})
    documents, skipped = load_corpus(folder)
    assert documents == [] and "acme.meta.json is not readable JSON" in skipped[0].reason


@pytest.mark.model
def test_real_model_answers_from_the_pdf_with_page_and_period(
    library: Path, tmp_path: Path, real_embedder: object
) -> None:
    system = QA(Settings(corpus_dir=library, index_dir=tmp_path / "real"), embedder=real_embedder)  # type: ignore[arg-type]
    answer = system.ask("Where will Cobalt Mining open its third refinery?")
    assert answer.passages[0].doc == "cobalt.pdf" and answer.passages[0].page == 2
    profit = system.ask("What was Borealis Energy's net profit in 1H2022?", k=3)
    assert {p.doc for p in profit.passages} == {"borealis.html"}
    assert any("Net profit | 1H2022 | 488.9" in p.text for p in profit.passages)
    assert profit.figure is not None and profit.figure.text == "488.9", profit.answer
