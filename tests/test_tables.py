"""Tables rendered as text (qa/ingest/loaders/tables.py): "row | column | value" lines in blocks
that each say what the numbers are, cell spans in the rendering, and the whole chain (parse,
render, place, cell figures) on tables of any shape, up to a question reaching a cell.
Each step's own tests: tests/test_tablegrid.py, test_tableplace.py, test_tableunits.py,
test_webpage.py, test_texttables.py, test_pdf.py, test_table.py (cell figures)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa import pipeline
from qa.config import Settings
from qa.figures.table import table_figures
from qa.index.embedding import HashEmbedder
from qa.ingest.loaders.tablegrid import Grid, structure
from qa.ingest.loaders.tableplace import place_tables
from qa.ingest.loaders.tables import MAX_BLOCK_CHARS, ROWS_PER_BLOCK, clean_cell, render_table
from qa.types import Table

from .table_samples import (
    GROUPS,
    SPANNING,
    assert_spans_slice,
    parse,
)


def test_the_rendering_keeps_row_and_column_labels_next_to_each_value() -> None:
    text, table = parse(SPANNING)
    assert "Years Ended September 30 · 2019 | Years Ended September 30 · 2018" in text
    assert "Fixed Price | 2019 | $ 1,452.4" in text  # the shared header part said once
    rendered, spans = render_table(table)
    assert text[table.start : table.end] == rendered
    assert all(rendered[s:e] == table.rows[r].cells[c] for (r, c), (s, e) in spans.items())


# --- properties ---------------------------------------------------------------------------

_CELLS = st.sampled_from(
    ["", "—", "$", "1,234", "(56.7)", "12.5%", "$ 3.4", "n/a", "2019", "Total", "x | y", "€m"]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_CELLS, min_size=2, max_size=5), min_size=1, max_size=7),
    st.text(alphabet="ab (in millions):", max_size=30),
)
def test_every_cell_figure_slices_back_to_its_cell_text(rows: list[list[str]], note: str) -> None:
    table = structure(Grid(tuple(tuple(r) for r in rows)))
    if table is None:
        return
    rendered, _ = render_table(table)
    text, placed = place_tables(f"{note}\n\n{rendered}\n\nAfter.", [table])
    assert len(placed) == 1
    assert_spans_slice(text, placed[0])
    for figure in table_figures(placed[0]):
        assert text[figure.start : figure.end] == figure.text
        assert figure.cell is not None and figure.cell[0] == 1


# --- retrieval reaches cells ----------------------------------------------------------------

IMFT = """
<h2>IMFT</h2>
<p>Creditors of IMFT have recourse only to IMFT's assets. Total liabilities of IMFT are
eliminated in consolidation, and liabilities of IMFT fell in 2019 as debt was repaid.</p>
<p>The following table presents the assets and liabilities of IMFT (in millions):</p>
<table><tr><th>As of</th><th>2019</th><th>2018</th></tr>
<tr><td>Cash and equivalents</td><td>$ 98</td><td>$ 109</td></tr>
<tr><td>Receivables</td><td>112</td><td>69</td></tr>
<tr><td>Inventories</td><td>297</td><td>257</td></tr>
<tr><td>Property, plant and equipment</td><td>1,431</td><td>1,566</td></tr>
<tr><td>Total assets</td><td>$ 1,946</td><td>$ 2,010</td></tr>
<tr><td>Accounts payable and accrued expenses</td><td>$ 138</td><td>$ 142</td></tr>
<tr><td>Long-term debt</td><td>53</td><td>1,064</td></tr>
<tr><td>Other noncurrent liabilities</td><td>5</td><td>74</td></tr>
<tr><td>Total liabilities</td><td>$ 909</td><td>$ 1,305</td></tr>
</table>
"""


def test_a_question_naming_a_row_and_a_year_ranks_the_chunk_holding_that_cell_first(
    make_corpus: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    corpus = make_corpus({"imft.html": f"<html><body><main>{IMFT}</main></body></html>"})
    settings_ = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    answer = pipeline.QA(settings_, embedder=HashEmbedder()).ask(
        "What were the total liabilities of IMFT in 2018?"
    )
    top = answer.passages[0]
    cells = [f for f in top.figures if f.metric == "total liabilities" and f.period == "2018"]
    assert [(f.text, f.value, f.cell) for f in cells] == [("$ 1,305", 1.305e9, (1, 8, 1))]
    assert "(in millions)" in top.text  # the caption's scale note rides with every block


def _key_figures(rows: int, caption: str = "Key figures (RMB million)") -> Table:
    grid = Grid(
        (("", "2019", "2018"), *((f"Row {i}", f"{i},000", f"{i}00") for i in range(rows))),
        caption=caption,
    )
    table = structure(grid)
    assert table is not None
    return table


def test_every_block_starts_with_the_caption_and_keeps_rows_whole() -> None:
    table = _key_figures(12)
    text, spans = render_table(table)
    blocks = [block.splitlines() for block in text.split("\n\n")]
    assert [len(block) for block in blocks] == [2 + ROWS_PER_BLOCK, 1 + ROWS_PER_BLOCK,
                                                1 + ROWS_PER_BLOCK]  # fmt: skip
    assert all(block[0] == "Key figures (RMB million)" for block in blocks)
    assert blocks[0][1] == "2019 | 2018" and blocks[1][1] == "Row 4 | 2019 | 4,000"
    assert len(spans) == 24 and all(len(block) <= MAX_BLOCK_CHARS for block in text.split("\n\n"))


def test_a_table_without_a_caption_says_its_unit_and_scale() -> None:
    table = dataclasses.replace(_key_figures(2, caption=""), unit="USD", scale="thousand")
    assert render_table(table)[0].splitlines()[0] == "Table (USD thousand)"
    named = dataclasses.replace(table, caption="Cash")
    assert render_table(named)[0].splitlines()[0] == "Cash (USD thousand)"


def test_a_group_heading_rides_with_the_row_below_it() -> None:
    _, table = parse(GROUPS)
    text, spans = render_table(table)
    lines = text.splitlines()
    assert lines[lines.index("Assets") + 1] == "Assets › Cash and equivalents | 2019 | 1,200"
    assert all(text[s:e] == table.rows[r].cells[c] for (r, c), (s, e) in spans.items())


@pytest.mark.parametrize(
    ("cell", "clean"),
    [("  Gross\n profit | net ", "Gross profit / net"), ("\t1,234 ", "1,234"), ("", "")],
)
def test_a_cell_is_one_line_without_the_column_separator(cell: str, clean: str) -> None:
    assert clean_cell(cell) == clean
