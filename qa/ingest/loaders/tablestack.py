"""Stacked tables: a table that repeats its header rows over a second block of rows ("Fiscal
2018 · First · Quarter" under the 2019 rows, "As of December 31, 2018 · Amortized Cost" under
the 2019 block) is one `Table` per block, each with its own columns (qa/ingest/loaders/
tablegrid.py parses each block). Pure functions.
"""

from __future__ import annotations

import re

from qa.ingest.loaders.tablegrid import Grid, rectangle, structure
from qa.ingest.loaders.tableunits import find_scale, is_amount
from qa.types import Table

# A header cell naming a period in words: "FY 2019 (%)", "Fiscal 2018", "Year 2019".
_PERIOD_HEADER = re.compile(r"(?=.*[A-Za-z%]).*\b(?:19|20)\d{2}\b")


def split_stacked(grid: Grid) -> list[Grid]:
    """A grid that stacks blocks under header rows of their own (a second "Fiscal 2018 ·
    First · Quarter" header after the 2019 rows, "As of December 31, 2018 · Amortized Cost"
    after the 2019 block) as one grid per block, each with its own header rows; any other
    grid as itself. A repeated header is a run of rows between two rows of amounts whose
    label is empty (or a scale note) and whose value cells are words, not amounts: two such
    rows or more, or one with two cells or more ("Dec 30, 2017 | Acquisitions | ...")."""
    rows = rectangle(grid.rows)
    cuts: list[tuple[int, int]] = []
    r = 1
    while r < len(rows) - 1:
        end = r
        while end < len(rows) and _header_like(rows[end]):
            end += 1
        run = rows[r:end]
        stacked = run and (len(run) >= 2 or sum(1 for cell in run[0][1:] if cell) >= 2)
        if stacked and _has_amount(rows[r - 1]) and end < len(rows) and _has_amount(rows[end]):
            cuts.append((r, end - r))
        r = max(end, r + 1)
    if not cuts:
        return [grid]
    first = Grid(tuple(tuple(row) for row in rows[: cuts[0][0]]), grid.header_count, grid.caption)
    blocks = [first]
    for i, (start, count) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(rows)
        blocks.append(Grid(tuple(tuple(row) for row in rows[start:stop]), count, grid.caption))
    return blocks


def _header_like(row: list[str]) -> bool:
    """Value cells of words, not amounts, under an empty label or a scale note; or, under
    any label, two or more cells that each name a period in words ("FY 2019 (%)")."""
    texts = [cell for cell in row[1:] if cell]
    label = row[0]
    if not texts or any(map(is_amount, texts)):
        return False
    if not label or find_scale(label, header=True)[0]:
        return True
    return len(texts) >= 2 and all(_PERIOD_HEADER.search(cell) for cell in texts)


def _has_amount(row: list[str]) -> bool:
    return any(map(is_amount, row[1:]))


def structures(grid: Grid) -> list[Table]:
    """The Tables a grid lays out: one per stacked block (`split_stacked`), layout tables
    left out."""
    return [table for block in split_stacked(grid) if (table := structure(block)) is not None]
