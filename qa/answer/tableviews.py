"""A table whose rows are periods, read the other way round.

A schedule of lease payments lists years down its rows ("2020", "2021", ..., "Thereafter")
under columns that name the metrics ("Operating Leases", "Finance Leases"); a stock price
table lists quarters ("First Quarter" ...) under "Low" and "High". Questions name the metric
and the period ("operating lease payments due in 2021"), which the answer code finds as a
row and a column: the `Transposed` view turns the metric columns into rows and the period
rows into columns. Its cells are the source's cells (same text, same spans), and the figures
read from it point at the source's coordinates, so a citation or a highlighted cell is the
one the report prints. Pure functions over `Table`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.answer.tableperiods import base_label, column_year, quarter_in
from qa.figures.table import cell_figure
from qa.ingest.loaders.tableunits import column_period
from qa.types import Figure, Table, TableColumn, TableRow

_YEAR = re.compile(r"(?:19|20)\d{2}")
_QUARTER_WORDS = re.compile(r"\b(?:first|second|third|fourth|quarter|q[1-4])\b", re.I)


@dataclass(frozen=True)
class Transposed(Table):
    """A view of a table with rows and columns swapped: view column c is source row
    `source_rows[c]`, view row r is source column r."""

    source_rows: tuple[int, ...] = ()


def is_period_label(label: str) -> bool:
    """A row label that is only a period: "2021", "FY2019", "2020 – 2024", "First Quarter".

    >>> is_period_label("2021"), is_period_label("Fourth Quarter"), is_period_label("Thereafter")
    (True, True, False)
    """
    if base_label(_QUARTER_WORDS.sub(" ", label)).strip(" ·-–"):
        return False
    return bool(_YEAR.search(label) or quarter_in(label))


def transposed(table: Table) -> Transposed | None:
    """The view of a table whose rows are periods (two or more) and whose columns do not
    name different years; None for any other table."""
    kept = [r for r, row in enumerate(table.rows) if not row.group and any(row.spans)]
    periods = [r for r in kept if is_period_label(table.rows[r].leaf)]
    years = {year for c in range(len(table.columns)) if (year := column_year(table, c))}
    if len(periods) < 2 or len(years) > 1:
        return None
    columns = tuple(_column(" · ".join(table.rows[r].path)) for r in kept)
    rows = tuple(
        TableRow(
            label=column.header,
            path=(column.header,),
            cells=tuple(table.rows[r].cells[c] for r in kept),
            spans=tuple(table.rows[r].spans[c] for r in kept),
            unit=" ".join(part for part in (column.unit, column.scale) if part),
        )
        for c, column in enumerate(table.columns)
    )
    return Transposed(
        doc_id=table.doc_id,
        number=table.number,
        caption=table.caption,
        columns=columns,
        rows=rows,
        unit=table.unit,
        scale=table.scale,
        start=table.start,
        end=table.end,
        source_rows=tuple(kept),
    )


def _column(header: str) -> TableColumn:
    return TableColumn(header=header, period=column_period(header))


def with_views(tables: Sequence[Table]) -> tuple[Table, ...]:
    """The tables, then the transposed view of each one whose rows are periods."""
    views = [view for table in tables if (view := transposed(table)) is not None]
    return (*tables, *views)


def table_cell(table: Table, r: int, c: int) -> Figure | None:
    """The figure of cell (r, c) of a table or a view, pointing at the cell the report
    prints (a view's cell is its source's)."""
    figure = cell_figure(table, r, c)
    if figure is None or not isinstance(table, Transposed):
        return figure
    return replace(figure, cell=(table.number, table.source_rows[c], r))


def view_column(table: Table, figure: Figure) -> int | None:
    """The column of `table` (a table or a view) that holds a cell figure read from it."""
    if figure.cell is None:
        return None
    if isinstance(table, Transposed):
        return table.source_rows.index(figure.cell[1])
    return figure.cell[2]
