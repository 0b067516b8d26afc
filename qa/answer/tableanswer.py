"""Answers read from a report's tables: a cell, the period where a row peaks, a list or count
(qa/answer/tablelists.py), or a figure computed from cells (qa/answer/tablecompute.py), each
tied to the cells it used.

The question's operation comes from qa/text/operations.py; its metric phrases are matched to row
labels and its years to columns (qa/answer/tablematch.py). A computation whose metric is found but
whose period is not reported is refused with what is missing, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace as replace_figure

from qa.answer.tablecells import best_cell, cell_name
from qa.answer.tablecompute import (
    TableAnswer,
    composed,
    figure_for,
    one_row,
    row_years,
    two_rows,
)
from qa.answer.tablelists import list_answer
from qa.answer.tablematch import best_rows
from qa.answer.tablepicks import named_rows
from qa.answer.tableviews import with_views
from qa.text.askedperiods import is_fine
from qa.text.labels import words
from qa.text.operations import Operation, parse_operation
from qa.text.periods import period_year
from qa.text.question import Question
from qa.types import Figure, Table

__all__ = ["TableAnswer", "table_answer"]

# A cell lookup needs a row that the question names this well (0..1, qa/answer/tablematch.py).
LOOKUP_ROW_SCORE = 0.75
_QUARTERLY = re.compile(r"\bquarterly\b|\b(?:per|each|every) quarter\b", re.I)
# A row named this well by the whole question is read, not computed.
NAMED_ROW_SCORE = 0.9
# Questions that ask for words or reasons, not a table value.
_NOT_A_VALUE = ("how is", "how are", "how was", "how were", "why", "who", "when", "where")


def _extreme(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    matches = best_rows(op.subjects[0], tables, limit=1)
    if not matches:
        return None
    match = matches[0]
    by_year: dict[str, Figure] = {}
    for year in row_years(match, tables):
        figure = figure_for(match, year, hint, tables)
        if figure is not None:
            by_year[year] = figure
    if len(by_year) < 2:
        return None
    pick = max if op.kind == "argmax" else min
    year = pick(by_year, key=lambda y: by_year[y].value)
    word = "largest" if op.kind == "argmax" else "smallest"
    return TableAnswer(
        year, by_year[year], tuple(by_year.values()), f"{match.label} is {word} in {year}"
    )


def _lookup(
    question: Question, tables: Sequence[Table], ranges: Sequence[tuple[int, int]] = ()
) -> TableAnswer | None:
    lowered = question.text.lower().lstrip()
    if lowered.startswith(_NOT_A_VALUE):
        return None
    subject = question.subject
    matches = best_rows(subject, tables, limit=1)
    periods = _collapsed(question.periods, ranges)
    year = periods[0] if periods else None
    if not matches or matches[0].score < LOOKUP_ROW_SCORE:
        # A row named in part, whose column header names the rest ("the total allowance
        # for losses": the Total row of the "Allowance for Losses" column).
        found = best_cell(subject, year, tables, set())
        if found is None or found[2] < NAMED_ROW_SCORE:
            return None
        cell, match, _ = found
        return TableAnswer(cell.value, cell, (cell,), cell_name(match, cell))
    figure = figure_for(matches[0], year, question.words, tables)
    if figure is None:
        return None
    return TableAnswer(figure.value, figure, (figure,), matches[0].label)


# The words that ask for each operation, which a row label may hold itself.
_OPERATION_WORDS = {
    "average": frozenset(words("average mean")),
    "difference": frozenset(words("change increase decrease")),
    "sum": frozenset(words("total sum")),
}


def _names_a_row(op: Operation, question: Question, tables: Sequence[Table]) -> bool:
    """Whether the question's words, operation word included, name a row whose own label
    holds that word ("Net average shell egg selling price"): a row to read, not a
    computation. A total over several years is still a sum."""
    if op.kind not in _OPERATION_WORDS or (op.kind == "sum" and len(op.periods) >= 2):
        return False
    matches = best_rows(question.subject, tables, limit=1)
    if not matches or matches[0].score < NAMED_ROW_SCORE:
        return False
    label = set(words(matches[0].label.replace("-", " ")))  # "Weighted-average fair value"
    asked = _OPERATION_WORDS[op.kind] & set(words(question.text.replace("-", " ")))
    # Every operation word the question uses is the label's ("the change in the expected
    # rate of salary increase" still asks for a change).
    return bool(asked) and asked <= label


_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")


def _printed_ranges(question: str, tables: Sequence[Table]) -> list[tuple[int, int]]:
    """The year ranges the question names that the tables print as one period ("2021-2022"
    over a column, "2020 – 2024" beside a row of a maturity schedule)."""
    printed = {
        (m[1], m[2])
        for table in tables
        for text in (*(c.header for c in table.columns), *(row.leaf for row in table.rows))
        for m in _RANGE.finditer(text)
    }
    return [(int(m[1]), int(m[2])) for m in _RANGE.finditer(question) if (m[1], m[2]) in printed]


def _collapsed(periods: Sequence[str], ranges: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Periods with each printed range read as one period, named by the year it ends in
    (its column's year); any other range stays its years ("the average for 2017-2019").

    >>> _collapsed(("2020", "2021", "2022"), [(2021, 2022)])
    ('2020', '2022')
    """
    return tuple(p for p in periods if not any(a <= int(p) < b for a, b in ranges if p.isdigit()))


_CUES = {
    "average": re.compile(r"\baverage\b|\bmean\b", re.I),
    "sum": re.compile(r"\b(?:total|sum|combined)\b", re.I),
}


def _rows_together(
    op: Operation | None, question: Question, tables: Sequence[Table]
) -> Operation | None:
    """ "the average (total) percentage of revenue from Apple and Huawei in 2017": one metric
    of rows the question names together, so the mean (sum) of their cells in one period,
    not one row across periods. Only when the whole phrase names no row well and its parts
    name different rows."""
    kind = op.kind if op is not None else "sum"
    periods = op.periods if op is not None else question.periods
    if kind not in _CUES or len(periods) > 1:
        return None
    if op is not None and (len(op.subjects) != 1 or op.inner):
        return None
    cue = _CUES[kind].search(question.text)
    if cue is None:
        return None
    whole = best_rows(question.subject, tables, limit=1)
    if whole and whole[0].score >= LOOKUP_ROW_SCORE:
        return None  # "the total revenue from products and services": its Total row
    rows = named_rows(question.text[cue.end() :], tables)
    if rows is None:
        return None
    if len({(id(m.table), m.row) for _, m in rows}) < len(rows):
        return None  # "research and development": parts of one row's name
    return Operation(kind, tuple(part for part, _ in rows), periods)


def _ranges_as_years(question: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The question with each printed range written as the year it ends in (its column's
    year), so a range reads as one period.

    >>> _ranges_as_years("From fiscal year 2020 - 2024, the difference in X and Y", [(2020, 2024)])
    'From fiscal year 2024, the difference in X and Y'
    """
    return _RANGE.sub(lambda m: m[2] if (int(m[1]), int(m[2])) in ranges else m[0], question)


def _one_range(op: Operation, question: str, ranges: Sequence[tuple[int, int]]) -> Operation:
    """The operation with printed ranges read as one period each; when that makes two
    metrics of one period of it ("From 2020 - 2024, the difference in X and Y": not X
    across five years), the two metrics."""
    reread = parse_operation(_ranges_as_years(question, ranges))
    if reread is not None and len(reread.subjects) > len(op.subjects):
        return reread
    return replace_figure(op, periods=_collapsed(op.periods, ranges))


def _computed(found: TableAnswer | None) -> bool:
    return found is not None and found.value is not None


def table_answer(question: Question, tables: Sequence[Table]) -> TableAnswer | None:
    """The tables' answer to a question, or None when they do not hold one."""
    if not tables:
        return None
    tables = with_views(tables)  # schedules whose rows are years, read by year column too
    ranges = _printed_ranges(question.text, tables)
    op = question.operation
    if op is not None and ranges:
        op = _one_range(op, question.text, ranges)
    if op is not None and _names_a_row(op, question, tables):
        op = None  # "the net average selling price", "total revenue": a row, not a computation
    fine = question.periods
    if op is not None and not op.inner and any(map(is_fine, fine)):
        op = replace_figure(op, periods=fine)  # quarters or days, not only their years
    if (
        op is not None
        and op.kind == "average"
        and len(op.periods) == 1
        and _QUARTERLY.search(question.text)
    ):  # "the average quarterly low price in 2018": its four quarters
        op = replace_figure(
            op, periods=tuple(f"{q}Q{period_year(op.periods[0])}" for q in range(1, 5))
        )
    listed = list_answer(question, tables, pairs=op is None)
    if listed is not None:
        first = listed.cells[0] if listed.cells else None
        return TableAnswer(
            listed.value, first, listed.cells, listed.description, scale=listed.scale
        )
    hint = question.words
    together = _rows_together(op, question, tables)
    if together is not None:
        return two_rows(together, hint, tables, question.subject)
    if op is None:
        return _lookup(question, tables, ranges)
    if op.kind in ("argmax", "argmin"):
        return _extreme(op, hint, tables)
    if op.inner:
        found = composed(op, hint, tables)
        if op.inner == "average" and len(op.subjects) == 1 and not _computed(found):
            # No balances to average: "the average life expectancy" names the row itself.
            return one_row(replace_figure(op, inner=""), hint, tables) or found
        return found
    if len(op.subjects) >= 2:
        return two_rows(op, hint, tables, question.subject)
    return one_row(op, hint, tables)
