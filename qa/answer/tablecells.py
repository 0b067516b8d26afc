"""The cell an operand's metric phrase names: by its row, the column chosen by its year and
its other words (`best_cell`); or by its column, when it names no row ("the Workforce
reduction for the balance payable at June 30, 2019": a "Workforce reduction" column in the row
the rest of the question names; "what proportion of level 2 inputs is made up of money market
funds": the "(Level 2)" column's Total row as the whole) (`column_cell`); `operand_cell` tries
both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qa.answer.tablematch import (
    RowMatch,
    best_rows,
    covered,
    label_score,
    leftover,
    value_columns,
    year_columns,
)
from qa.answer.tableperiods import fits_cell, series
from qa.answer.tableviews import table_cell, view_column
from qa.text.askedperiods import is_fine
from qa.text.kinds import COUNT
from qa.text.labels import words
from qa.text.periods import period_year
from qa.types import Figure, Table

# How much a column header naming the rest of a metric phrase adds to its row's score; and,
# to break ties between columns, one the whole question names.
COLUMN_WEIGHT = 0.5
HINT_WEIGHT = 0.01
# A column is named by a phrase that scores this well on its header (0..1, as rows score).
COLUMN_SCORE = 0.75
_TOTAL = re.compile(r"^\s*total\b", re.I)


def cell_name(match: RowMatch, figure: Figure) -> str:
    """The row's name, with its column header when that says more than the period."""
    name = match.label
    c = view_column(match.table, figure)
    if c is None:
        return name
    column = match.table.columns[c]
    extra = [w for w in column.header.split(" · ") if not re.search(r"(?:19|20)\d{2}", w)]
    return f"{name} ({extra[-1]})" if extra and extra[-1] else name


def header_score(phrase: Sequence[str], header: str) -> float:
    """How well a phrase's words name a column header, scored as a row label is (both
    directions of word coverage; a name in parentheses counts a little less).

    >>> header_score(("level", "2", "input"), "Significant Other Observable Inputs (Level 2)")
    0.8233
    """
    return round(label_score(phrase, header), 4)


def _named_column(phrase: Sequence[str], tables: Sequence[Table]) -> tuple[Table, int] | None:
    """The column whose header the phrase names best, by a word that sets it apart: words
    every column of a table shares ("Year ended · 2019 · (As percentage of net revenues)")
    name the table, not one column."""
    scored = []
    for i, table in enumerate(tables):
        headers = [words(column.header) for column in table.columns]
        shared = set.intersection(*map(set, headers)) if len(headers) > 1 else set()
        for c, column in enumerate(table.columns):
            own = [w for w in headers[c] if w not in shared]
            if covered(own, phrase) > 0:
                scored.append((header_score(phrase, column.header), -i, c, table))
    if not scored:
        return None
    score, _, c, table = max(scored, key=lambda s: s[:3])
    return (table, c) if score >= COLUMN_SCORE else None


def _rows_to_try(table: Table, context: str) -> Iterable[int]:
    """The rows the question's words name, best first; then the table's Total rows, last
    first (the grand total closes a table)."""
    named = [m.row for m in best_rows(context, [table], limit=len(table.rows))] if context else []
    totals = [r for r, row in enumerate(table.rows) if _TOTAL.search(row.leaf)]
    return dict.fromkeys((*named, *reversed(totals)))


def column_cell(
    subject: str,
    year: str | None,
    tables: Sequence[Table],
    used: set[tuple[int, int, int]],
    context: str = "",
) -> tuple[Figure, RowMatch, float] | None:
    """The cell a phrase names by its column: the column whose header it names, in the row
    the question's `context` names for `year` (a cell another operand uses is skipped: "what
    proportion of level 2 inputs is money market funds" names the Money market funds row,
    its Level 2 cell is the part), else in the table's Total row. The score is the
    header's."""
    wanted = words(subject)
    found = _named_column(wanted, tables)
    if found is None:
        return None
    table, c = found
    for r in _rows_to_try(table, context):
        figure = table_cell(table, r, c)
        if figure is None or figure.cell in used or (year and not fits_cell(year, table, r, c)):
            continue
        score = header_score(wanted, table.columns[c].header)
        return figure, RowMatch(table, r, score), score
    return None


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


def operand_cell(
    subject: str,
    when: str | None,
    tables: Sequence[Table],
    used: set[tuple[int, int, int]],
    hint: Sequence[str] = (),
    context: str = "",
) -> tuple[Figure, RowMatch, float] | None:
    """The cell an operand's phrase names for period `when` (a day or quarter, else its
    year): by its row (`best_cell`), or by its column (`column_cell`) when that names it
    better."""
    periods = [when]
    if when and is_fine(when):  # "the total revenue that year"
        periods.append(str(period_year(when)))
    by_row = next(
        (f for p in periods if (f := best_cell(subject, p, tables, used, hint)) is not None), None
    )
    by_column = next(
        (f for p in periods if (f := column_cell(subject, p, tables, used, context)) is not None),
        None,
    )
    if by_column is not None and (by_row is None or by_column[2] > by_row[2]):
        return by_column
    return by_row
