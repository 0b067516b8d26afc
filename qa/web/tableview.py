"""The source table of a table answer, for the web chat: the table as the document lays it
out (merged headers, indented group paths), the answering cell highlighted and the cells a
comparison used marked, and a small bar chart of the answering row across its periods.

Same safety rule as qa/web/render.py: every character from a document is escaped; the chart is
SVG we write ourselves, its labels escaped too.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from qa.ingest.loaders.tableunits import parse_cell
from qa.text.periods import period_year
from qa.types import Answer, Figure, Table
from qa.web.render import escape

CSS = """
.table-view { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 7px 11px; margin: 0 0 8px; background: var(--background-fill-primary); }
.table-view .table-caption { font-size: .8rem; color: var(--body-text-color-subdued);
  margin: 0 0 4px; }
.table-view .table-caption b { color: var(--body-text-color); }
table.source-table { border-collapse: collapse; font-size: .8rem; width: 100%; }
table.source-table th, table.source-table td { border-top: 1px solid var(--border-color-primary);
  padding: 2px 6px; text-align: right; vertical-align: bottom; }
table.source-table thead th { font-weight: 600; background: var(--background-fill-secondary); }
table.source-table th[scope=row], table.source-table thead th:first-child { text-align: left; }
table.source-table th[scope=row] { font-weight: 400; }
table.source-table tr.group th { font-weight: 600; }
table.source-table td { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.source-table td.cell-answer { background: #fde047; font-weight: 700;
  outline: 2px solid #ca8a04; }
table.source-table td.cell-used { background: #e0f2fe; font-weight: 600; }
.row-chart { margin: 6px 0 0; }
.row-chart figcaption { font-size: .78rem; color: var(--body-text-color-subdued); }
.row-chart svg text { font-size: 10px; fill: currentColor; }
"""
# Chart size in SVG units (the SVG scales to the panel width).
CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 320, 130, 18


def answer_table(
    answer: Answer, tables: Sequence[Table]
) -> tuple[Table, tuple[int, int], set[tuple[int, int]]] | None:
    """(table, answering cell, cells a comparison used) when the answer's figure is a table
    cell of one of `tables` (the answering document's), else None. The cells used are the
    other cells of that table among the answer's figures that its text quotes ("2019:
    $1,496.5 vs 2018: $1,202.9"): `Answer.figures` also holds every ranked candidate, and
    only the quoted ones took part."""
    figure = answer.figure
    if figure is not None and figure.derivation is not None:
        return _operand_cells(figure, tables)
    if figure is None or figure.cell is None:
        return None
    number, row, column = figure.cell
    table = next((t for t in tables if t.number == number), None)
    if table is None or row >= len(table.rows) or column >= len(table.columns):
        return None
    used = {
        (f.cell[1], f.cell[2])
        for f in answer.figures[1:]
        if f.cell is not None
        and f.cell[0] == number
        and f.doc_id == figure.doc_id
        and re.search(rf"(?<![\d,.]){re.escape(f.text)}(?![\d,.]*\d)", answer.answer)
    }
    return table, (row, column), used - {(row, column)}


def _operand_cells(
    figure: Figure, tables: Sequence[Table]
) -> tuple[Table, tuple[int, int], set[tuple[int, int]]] | None:
    """A computed answer's table: every operand cell marked as used, the first one's row
    charted (the derivation's operands are exactly the cells it took, no guessing)."""
    operands = figure.derivation.operands if figure.derivation is not None else ()
    cells = [f.cell for f in operands if f.cell is not None]
    if not cells:
        return None
    number, row, column = cells[0]
    table = next((t for t in tables if t.number == number), None)
    if table is None or row >= len(table.rows) or column >= len(table.columns):
        return None
    used = {(r, c) for n, r, c in cells if n == number}
    return table, (row, column), used


def table_html(
    table: Table, answer: tuple[int, int] | None = None, used: Collection[tuple[int, int]] = ()
) -> str:
    """The table as HTML: merged column headers, row labels indented by group depth, the
    answering cell (class "cell-answer") and the cells a comparison used ("cell-used")."""
    head = "".join(
        f"<th>{'<br>'.join(escape(part) for part in column.header.split(' · '))}</th>"
        for column in table.columns
    )
    body = []
    width = len(table.columns) + 1
    for r, row in enumerate(table.rows):
        indent = f' style="padding-left:{0.4 + 0.9 * max(0, len(row.path) - 1):.1f}em"'
        label = f'<th scope="row"{indent}>{escape(row.label)}</th>'
        if row.group:
            body.append(
                f'<tr class="group"><th scope="row" colspan="{width}"{indent}>'
                f"{escape(row.label)}</th></tr>"
            )
            continue
        cells = []
        for c, cell in enumerate(row.cells):
            css = "cell-answer" if (r, c) == answer else "cell-used" if (r, c) in used else ""
            attrs = f' class="{css}"' if css else ""
            cells.append(f'<td data-cell="{r},{c}"{attrs}>{escape(cell)}</td>')
        body.append(f"<tr>{label}{''.join(cells)}</tr>")
    return (
        f'<table class="source-table" data-table="{table.number}"><thead><tr>'
        f"<th>{escape(table.label_header)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def row_series(table: Table, row: int) -> list[tuple[str, float, int]]:
    """(period, value as written, column) of a row's numeric cells in columns with a
    period, oldest first when every period names a year (else in column order)."""
    series = []
    for c, (cell, column) in enumerate(zip(table.rows[row].cells, table.columns, strict=True)):
        parsed = parse_cell(cell)
        if parsed is not None and column.period:
            series.append((column.period, parsed[0], c))
    years = [period_year(period) for period, _, _ in series]
    if all(year is not None for year in years):
        series.sort(key=lambda item: (period_year(item[0]) or 0, item[2]))
    return series


def row_chart_svg(table: Table, row: int, highlight: int | None = None) -> str:
    """A bar chart of a row across its periods as inline SVG ("" for fewer than two)."""
    series = row_series(table, row)
    if len(series) < 2:
        return ""
    low = min(0.0, *(v for _, v, _ in series))
    high = max(0.0, *(v for _, v, _ in series))
    span = (high - low) or 1.0
    plot = CHART_HEIGHT - 2 * CHART_MARGIN
    step = (CHART_WIDTH - 10) / len(series)

    def y(value: float) -> float:
        return CHART_MARGIN + (high - value) / span * plot

    bars = []
    for i, (period, value, column) in enumerate(series):
        x = 5 + i * step + step * 0.15
        top, bottom = sorted((y(value), y(0.0)))
        color = "#ca8a04" if column == highlight else "#818cf8"
        text = escape(table.rows[row].cells[column])
        bars.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{step * 0.7:.1f}" '
            f'height="{max(bottom - top, 1.0):.1f}" fill="{color}"><title>{escape(period)}: '
            f"{text}</title></rect>"
            f'<text x="{x + step * 0.35:.1f}" y="{top - 3:.1f}" text-anchor="middle">{text}</text>'
            f'<text x="{x + step * 0.35:.1f}" y="{CHART_HEIGHT - 4}" text-anchor="middle">'
            f"{escape(period)}</text>"
        )
    axis = f'<line x1="0" x2="{CHART_WIDTH}" y1="{y(0.0):.1f}" y2="{y(0.0):.1f}" stroke="#94a3b8"/>'
    name = escape(table.rows[row].name)
    return (
        f'<figure class="row-chart"><svg viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'role="img" aria-label="{name} by period" width="100%" height="{CHART_HEIGHT}">'
        f"{axis}{''.join(bars)}</svg><figcaption>{name} by period</figcaption></figure>"
    )


def table_panel_html(answer: Answer | None, tables: Sequence[Table], title: str = "") -> str:
    """The source-table panel: the answering table with its cells marked and the row's chart,
    or "" when the answer is not a table cell."""
    if answer is None:
        return ""
    found = answer_table(answer, tables)
    if found is None:
        return ""
    table, (row, column), used = found
    note = " ".join(part for part in (table.unit, table.scale) if part)
    derivation = answer.figure.derivation if answer.figure is not None else None
    formula = f"computed: {derivation.formula}" if derivation is not None else ""
    caption = " · ".join(part for part in (table.caption, note, title, formula) if part)
    answering = None if derivation is not None else (row, column)
    return (
        f'<div class="table-view"><p class="table-caption"><b>Table {table.number}</b>'
        f"{' · ' + escape(caption) if caption else ''}</p>"
        f"{table_html(table, answering, used)}{row_chart_svg(table, row, column)}</div>"
    )


def cell_label(figure: Figure) -> str:
    """A figure's cell as "table 1, row 3, column 2" (1-based for people), "" if not a cell.

    >>> cell_label(Figure("5", 5.0, "", "count", 0, 1, cell=(1, 2, 0)))
    'table 1, row 3, column 1'
    """
    if figure.cell is None:
        return ""
    number, row, column = figure.cell
    return f"table {number}, row {row + 1}, column {column + 1}"
