"""Tables -> text lines that keep their labels: each value becomes
"row label | column header | value", so "Revenue | 1H2022 | 1,420.5" is findable on its own
and the figure extractor sees the period next to the number.

A table becomes one or more blocks of lines separated by blank lines; each block starts with
the caption (or the header row) so a chunk cut from it still says what the numbers are
("Key figures (RMB million)"). Blocks have at least two lines: the chunker reads a lone short
line as a heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.types import Table

# Lines per block after the caption line: a block is one chunk of a few hundred characters.
ROWS_PER_BLOCK = 8
MAX_BLOCK_CHARS = 420
# A merged header line longer than this is left out of a block's top lines.
MAX_HEADER_CHARS = 120

_VALUE = re.compile(
    r"^[(\-–−]?\s*(?:RMB|HK\$|US\$|\$|€|£|¥)?\s*[\d][\d,]*(?:\.\d+)?\s*"
    r"(?:%|pp|bp|x|times|million|billion|bn|m)?\s*\)?$",
    re.I,
)
_PERIOD = re.compile(r"^(?:[12]H|H[12]|[1-4]Q|Q[1-4]|FY)\s?\d{4}$|^(?:19|20)\d{2}$", re.I)


def clean_cell(cell: str) -> str:
    """One line, single spaces, no "|" (the column separator).

    >>> clean_cell("  Gross\\n profit | net ")
    'Gross profit / net'
    """
    return " ".join(cell.replace("|", "/").split())


def is_value(cell: str) -> bool:
    """A number as a table shows it (not a year or period, which label columns).

    >>> is_value("1,420.5"), is_value("(12.5)"), is_value("66%"), is_value("1H2022")
    (True, True, True, False)
    """
    return bool(_VALUE.match(cell)) and not _PERIOD.match(cell)


def looks_like_header(row: Sequence[str]) -> bool:
    """A first row whose cells after the label are names (periods, "Change"), not values."""
    rest = [cell for cell in row[1:] if cell]
    return bool(rest) and not any(is_value(cell) for cell in rest)


def table_lines(
    rows: Sequence[Sequence[str]], caption: str = "", header: bool | None = None
) -> list[list[str]]:
    """Table rows -> blocks of text lines (see the module docstring).

    >>> table_lines([["RMB million", "1H2022", "1H2021"], ["Revenue", "1,420.5", "1,652.0"]])
    [['RMB million | 1H2022 | 1H2021', 'Revenue | 1H2022 | 1,420.5', 'Revenue | 1H2021 | 1,652.0']]
    >>> table_lines([["Revenue", "RMB1.42 billion"]], caption="Highlights")
    [['Highlights', 'Revenue | RMB1.42 billion']]
    """
    cleaned = [[clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return []
    caption = clean_cell(caption)
    has_header = looks_like_header(cleaned[0]) if header is None else header
    head = cleaned[0] if has_header and len(cleaned) > 1 else []
    body = cleaned[1:] if head else cleaned
    lines: list[str] = []
    for row in body:
        label, cells = row[0], row[1:]
        if not any(cells):
            lines.append(label)  # a group row ("Segment revenue") labels what follows
            continue
        for column, cell in enumerate(cells, start=1):
            if not cell:
                continue
            name = head[column] if column < len(head) else ""
            lines.append(" | ".join(part for part in (label, name, cell) if part))
    top = [caption] if caption else []
    if head:
        top.append(" | ".join(head))
    if not top:
        top = ["Table"]
    return _blocks(top, lines)


def _blocks(top: list[str], lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        size = sum(len(x) + 1 for x in (*top, *current, line))
        if current and (len(current) >= ROWS_PER_BLOCK or size > MAX_BLOCK_CHARS):
            blocks.append([*top, *current])
            current = []
        current.append(line)
    if current or not blocks:
        blocks.append([*top, *current])
    return blocks


def render_blocks(blocks: list[list[str]]) -> str:
    """Blocks -> text: lines joined by newlines, blocks by a blank line."""
    return "\n\n".join("\n".join(block) for block in blocks)


def render_table(table: Table) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """A Table -> its readable text, and where each non-blank cell's text sits in it.

    Same shape as `table_lines`: blocks of "row path | column header | cell" lines. Every
    block starts with the caption (with the table's unit and scale when the caption does not
    say them), the first one also with the header line; a row's lines stay in one block (a
    group heading with the row below it), so the chunk holding a cell holds its whole row.
    Offsets are relative to the returned text: `text[s:e] == table.rows[r].cells[c]`.
    """
    caption = _caption_line(table)
    labels = [table.label_header] if table.label_header else []
    header = " | ".join(clean_cell(h) for h in (*labels, *(c.header for c in table.columns)))
    top = [caption, header] if header.strip(" |") and len(header) <= MAX_HEADER_CHARS else [caption]
    blocks: list[list[_Line]] = []
    current: list[_Line] = [(line, None, 0) for line in top]
    body = 0
    for row_lines in _row_lines(table):
        size = sum(len(line) + 1 for line, _, _ in (*current, *row_lines))
        if body and (body + len(row_lines) > ROWS_PER_BLOCK or size > MAX_BLOCK_CHARS):
            blocks.append(current)
            current, body = [(caption, None, 0)], 0
        current += row_lines
        body += len(row_lines)
    blocks.append(current)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    offset = 0
    for block in blocks:
        for line, key, at in block:
            if key is not None:
                cell = table.rows[key[0]].cells[key[1]]
                spans[key] = (offset + at, offset + at + len(cell))
            offset += len(line) + 1
        offset += 1  # a blank line between blocks
    text = "\n\n".join("\n".join(line for line, _, _ in block) for block in blocks)
    return text, spans


# A rendered line, the (row, column) of the cell it shows (None for captions and headings)
# and where the cell's text starts in it.
_Line = tuple[str, tuple[int, int] | None, int]


def _row_lines(table: Table) -> list[list[_Line]]:
    """Each value row's lines, a group heading's line joined to the row below it."""
    rows: list[list[_Line]] = []
    pending: list[_Line] = []
    headers = _distinct_headers(table)
    for r, row in enumerate(table.rows):
        name = clean_cell(row.name) or clean_cell(row.label)
        if row.group:
            pending += [(name, None, 0)] if name else []
            continue
        lines = list(pending)
        pending = []
        for c, cell in enumerate(row.cells):
            if cell:
                prefix = " | ".join(p for p in (name, headers[c]) if p)
                prefix = prefix + " | " if prefix else ""
                lines.append((prefix + cell, (r, c), len(prefix)))
        rows.append(lines)
    if pending:
        rows.append(pending)
    return rows


def _distinct_headers(table: Table) -> list[str]:
    """Column headers without the parts every column shares ("Years Ended September 30 ·
    2019" -> "2019"): those are said once, in the header line, and each value line keeps
    the words that tell its column apart."""
    parts = [c.header.split(" · ") for c in table.columns]
    common = set.intersection(*(set(p) for p in parts)) if len(parts) > 1 else set()
    return [clean_cell(" · ".join(x for x in p if x not in common) or " · ".join(p)) for p in parts]


def _caption_line(table: Table) -> str:
    caption = clean_cell(table.caption)
    note = " ".join(part for part in (table.unit, table.scale) if part)
    if note and not (table.scale and table.scale[:4] in caption.lower()):
        caption = f"{caption} ({note})" if caption else f"({note})"
    return caption if caption and not caption.startswith("(") else f"Table {caption}".strip()
