"""A table as its source lays it out (`Grid`: rows of cell texts) -> a `Table` record: header
rows merged per column, currency-symbol columns folded into the numbers they label, row
labels with their group path, the period of each column, and the unit and scale the caption
or header states. Offsets are filled in later, when the rendering is placed in the document
text (qa/ingest/loaders/tableplace.py). Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.ingest.loaders.tables import clean_cell
from qa.ingest.loaders.tableunits import (
    column_period,
    currency_of,
    find_scale,
    is_amount,
    parse_cell,
)
from qa.types import Table, TableColumn, TableRow

# Footnote marks after a label: "(1)", "(a)", "[2]", "*", "†", superscript digits.
_FOOTNOTE = re.compile(r"(?:\s*(?:(?<=\s)\.+|\.{2,}|\((?:\d{1,2}|[a-z]|i{1,3}|iv|vi{0,3})\)"
                       r"|\[\d{1,2}\]|[*†‡§]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+\s*$")  # fmt: skip
# A footnote digit glued to a label's last word ("Order intake1", "Effective tax rate4 (%)").
_GLUED_NOTE = re.compile(r"(?<=[a-z]{2})[1-9](?=\s*(?:\([^()]*\))?\s*:?\s*$)")
# A cell that is only a symbol printed beside a number ("$", ")", "%").
_SYMBOL = re.compile(r"^(?:[A-Z]{0,3}\$|[€£¥)%]|RMB)$")
_TOTAL = re.compile(r"^total\b", re.I)
_YEAR = re.compile(r"(?:19|20)\d{2}")
# A header over changes between periods ("Percent Change", "Increase (Decrease)", "% Change").
_CHANGE_HEAD = re.compile(r"\bchange\b|\bincrease\b|\bdecrease\b|\bvariance\b|%", re.I)
# Header cells that name one column each, never a span: "First" (quarter), "Q3", "4th".
# A header cell that ends mid-phrase ("Land and") continues in the cell below it.
_UNFINISHED = re.compile(r"\b(?:and|or|of|for|to|in)$|&$", re.I)
_ONE_COLUMN = re.compile(r"^(?:first|second|third|fourth|q[1-4]|[1-4](?:st|nd|rd|th|q))$", re.I)


@dataclass(frozen=True)
class Grid:
    """A table as laid out by its source: rows of cell texts, label column first, with
    colspans expanded (header cells repeated over the columns they span, body cells blank),
    the number of header rows when the source marks them (None: decided from the cells),
    and the caption the source gives."""

    rows: tuple[tuple[str, ...], ...]
    header_count: int | None = None
    caption: str = ""


def label_key(label: str) -> str:
    """A row label without footnote marks or a trailing colon, for matching.

    >>> label_key("Cash and equivalents (1)"), label_key("Americas:"), label_key("Other*")
    ('Cash and equivalents', 'Americas', 'Other')
    >>> label_key("Systems ."), label_key("Net sales ....."), label_key("Acme Co.")
    ('Systems', 'Net sales', 'Acme Co.')
    >>> label_key("Current year1"), label_key("Effective tax rate4 (%)"), label_key("Level 3")
    ('Current year', 'Effective tax rate (%)', 'Level 3')
    """
    label = _GLUED_NOTE.sub("", label)
    return _FOOTNOTE.sub("", label).strip().rstrip(":").strip()


def structure(grid: Grid) -> Table | None:
    """The Table a grid lays out, or None when it holds no value column (a layout table)."""
    rows = rectangle(grid.rows)
    if not rows or len(rows[0]) < 2:
        return None
    rows = [_lift_heading(row, colon=True) for row in rows]
    count = _header_count(rows, grid.header_count)
    rows = rows[:count] + [_lift_heading(row, colon=False) for row in rows[count:]]
    rows, currencies = _fold_symbol_columns(rows, count)
    if len(rows[0]) < 2:
        return None
    rows, units = _unit_column(rows, count)
    head = [
        _fill(row, [" ".join(r[c] for r in rows[i + 1 : count]) for c in range(len(row))])
        for i, row in enumerate(rows[:count])
    ]
    head = _percent_companions(head, rows[count:])
    columns = tuple(
        _percent_column(_column(_merge([row[c] for row in head])), [row[c] for row in rows[count:]])
        for c in range(1, len(rows[0]))
    )
    body = [replace(row, unit=unit) for row, unit in zip(_body(rows[count:]), units, strict=True)]
    body = _unlabelled_totals(body)
    label_header = _merge([row[0] for row in head])
    scale, unit = _table_scale(grid.caption, label_header, head, body)
    cells = [cell for row in body for cell in row.cells]
    stated = [parse_cell(cell) for cell in cells]
    unit = unit or _majority([s[1] for s in stated if s is not None and s[1]] + currencies)
    return Table(
        doc_id="",
        number=0,
        caption=grid.caption,
        columns=columns,
        rows=tuple(body),
        header_rows=tuple(tuple(row) for row in rows[:count]),
        unit=unit,
        scale=scale,
        label_header=label_header,
    )


def rectangle(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Cleaned cells, rows padded to one width, all-blank rows and columns dropped."""
    cleaned = [[clean_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    width = max((len(row) for row in cleaned), default=0)
    cleaned = [row + [""] * (width - len(row)) for row in cleaned]
    keep = [c for c in range(width) if c == 0 or any(row[c] for row in cleaned)]
    return [[row[c] for c in keep] for row in cleaned]


def _lift_heading(row: list[str], *, colon: bool) -> list[str]:
    """A group heading printed in a value column ("", "Balance Sheet Data:", "", "") moves
    to the label column: a lone text cell beside an empty label (above the body only when
    it ends in ":", since there a lone cell is usually a header spanning its row)."""
    texts = [cell for cell in row[1:] if cell]
    if row[0] or len(texts) != 1 or is_amount(texts[0]) or (colon and texts[0][-1:] != ":"):
        return row
    return [texts[0], *([""] * (len(row) - 1))]


def _header_count(rows: list[list[str]], given: int | None) -> int:
    """Leading rows without amounts, ending at the last one with a value-column cell: a
    label-only row after it is the first group heading of the body ("Assets"). Rows the
    source marks as header (<thead>) count even if they hold numbers; unmarked rows without
    amounts right below them ("January 3, 2020", "(in millions)") are header rows too."""
    limit = len(rows) - 1
    first = next((i for i, row in enumerate(rows) if any(map(is_amount, row[1:]))), limit)
    count = min(max(given or 0, first), limit)
    while count > 0 and not any(rows[count - 1][1:]):
        count -= 1
    return count


def _fold_symbol_columns(rows: list[list[str]], count: int) -> tuple[list[list[str]], list[str]]:
    """Drop value columns whose body cells are only symbols ("$", ")", "%"); a "$" column's
    currency is kept for the table. SEC filings print "$" in a cell of its own."""
    currencies: list[str] = []
    keep = [0]
    for c in range(1, len(rows[0])):
        body = [row[c] for row in rows[count:] if row[c]]
        if body and all(_SYMBOL.match(cell) for cell in body):
            currencies.extend(currency_of(cell) for cell in body if currency_of(cell))
        else:
            keep.append(c)
    return [[row[c] for c in keep] for row in rows], currencies


def _unit_column(rows: list[list[str]], count: int) -> tuple[list[list[str]], list[str]]:
    """Drop a unit column (body cells like "RMB million", "%", "US$'000", no numbers) and
    return each body row's unit; without one, every row's unit is ""."""
    body = rows[count:]
    for c in range(1, len(rows[0])):
        cells = [row[c] for row in body if row[c]]
        if len(cells) >= 2 and all(_is_unit(cell) for cell in cells):
            kept = [[cell for i, cell in enumerate(row) if i != c] for row in rows]
            return kept, [row[c] for row in body]
    return rows, [""] * len(body)


def _is_unit(cell: str) -> bool:
    return (
        not is_amount(cell)
        and len(cell) <= 20
        and (
            bool(find_scale(cell, header=True)[0])
            or cell in ("%", "x")
            or _SYMBOL.match(cell) is not None
        )
    )


def _fill(row: list[str], below: list[str]) -> list[str]:
    """A header row's spanning cells spread over the blank cells they stand above (`below`:
    the header text under each column; empty for the last header row, whose cells each
    label one column). One cell alone in its row spans every column; otherwise each blank
    takes the nearest cell (the left one on a tie), since a spanning header is printed
    centred over its columns ("", "", "Years Ended", "", "Change", ""), except a blank left
    of every cell over a column that is not a year's (a "Notes" column). A lone cell that
    ends mid-phrase ("Land and" over "Building") heads only its own column."""
    values = row[1:]
    filled = [c for c, cell in enumerate(values) if cell]
    if len(filled) == 1:
        lone = values[filled[0]]
        if _UNFINISHED.search(lone) and below[filled[0] + 1]:
            return row  # "Land and" over "Building": one column's header, not a span
        if not (_CHANGE_HEAD.search(lone) and any(below)):
            return [row[0], *([lone] * len(values))]
        # "Percent Change" over "2019 | Actual | Constant | 2018": a change is never a
        # year's column, so it spans only the columns below it that are not years.
        return [
            row[0],
            *(lone if not _YEAR.search(below[c + 1]) else v for c, v in enumerate(values)),
        ]
    if not any(below) or not filled:
        return row
    spread = [f for f in filled if not _ONE_COLUMN.match(values[f])]
    out = []
    for c, cell in enumerate(values):
        if not cell and spread and (c > spread[0] or _YEAR.search(below[c + 1])):
            cell = values[min(spread, key=lambda f: (abs(f - c), f))]
        out.append(cell)
    return [row[0], *out]


def _percent_companions(head: list[list[str]], body: list[list[str]]) -> list[list[str]]:
    """A column with no header of its own whose cells are percentages, right of a headed
    one, is that column's "%" companion ("2019 over 2018" over "$ 958,115 | 191%")."""
    if not head:
        return head
    last = list(head[-1])
    for c in range(2, len(last)):
        cells = [row[c] for row in body if row[c]]
        if not last[c] and last[c - 1] and cells and all(cell.endswith("%") for cell in cells):
            last[c] = f"{last[c - 1]} · %"
    return [*head[:-1], last]


def _merge(parts: Sequence[str]) -> str:
    """Header parts top to bottom, repeats and trailing commas dropped, joined by " · "."""
    merged: list[str] = []
    for part in parts:
        part = part.strip().rstrip(",:").strip()
        if part and (not merged or merged[-1] != part):
            merged.append(part)
    return " · ".join(merged)


def _column(header: str) -> TableColumn:
    scale, unit = find_scale(header, header=True)
    said = re.sub(r"\bexcept\b[^·)]*", "", header, flags=re.I)  # "(except percentages)"
    if "%" in said or re.search(r"\bpercent", said, re.I):
        unit = "%"
    elif not unit and any(_SYMBOL.match(part) for part in header.split(" · ")):
        unit = currency_of(header)  # a "$" header cell over its column
    return TableColumn(header=header, period=column_period(header), unit=unit, scale=scale)


def _percent_column(column: TableColumn, cells: list[str]) -> TableColumn:
    """A column whose first and last values are written with "%" and none with a currency
    is a column of percentages, its bare cells too ("100.0 %", "40.0", ..., "7.2 %": the
    sign printed on the first and last rows only)."""
    values = [cell for cell in cells if is_amount(cell)]
    if column.unit or len(values) < 3 or not (values[0].endswith("%") and values[-1].endswith("%")):
        return column
    if any((parsed := parse_cell(cell)) is None or parsed[1] for cell in values):
        return column
    return replace(column, unit="%")


def _body(rows: list[list[str]]) -> list[TableRow]:
    """Body rows with group paths: a row with no values heads the rows below it until a
    "Total ..." row after at least two of them closes it, or another group row replaces it
    (one right below a group heading nests in it)."""
    out: list[TableRow] = []
    groups: list[str] = []
    members = 0  # value rows since the innermost group began
    for row in rows:
        label, cells = row[0], tuple(row[1:])
        key = label_key(label)
        if not any(cells):
            if members and groups:
                groups.pop()  # a sibling group replaces the one before it
            if key:
                groups.append(key)
            out.append(TableRow(label, tuple(groups), cells, (None,) * len(cells), group=True))
            members = 0
            continue
        path = (*groups, key) if key else tuple(groups)
        out.append(TableRow(label, path, cells, (None,) * len(cells)))
        members += 1
        if _TOTAL.match(key) and groups and members > 2:
            groups.pop()
            members = 0
    return out


def _unlabelled_totals(body: list[TableRow]) -> list[TableRow]:
    """A row without a label, under no group, whose values are the sums of the rows above it
    (back to the previous such row) is their total: its path is ("Total",)."""
    out: list[TableRow] = []
    start = 0
    for row in body:
        if row.path or row.group or not any(row.cells):
            out.append(row)
            continue
        above = [r for r in out[start:] if not r.group]
        if len(above) >= 2 and _sums(row, above):
            row = replace(row, path=("Total",))
            start = len(out) + 1
        out.append(row)
    return out


def _sums(total: TableRow, rows: list[TableRow]) -> bool:
    """Every value of `total` is the sum of the column's values above it (to rounding)."""
    checked = 0
    for c, cell in enumerate(total.cells):
        value = parse_cell(cell)
        if value is None:
            continue
        parts = [parsed[0] for r in rows if (parsed := parse_cell(r.cells[c])) is not None]
        if len(parts) < 2 or abs(sum(parts) - value[0]) > len(parts):
            return False
        checked += 1
    return checked > 0


def _table_scale(
    caption: str, label_header: str, head: list[list[str]], body: list[TableRow]
) -> tuple[str, str]:
    """(scale, currency) from the caption, the header cells, or a label-only note row."""
    sources = [caption, label_header, *(cell for row in head for cell in row[1:])]
    sources += [row.label for row in body if row.group]
    for text in sources:
        scale, unit = find_scale(text, header=text is not caption)
        if scale:
            return scale, unit
    return "", ""


def _majority(values: list[str]) -> str:
    return max(set(values), key=values.count) if values else ""
