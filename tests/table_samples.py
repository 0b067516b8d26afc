"""Table layouts that trip parsers, as the tests write them (HTML, Markdown, aligned text), the
stored TAT-QA dev tables, and helpers to parse them and check that every cell's span slices
back to its text. Shared by the table tests (tablegrid, tableplace, tableunits, webpage,
texttables, tables, figures/table, io, types)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from qa.figures.document import document_figures
from qa.ingest.loaders.webpage import html_to_document
from qa.types import Document, Figure, Table

TATQA = Path(__file__).parent / "data" / "tatqa_tables.json"


def parse(body: str) -> tuple[str, Table]:
    text, _, tables = html_to_document(f"<html><body><main>{body}</main></body></html>")
    assert len(tables) == 1, tables
    return text, tables[0]


def figures_of(text: str, table: Table) -> dict[tuple[str, str | None], Figure]:
    document = Document("doc", "a.html", "A", text, tables=(table,))
    return {(f.metric or "", f.period): f for f in document_figures(document) if f.cell}


def assert_spans_slice(text: str, table: Table) -> None:
    for row in table.rows:
        for cell, span in zip(row.cells, row.spans, strict=True):
            assert (span is None) == (cell == "")
            if span is not None:
                assert text[span[0] : span[1]] == cell


SPANNING = """
<p>The table below presents total net sales disaggregated by contract type (in millions):</p>
<table><thead><tr><th></th><th></th><th>Years Ended September 30,</th><th></th></tr>
<tr><th></th><th>2019</th><th>2018</th><th>2017</th></tr></thead>
<tbody><tr><td>Fixed Price</td><td>$  1,452.4</td><td>$  1,146.2</td><td>$  1,036.9</td></tr>
<tr><td>Other</td><td>44.1</td><td>56.7</td><td>70.8</td></tr>
<tr><td>Total sales</td><td>$1,496.5</td><td>$1,202.9</td><td>$1,107.7</td></tr></tbody></table>
"""


GROUPS = """
<h2>Balance sheet</h2>
<table><caption>Condensed balance sheet ($'000)</caption>
<tr><th>As of</th><th>2019</th><th>2018</th></tr>
<tr><td>Assets</td><td></td><td></td></tr>
<tr><td>Cash and equivalents (1)</td><td>1,200</td><td>900</td></tr>
<tr><td>Receivables*</td><td>300</td><td>—</td></tr>
<tr><td>Total assets</td><td>1,500</td><td>900</td></tr>
<tr><td>Liabilities</td><td></td><td></td></tr>
<tr><td>Borrowings</td><td>(250)</td><td>(400)</td></tr>
</table>
"""


SEC = """
<p>(In thousands, except per share data)</p>
<table>
<tr><th></th><th colspan="2">Fiscal 2019</th><th colspan="2">Fiscal 2018</th><th>Change</th></tr>
<tr><td>Net revenue</td><td>$</td><td>12,345</td><td>$</td><td>10,000</td><td>23.5%</td></tr>
<tr><td>Net loss</td><td>$</td><td>(1,234</td><td>$</td><td>(987</td><td>n/m</td></tr>
<tr><td>Diluted net loss per share</td><td>$</td><td>(0.12)</td><td>$</td><td>(0.10)</td>
<td></td></tr>
<tr><td>Gross margin (%)</td><td></td><td>41.5</td><td></td><td>39.0</td><td></td></tr>
</table>
"""


def tatqa() -> list[dict[str, object]]:
    return json.loads(TATQA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load(make_corpus: Callable[[dict[str, str]], Path], name: str, content: str) -> Document:
    from qa.ingest.corpus import load_document

    folder = make_corpus({name: content})
    return load_document(folder / name, folder)


SEGMENTS_PAGE = """<html><body><main><h1>Segments</h1>
<p>The table below presents net sales by segment (in millions):</p>
<table><thead><tr><th></th><th>2019</th><th>2018</th><th>2017</th></tr></thead><tbody>
<tr><td>Net sales:</td><td></td><td></td><td></td></tr>
<tr><td>Transportation Solutions</td><td>$ 7,736</td><td>$ 6,988</td><td>$ 6,503</td></tr>
<tr><td>Industrial Solutions</td><td>4,003</td><td>3,856</td><td>3,507</td></tr>
<tr><td>Communications Solutions</td><td>1,309</td><td>1,444</td><td>1,393</td></tr>
<tr><td>Total net sales</td><td>$ 13,048</td><td>$ 12,288</td><td>$ 11,403</td></tr>
</tbody></table></main></body></html>"""


@cache
def segment_tables() -> tuple[Table, ...]:
    """The tables of SEGMENTS_PAGE (net sales by segment, 2017-2019), parsed as the index does."""
    return html_to_document(SEGMENTS_PAGE)[2]
