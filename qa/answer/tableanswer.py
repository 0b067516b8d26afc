"""Answers read from a report's tables: a cell, the period where a row peaks, or a figure
computed from cells (qa/answer/derived.py), each tied to the cells it used.

The question's operation comes from qa/answer/operations.py; its metric phrases are matched to row
labels and its years to columns (qa/answer/tablematch.py). A computation whose metric is found but
whose period is not reported is refused with what is missing, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace as replace_figure

from qa.answer.askedperiods import is_fine, period_order, previous_period, question_periods
from qa.answer.derived import DerivationError, combine
from qa.answer.operations import Operation, clean_subject, parse_operation
from qa.answer.tablelists import list_answer
from qa.answer.tablematch import (
    RowMatch,
    at_period,
    best_rows,
    covered,
    leftover,
    lines,
    reports,
    value_columns,
    words,
    year_columns,
)
from qa.answer.tableperiods import cell_year, series
from qa.answer.tableviews import table_cell, view_column, with_views
from qa.text.periods import period_year
from qa.types import Figure, Table

# A cell lookup needs a row that the question names this well (0..1, qa/answer/tablematch.py).
LOOKUP_ROW_SCORE = 0.75
_CHANGE_HEADER = re.compile(
    r"\bchange\b|\bincrease\b|\bdecrease\b|\bgrowth\b|\bvariance\b|\bmovement\b", re.I
)
_QUARTERLY = re.compile(r"\bquarterly\b|\b(?:per|each|every) quarter\b", re.I)
# A row named this well by the whole question is read, not computed.
NAMED_ROW_SCORE = 0.9
# How much a column header naming the rest of a metric phrase adds to its row's score.
COLUMN_WEIGHT = 0.5
# Questions that ask for words or reasons, not a table value.
_NOT_A_VALUE = ("how is", "how are", "how was", "how were", "why", "who", "when", "where")


@dataclass(frozen=True)
class TableAnswer:
    """What the tables say to a question: `value` (a number, a label, or labels) with the
    figure behind it (stated or derived), or `missing` saying what the tables lack."""

    value: float | str | tuple[str, ...] | None
    figure: Figure | None
    cells: tuple[Figure, ...] = ()
    description: str = ""
    missing: str = ""
    scale: str = ""  # for a list of cells: the scale word they are written in


def _cell_name(match: RowMatch, figure: Figure) -> str:
    """The row's name, with its column header when that says more than the period."""
    name = match.label
    c = view_column(match.table, figure)
    if c is None:
        return name
    column = match.table.columns[c]
    extra = [w for w in column.header.split(" · ") if not re.search(r"(?:19|20)\d{2}", w)]
    return f"{name} ({extra[-1]})" if extra and extra[-1] else name


def _cell(match: RowMatch, c: int) -> Figure | None:
    return table_cell(match.table, match.row, c)


def _figure_for(
    match: RowMatch, year: str | None, hint: Sequence[str], tables: Sequence[Table] = ()
) -> Figure | None:
    if year:
        match = at_period(match, year, tables)
    table, row = match.table, match.row
    dated = any(cell_year(table, row, c) for c in range(len(table.columns)))
    columns = (
        year_columns(match.table, match.row, year, hint)
        if year and dated
        else value_columns(match.table, match.row, hint)
    )
    for c in columns:
        figure = _cell(match, c)
        if figure is not None:
            return figure
    return None


def _best_cell(
    subject: str, year: str | None, tables: Sequence[Table], used: set[tuple[int, int, int]]
) -> tuple[Figure, RowMatch, float] | None:
    """The cell a metric phrase names: its row by the label, its column by the year and by
    the phrase's words the label does not explain ("purchase obligations of more than 5
    years" -> the "More than 5 years" column); cells already used are skipped, so "X as a
    percentage of total X" reads two cells of one row. The score is the row's plus what the
    column header adds."""
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
            figure = _cell(match, c)
            if figure is None or figure.cell in used:
                continue
            header = words(match.table.columns[c].header)
            score = match.score + COLUMN_WEIGHT * covered(rest, header) if rest else match.score
            if best is None or score > best[0]:
                best = (score, figure, match)
    return (best[1], best[2], best[0]) if best else None


def _row_years(match: RowMatch, tables: Sequence[Table] = ()) -> list[str]:
    """The years row `match` (or its line's rows for other periods) has values for, latest
    first."""
    years = {
        str(year)
        for line in lines(match, tables)
        for c in range(len(line.table.columns))
        if line.table.rows[line.row].spans[c] is not None
        and (year := cell_year(line.table, line.row, c))
    }
    return sorted(years, reverse=True)


def _gives(match: RowMatch, missing: str, tables: Sequence[Table] = ()) -> str:
    """ "the table gives other for 2019, 2018, not 2017" """
    years = ", ".join(_row_years(match, tables)) or "no year"
    return f"the table gives {match.label} for {years}, not {missing}"


def _periods_for(op: Operation, match: RowMatch, tables: Sequence[Table]) -> list[str] | str:
    """The periods an operation over one row uses, later first; or what is missing."""
    available = _row_years(match, tables)
    asked = list(op.periods)
    if op.kind in ("average", "difference", "percent_change") and len(asked) == 1:
        # "the 2019 average X" is the average of its opening and closing balance; "the
        # change in X in 2019" is from the year before.
        before = previous_period(asked[0])
        asked = [asked[0], before] if before else asked
    if not asked:
        count = 2 if op.kind in ("difference", "percent_change") else len(available)
        asked = available[:count]
    found = lines(match, tables)
    missing = [p for p in asked if not any(reports(line, p) for line in found)]
    if missing:
        return _gives(match, ", ".join(missing), tables)
    if op.kind in ("difference", "percent_change"):
        return sorted(asked, key=period_order, reverse=True)
    return asked


def _stated_change(op: Operation, match: RowMatch) -> TableAnswer | None:
    """A change the table states itself (a "Change" or "% change" column) beats computing
    one: it is what the report says, rounded as the report rounds it."""
    if op.kind not in ("difference", "percent_change") or len(op.periods) > 2:
        return None
    for c, column in enumerate(match.table.columns):
        if not _CHANGE_HEADER.search(column.header):
            continue
        figure = _cell(match, c)
        if figure is None or (figure.unit == "%") != (op.kind == "percent_change"):
            continue
        described = f"{match.label}, as the table states it ({column.header})"
        return TableAnswer(figure.value, figure, (figure,), described)
    return None


def _one_row(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    matches = best_rows(op.subjects[0], tables, limit=1)
    if not matches:
        return None
    match = matches[0]
    stated = _stated_change(op, match)
    if stated is not None:
        return stated
    periods = _periods_for(op, match, tables)
    if isinstance(periods, str):
        return TableAnswer(None, None, missing=periods)
    operands = [_figure_for(match, year, hint, tables) for year in periods]
    if op.decrease:  # "How much did X decrease": the earlier value less the later
        operands.reverse()
    found = [f for f in operands if f is not None]
    if len(found) < max(2, len(periods)) and op.kind != "sum":
        return None
    return _combined(op, found, f"{match.label}, {' and '.join(periods)}")


def _two_rows(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    year = op.periods[0] if op.periods else None
    operands: list[Figure] = []
    names = []
    used: set[tuple[int, int, int]] = set()
    for i, subject in enumerate(op.subjects):
        # A subject's own years win ("granted between 2017 and 2018": the later, where a
        # movement between two balances is reported).
        own = op.subject_periods[i] if i < len(op.subject_periods) else ()
        when = own[-1] if own else year
        found = _best_cell(subject, when, tables, used)
        if found is None and when and is_fine(when):  # "the total revenue that year"
            found = _best_cell(subject, str(period_year(when)), tables, used)
        if found is None:
            matches = best_rows(subject, tables, limit=1)
            if when and matches:
                return TableAnswer(None, None, missing=_gives(matches[0], when))
            return None
        figure, match, _ = found
        if figure.cell is not None:
            used.add(figure.cell)
        operands.append(figure)
        names.append(_cell_name(match, figure) + (f" ({when})" if own and when != year else ""))
    basis = " and ".join(names) + (f", {year}" if year else "")
    return _combined(op, operands, basis)


def _inner_parts(
    op: Operation, hint: Sequence[str], tables: Sequence[Table]
) -> list[TableAnswer | None]:
    """The inner results a composed operation combines: a ratio (or an average of opening
    and closing balance) per year, later year first; or, for two metrics in one year, the
    average of each."""
    if op.inner == "average" and len(op.subjects) == 2:
        year = op.periods[0] if op.periods else None
        before = previous_period(year) if year else None
        years = (year, before) if year and before else ()
        return [
            _one_row(Operation("average", (subject,), years), hint, tables)
            for subject in op.subjects
        ]
    later, earlier = sorted(op.periods[:2], key=period_order, reverse=True)
    if op.inner == "ratio":
        return [
            _two_rows(Operation("ratio", op.subjects, (year,), op.percent), hint, tables)
            for year in (later, earlier)
        ]
    return [
        _one_row(Operation("average", op.subjects[:1], (year,)), hint, tables)
        for year in (later, earlier)
    ]


def _composed(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    """A change (or percentage change) of inner results: the change in a ratio, the change
    between two years' averages, the difference between two averages."""
    parts = _inner_parts(op, hint, tables)
    for part in parts:
        if part is None or part.figure is None:
            return part
    ratios = [part for part in parts if part is not None]
    operands = [r.figure for r in ratios if r.figure is not None]
    cells = tuple(cell for r in ratios for cell in r.cells)
    try:
        figure = combine(op.kind, operands)
    except DerivationError:
        return None
    derivation = figure.derivation
    if derivation is None:
        return None
    inner = [f"({r.figure.derivation.formula})" for r in ratios if r.figure and r.figure.derivation]
    formula = f"{inner[0]} − {inner[1]}"
    if op.kind == "percent_change":
        formula = f"({formula}) / {inner[1]} × 100"
    basis = f"{' / '.join(op.subjects)}, {' and '.join(op.periods)}"
    derivation = replace_figure(derivation, formula=formula, operands=cells, basis=basis)
    if op.inner == "ratio" and op.kind == "difference":  # ratios: two decimals, no unit
        figure = replace_figure(
            figure, text=f"{round(figure.value, 2):g}", value=round(figure.value, 2)
        )
    figure = replace_figure(figure, derivation=derivation)
    return TableAnswer(figure.value, figure, cells, f"computed from {basis}: {formula}")


def _combined(op: Operation, operands: Sequence[Figure], basis: str) -> TableAnswer | None:
    try:
        figure = combine(op.kind, operands, percent=op.percent)
    except DerivationError:
        return None
    derivation = figure.derivation
    if derivation is None:
        return None
    derivation = replace_figure(derivation, basis=basis)
    figure = replace_figure(figure, derivation=derivation, metric=basis)
    return TableAnswer(
        figure.value, figure, tuple(operands), f"computed from {basis}: {derivation.formula}"
    )


def _extreme(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    matches = best_rows(op.subjects[0], tables, limit=1)
    if not matches:
        return None
    match = matches[0]
    by_year: dict[str, Figure] = {}
    for year in _row_years(match, tables):
        figure = _figure_for(match, year, hint, tables)
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


def _lookup(question: str, tables: Sequence[Table]) -> TableAnswer | None:
    lowered = question.lower().lstrip()
    if lowered.startswith(_NOT_A_VALUE):
        return None
    subject = clean_subject(question)
    matches = best_rows(subject, tables, limit=1)
    periods = question_periods(question)
    year = periods[0] if periods else None
    if not matches or matches[0].score < LOOKUP_ROW_SCORE:
        # A row named in part, whose column header names the rest ("the total allowance
        # for losses": the Total row of the "Allowance for Losses" column).
        found = _best_cell(subject, year, tables, set())
        if found is None or found[2] < NAMED_ROW_SCORE:
            return None
        cell, match, _ = found
        return TableAnswer(cell.value, cell, (cell,), _cell_name(match, cell))
    figure = _figure_for(matches[0], year, words(question), tables)
    if figure is None:
        return None
    return TableAnswer(figure.value, figure, (figure,), matches[0].label)


# The words that ask for each operation, which a row label may hold itself.
_OPERATION_WORDS = {
    "average": frozenset(words("average mean")),
    "difference": frozenset(words("change increase decrease")),
    "sum": frozenset(words("total sum")),
}


def _names_a_row(op: Operation, question: str, tables: Sequence[Table]) -> bool:
    """Whether the question's words, operation word included, name a row whose own label
    holds that word ("Net average shell egg selling price"): a row to read, not a
    computation. A total over several years is still a sum."""
    if op.kind not in _OPERATION_WORDS or (op.kind == "sum" and len(op.periods) >= 2):
        return False
    matches = best_rows(clean_subject(question), tables, limit=1)
    if not matches or matches[0].score < NAMED_ROW_SCORE:
        return False
    label = matches[0].label.replace("-", " ")  # "Weighted-average fair value"
    return bool(_OPERATION_WORDS[op.kind] & set(words(label)))


_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")


def _named_ranges(question: str, tables: Sequence[Table]) -> str:
    """A year range the tables print as one period ("2021-2022" over a column, "2020 – 2024"
    beside a row of a maturity schedule) is that one period, named by the year it ends in;
    any other range is its years ("the average for 2017-2019").

    >>> _named_ranges("from 2020 to 2021-2022", [])
    'from 2020 to 2021-2022'
    """
    printed = {
        (m[1], m[2])
        for table in tables
        for text in (*(c.header for c in table.columns), *(row.leaf for row in table.rows))
        for m in _RANGE.finditer(text)
    }
    return _RANGE.sub(lambda m: m[2] if (m[1], m[2]) in printed else m[0], question)


def _computed(found: TableAnswer | None) -> bool:
    return found is not None and found.value is not None


def table_answer(question: str, tables: Sequence[Table]) -> TableAnswer | None:
    """The tables' answer to a question, or None when they do not hold one."""
    if not tables:
        return None
    tables = with_views(tables)  # schedules whose rows are years, read by year column too
    question = _named_ranges(question, tables)
    op = parse_operation(question)
    if op is not None and _names_a_row(op, question, tables):
        op = None  # "the net average selling price", "total revenue": a row, not a computation
    fine = question_periods(question)
    if op is not None and not op.inner and any(map(is_fine, fine)):
        op = replace_figure(op, periods=fine)  # quarters or days, not only their years
    if (
        op is not None
        and op.kind == "average"
        and len(op.periods) == 1
        and _QUARTERLY.search(question)
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
    hint = words(question)
    if op is None:
        return _lookup(question, tables)
    if op.kind in ("argmax", "argmin"):
        return _extreme(op, hint, tables)
    if op.inner:
        composed = _composed(op, hint, tables)
        if op.inner == "average" and len(op.subjects) == 1 and not _computed(composed):
            # No balances to average: "the average life expectancy" names the row itself.
            return _one_row(replace_figure(op, inner=""), hint, tables) or composed
        return composed
    if len(op.subjects) >= 2:
        return _two_rows(op, hint, tables)
    return _one_row(op, hint, tables)
