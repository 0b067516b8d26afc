"""Answers that are lists or counts read from a table: the years a row covers ("In which
years was operating income calculated?"), the years where a row passes a bound ("In which
year was X less than 100 thousand?") and how many there are ("How many years did net income
exceed $30,000 thousand?"), how many rows pass it in one year, the rows a group holds; and,
through qa/answer/tablepicks.py, respective values and the row that ranks first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answer.derived import as_written
from qa.answer.tablematch import RowMatch, covered
from qa.answer.tableperiods import cell_year, column_year, row_periods, series
from qa.answer.tablepicks import (
    EACH_QUARTER,
    LEAST,
    MOST,
    RESPECTIVE,
    WHICH_ROW,
    ListAnswer,
    in_year,
    respective,
    row_for,
    which_row,
)
from qa.answer.tableviews import table_cell
from qa.text.labels import words
from qa.text.numerals import scale_factor
from qa.text.periods import period_year
from qa.text.question import Question
from qa.text.subjects import clean_subject
from qa.types import Figure, Table

_F = re.IGNORECASE
# "Which years", "What are the years", "For which periods": the years a row or table covers.
_YEARS_ASKED = (
    r"\b(?:which|what)\s+(?:(?:are|were)\s+the\s+)?(?:of\s+the\s+)?(?:fiscal\s+|financial\s+)?"
)
_WHICH_YEARS = re.compile(_YEARS_ASKED + r"(?:years?|periods?)\b", _F)
_PLURAL_YEARS = re.compile(_YEARS_ASKED + r"(?:years|periods)\b", _F)
_HOW_MANY = re.compile(r"^\s*(?:(?:from\s+\S+\s+to\s+\S+|in\s+[^,]{1,40}),\s*)?how many\b", _F)
_ABOVE = r"exceed(?:ed|s)?|above|more than|greater than|higher than|over|larger than|at least"
_BELOW = r"below|less than|lower than|under|smaller than|fewer than|at most"
_BOUND = re.compile(
    rf"\b(?P<dir>{_ABOVE}|{_BELOW})\s+(?P<neg>[-−])?\s*(?P<cur>[$€£¥]|RMB\s?)?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<pct>%)?\s*(?P<scale>thousands?|millions?|billions?|k|m|bn)?\b",
    _F,
)
# A list of rows is asked for by a plural ("components", "types", "items listed in the
# table") after "what are", "which are" or "how many".
_MEMBERS = re.compile(
    r"\b(?:components|items|types|kinds|categories|segments|elements|constituents|"
    r"line items|listed in the table|regions|countries|geographies|markets|divisions)\b",
    _F,
)
_TOTAL = re.compile(r"^\s*(?:total|net total|sub-?total)\b", _F)
# Rows that sum the others: totals, and the closing balance of a roll-forward.
_NOT_MEMBER = re.compile(
    r"^\s*(?:total|net total|sub-?total)\b|\bend of (?:the )?(?:period|year)\b|"
    r"\bclosing balance\b",
    _F,
)
_YEAR_PAIR = re.compile(r"\b(?:19|20)\d{2}\s+and\s+(?:19|20)\d{2}\b")
_SIGN = re.compile(r"\b(?:negative|positive)\b", _F)
# Nouns after "how many" that count a row's cells, not rows.
_TIME_NOUNS = frozenset({"year", "years", "quarter", "quarters", "month", "months", "period",
                         "periods", "times", "of"})  # fmt: skip


@dataclass(frozen=True)
class Bound:
    """ "exceed $30,000 thousand": above (or below) a value, scaled like the cells."""

    above: bool
    value: float
    scaled: bool  # the question gave a scale word (else the table's scale applies)
    multiplier: float = 1.0  # the scale word's multiplier

    def holds(self, figure: Figure) -> bool:
        """Whether a cell passes the bound: compared fully scaled when both sides name a
        scale, else as written (a table whose scale was not found reads "16,000" against
        "$15,000 thousand" as 16,000 against 15,000)."""
        number, bound = figure.value, self.value
        if figure.scale and not self.scaled:
            number = as_written(figure)
        elif self.scaled and not figure.scale:
            bound = self.value / self.multiplier
        return number > bound if self.above else number < bound


def parse_bound(question: str) -> Bound | None:
    """The bound a question sets, if any.

    >>> parse_bound("How many years did net income exceed $30,000 thousand?")
    Bound(above=True, value=30000000.0, scaled=True, multiplier=1000.0)
    >>> parse_bound("In which year was X less than 100?")
    Bound(above=False, value=100.0, scaled=False, multiplier=1.0)
    """
    sign = _SIGN.search(question)
    if sign:
        return Bound(sign[0].lower() == "positive", 0.0, True)
    match = _BOUND.search(question)
    if not match:
        return None
    value = float(match["num"].replace(",", "")) * (-1 if match["neg"] else 1)
    scale = (match["scale"] or "").lower().rstrip("s")
    multiplier = scale_factor(scale)
    above = bool(re.fullmatch(_ABOVE, match["dir"], _F))
    return Bound(above, value * multiplier, bool(scale), multiplier)


def _year_cells(match: RowMatch) -> list[tuple[str, Figure]]:
    """(year, cell figure) of a row (or of its line's rows in other periods), in table
    order, one per year."""
    seen: dict[str, Figure] = {}
    table = match.table
    for r in series(table, match.row):
        for c in range(len(table.columns)):
            year = cell_year(table, r, c)
            figure = table_cell(table, r, c)
            if year and figure is not None and str(year) not in seen:
                seen[str(year)] = figure
    return list(seen.items())


def _years(question: Question, tables: Sequence[Table], bound: Bound | None) -> ListAnswer | None:
    asked = _WHICH_YEARS.sub(" ", question.text)
    cut = _BOUND.search(asked)
    match = row_for(clean_subject(asked[: cut.start()] if cut else asked), tables)
    if match is None:
        if bound is not None:
            return None
        return _table_years(tables[0])
    pairs = _year_cells(match)
    if bound is not None:
        pairs = [(year, cell) for year, cell in pairs if bound.holds(cell)]
    if not pairs:
        return None
    years = tuple(year for year, _ in pairs)
    return ListAnswer(years, tuple(cell for _, cell in pairs), f"years of {match.label}")


def _table_years(table: Table) -> ListAnswer | None:
    """The years a table's columns (or, where they name none, its rows) report, in table
    order ("What years does the table cover?")."""
    periods: list[str | None] = [
        str(y) if (y := column_year(table, c)) else None for c in range(len(table.columns))
    ]
    if not any(periods):
        periods = list(row_periods(table))
    years = tuple(dict.fromkeys(str(y) for p in periods if p and (y := period_year(p))))
    return ListAnswer(years, (), "the years the table reports") if years else None


def _group(subject: str, table: Table) -> list[int] | None:
    """The rows under the group heading a phrase names ("the components of Reported
    Results", "components of deferred tax assets"), if one does."""
    heads = [
        (score, r)
        for r, row in enumerate(table.rows)
        if row.group and (score := covered(words(row.label), words(subject))) >= 0.8
    ]
    if not heads:
        return None
    _, head = max(heads)
    label = table.rows[head].leaf  # "Deferred tax assets" of "Deferred tax assets:"
    children = [
        r
        for r in range(head + 1, len(table.rows))
        if len(table.rows[r].path) > 1 and table.rows[r].path[-2] == label
    ]
    return children or None


def _members(question: Question, tables: Sequence[Table]) -> list[str] | None:
    """The row labels a question asks to list: the rows under a group heading it names,
    else every row of the first table but totals and closing balances."""
    table = tables[0]
    group = _group(clean_subject(_MEMBERS.sub(" ", question.text)), table)
    rows = (
        [table.rows[r] for r in group]
        if group
        else [row for row in table.rows if not row.group and any(row.spans)]
    )
    return [row.leaf for row in rows if row.label.strip() and not _NOT_MEMBER.search(row.leaf)]


def _count(question: Question, tables: Sequence[Table], bound: Bound) -> ListAnswer | None:
    """ "How many years did X exceed N?" counts a row's cells; "How many segments were above
    N in 2019?" counts rows in a column."""
    rest = _HOW_MANY.sub(" ", question.text)
    cut = _BOUND.search(rest) or _SIGN.search(rest)
    asked = rest[: cut.start()] if cut else rest
    noun = re.match(r"\s*(?:of\s+the\s+)?(\w+)", asked)
    if noun and noun[1].lower() not in _TIME_NOUNS:
        return _count_rows(question, asked, tables, bound)
    match = row_for(clean_subject(asked), tables)
    if match is None:
        return None
    years = question.years
    if noun and noun[1].lower().startswith("year"):
        pairs = _year_cells(match)
        pairs = [(y, c) for y, c in pairs if len(years) < 2 or y in question.span_years + years]
    else:  # quarters, months, periods: every value column of the row
        pairs = [
            (match.table.columns[c].header, figure)
            for c in range(len(match.table.columns))
            if (figure := table_cell(match.table, match.row, c)) is not None
        ]
    passing = [(y, c) for y, c in pairs if bound.holds(c)]
    return ListAnswer(
        float(len(passing)),
        tuple(c for _, c in passing),
        f"{match.label} passes in: {', '.join(y for y, _ in passing) or 'none'}",
    )


def _count_rows(
    question: Question, asked: str, tables: Sequence[Table], bound: Bound
) -> ListAnswer | None:
    table = tables[0]
    years = question.years
    hint = words(asked)
    columns = [
        c
        for c in range(len(table.columns))
        if any(in_year(table, r, c, years) for r in range(len(table.rows)))
    ]
    if not columns:
        return None
    column = max(columns, key=lambda c: sum(1 for w in words(table.columns[c].header) if w in hint))
    group = _group(clean_subject(_MEMBERS.sub(" ", asked)), table)  # "components of X"
    cells = [
        (row.leaf, figure)
        for r, row in enumerate(table.rows)
        if not row.group
        and (group is None or r in group)
        and not _NOT_MEMBER.search(row.leaf)
        and in_year(table, r, column, years)
        and (figure := table_cell(table, r, column)) is not None
    ]
    passing = [(label, figure) for label, figure in cells if bound.holds(figure)]
    return ListAnswer(
        float(len(passing)),
        tuple(figure for _, figure in passing),
        f"rows that pass: {', '.join(label for label, _ in passing) or 'none'}",
    )


def list_answer(
    question: Question, tables: Sequence[Table], *, pairs: bool = True
) -> ListAnswer | None:
    """A list or count the tables answer, or None. `pairs` lets "in 2019 and 2018" without
    "respectively" ask for both values (off when the question asks for a computation)."""
    if not tables:
        return None
    text = question.text
    bound = parse_bound(text)
    ranked = MOST.search(text) or LEAST.search(text)
    if (
        _MEMBERS.search(text)
        and not (bound or ranked)
        and re.match(r"\s*(?:(?:what|which)\b.*\b(?:are|were)\b|how many\b)", text, _F)
    ):
        members = _members(question, tables)
        if members:
            if _HOW_MANY.search(text):
                return ListAnswer(float(len(members)), (), f"rows: {', '.join(members)}")
            return ListAnswer(tuple(members), (), "rows of the table")
    if WHICH_ROW.search(text) and not bound:
        return which_row(question, tables)
    if _HOW_MANY.search(text):
        return _count(question, tables, bound) if bound else None
    if _WHICH_YEARS.search(text) and (bound or _PLURAL_YEARS.search(text)):
        return _years(question, tables, bound)
    if RESPECTIVE.search(text) or EACH_QUARTER.search(text):
        return respective(question, tables)
    if pairs and _YEAR_PAIR.search(text):
        return respective(question, tables)
    return None
