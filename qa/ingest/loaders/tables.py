"""Tables -> text lines that keep their labels: each value becomes
"row label | column header | value", so "Revenue | 1H2022 | 1,420.5" is findable on its own
(BM25, embeddings, the reader of a passage) and the period sits next to the number.

A table becomes one or more blocks of lines separated by blank lines; each block starts with
the caption (with the table's unit and scale) so a chunk cut from it still says what the
numbers are ("Key figures (RMB million)"). Blocks have at least two lines: the chunker reads
a lone short line as a heading. The figures of the cells are read from the parsed Table
(qa/figures/table.py), not from these lines; `render_table` says where each cell's text is.
"""

from __future__ import annotations

from qa.types import Table

# Lines per block after the caption line: a block is one chunk of a few hundred characters.
ROWS_PER_BLOCK = 8
MAX_BLOCK_CHARS = 420
# A merged header line longer than this is left out of a block's top lines.
MAX_HEADER_CHARS = 120


def clean_cell(cell: str) -> str:
    """One line, single spaces, no "|" (the column separator).

    >>> clean_cell("  Gross\\n profit | net ")
    'Gross profit / net'
    """
    return " ".join(cell.replace("|", "/").split())


def render_table(table: Table) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """A Table -> its readable text, and where each non-blank cell's text sits in it.

    Blocks of "row path | column header | cell" lines. Every
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
