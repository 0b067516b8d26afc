"""A document's figures with the context only the document knows, added at index time:

- a figure whose sentence names no period takes the document's reporting period (metadata
  "period", detected or from the sidecar): "Revenue was RMB2.3 billion." in the 1H2023
  release is 1H2023 revenue;
- a cell of a parsed table is a figure with its row path, column period, unit and scale
  (qa/figures/table.py);
- a figure on another table line ("Revenue | 1H2022 | 1,420.5", see qa/ingest/loaders/tables.py)
  takes the row label as its metric, and the table's unit when its caption or header row states
  one ("RMB million" makes 1,420.5 a currency figure of RMB1.4205 billion).

Pure: returns new Figures (dataclasses.replace), never mutates.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from qa.figures.extract import extract_figures
from qa.figures.table import table_figures
from qa.text.kinds import AREA, COMPUTE, COUNT, CURRENCY, PERCENT_KINDS
from qa.types import Document, Figure

# Bump when the context added here changes: the manifest records it and stored figures refresh.
DOCFIGURES_VERSION = 4
# Figure kinds that a document's reporting period applies to when the sentence names none.
PERIODIC_KINDS = frozenset({CURRENCY, *PERCENT_KINDS, COUNT, COMPUTE, AREA})
# How far before a table line its block's caption or header row may be, in characters.
HEADER_WINDOW = 4000
_TABLE_LINE = re.compile(r"^(?P<label>[^|\n]+?) \| [^\n]*$", re.M)
_CURRENCY = {
    "rmb": "RMB", "cny": "RMB", "hk$": "HKD", "hkd": "HKD", "us$": "USD", "usd": "USD",
    "$": "USD", "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP",
}  # fmt: skip
_SCALE = {
    "thousand": ("thousand", 1e3), "'000": ("thousand", 1e3), "’000": ("thousand", 1e3),
    "million": ("million", 1e6), "millions": ("million", 1e6), "mn": ("million", 1e6),
    "m": ("million", 1e6), "billion": ("billion", 1e9), "billions": ("billion", 1e9),
    "bn": ("billion", 1e9),
}  # fmt: skip
_TABLE_UNIT = re.compile(
    r"(?<![\w$])(?P<cur>RMB|CNY|HK\$|HKD|US\$|USD|EUR|GBP|\$|€|£)\s*"
    r"(?:in\s+)?(?P<scale>thousands?|'000|’000|millions?|mn|m|billions?|bn)\b",
    re.I,
)


def table_unit(header: str) -> tuple[str, str, float] | None:
    """(currency, scale word, multiplier) a table header states, if any.

    >>> table_unit("RMB million | 1H2022 | 1H2021"), table_unit("(US$'000)")
    (('RMB', 'million', 1000000.0), ('USD', 'thousand', 1000.0))
    >>> table_unit("Key figures | 1H2022") is None
    True
    """
    match = _TABLE_UNIT.search(header)
    if not match:
        return None
    scale = match.group("scale").lower()
    word, multiplier = _SCALE.get(scale, _SCALE.get(scale.rstrip("s"), ("", 1.0)))
    return _CURRENCY[match.group("cur").lower()], word, multiplier


def document_figures(document: Document, *, deadline: float | None = None) -> list[Figure]:
    """Every figure of the document, with the document's context filled in (see above);
    `deadline` as in `extract_figures`.

    Inside a parsed table (`document.tables`) the figures are its cells, read from the
    table's structure (qa/figures/table.py), not from the rendered text.
    """
    text = document.text
    period = document.meta("period") or None
    rows = [(m.start(), m.end(), m.group("label")) for m in _TABLE_LINE.finditer(text)]
    # Table lines do not overlap: the one a figure may sit on is the last starting before it
    # (found by bisection, so a table-heavy file costs figures x log(lines), not the product).
    row_starts = [r[0] for r in rows]
    spans = [(table.start, table.end) for table in document.tables]
    figures = [f for table in document.tables for f in table_figures(table)]
    for figure in extract_figures(text, document.id, deadline=deadline):
        if any(start <= figure.start < end for start, end in spans):
            continue
        if figure.period is None and period and figure.kind in PERIODIC_KINDS:
            figure = replace(figure, period=period)
        at = bisect_right(row_starts, figure.start) - 1
        row = rows[at] if at >= 0 else None
        if row is not None and row[0] + len(row[2]) < figure.start and figure.end <= row[1]:
            figure = _in_table(text, figure, row[0], row[2])
        figures.append(figure)
    return sorted(figures, key=lambda f: (f.start, f.end))


def _in_table(text: str, figure: Figure, line_start: int, label: str) -> Figure:
    if figure.metric is None:
        figure = replace(figure, metric=" ".join(label.split()).lower())
    if figure.kind == COUNT and not figure.unit:
        # A table block is a few hundred characters (qa/ingest/loaders/tables.py): look back that
        # far for its header, not to the start of a file that has no blank lines.
        window = max(0, line_start - HEADER_WINDOW)
        block_start = max(window, text.rfind("\n\n", window, line_start) + 1)
        header = "\n".join(text[block_start:line_start].strip().splitlines()[:2])
        unit = table_unit(header)
        if unit is not None:
            currency, word, multiplier = unit
            figure = replace(
                figure,
                value=figure.value * multiplier,
                unit=currency,
                kind=CURRENCY,
                scale=word or None,
            )
    return figure
