"""HTML pages -> the release's main text and its tables (qa/ingest/loaders/webpage.py): page
furniture dropped, headings, lists, the title, tables as grids; real TAT-QA pages and HTML
tables of any shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.figures.document import document_figures
from qa.figures.table import table_figures
from qa.ingest.corpus import load_document
from qa.ingest.loaders.webpage import (
    MAX_COLSPAN,
    html_to_document,
    html_to_text,
    load_html,
    table_grid,
)
from qa.types import Document
from tests.tatqa_pages import page

from .releases import HTML_RELEASE
from .table_samples import assert_spans_slice, tatqa

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def library(make_corpus: MakeCorpus) -> Path:
    """A corpus holding the test HTML release (tests/releases.py)."""
    return make_corpus({"borealis.html": HTML_RELEASE})


def test_html_keeps_the_main_text_only(library: Path) -> None:
    text = load_document(library / "borealis.html", library).text
    for debris in ("Home", "Investors", "tracking", "color: red", "cookies", "All rights reserved"):
        assert debris not in text
    assert "The Company installed 86 turbines during the period." in text
    assert "● Wind capacity reached 1,250 megawatts." in text


@pytest.mark.parametrize("number", range(11))
def test_tatqa_tables_parse_with_spans_that_slice_back(number: int) -> None:
    context = tatqa()[number]
    text, _, tables = html_to_document(page(context))
    assert len(tables) == 1
    assert_spans_slice(text, tables[0])
    document = Document("doc", "a.html", "A", text, tables=tables)
    for figure in document_figures(document):
        assert text[figure.start : figure.end] == figure.text


_HTML_CELLS = st.sampled_from(
    ["", "—", "$", "1,234", "(56.7)", "12.5%", "$ 3.4", "2019", "Total", "<b>x</b>", "a &amp; b"]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(_HTML_CELLS, min_size=2, max_size=5), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=1, max_value=3),
)
def test_html_tables_of_any_shape_parse_with_cells_that_slice_back(
    rows: list[list[str]], header_rows: int, span: int
) -> None:
    head = "".join(
        "<tr>" + "".join(f'<th colspan="{span}">{c}</th>' for c in row) + "</tr>"
        for row in rows[:header_rows]
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[header_rows:]
    )
    note = "<p>Note (in thousands):</p>"
    text, _, tables = html_to_document(f"<main>{note}<table>{head}{body}</table></main>")
    for table in tables:
        assert_spans_slice(text, table)
        for figure in table_figures(table):
            assert text[figure.start : figure.end] == figure.text


PAGE = """<html><head><meta property="og:title" content="Acme  Q2 results"><title>Home</title>
</head><body><div class="cookie-banner">We use cookies</div><article>Short teaser</article>
<article><h1>Acme results</h1><h2>Highlights</h2><ul><li>Revenue rose 5%.</li>
<li>Costs fell.<ul><li>Rent fell.</li></ul></li></ul><ol><li>First</li></ol>
<p>Line one<br>line two &amp; more</p></article><footer>All rights reserved</footer></body></html>
"""


def test_the_longest_article_is_the_text_with_headings_and_list_items() -> None:
    text, title = html_to_text(PAGE)
    assert title == "Acme Q2 results"  # og:title wins over <title>
    assert text.split("\n\n") == [
        "# Acme results",
        "# Highlights",  # one <h1> is the title, so its <h2>s are top-level sections
        "● Revenue rose 5%.",
        "● Costs fell.",
        "● Rent fell.",
        "1. First",
        "Line one line two & more",
    ]


@pytest.mark.parametrize(
    ("markup", "text", "title"),
    [
        ('<body><div role="main"><h3>Deep</h3><p>Text</p></div><div>Outside</div></body>',
         "### Deep\n\nText", ""),
        ("<body><h1>Only title</h1><p>Body.</p></body>", "# Only title\n\nBody.", "Only title"),
        ('<body><main><nav>Home</nav><div id="sidebar">Links</div><script>x=1</script>'
         "<p>Kept.</p><aside>Related</aside></main></body>", "Kept.", ""),
        ("<body><main><p>a</p><!-- comment --><p>b</p></main></body>", "a\n\nb", ""),
    ],
)  # fmt: skip
def test_only_the_main_content_is_read(markup: str, text: str, title: str) -> None:
    assert html_to_text(markup) == (text, title)


def test_a_table_grid_expands_colspans_and_marks_header_rows() -> None:
    markup = (
        "<table><caption>Key data</caption><tr><th></th><th colspan='2'>Years</th></tr>"
        "<tr><td>Revenue</td><td colspan='2'>5</td></tr>"
        "<tr><td>Cost</td><td colspan='99999999'>1</td></tr></table>"
    )
    grid = table_grid(BeautifulSoup(markup, "html.parser").find("table"))
    assert (grid.caption, grid.header_count) == ("Key data", 1)
    assert grid.rows[0] == ("", "Years", "Years")  # a header cell repeats over its span
    assert grid.rows[1] == ("Revenue", "5", "")  # a body cell is said once
    assert len(grid.rows[2]) == MAX_COLSPAN  # an absurd colspan is capped


def test_a_nested_table_is_not_read_as_rows_of_the_outer_one() -> None:
    markup = (
        "<table><tr><th></th><th>2019</th></tr><tr><td>Revenue</td><td>5</td></tr>"
        "<tr><td>Notes<table><tr><td>inner</td><td>9</td></tr></table></td><td>6</td></tr>"
        "</table>"
    )
    outer = table_grid(BeautifulSoup(markup, "html.parser").find("table"))
    assert [row[0] for row in outer.rows] == ["", "Revenue", "Notes inner 9"]


def test_load_html_decodes_the_declared_charset_and_refuses_binary(tmp_path: Path) -> None:
    page_path = tmp_path / "latin.html"
    page_path.write_bytes(
        '<html><head><meta charset="iso-8859-1"><title>Résumé</title></head>'
        "<body><p>Caf\xe9 sales rose.</p></body></html>".encode("latin-1")
    )
    extracted = load_html(page_path)
    assert (extracted.text, extracted.title, extracted.format) == ("Café sales rose.", "Résumé",
                                                                   "html")  # fmt: skip
    binary = tmp_path / "binary.html"
    binary.write_bytes(b"<html>\x00\x01</html>")
    with pytest.raises(ValueError, match="binary file"):
        load_html(binary)


def test_every_table_of_the_test_release_spans_its_rendering() -> None:
    text, _, tables = html_to_document(HTML_RELEASE)
    assert tables and all(text[t.start : t.end].startswith(t.caption) for t in tables)
    for table in tables:
        assert_spans_slice(text, table)
        assert table_figures(table)
