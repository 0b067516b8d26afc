"""Figures computed from a report's table cells: one row across periods (a change, a
percentage change, an average, a sum), two rows in one period (a ratio, a difference), and
compositions of them (the change in a ratio, the change between two years' averages), each a
derived figure (qa/answer/derived.py) tied to the cells it used. A computation whose row is
found but whose period is not reported is refused with what is missing, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace as replace_figure

from qa.answer.derived import DerivationError, combine
from qa.answer.tablecells import cell_name, operand_cell
from qa.answer.tablematch import (
    CHANGE_WORDS,
    RowMatch,
    at_period,
    best_rows,
    lines,
    reports,
    value_columns,
    year_columns,
)
from qa.answer.tableperiods import cell_year
from qa.answer.tableviews import table_cell
from qa.text.askedperiods import period_order, previous_period
from qa.text.operations import Operation
from qa.text.periods import period_year
from qa.types import Figure, Table

_CHANGE_HEADER = re.compile(
    r"\bchange\b|\bincrease\b|\bdecrease\b|\bgrowth\b|\bvariance\b|\bmovement\b", re.I
)


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


def _cell(match: RowMatch, c: int) -> Figure | None:
    return table_cell(match.table, match.row, c)


def figure_for(
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


def row_years(match: RowMatch, tables: Sequence[Table] = ()) -> list[str]:
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
    years = ", ".join(row_years(match, tables)) or "no year"
    return f"the table gives {match.label} for {years}, not {missing}"


def _periods_for(op: Operation, match: RowMatch, tables: Sequence[Table]) -> list[str] | str:
    """The periods an operation over one row uses, later first; or what is missing."""
    available = row_years(match, tables)
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
    latest = row_years(match)[:2]
    for c, column in enumerate(match.table.columns):
        if not _CHANGE_HEADER.search(column.header):
            continue
        # Its periods are the asked ones: those its header names ("2019 over 2018"), else
        # the row's latest two.
        named = sorted(set(re.findall(r"(?:19|20)\d{2}", column.header)), reverse=True)
        asked = sorted({str(period_year(p)) for p in op.periods}, reverse=True)
        between = named if len(named) == 2 else latest
        if len(asked) == 2 and asked != between:
            continue
        figure = _cell(match, c)
        if figure is None or (figure.unit == "%") != (op.kind == "percent_change"):
            continue
        described = f"{match.label}, as the table states it ({column.header})"
        return TableAnswer(figure.value, figure, (figure,), described)
    return None


def one_row(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
    matches = best_rows(op.subjects[0], tables, limit=1)
    if not matches:
        return None
    match = matches[0]
    stated = _stated_change(op, match)
    if stated is not None:
        return stated
    # The operands are levels: the question's change words ask for the computation.
    hint = tuple(w for w in hint if w not in CHANGE_WORDS)
    periods = _periods_for(op, match, tables)
    if isinstance(periods, str):
        return TableAnswer(None, None, missing=periods)
    operands = [figure_for(match, year, hint, tables) for year in periods]
    if op.decrease:  # "How much did X decrease": the earlier value less the later
        operands.reverse()
    found = [f for f in operands if f is not None]
    if len(found) < max(2, len(periods)) and op.kind != "sum":
        return None
    return _combined(op, found, f"{match.label}, {' and '.join(periods)}")


def two_rows(
    op: Operation, hint: Sequence[str], tables: Sequence[Table], context: str = ""
) -> TableAnswer | None:
    """Two (or more) metrics in one period combined: each operand's cell by its row or its
    column (qa/answer/tablecells.py); `context`, the question's metric words, names the row
    of an operand named by its column."""
    year = op.periods[0] if op.periods else None
    operands: list[Figure] = []
    names = []
    used: set[tuple[int, int, int]] = set()
    for i, subject in enumerate(op.subjects):
        # A subject's own years win ("granted between 2017 and 2018": the later, where a
        # movement between two balances is reported).
        own = op.subject_periods[i] if i < len(op.subject_periods) else ()
        when = own[-1] if own else year
        found = operand_cell(subject, when, tables, used, hint, context)
        if found is None:
            matches = best_rows(subject, tables, limit=1)
            if when and matches:
                return TableAnswer(None, None, missing=_gives(matches[0], when))
            return None
        figure, match, _ = found
        if figure.cell is not None:
            used.add(figure.cell)
        operands.append(figure)
        names.append(cell_name(match, figure) + (f" ({when})" if own and when != year else ""))
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
            one_row(Operation("average", (subject,), years), hint, tables)
            for subject in op.subjects
        ]
    later, earlier = sorted(op.periods[:2], key=period_order, reverse=True)
    if op.inner == "ratio":
        return [
            two_rows(Operation("ratio", op.subjects, (year,), op.percent), hint, tables)
            for year in (later, earlier)
        ]
    return [
        one_row(Operation("average", op.subjects[:1], (year,)), hint, tables)
        for year in (later, earlier)
    ]


def composed(op: Operation, hint: Sequence[str], tables: Sequence[Table]) -> TableAnswer | None:
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
