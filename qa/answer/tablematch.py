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

from qa.text.labels import words
from qa.text.periods import period_year
from qa.types import Table

# How similar two stems must be (rapidfuzz ratio, 0..100) to count as the same word.
NEAR_SPELLING = 88
# Weight of a row's group headings and of the caption, relative to its own label.
PARENT_WEIGHT = 0.5
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
    row = match.table.rows[match.row]
    own = words(row.leaf)
    return tuple(w for w in phrase if not any(_same(w, o) for o in own))


@dataclass(frozen=True)
class RowMatch:
    """A row a question names, with how well it matches (0..1)."""

    table: Table
    row: int
    score: float

    @property
    def label(self) -> str:
        """The matched row's own label ("Cash and equivalents")."""
        return self.table.rows[self.row].leaf


def row_score(phrase: Sequence[str], table: Table, r: int) -> float:
    """How well a phrase's words name row r: both directions of word coverage on the row's
    own label, a little for its group headings and the caption."""
    row = table.rows[r]
    own = words(row.leaf)
    parents = tuple(w for part in row.path[:-1] for w in words(part)) + words(table.caption)
    if not own or not phrase:
        return 0.0
    label_covered = covered(own, phrase)
    phrase_in_label = covered(phrase, own)
    phrase_in_context = covered(phrase, own + parents)
    extra = PARENT_WEIGHT * (phrase_in_context - phrase_in_label)
    return round(0.6 * label_covered + 0.4 * phrase_in_label + extra * 0.4, 4)


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
    scored.sort(key=lambda m: (-m.score, m.table.number, m.row))
    return scored[:limit]


def column_year(table: Table, c: int) -> int | None:
    """The year column c reports, from its period or its header."""
    column = table.columns[c]
    if column.period:
        year = period_year(column.period)
        if year:
            return year
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", column.header)
    if found:
        return int(found[-1])
    short = re.findall(r"\bF(?:Y)?\s?(\d{2})\b", column.header, re.IGNORECASE)
    return 2000 + int(short[-1]) if short else None


def year_columns(table: Table, r: int, year: str, hint: Sequence[str] = ()) -> list[int]:
    """Columns of row r that hold a value for `year`, best header match to `hint` first."""
    row = table.rows[r]
    found = [
        c
        for c in range(len(table.columns))
        if row.spans[c] is not None and column_year(table, c) == int(year)
    ]
    return sorted(found, key=lambda c: -covered(words(table.columns[c].header), hint))


def value_columns(table: Table, r: int, hint: Sequence[str] = ()) -> list[int]:
    """Columns of row r with a value, those whose header words the hint names first, then in
    table order (reports put the latest period first)."""
    row = table.rows[r]
    found = [c for c in range(len(table.columns)) if row.spans[c] is not None]
    return sorted(found, key=lambda c: -covered(words(table.columns[c].header), hint))
