"""Finding the cells a question names: its metric words against row labels, its periods and
words against column headers.

A row is scored by how much of its label the question's metric phrase covers and how much of
the phrase the label covers (stemmed words, near-spellings matched by rapidfuzz, so
"liability" finds "Liabilities" and "acquisation" finds "acquisition"); its group headings
and the table caption count for less. A column is chosen by the year the question names,
then by header words the question uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from qa.answer.tableperiods import (
    base_label,
    cell_period,
    cell_year,
    column_year,
    fits_cell,
    is_quarter,
    line_key,
    row_periods,
    series,
)
from qa.text.labels import words
from qa.types import Table

# How similar two stems must be (rapidfuzz ratio, 0..100) to count as the same word.
NEAR_SPELLING = 88
# Weight of a row's group headings and of the caption, relative to its own label.
PARENT_WEIGHT = 0.5
# A row matched by a name it gives in parentheses (or its label without it) scores this
# share of a match on the label as written.
ALIAS_WEIGHT = 0.95
# A column of changes between periods, and the words that ask for one.
_CHANGE_HEADER = re.compile(r"\b(?:change|increase|decrease|variance|vs)\b", re.I)
CHANGE_WORDS = frozenset(("chang", "increas", "decreas", "growth", "differ", "differenc"))
# A row whose score is below this is not what the question names.
MIN_ROW_SCORE = 0.5


@lru_cache(maxsize=65536)
def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= NEAR_SPELLING


def covered(needles: Sequence[str], haystack: Sequence[str]) -> float:
    """Share of `needles` found in `haystack` (0..1; 0 for no needles), near spellings
    included.

    >>> covered(("total", "liability"), ("liability",))
    0.5
    """
    if not needles:
        return 0.0
    return sum(1 for n in needles if any(_same(n, h) for h in haystack)) / len(needles)


def leftover(phrase: Sequence[str], match: RowMatch) -> tuple[str, ...]:
    """The words of a phrase that the matched row's own label does not contain (what the
    column, not the row, must say)."""
    own = words(_own_label(match.table, match.row))
    return tuple(w for w in phrase if not any(_same(w, o) for o in own))


@dataclass(frozen=True)
class RowMatch:
    """A row a question names, with how well it matches (0..1)."""

    table: Table
    row: int
    score: float

    @property
    def label(self) -> str:
        """The matched row's own label ("Cash and equivalents"), without the period it names
        when its rows carry the table's periods ("Outstanding")."""
        return _own_label(self.table, self.row)


def _aliases(label: str) -> tuple[str, ...]:
    """A label and the names it gives itself in parentheses: "Combustion of fuel (Scope 1)"
    is also "Scope 1" and "Combustion of fuel"; "Additions (Note (a))" is also "Additions"."""
    inner = re.findall(r"\(([^()]+)\)", label)
    outer = label
    while "(" in outer and (shorter := re.sub(r"\([^()]*\)", " ", outer)) != outer:
        outer = shorter
    return tuple(a for a in (label, outer if inner else "", *inner) if a.strip())


def _own_label(table: Table, r: int) -> str:
    """Row r's label as matched: without the period it names when its rows carry the
    table's periods ("Outstanding at September 30, 2018" -> "Outstanding")."""
    leaf = table.rows[r].leaf
    return base_label(leaf) if row_periods(table)[r] is not None else leaf


def _path_score(phrase: Sequence[str], own: Sequence[str], groups: Sequence[str]) -> float:
    """A row under group headings named in full: every word of its own label said, and its
    path ("United Kingdom corporation tax › Current year") scored as one label, so "UK
    corporation current year tax" finds the row, not the group's subtotal."""
    if not own or not groups or not phrase or covered(own, phrase) < 1.0:
        return 0.0
    path = (*groups, *own)
    return 0.6 * covered(path, phrase) + 0.4 * covered(phrase, path)


def row_score(phrase: Sequence[str], table: Table, r: int) -> float:
    """How well a phrase's words name row r: both directions of word coverage on the row's
    own label (or a name it gives in parentheses), a little for its group headings and the
    caption."""
    row = table.rows[r]
    dated = row_periods(table)[r] is not None
    groups = tuple(w for part in row.path[:-1] for w in words(base_label(part) if dated else part))
    parents = groups + words(table.caption)
    label = _own_label(table, r)
    best = max(_path_score(phrase, words(label), groups), label_score(phrase, label, parents))
    return round(best, 4)


def label_score(phrase: Sequence[str], label: str, context: Sequence[str] = ()) -> float:
    """How well a phrase's words name a label (a row's, a column header): both directions of
    word coverage on the label or a name it gives in parentheses, and a little for phrase
    words only its `context` says (a row's group headings and the caption)."""
    best = 0.0
    for alias in _aliases(label):
        own = words(alias)
        if not own or not phrase:
            continue
        label_covered = covered(own, phrase)
        phrase_in_label = covered(phrase, own)
        phrase_in_context = covered(phrase, (*own, *context))
        extra = PARENT_WEIGHT * (phrase_in_context - phrase_in_label)
        score = 0.6 * label_covered + 0.4 * phrase_in_label + extra * 0.4
        # A name in parentheses, or the label without it, is a little less than the label.
        best = max(best, score if alias is label else ALIAS_WEIGHT * score)
    return best


def best_rows(phrase: str, tables: Sequence[Table], limit: int = 3) -> list[RowMatch]:
    """The rows that best match a metric phrase, best first (ties: earlier table and row)."""
    wanted = words(phrase)
    scored = [
        RowMatch(table, r, row_score(wanted, table, r))
        for table in tables
        for r, row in enumerate(table.rows)
        if not row.group and any(row.spans)
    ]
    scored = [m for m in scored if m.score >= MIN_ROW_SCORE]
    # Ties: the row whose label ends in the phrase's head noun ("gross profit margin" is a
    # margin: "Gross margin" before "Gross profit"), then the earlier table and row.
    head = wanted[-1:]
    scored.sort(key=lambda m: (-m.score, words(m.label)[-1:] != head, m.table.number, m.row))
    return scored[:limit]


def _labels(table: Table) -> frozenset[tuple[str, ...]]:
    return frozenset(line_key(table, r) for r, row in enumerate(table.rows) if not row.group)


def continued(table: Table, other: Table) -> bool:
    """Whether `other` is a stacked block of `table`: the next or previous table of the
    same document, with the same row labels ("Fiscal 2018" under "Fiscal 2019")."""
    return (
        other.doc_id == table.doc_id
        and abs(other.number - table.number) == 1
        and _labels(other) == _labels(table)
    )


def lines(match: RowMatch, tables: Sequence[Table] = ()) -> list[RowMatch]:
    """The rows that report match's line: its own, its rows for other periods in a table
    whose rows carry the periods, and its row in the stacked blocks of its table."""
    table = match.table
    found = [RowMatch(table, s, match.score) for s in series(table, match.row)]
    key = line_key(table, match.row)
    for other in tables:
        if other is table or not continued(table, other):
            continue
        found += [
            RowMatch(other, s, match.score)
            for s, row in enumerate(other.rows)
            if not row.group and line_key(other, s) == key
        ]
    return found


def reports(match: RowMatch, period: str) -> bool:
    """Whether the matched row has a value for `period`."""
    table, r = match.table, match.row
    spans = table.rows[r].spans
    return any(spans[c] and fits_cell(period, table, r, c) for c in range(len(spans)))


def at_period(match: RowMatch, period: str, tables: Sequence[Table] = ()) -> RowMatch:
    """The row of match's line that reports `period` (see `lines`), or the match itself
    when none does."""
    return next((line for line in lines(match, tables) if reports(line, period)), match)


def year_columns(table: Table, r: int, year: str, hint: Sequence[str] = ()) -> list[int]:
    """Columns of row r that hold a value for period `year` (a year, or a quarter such as
    "3Q2019"): whole-year columns before quarters when a year is asked, levels before
    changes ("2019 vs 2018") unless the hint asks for a change, then the best header match
    to `hint`."""
    row = table.rows[r]
    found = [
        c
        for c in range(len(table.columns))
        if row.spans[c] is not None and fits_cell(year, table, r, c)
    ]
    quarter = is_quarter(year)
    change = any(w in CHANGE_WORDS for w in hint)
    return sorted(
        found,
        key=lambda c: (
            not quarter and is_quarter(cell_period(table, r, c)),
            not change and bool(_CHANGE_HEADER.search(table.columns[c].header)),
            *_column_key(table, c, hint),
        ),
    )


def value_columns(table: Table, r: int, hint: Sequence[str] = ()) -> list[int]:
    """Columns of row r with a value, those whose header words the hint names first, then in
    table order (reports put the latest period first)."""
    row = table.rows[r]
    found = [c for c in range(len(table.columns)) if row.spans[c] is not None]
    return sorted(found, key=lambda c: _column_key(table, c, hint))


_PERCENT_WORDS = frozenset(words("percent percentage proportion share margin rate"))


def _column_key(table: Table, c: int, hint: Sequence[str]) -> tuple[bool, float, bool]:
    """How a column ranks for a question: a "%" column after amounts unless a percentage is
    asked ("revenue in 2019" is the Amount, not the "% of total revenue" beside it); then
    the header the question names; then a column dated by its neighbours (a movement of a
    roll-forward) after one dated by its own header."""
    percent = any(w in _PERCENT_WORDS for w in hint)
    header = words(table.columns[c].header)
    inferred = column_year(table, c) is None and cell_year(table, 0, c) is not None
    return (not percent and table.columns[c].unit == "%", -covered(header, hint), inferred)
