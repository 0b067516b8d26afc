"""The cell a metric phrase names: its row by the label and its column by the year and by the
words the label leaves over (`best_cell`), or, for a metric that names a column, its cell in
the row the question's other words name (`column_cell`); and how such a cell is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.tablematch import (
    RowMatch,
    best_rows,
    column_cells,
    covered,
    leftover,
    value_columns,
    year_columns,
)
from qa.answer.tableperiods import series
from qa.answer.tableviews import table_cell, view_column
from qa.text.kinds import COUNT
from qa.text.labels import words
from qa.types import Figure, Table

# How much a column header naming the rest of a metric phrase adds to its row's score; and,
# to break ties between columns, one the whole question names.
COLUMN_WEIGHT = 0.5
HINT_WEIGHT = 0.01


def cell_name(match: RowMatch, figure: Figure) -> str:
    """The row's name, with its column header when that says more than the period."""
    name = match.label
    c = view_column(match.table, figure)
    if c is None:
        return name
    column = match.table.columns[c]
    extra = [w for w in column.header.split(" · ") if not re.search(r"(?:19|20)\d{2}", w)]
    return f"{name} ({extra[-1]})" if extra and extra[-1] else name


def _header_words(table: Table, c: int, figure: Figure) -> tuple[str, ...]:
    """Column c's header words; a column of counts also says "number" ("the number of
    shares vested" names the Shares column of the Vested row)."""
    header = words(table.columns[c].header)
    return (*header, "number") if figure.kind == COUNT else header


def best_cell(
    subject: str,
    year: str | None,
    tables: Sequence[Table],
    used: set[tuple[int, int, int]],
    hint: Sequence[str] = (),
) -> tuple[Figure, RowMatch, float] | None:
    """The cell a metric phrase names: its row by the label, its column by the year and by
    the phrase's words the label does not explain ("purchase obligations of more than 5
    years" -> the "More than 5 years" column); cells already used are skipped, so "X as a
    percentage of total X" reads two cells of one row. The score is the row's plus what the
    column header adds; between columns the phrase does not choose, the one whose header the
    whole question (`hint`) names ("the U.S. obligations' share of the total unrealized
    gain": the Gains column for both)."""
    wanted = words(subject)
    best: tuple[float, Figure, RowMatch] | None = None
    found = best_rows(subject, tables, limit=5)
    for match in (RowMatch(m.table, s, m.score) for m in found for s in series(m.table, m.row)):
        rest = leftover(wanted, match)
        columns = (
            year_columns(match.table, match.row, year, rest)
            if year
            else value_columns(match.table, match.row, rest)
        )
        for c in columns:
            figure = table_cell(match.table, match.row, c)
            if figure is None or figure.cell in used:
                continue
            header = _header_words(match.table, c, figure)
            score = match.score + COLUMN_WEIGHT * covered(rest, header) if rest else match.score
            score += HINT_WEIGHT * covered(header, hint)
            if best is None or score > best[0]:
                best = (score, figure, match)
    return (best[1], best[2], best[0]) if best else None


def column_cell(
    subject: str,
    row: Sequence[str],
    when: str | None,
    tables: Sequence[Table],
    used: set[tuple[int, int, int]],
) -> tuple[Figure, RowMatch, float] | None:
    """The cell of a metric that names a column, in the row the question's other words
    (`row`) name (qa/answer/tablematch.py `column_cells`)."""
    for match, c in column_cells(words(subject), row, when, tables):
        figure = table_cell(match.table, match.row, c)
        if figure is not None and figure.cell not in used:
            return figure, match, match.score
    return None
