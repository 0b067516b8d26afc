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

# Lines per block after the caption line: a block is one chunk of a few hundred characters.
ROWS_PER_BLOCK = 8
MAX_BLOCK_CHARS = 420

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
