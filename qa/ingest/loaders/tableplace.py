"""Tie parsed tables to the document text they were rendered into.

A loader renders each table (qa/ingest/loaders/tables.py `render_table`) into its text; here each
rendering is found again, in order, and the table is completed from the text around it: the
heading or short paragraph just before it becomes its caption when it has none, and a scale
note next to it ("The table below presents sales (in millions):") gives the scale when the
caption and header state none - or, failing that, the text quoting one of its numbers
("charges included $39.2 million" beside a "$39.2" cell). The table is then rendered again
with what it learnt (so every block of it says "(USD million)") and gets its number, span and
cell spans in the final text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.ingest.loaders.tables import render_table
from qa.ingest.loaders.tableunits import find_scale, parse_cell, scale_word
from qa.text.tableintro import introduces_table
from qa.types import Table

# A paragraph this short just before a table is its title.
MAX_CAPTION_CHARS = 160
# How many paragraphs before a table are searched for its scale note.
MAX_NOTE_BLOCKS = 12
_NOTE_START = re.compile(r"^\s*(?:\(\w{1,2}\)|\[\d+\]|\*+|†|notes?\b)", re.I)
_QUOTED = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,})\s*"
                     r"(thousand|million|billion)\b", re.I)  # fmt: skip
_ROUNDED = re.compile(r"(?<![\d.,])(\d{1,3}\.\d{1,2})\s*(million|billion)\b", re.I)
_DISTINCTIVE = re.compile(r"\d[.,]\d|\d{3}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
# A paragraph that is only a parenthesised note: "(in thousands)", "(Dollars in millions)".
_ALL_NOTE = re.compile(r"^\s*\([^()]*\)\s*$")
BULLETS = ("-", "•", "●", "▪", "*")


def place_tables(text: str, tables: Sequence[Table]) -> tuple[str, tuple[Table, ...]]:
    """(text with final table renderings, tables numbered from 1 with spans in that text).

    A table whose rendering is not in `text` (it sat in page furniture the loader dropped)
    is left out.
    """
    placed: list[Table] = []
    cursor = 0
    for table in tables:
        rendered, _ = render_table(table)
        at = text.find(rendered, cursor)
        if at < 0:
            continue
        before = _blocks_before(text, at, cursor)
        after = _block_after(text, at + len(rendered))
        if placed and not text[cursor:at].strip():
            table = _continued(table, placed[-1])
        table = _complete(table, before, after)
        final, spans = render_table(table)
        text = text[:at] + final + text[at + len(rendered) :]
        rows = tuple(
            replace(
                row,
                spans=tuple(
                    (at + spans[r, c][0], at + spans[r, c][1]) if (r, c) in spans else None
                    for c in range(len(row.cells))
                ),
            )
            for r, row in enumerate(table.rows)
        )
        number = len(placed) + 1
        placed.append(replace(table, number=number, rows=rows, start=at, end=at + len(final)))
        cursor = at + len(final)
    return text, tuple(placed)


def _continued(table: Table, previous: Table) -> Table:
    """A table right under another, with no text between (a block of a stacked table:
    "Fiscal 2018" under "Fiscal 2019"), takes the caption, unit and scale it does not state
    from the one above."""
    return replace(
        table,
        caption=table.caption or previous.caption,
        unit=table.unit or previous.unit,
        scale=table.scale or previous.scale,
    )


def _complete(table: Table, before: list[str], after: str) -> Table:
    caption = table.caption or _title(before)
    scale, unit = table.scale, table.unit
    if not scale:
        for source in (caption, *before[:1], after, *before[1:]):
            found, currency = find_scale(source, prose=True)
            if found:
                scale, unit = found, unit or currency
                break
    if not scale:
        scale = _scale_quoted(table, [*before, after])
    return replace(table, caption=caption, scale=scale, unit=unit)


def _scale_quoted(table: Table, blocks: list[str]) -> str:
    """The scale the text around a table uses when it quotes one of the table's numbers
    ("charges included $39.2 million" beside a "$39.2" cell), if no note states one. Only
    distinctive numbers count (a decimal point, a thousands comma or three digits)."""
    numbers = {
        abs(parsed[0])
        for row in table.rows
        for cell in row.cells
        if (parsed := parse_cell(cell)) is not None and _DISTINCTIVE.search(cell)
    }
    for block in blocks:
        for match in _QUOTED.finditer(block):
            if float(match.group(1).replace(",", "")) in numbers:
                return scale_word(match.group(2))
    return _scale_rounded(numbers, blocks)


# A table quoted a scale step up, rounded: "$45.0 million" for a "45,007" cell is in thousands.
_STEP_DOWN = {"million": "thousand", "billion": "million"}
# Rounded quotes that must agree before they set a scale (one could be a coincidence).
MIN_ROUNDED_QUOTES = 2


def _scale_rounded(numbers: set[float], blocks: list[str]) -> str:
    """The scale the text implies by quoting the table's numbers rounded a scale step up
    ("cash provided by operations was $45.0 million" beside "45,007" and "$24.2 million"
    beside "24,193": the table is in thousands), when at least two quotes agree."""
    found: dict[str, set[float]] = {}
    for block in blocks:
        for match in _ROUNDED.finditer(block):
            quoted, word = match.group(1), scale_word(match.group(2))
            decimals = len(quoted.partition(".")[2])
            for number in numbers:
                if number >= 1000 and round(number / 1000, decimals) == float(quoted):
                    found.setdefault(_STEP_DOWN.get(word, ""), set()).add(number)
    agreed = [scale for scale, cells in found.items() if scale and len(cells) >= MIN_ROUNDED_QUOTES]
    return agreed[0] if len(agreed) == 1 else ""


def _title(before: list[str]) -> str:
    """The title of a table without a caption, from the paragraphs before it (nearest
    first): the nearest sentence that introduces it ("X were as follows:"), else the heading or
    short paragraph just before it. A footnote ("(1) Segment assets are ...") or a lone scale
    note ("(in thousands)") between the title and the table is not the title; a paragraph
    that introduces a bulleted list is not a table's."""
    titles = [block for block in before if not (_NOTE_START.match(block) or _ALL_NOTE.match(block))]
    for i, block in enumerate(titles):
        introduction = _introduction(block)
        listed = i > 0 and titles[i - 1].lstrip().startswith(BULLETS)
        if introduction and not listed:
            return introduction
    return _caption_from(titles[0] if titles else "")


def _introduction(block: str) -> str:
    """The last sentence of a paragraph when it introduces what follows, if short enough to
    be a title."""
    block = block.strip()
    if not block or "|" in block or "\n" in block or block.startswith("#"):
        return ""
    last = _SENTENCE_END.split(block)[-1].strip()
    if not introduces_table(last) or len(last) > MAX_CAPTION_CHARS:
        return ""
    return last.rstrip(":").strip()


def _caption_from(block: str) -> str:
    """A heading, a short paragraph, or the last sentence of a paragraph that ends in ":"."""
    block = block.strip()
    if not block or "|" in block or "\n" in block.strip():
        return ""
    if block.startswith("#"):
        return block.lstrip("#").strip()
    if block.endswith(":"):
        return _SENTENCE_END.split(block)[-1].rstrip(":").strip()
    return block if len(block) <= MAX_CAPTION_CHARS else ""


def _blocks_before(text: str, at: int, since: int) -> list[str]:
    """The paragraphs before a table, nearest first, back to the previous table or heading
    (at most MAX_NOTE_BLOCKS): a scale note often opens the passage a table belongs to."""
    blocks: list[str] = []
    for block in reversed(text[since:at].split("\n\n")):
        if block.startswith("#") or len(blocks) >= MAX_NOTE_BLOCKS:
            if block.startswith("#") and not blocks:
                blocks.append(block)  # a heading right above the table is its title
            break
        if block.strip():
            blocks.append(block)
    return blocks


def _block_after(text: str, end: int) -> str:
    tail = text[end:].lstrip()
    cut = tail.find("\n\n")
    return tail if cut < 0 else tail[:cut]


def renumbered(tables: Sequence[Table], offset: int, before: int) -> list[Table]:
    """Tables of one part (a PDF page) moved into the whole text: spans shifted by
    `offset`, numbers continuing after the `before` tables of the earlier parts."""
    return [
        replace(
            table,
            number=before + i,
            start=table.start + offset,
            end=table.end + offset,
            rows=tuple(
                replace(
                    row,
                    spans=tuple(
                        None if s is None else (s[0] + offset, s[1] + offset) for s in row.spans
                    ),
                )
                for row in table.rows
            ),
        )
        for i, table in enumerate(tables, start=1)
    ]
