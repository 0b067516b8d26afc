"""Every numeric cell of a parsed table as a Figure, read from the table's structure.

The cell's row path is its metric ("assets › cash and equivalents"), its column's period is
its period, and the table's (or column's) unit and scale apply: "1,452.4" in a
"(in millions)" table of dollars is USD 1,452,400,000 with scale "million". Percentages
("12.5%", or any cell of a "%" column or a "(%)" row) and per-share amounts keep the number
as written; "(1,234)" is -1234; "—" and "n/a" are blank. `start`/`end` span the cell's text in
the document text, so `document.text[f.start:f.end] == f.text`. Pure.
"""

from __future__ import annotations

import re

from qa.ingest.loaders.tableunits import MULTIPLIERS, currency_of, find_scale, is_year, parse_cell
from qa.text.kinds import COUNT, CURRENCY, MULTIPLIER, MULTIPLIER_UNIT, PERCENT, PERCENT_UNIT
from qa.types import Figure, Table, TableColumn, TableRow

# Rows whose amounts are per share (or unit): a table's "(in millions)" does not apply.
_PER_SHARE = re.compile(r"\bper\s+(?:share|unit|ads|diluted|basic)\b|\beps\b", re.I)
# Rows and columns whose numbers are percentages even without a "%" in the cell.
_PERCENT = re.compile(r"%|\bpercent(?:age)?\b|\bin\s+%|\(%\)", re.I)
# Currencies written "$" in a cell of their table; "US$" and "USD" are always US dollars.
_DOLLARS = frozenset({"USD", "TWD", "AUD", "SGD", "HKD"})
_US = re.compile(r"US\$|USD|U\.S\.", re.I)
_CHANGE = re.compile(r"\bchange\b|\bincrease\b|\bdecrease\b|\bgrowth\b|\bvariance\b", re.I)
# A column that counts things ("Shares", "Number of Restaurants", "(Shares in thousands)")
# or a row named "Number of ...": its bare cells are counts, even in a table whose other
# columns are money. A header that also names money ("Dollar Value of Shares") is money.
_COUNTED_COLUMN = re.compile(r"\bnumber\b|\bshares\b|\bunits\b|\bno\.\s+of\b", re.I)
_COUNTED_ROW = re.compile(r"^(?:total\s+|weighted[- ]average\s+)?number\s+of\b", re.I)
_MONEY = re.compile(
    r"[$€£¥]|\b(?:value|price|prices|dollars?|amount|cost|costs|proceeds|per\s+share)\b", re.I
)


def table_figures(table: Table) -> list[Figure]:
    """The figures of a table's numeric cells, row by row, left to right."""
    figures = []
    for r, row in enumerate(table.rows):
        if row.group:
            continue
        for c, span in enumerate(row.spans):
            if span is None:
                continue
            figure = cell_figure(table, r, c)
            if figure is not None:
                figures.append(figure)
    return figures


def row_figures(table: Table, r: int) -> list[Figure]:
    """The figures of row r, left to right (a row across its periods or segments)."""
    cells = (cell_figure(table, r, c) for c in range(len(table.columns)))
    return [figure for figure in cells if figure is not None]


def column_figures(table: Table, c: int) -> list[Figure]:
    """The figures of column c, top to bottom (every row of one period)."""
    cells = (cell_figure(table, r, c) for r in range(len(table.rows)))
    return [figure for figure in cells if figure is not None]


def cell_figure(table: Table, r: int, c: int) -> Figure | None:
    """The Figure of cell (row r, column c), or None when it is blank or not a number."""
    row, column = table.rows[r], table.columns[c]
    cell, span = row.cells[c], row.spans[c]
    parsed = parse_cell(cell)
    if parsed is None or span is None or (is_year(cell) and not parsed[1]):
        return None
    number, currency, mark = parsed
    if currency == "USD" and not _US.search(cell):
        currency = "$"  # a bare "$": the dollar the table names, if it names one
    kind, unit, scale = _kind(table, row, column, currency, mark)
    change = bool(_CHANGE.search(column.header))
    direction = ("increase" if number > 0 else "decrease") if change and number else None
    return Figure(
        text=cell,
        value=number * MULTIPLIERS.get(scale, 1.0),
        unit=unit,
        kind=kind,
        start=span[0],
        end=span[1],
        role="change" if direction else "level",
        direction=direction,
        period=column.period,
        metric=row.name.lower() or None,
        scale=scale or None,
        doc_id=table.doc_id,
        cell=(table.number, r, c),
    )


def _counted(row: TableRow, column: TableColumn) -> bool:
    """Whether the cell's column (or its row) counts things rather than money.

    >>> _counted(TableRow("Granted", ("Granted",), ("473,550",), ((0, 7),)), TableColumn("Shares"))
    True
    >>> _counted(TableRow("2019", ("2019",), ("2,372",), ((0, 5),)),
    ...          TableColumn("Approximate Dollar Value of Shares"))
    False
    """
    header = column.header
    if (column.unit and column.unit != "%") or _MONEY.search(header):
        return False
    return bool(_COUNTED_COLUMN.search(header) or _COUNTED_ROW.search(row.name))


def _kind(
    table: Table, row: TableRow, column: TableColumn, currency: str, mark: str
) -> tuple[str, str, str]:
    """(kind, unit, scale word) of a numeric cell; a unit column's word for the row comes
    first, then the column's header, then the table's."""
    if mark == "%" or column.unit == "%" or _PERCENT.search(f"{row.label} {row.unit}"):
        return PERCENT, PERCENT_UNIT, ""
    if mark == MULTIPLIER_UNIT or row.unit == MULTIPLIER_UNIT:
        return MULTIPLIER, MULTIPLIER_UNIT, ""
    row_scale, row_currency = find_scale(row.unit, header=True) if row.unit else ("", "")
    row_currency = row_currency or (currency_of(row.unit) if row.unit else "")
    stated = row_currency or (column.unit if column.unit != "%" else "") or table.unit
    if currency == "$":  # "$0.75" in a table "in NT dollars" is NT$0.75
        currency = stated if stated in _DOLLARS else "USD"
    if not currency and not row_currency and _counted(row, column):
        return COUNT, "", row_scale or column.scale or table.scale
    currency = currency or stated
    scale = row_scale or column.scale or table.scale
    # A per-share row or column ("Cash dividend per share (NT dollars)") is not scaled.
    scale = "" if _PER_SHARE.search(f"{row.name} {column.header}") else scale
    if currency:
        return CURRENCY, currency, scale
    return COUNT, "", scale
