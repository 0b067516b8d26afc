"""Values picked from a table for a list or a ranking: one row's values for several periods
("What were revenues in 2019 and 2018 respectively?", "for each quarter"), several rows'
values for one period ("the high and low prices in the fourth quarter respectively"), and
the row that ranks first, second ... in a column ("Which segment had the highest revenue in
2019?"). Shared with the counts and year lists of qa/answer/tablelists.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer.tablematch import RowMatch, best_rows, value_columns, year_columns
from qa.answer.tableperiods import fits_cell
from qa.answer.tableviews import table_cell
from qa.text.labels import words
from qa.text.periods import period_year
from qa.text.question import Question
from qa.text.subjects import clean_subject
from qa.types import Figure, Table

_F = re.IGNORECASE
RESPECTIVE = re.compile(r"\brespective(?:ly)?\b", _F)
EACH_QUARTER = re.compile(r"\b(?:each|every)\s+(?:of\s+the\s+)?quarters?\b", _F)


@dataclass(frozen=True)
class ListAnswer:
    """A list (or count) read from a table, with the cells it used."""

    value: tuple[str, ...] | str | float
    cells: tuple[Figure, ...]
    description: str
    scale: str = ""


def row_for(subject: str, tables: Sequence[Table]) -> RowMatch | None:
    """The row a metric phrase names best, if any."""
    matches = best_rows(subject, tables, limit=1)
    return matches[0] if matches else None


def named_rows(text: str, tables: Sequence[Table]) -> list[tuple[str, RowMatch]] | None:
    """The rows a phrase names one after another ("the high and low prices", "percentage of
    revenue from Apple and Huawei"): its parts between "and" and commas, each with the row it
    names best; None unless there are two or more parts and every part names a row. The
    first part keeps the words the parts share ("percentage of revenue from Apple"), which
    row matching weighs less than the row's own name."""
    parts = [part for piece in re.split(r"\band\b|,", text) if (part := clean_subject(piece))]
    if len(parts) < 2:
        return None
    found = []
    for part in parts:
        match = row_for(part, tables)
        if match is None:
            return None
        found.append((part, match))
    return found


def in_year(table: Table, r: int, c: int, years: Sequence[str]) -> bool:
    """Whether cell (r, c) reports the first year asked (any cell when none is)."""
    return not years or fits_cell(years[0], table, r, c)


def respective(question: Question, tables: Sequence[Table]) -> ListAnswer | None:
    """ "What were revenues in 2019 and 2018 respectively?": one row's values for several
    periods; "What were the high and low prices in the fourth quarter respectively?": the
    values of several rows for one period."""
    periods = question.periods
    if EACH_QUARTER.search(question.text) and len(periods) == 1:  # "for each quarter in 2018"
        periods = tuple(f"{q}Q{period_year(periods[0])}" for q in range(1, 5))
    if len(periods) < 2:
        return _respective_rows(question, tables, periods[0] if periods else None)
    match = row_for(question.subject, tables)
    if match is None:
        return None
    cells = []
    for period in periods:
        figure = _cell_for(match, period, question.words)
        if figure is None:
            return None
        cells.append(figure)
    texts = tuple(cell.text for cell in cells)
    described = f"{match.label}, {', '.join(periods)}"
    return ListAnswer(texts, tuple(cells), described, cells[0].scale or "")


def _cell_for(match: RowMatch, period: str | None, hint: Sequence[str]) -> Figure | None:
    table, r = match.table, match.row
    columns = year_columns(table, r, period, hint) if period else value_columns(table, r, hint)
    return table_cell(table, r, columns[0]) if columns else None


def _respective_rows(
    question: Question, tables: Sequence[Table], period: str | None
) -> ListAnswer | None:
    if not RESPECTIVE.search(question.text):
        return None
    rows = named_rows(RESPECTIVE.sub(" ", question.text), tables)
    if rows is None:
        return None
    cells = []
    for part, match in rows:
        figure = _cell_for(match, period, words(part))
        if figure is None:
            return None
        cells.append(figure)
    parts = [part for part, _ in rows]
    described = f"{', '.join(parts)}" + (f", {period}" if period else "")
    return ListAnswer(tuple(c.text for c in cells), tuple(cells), described, cells[0].scale or "")


WHICH_ROW = re.compile(
    r"^\s*(?:(?:in\s+|for\s+)?which\b(?!\s+(?:fiscal\s+|financial\s+)?(?:year|period|fy)s?\b)|"
    r"what\s+(?:is|was|are|were)\s+the\s+(?:second\s+|third\s+)?(?:most|least)\b|"
    r"(?:.*,\s*)?what\s+(?:is|was)\s+the\s+\w+(?:\s+\w+)?\s+(?:that|which|with)\b)",
    _F,
)
MOST = re.compile(
    r"\b(?:largest|highest|greatest|biggest|most|maximum|larger|higher|greater|more)\b", _F
)
LEAST = re.compile(r"\b(?:smallest|lowest|least|minimum|smaller|lower|less|fewest)\b", _F)
_ORDINAL = {"second": 2, "third": 3, "fourth": 4}


def which_row(question: Question, tables: Sequence[Table]) -> ListAnswer | None:
    """ "Which segment had the highest revenue in 2019?": the row whose value ranks first
    (or second, ...) in the column the question names; totals are not candidates."""
    most, least = MOST.search(question.text), LEAST.search(question.text)
    if not (most or least) or not tables:
        return None
    rank = next((n for w, n in _ORDINAL.items() if re.search(rf"\b{w}\b", question.text, _F)), 1)
    years = question.years
    hint = question.words
    best: tuple[float, int, Table] | None = None
    for table in tables:
        for c, column in enumerate(table.columns):
            if not any(in_year(table, r, c, years) for r in range(len(table.rows))):
                continue
            score = sum(1 for w in words(column.header) if w in hint)
            if best is None or score > best[0]:
                best = (score, c, table)
    if best is None:
        return None
    _, c, table = best
    cells = [
        (row.leaf, figure)
        for r, row in enumerate(table.rows)
        if not row.group
        and row.label.strip()
        and "total" not in row.label.lower()
        and in_year(table, r, c, years)
        and (figure := table_cell(table, r, c)) is not None
    ]
    if len(cells) <= rank:
        return None
    cells.sort(key=lambda pair: pair[1].value, reverse=bool(most))
    label, figure = cells[rank - 1]
    header = table.columns[c].header
    return ListAnswer(
        label, (figure,), f"ranked {rank} by {header or 'value'} of {len(cells)} rows"
    )
