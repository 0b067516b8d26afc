"""Tables written as text: Markdown pipe tables and columns aligned with spaces (plain-text
releases, PDF layout text) -> Grids (qa/ingest/loaders/tablegrid.py), with the character range
each one occupies so a loader can put its rendering in its place.

Aligned columns are matched by position, not by counting gaps: a header row ("      2019
2018") has fewer cells than a data row, and each of its cells belongs to the value column
it stands over (numbers are right-aligned, so a column is where its cells end).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.ingest.loaders.tablegrid import Grid
from qa.ingest.loaders.tableplace import place_tables
from qa.ingest.loaders.tables import render_table
from qa.ingest.loaders.tablestack import structures
from qa.ingest.loaders.tableunits import is_amount
from qa.types import Table

# Two or more spaces (or a tab) separate aligned columns; prose has one.
_SEGMENT = re.compile(r"\S+(?: \S+)*")
# Possessive quantifiers: with plain ones, an indented "- item" line (a nested list) made the
# adjacent \s* runs backtrack in cubic time (a 1,000-deep list took 40 s of CPU).
_PIPE_SEPARATOR = re.compile(r"^\s*+\|?\s*+:?-++:?\s*+(?:\|\s*+:?-++:?\s*+)*+\|?\s*+$")
# Cells after the row label are short ("1,420.5", "1H2022", "Change").
MAX_CELL_CHARS = 32
# A one-cell line inside an aligned table (a group heading) is at most this long.
MAX_GROUP_CHARS = 60
# Indented one-cell lines right above a table (at most this many) are spanning headers.
MAX_TITLE_LINES = 2
MIN_SPANNING_INDENT = 8
_CURRENCY_ONLY = re.compile(r"^(?:[A-Z]{0,3}\$|[€£¥]|RMB|HK\$)$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


@dataclass(frozen=True)
class TextTable:
    """A table found in text: the range [start, end) it occupies and its cells."""

    start: int
    end: int
    grid: Grid


def pipe_tables(text: str) -> list[TextTable]:
    """Markdown pipe tables: a header line, a "---|---" line, then rows with "|".

    >>> [t.grid.rows for t in pipe_tables("| | 2019 |\\n|---|--:|\\n| Revenue | 1,420 |\\n")]
    [(('', '2019'), ('Revenue', '1,420'))]
    """
    lines = _lines(text)
    found = []
    i = 1
    while i < len(lines):
        line = lines[i][1]
        if "|" in line and "|" in lines[i - 1][1] and _PIPE_SEPARATOR.match(line):
            j = i + 1
            while j < len(lines) and "|" in lines[j][1] and lines[j][1].strip():
                j += 1
            rows = [_pipe_cells(lines[i - 1][1])] + [
                _pipe_cells(lines[k][1]) for k in range(i + 1, j)
            ]
            end = lines[j - 1][0] + len(lines[j - 1][1])
            found.append(TextTable(lines[i - 1][0], end, Grid(tuple(rows), header_count=1)))
            i = j
        i += 1
    return found


def _pipe_cells(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return tuple(_MD_ESCAPE.sub(r"\1", cell).strip() for cell in cells)


def aligned_tables(text: str) -> list[TextTable]:
    """Runs of lines whose cells are separated by two or more spaces or a tab, holding at
    least two rows of numbers.

    >>> table = aligned_tables("Key figures\\n\\n            2019      2018\\n"
    ...                        "Revenue    1,420.5   1,652.0\\nMargin       66%       70%\\n")[0]
    >>> table.grid.rows
    (('', '2019', '2018'), ('Revenue', '1,420.5', '1,652.0'), ('Margin', '66%', '70%'))
    """
    lines = _lines(text)
    found = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (
            _cells_of(lines[j][1]) or (j > i and j + 1 < len(lines) and _group_line(lines, j))
        ):
            j += 1
        top = i
        while top > 0 and i - top < MAX_TITLE_LINES and _spanning_line(lines[top - 1][1]):
            top -= 1
        run = [line for _, line in lines[top:j]]
        data = [line for line in run if any(is_amount(c[2]) for c in _cells_of(line)[1:])]
        if len(data) >= 2:
            end = lines[j - 1][0] + len(lines[j - 1][1])
            found.append(TextTable(lines[top][0], end, align(run)))
        i = max(j, i + 1)
    return found


def align(lines: Sequence[str]) -> Grid:
    """Aligned lines -> rows of cells, each value assigned to the column it stands over. A
    currency symbol set apart ("$    1,452.4") joins the number after it; a label-only line
    starting in lower case continues the label above it (a wrapped label)."""
    segments = [_attach_symbols(_cells_of(line) or _one_cell(line)) for line in lines]
    data = [row for row in segments if any(is_amount(c[2]) for c in row[1:])]
    first_value = min(row[1][0] for row in data)
    reference = max(data, key=len)[1:]
    rows: list[tuple[str, ...]] = []
    for row in segments:
        cells = [""] * (len(reference) + 1)
        for start, end, text in row:
            if end <= first_value and start < first_value:
                cells[0] = f"{cells[0]} {text}".strip()
                continue
            column = min(
                range(len(reference)),
                key=lambda c: min(abs(end - reference[c][1]), abs(start - reference[c][0])),
            )
            cells[column + 1] = f"{cells[column + 1]} {text}".strip()
        wrapped = rows and cells[0][:1].islower() and not any(cells[1:]) and any(rows[-1][1:])
        if wrapped:
            rows[-1] = (f"{rows[-1][0]} {cells[0]}", *rows[-1][1:])
        else:
            rows.append(tuple(cells))
    return Grid(tuple(rows))


def _attach_symbols(row: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, text in row:
        if out and _CURRENCY_ONLY.match(out[-1][2]) and len(out) > 1:
            out[-1] = (out[-1][0], end, f"{out[-1][2]} {text}")
        else:
            out.append((start, end, text))
    return out


def tables_in_text(text: str, *, aligned: bool) -> tuple[str, tuple[Table, ...]]:
    """Replace each table in `text` (pipe tables; aligned ones too when `aligned`) by its
    rendering; return the new text and the tables, spanning their renderings."""
    found = pipe_tables(text)
    if aligned:
        taken = [(t.start, t.end) for t in found]
        found += [
            t for t in aligned_tables(text) if not any(s < t.end and t.start < e for s, e in taken)
        ]
    parts: list[str] = []
    tables: list[Table] = []
    cursor = 0
    for found_table in sorted(found, key=lambda t: t.start):
        parsed = structures(found_table.grid)
        if not parsed:
            continue
        rendered = "\n\n".join(render_table(table)[0] for table in parsed)
        parts += [text[cursor : found_table.start], rendered]
        tables.extend(parsed)
        cursor = found_table.end
    parts.append(text[cursor:])
    return place_tables("".join(parts), tables)


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _cells_of(line: str) -> list[tuple[int, int, str]]:
    """A line's cells as (start, end, text) when it splits into two or more at gaps of two
    spaces or a tab, with short cells after the first; else []."""
    expanded = line.expandtabs(8)
    if "|" in expanded:
        return []
    cells = [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(expanded)]
    if len(cells) < 2 or any(len(c[2]) > MAX_CELL_CHARS for c in cells[1:]):
        return []
    return cells


def _one_cell(line: str) -> list[tuple[int, int, str]]:
    stripped = line.expandtabs(8).strip()
    start = line.expandtabs(8).find(stripped) if stripped else 0
    return [(start, start + len(stripped), stripped)] if stripped else []


def _spanning_line(line: str) -> bool:
    """An indented one-cell line right above a table: a header spanning its columns
    ("            Year ended December 31,")."""
    expanded = line.expandtabs(8)
    indent = len(expanded) - len(expanded.lstrip())
    return indent >= MIN_SPANNING_INDENT and 0 < len(expanded.strip()) <= MAX_GROUP_CHARS


def _group_line(lines: list[tuple[int, str]], j: int) -> bool:
    """A short one-cell line between table lines ("Assets") is a group heading row."""
    text = lines[j][1].strip()
    return 0 < len(text) <= MAX_GROUP_CHARS and bool(_cells_of(lines[j + 1][1]))
