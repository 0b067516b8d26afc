"""Tables in Markdown and plain text (qa/ingest/loaders/texttables.py): pipe tables, columns
aligned by spaces (wrapped labels, "$" set apart), and prose that only looks aligned."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.figures.document import document_figures
from qa.ingest.loaders.texttables import aligned_tables, pipe_tables, tables_in_text

from .table_samples import assert_spans_slice, load

MARKDOWN = """# Acme results

## Key figures (RMB million)

| | 1H2023 | 1H2022 | Change |
|---|--:|--:|--:|
| Revenue | 2,310.5 | 1,980.0 | 16.7% |
| Net loss\\* | (120.4) | (310.2) | n/m |

The board declared no dividend.
"""


ALIGNED = """Acme Corp results

All amounts in thousands of US dollars.

                              Year ended December 31,
                                 2019          2018
Revenue
  Products                    12,400        11,050
  Services                     3,100         2,900
  Total revenue               15,500        13,950
Operating loss                (1,250)         (980)

Revenue grew on product demand.
"""


def test_markdown_pipe_tables_become_tables_with_the_heading_as_caption(
    make_corpus: Callable[[dict[str, str]], Path],
) -> None:
    document = load(make_corpus, "acme.md", MARKDOWN)
    (table,) = document.tables
    assert table.caption == "Key figures (RMB million)"
    assert (table.unit, table.scale) == ("RMB", "million")
    assert [c.period for c in table.columns] == ["1H2023", "1H2022", None]
    assert table.rows[1].label == "Net loss*" and table.rows[1].path == ("Net loss",)
    figures = {(f.metric, f.period): f for f in document_figures(document) if f.cell}
    assert figures["net loss", "1H2022"].value == pytest.approx(-310.2e6)
    assert "Revenue | 1H2023 | 2,310.5" in document.text and "|---" not in document.text
    assert_spans_slice(document.text, table)


def test_aligned_plain_text_tables_match_columns_by_position(
    make_corpus: Callable[[dict[str, str]], Path],
) -> None:
    document = load(make_corpus, "acme.txt", ALIGNED)
    (table,) = document.tables
    assert [c.header for c in table.columns] == [
        "Year ended December 31 · 2019",
        "Year ended December 31 · 2018",
    ]
    assert [c.period for c in table.columns] == ["FY2019", "FY2018"]
    assert [row.path for row in table.rows] == [
        ("Revenue",),
        ("Revenue", "Products"),
        ("Revenue", "Services"),
        ("Revenue", "Total revenue"),
        ("Operating loss",),
    ]
    assert (table.unit, table.scale) == ("USD", "thousand")
    figures = {(f.metric, f.period): f for f in document_figures(document) if f.cell}
    assert figures["operating loss", "FY2018"].value == -980_000
    assert "Revenue grew on product demand." in document.text
    assert_spans_slice(document.text, table)


def test_prose_with_double_spaces_is_not_a_table(
    make_corpus: Callable[[dict[str, str]], Path],
) -> None:
    text = "Revenue rose 12%.  Margin held at 40%.\nCosts fell.  Staff grew to 1,200.\n"
    assert load(make_corpus, "prose.txt", text).tables == ()


WRAPPED = """Segment results (in millions)

                                         2019        2018
Revenue from customers in the             $    1,452.4  $   1,146.2
  wider Asia Pacific region
Other                                          44.1        56.7
"""


def test_wrapped_labels_and_a_dollar_sign_set_apart_in_aligned_text(
    make_corpus: Callable[[dict[str, str]], Path],
) -> None:
    (table,) = load(make_corpus, "seg.txt", WRAPPED).tables
    assert [row.label for row in table.rows] == [
        "Revenue from customers in the wider Asia Pacific region",
        "Other",
    ]
    assert table.rows[0].cells == ("$ 1,452.4", "$ 1,146.2")
    assert (table.unit, table.scale) == ("USD", "million")


PIPES = """Intro.

| Item | 2019 |
|:---|---:|
| Rev\\|enue | 1,420 |
| Cost | (300) |

After.
"""

KEY_FIGURES = """Key figures

            2019      2018
Revenue    1,420.5   1,652.0
Margin       66%       70%
"""


def test_a_pipe_table_is_a_header_a_separator_and_rows() -> None:
    (found,) = pipe_tables(PIPES)
    assert PIPES[found.start : found.end].startswith("| Item | 2019 |")
    assert PIPES[found.start : found.end].endswith("| Cost | (300) |")
    assert found.grid.rows == (("Item", "2019"), ("Rev|enue", "1,420"), ("Cost", "(300)"))
    assert found.grid.header_count == 1  # the line above the separator


@pytest.mark.parametrize(
    "text",
    ["Revenue | 1,420\nCost | 300\n", "| a | b |\nno separator line\n| 1 | 2 |\n", "---|---\n"],
)
def test_pipes_without_a_separator_under_a_header_are_no_table(text: str) -> None:
    assert pipe_tables(text) == []


def test_one_aligned_line_of_numbers_is_not_a_table() -> None:
    assert aligned_tables("Revenue    1,420.5   1,652.0\n\nThe board met.\n") == []


def test_tables_in_text_replaces_each_table_by_its_rendering() -> None:
    text, (table,) = tables_in_text(PIPES, aligned=False)
    assert "|:---|" not in text and text.endswith("\n\nAfter.\n")
    assert text[table.start : table.end].endswith("Cost | 2019 | (300)")
    assert [row.label for row in table.rows] == ["Rev/enue", "Cost"]  # "|" cannot stay
    assert_spans_slice(text, table)


def test_aligned_tables_are_read_only_when_asked() -> None:
    assert tables_in_text(KEY_FIGURES, aligned=False) == (KEY_FIGURES, ())
    text, (table,) = tables_in_text(KEY_FIGURES, aligned=True)
    assert table.caption == "Key figures"
    assert [row.cells for row in table.rows] == [("1,420.5", "1,652.0"), ("66%", "70%")]
    assert "Margin | 2018 | 70%" in text


def test_deeply_indented_pipe_lines_are_scanned_in_linear_time() -> None:
    # 300 lines of up to 3,000 spaces before a "|": the separator pattern once backtracked
    # over every split of the spaces (about a minute here); now a tenth of a second.
    text = "\n".join(" " * n + "| item |" for n in range(0, 3000, 10))
    started = time.perf_counter()
    assert pipe_tables(text) == []
    assert time.perf_counter() - started < 5
