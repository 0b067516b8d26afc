"""Tables tied to the text they were rendered into (qa/ingest/loaders/tableplace.py): caption
from the heading or paragraph before, a scale note before or after, the text quoting a cell,
numbers, spans, and the shift of a PDF page's tables into the whole text."""

from __future__ import annotations

import pytest

from qa.ingest.loaders.tablegrid import Grid, structure
from qa.ingest.loaders.tableplace import MAX_CAPTION_CHARS, place_tables, renumbered
from qa.ingest.loaders.tables import render_table
from qa.types import Table

from .table_samples import SPANNING, assert_spans_slice, figures_of, parse


def test_a_scale_note_in_the_paragraph_before_scales_every_cell() -> None:
    text, table = parse(SPANNING)
    assert (table.unit, table.scale) == ("USD", "million")
    assert table.caption.startswith("The table below presents total net sales")
    other = figures_of(text, table)["other", "FY2018"]
    assert (other.value, other.unit, other.kind, other.scale) == (
        56.7e6,
        "USD",
        "currency",
        "million",
    )
    assert other.text == "56.7" and text[other.start : other.end] == "56.7"
    assert other.cell == (1, 1, 1)


QUOTED = """
<p>During fiscal 2019, restructuring charges included $39.2 million in employee costs.</p>
<table><tr><th></th><th>Additions</th><th>Payments</th></tr>
<tr><td>Employee termination costs</td><td>$39.2</td><td>$(89.7)</td></tr>
<tr><td>Other exit costs</td><td>3.2</td><td>(5.7)</td></tr></table>
"""


def test_the_text_quoting_a_cell_with_a_scale_word_gives_the_scale() -> None:
    _, table = parse(QUOTED)
    assert (table.unit, table.scale) == ("USD", "million")
    _, plain = parse(QUOTED.replace("$39.2 million", "$2 million"))  # 2 is not distinctive
    assert plain.scale == ""


def _revenue() -> Table:
    table = structure(Grid((("", "2019", "2018"), ("Revenue", "1,200.5", "900.1"))))
    assert table is not None
    return table


def _placed(before: str, after: str = "") -> tuple[str, Table]:
    rendered, _ = render_table(_revenue())
    text, placed = place_tables(f"{before}\n\n{rendered}\n\n{after}", [_revenue()])
    (table,) = placed
    return text, table


@pytest.mark.parametrize(
    ("before", "caption"),
    [
        ("Segment results:", "Segment results"),
        ("# Key figures", "Key figures"),
        ("Revenue rose. The table below shows revenue by year:", "The table below shows "
         "revenue by year"),  # the last sentence of a paragraph ending in ":"
        ("(1) Restated for the new standard.", ""),  # a footnote is not a title
        ("A long paragraph. " * 10, ""),  # longer than a caption
    ],
)  # fmt: skip
def test_the_paragraph_just_before_a_table_is_its_caption(before: str, caption: str) -> None:
    assert len("A long paragraph. " * 10) > MAX_CAPTION_CHARS
    text, table = _placed(before)
    assert table.caption == caption
    assert text[table.start : table.end].startswith(caption or "Table")


@pytest.mark.parametrize(
    ("before", "caption"),
    [
        ("Aggregate emoluments were as follows:\n\nNotes: 1 Excludes gains.\n\n"
         "No director exercised options in the year, as in the two years before.",
         "Aggregate emoluments were as follows"),  # back past a footnote and a paragraph
        ("The provision for income taxes consisted of the following\n\n(in thousands)",
         "The provision for income taxes consisted of the following"),  # not the unit line
        ("4) Professional services:\n\nRevenue fell. Costs fell.", "4) Professional services"),
        ("Our priorities were:\n\n- growth\n\nSegment results", "Segment results"),  # a list's
    ],
)  # fmt: skip
def test_the_sentence_that_introduces_a_table_is_its_caption(before: str, caption: str) -> None:
    _, table = _placed(before)
    assert table.caption == caption


def test_a_scale_note_just_after_the_table_scales_it() -> None:
    _, table = _placed("Segment results:", "Amounts are in millions of dollars.")
    assert (table.scale, table.unit) == ("million", "USD")
    _, plain = _placed("Segment results:", "Revenue grew.")
    assert (plain.scale, plain.unit) == ("", "")


def test_tables_are_numbered_in_order_with_spans_in_the_final_text() -> None:
    rendered, _ = render_table(_revenue())
    text, placed = place_tables(
        f"Intro.\n\n{rendered}\n\nMiddle.\n\n{rendered}\n", [_revenue()] * 2
    )
    assert [t.number for t in placed] == [1, 2]
    assert placed[0].end <= placed[1].start
    for table in placed:
        assert_spans_slice(text, table)


def test_a_table_whose_rendering_is_not_in_the_text_is_left_out() -> None:
    missing = structure(Grid((("", "2020"), ("Other", "5"))))
    assert missing is not None
    rendered, _ = render_table(_revenue())
    _, placed = place_tables(f"Intro.\n\n{rendered}\n", [missing, _revenue()])
    assert [(t.number, t.rows[0].label) for t in placed] == [(1, "Revenue")]


def test_renumbered_moves_a_pages_tables_into_the_whole_text() -> None:
    text, table = parse(SPANNING)
    (moved,) = renumbered([table], offset=1000, before=3)
    assert (moved.number, moved.start, moved.end) == (4, table.start + 1000, table.end + 1000)
    assert_spans_slice(" " * 1000 + text, moved)
    assert figures_of(" " * 1000 + text, moved)  # cells still read as figures there
