"""PDF -> text per page (pypdf, layout mode), with the offset where each page starts.

Layout mode keeps columns apart and vertical gaps as blank lines; from that we rebuild
paragraphs (wrapped lines joined), headings (short lines stand alone, so the chunker labels
sections) and tables (lines whose cells are separated by wide gaps are parsed into Table
records, columns matched by position, and rendered as "row label | column header | value"
lines). A PDF without a text layer (a scan) is refused:
OCR is out of scope.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

from qa.ingest.loaders import Extracted
from qa.ingest.loaders.tableplace import place_tables, renumbered
from qa.ingest.loaders.tables import render_table
from qa.ingest.loaders.tablestack import structures
from qa.ingest.loaders.tableunits import is_amount
from qa.ingest.loaders.texttables import align
from qa.types import Table

log = logging.getLogger(__name__)

# Work limits for one PDF: a press release has tens of pages and kilobytes of text per page.
MAX_PAGES = 2000
MAX_SECONDS = 120
_OUTPUT = 32_000_000  # bytes one stream may decompress to (pypdf's default is 75 MB)
LIMITS: dict[str, Any] = {
    "zlib_maximum_output_length": _OUTPUT,
    "lzw_maximum_output_length": _OUTPUT,
    "run_length_maximum_output_length": _OUTPUT,
    "brotli_maximum_output_length": _OUTPUT,
    "jbig2_maximum_output_length": _OUTPUT,
    "array_based_stream_maximum_output_length": _OUTPUT,
    "stream_decoding_work_maximum_length": 4 * _OUTPUT,
    "page_tree_maximum_entries": 10 * MAX_PAGES,
    "xform_maximum_invocations_per_extraction": 1000,
}
# Pages are joined by one blank line (a paragraph break, not a section break).
PAGE_SEPARATOR = "\n\n"
# In layout mode three or more spaces separate table columns; prose has one.
_CELL_GAP = re.compile(r"\s{3,}")
# Table cells after the row label are short ("1,420.5", "1H2022", "Change").
MAX_CELL_CHARS = 32
# A line at least this share of the page's longest line is a wrapped line of a paragraph.
WRAPPED_SHARE = 0.7
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
_ITEM = re.compile(r"^(?:[●•▪◦‣∙·*-]|\d{1,2}[.)])\s+")


def _cells(line: str) -> list[str]:
    cells = _CELL_GAP.split(line.strip())
    if len(cells) >= 2 and all(len(cell) <= MAX_CELL_CHARS for cell in cells[1:]):
        return cells
    return []


def layout_to_text(page: str) -> str:
    """One page of pypdf layout text -> paragraphs, headings and table lines.

    >>> print(layout_to_text("Highlights\\n\\nRMB million     1H2022     1H2021\\n\\n"
    ...                      "Revenue     1,420.5     1,652.0\\n\\n  7\\n"))
    Highlights
    <BLANKLINE>
    Highlights (RMB million)
    RMB million | 1H2022 | 1H2021
    Revenue | 1H2022 | 1,420.5
    Revenue | 1H2021 | 1,652.0
    """
    return layout_to_page(page)[0]


def layout_to_page(page: str) -> tuple[str, tuple[Table, ...]]:
    """`layout_to_text`, and the page's tables (spans in the page text): a run of lines whose
    cells are separated by wide gaps is a table, its columns matched by position."""
    lines = [line.rstrip() for line in page.splitlines()]
    lines = [line for line in lines if not _PAGE_NUMBER.match(line.strip())]
    width = max((len(line.strip()) for line in lines), default=0)
    blocks: list[str] = []
    paragraph: list[str] = []
    table: list[str] = []
    tables: list[Table] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(_join(paragraph))
            paragraph.clear()

    def end_table() -> None:
        parsed = []
        if len(table) >= 2 and any(is_amount(c) for line in table for c in _cells(line)[1:]):
            parsed = structures(align(table))
        if parsed:
            blocks.extend(render_table(one)[0] for one in parsed)
            tables.extend(parsed)
        else:
            blocks.extend(" ".join(_cells(line)) for line in table)
        table.clear()

    for line in lines:
        text = line.strip()
        if not text:
            end_paragraph()  # a blank line ends a paragraph, not a table (rows are spaced)
            continue
        if _cells(line) or (table and text[:1].islower()):
            end_paragraph()
            table.append(line)  # a lower-case line inside a table continues a wrapped label
            continue
        if table:
            end_table()
        if paragraph and _ITEM.match(text):
            end_paragraph()
        paragraph.append(" ".join(text.split()))
        if len(text) < WRAPPED_SHARE * width:
            end_paragraph()  # a short line ends its paragraph (or is a heading)
    end_paragraph()
    if table:
        end_table()
    return place_tables("\n\n".join(blocks), tables)


def _read_pages(path: Path) -> tuple[list[str], str]:
    """(layout text of each page, title) within MAX_PAGES and MAX_SECONDS."""
    from pypdf import PdfReader

    started = time.monotonic()
    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("is an encrypted PDF; save an unencrypted copy")
    if len(reader.pages) > MAX_PAGES:
        raise ValueError(f"has {len(reader.pages):,} pages, over the {MAX_PAGES:,}-page limit")
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > MAX_SECONDS:
            raise ValueError(f"took over {MAX_SECONDS} s to read (stopped at page {number})")
        pages.append(page.extract_text(extraction_mode="layout"))
    info = reader.metadata
    title = " ".join(str(info.title).split()) if info is not None and info.title else ""
    return pages, title


def _join(lines: list[str]) -> str:
    """Join wrapped lines; a line-end hyphen before a lower-case letter joins the word."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and line[:1].islower():
            text += line
        else:
            text += " " + line
    return text


def load_pdf(path: Path) -> Extracted:
    """A PDF's text, page by page; `page_starts[i]` is where page i+1 begins.

    Bounded: decompression and parsing run under pypdf limits far below its defaults (a
    compression bomb stops at LIMITS' sizes), reading stops after MAX_PAGES pages or
    MAX_SECONDS, and anything a broken file makes pypdf raise is a ValueError with a reason.
    """
    from pypdf import apply_configuration

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable noise
    try:
        with apply_configuration(**LIMITS):
            pages, title = _read_pages(path)
    except ValueError:
        raise
    except RecursionError:
        raise ValueError("is not a readable PDF (its objects are nested too deeply)") from None
    except Exception as error:  # pypdf raises many types on broken files; all mean the same
        detail = " ".join(str(error).split())[:160] or type(error).__name__
        raise ValueError(f"is not a readable PDF ({detail})") from None
    texts: list[str] = []
    tables: list[Table] = []
    starts: list[int] = []
    offset = 0
    for page in pages:
        text, page_tables = layout_to_page(page)
        starts.append(offset)
        texts.append(text)
        tables += renumbered(page_tables, offset, len(tables))
        offset += len(text) + len(PAGE_SEPARATOR)
    if not any(t.strip() for t in texts):
        raise ValueError("has no text layer (a scanned PDF?); OCR it first")
    text = PAGE_SEPARATOR.join(texts)
    return Extracted(text, tuple(starts), title=title, format="pdf", tables=tuple(tables))
