"""The period each cell of a table reports, when its column alone does not say it.

Most tables date their columns ("Years Ended September 30 · 2019"). Others date their rows:

- a roll-forward: balance rows carry a date ("Outstanding at September 30, 2017") and the
  movements between two balances ("Granted", "Exercised") belong to the year of the balance
  they lead to;
- period groups: a heading row names the period of the rows under it ("December 31, 2019",
  "Year ended 30 June 2018", "2019");
- period rows: the label is the period ("2021" in a schedule of lease payments).

A cell's period is then its column's when that names a year, else its row's; a quarter named
by the column ("First · Quarter", "Q2") or the row ("Fourth Quarter") makes it a quarter of
that year ("2Q2019"). A question's period is a year ("2019") or a quarter ("3Q2019");
`fits` says whether a cell reports it. Pure functions over `Table`.
"""

from __future__ import annotations

import re
from datetime import date

from qa.ingest.loaders.tablegrid import label_key
from qa.ingest.loaders.tableunits import column_period
from qa.text.numerals import DATE_RE, date_parts
from qa.text.periods import period_year
from qa.types import Table

_F = re.IGNORECASE
# A row that states a balance at a point in time, the edge of a roll-forward's period.
_BALANCE = re.compile(
    r"\b(?:at|as\s+(?:of|at)|balances?|outstanding|non-?vested|unvested|beginning|end)\b", _F
)
_QUARTER = re.compile(
    r"\b(?:(?P<w>first|second|third|fourth)\b(?:[\s·,]+(?:fiscal\s+)?quarter\b)?|"
    r"q(?P<n>[1-4])\b|(?P<m>[1-4])q\b|(?P<o>[1-4])(?:st|nd|rd|th)\s+quarter\b)",
    _F,
)
_QUARTER_WORD = re.compile(r"\bquarters?\b|\bq[1-4]\b|\b[1-4]q\b", _F)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_YEAR = re.compile(r"(?<![\d,.])(?:\bFY\s?)?(?:19|20)\d{2}(?!\d|,\d)")
# Words left dangling when a label's date is taken out ("Outstanding at").
_DANGLING = re.compile(
    r"(?:\s*[,–-]?\s*\b(?:at|as\s+(?:of|at)|on|of|ended|ending|for(?:\s+the)?|"
    r"(?:fiscal\s+)?years?(?:\s+ended)?|fiscal|the)\b)+\s*$|^\s*(?:fiscal\s+)?(?:year\s+ended\s+)?",
    _F,
)


def quarter_in(text: str, *, header: bool = False) -> int | None:
    """The quarter (1-4) a header or label names: "Second · Quarter", "Q2", "2nd quarter";
    a bare ordinal ("Second") counts in a header whose column is a quarter, `header=True`.

    >>> quarter_in("Fiscal 2019 · Second · Quarter"), quarter_in("Q3 2019"), quarter_in("Total")
    (2, 3, None)
    """
    if not header and not _QUARTER_WORD.search(text):
        return None
    match = _QUARTER.search(text)
    if not match:
        return None
    if match["w"]:
        return _ORDINALS[match["w"].lower()]
    return int(match["n"] or match["m"] or match["o"])


def label_period(label: str) -> str | None:
    """The period a row label or group heading names, or None.

    >>> label_period("Outstanding at September 30, 2018"), label_period("Year ended 30 June 2019")
    ('as of September 30, 2018', 'FY2019')
    >>> label_period("Granted"), label_period("2021")
    (None, '2021')
    """
    if not _YEAR.search(label):
        return None
    return column_period(label)


def base_label(label: str) -> str:
    """A row label without the period it names: the line it reports in every period.

    >>> base_label("Outstanding at September 30, 2018"), base_label("Balance as of Dec 31, 2019")
    ('Outstanding', 'Balance')
    >>> base_label("Nonvested at January 1, 2017"), base_label("Granted")
    ('Nonvested', 'Granted')
    """
    text = DATE_RE.sub(" ", label)
    text = _YEAR.sub(" ", text)
    text = _DANGLING.sub("", " ".join(text.split()))
    return text.strip(" ,:–-")


def _roll_forward(table: Table, own: list[str | None]) -> list[str | None] | None:
    """Periods of a roll-forward's rows: a dated balance its own date, a movement the year
    of the balance it leads to; None when the table is not one (fewer than two dated
    balances)."""
    edges = [
        r
        for r, row in enumerate(table.rows)
        if not row.group and own[r] is not None and _BALANCE.search(row.leaf)
    ]
    if len({own[r] for r in edges}) < 2:
        return None
    periods: list[str | None] = [None] * len(table.rows)
    for r in range(len(table.rows)):
        if r in edges:
            periods[r] = own[r]
            continue
        after = next((e for e in edges if e > r), None)
        year = period_year(own[after] or "") if after is not None else None
        periods[r] = str(year) if year and r > edges[0] else None
    return periods


# row_periods of recent tables, by identity: hashing a whole table per cell costs more than
# reading it (the table object is kept with its entry, so its id is not reused meanwhile).
_ROW_PERIODS: dict[int, tuple[Table, tuple[str | None, ...]]] = {}
_CACHE_SIZE = 256


def row_periods(table: Table) -> tuple[str | None, ...]:
    """The period each row reports, when the columns name no year (else all None)."""
    cached = _ROW_PERIODS.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    if len(_ROW_PERIODS) >= _CACHE_SIZE:
        _ROW_PERIODS.pop(next(iter(_ROW_PERIODS)))
    periods = _row_periods(table)
    _ROW_PERIODS[id(table)] = (table, periods)
    return periods


def _row_periods(table: Table) -> tuple[str | None, ...]:
    if any(column_year(table, c) for c in range(len(table.columns))):
        return (None,) * len(table.rows)
    own = [label_period(row.label) if not row.group else None for row in table.rows]
    rolled = _roll_forward(table, own)
    if rolled is not None:
        return tuple(rolled)
    periods: list[str | None] = []
    for r, row in enumerate(table.rows):
        found = own[r]
        for part in reversed(row.path if row.group or not row.label else row.path[:-1]):
            if found is None:
                found = label_period(part)
        periods.append(found)
    return tuple(periods)


def column_year(table: Table, c: int) -> int | None:
    """The year column c reports, from its period or its header."""
    column = table.columns[c]
    year = period_year(column.period) if column.period else None
    if year:
        return year
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", column.header)
    if found:  # "2019 vs 2018", "2021-2022": the later year, the one it leads to
        return max(int(year) for year in found)
    short = re.findall(r"\bF(?:Y)?\s?(\d{2})\b", column.header, _F)
    return 2000 + int(short[-1]) if short else None


_EARLY_JANUARY = re.compile(r"^as of January [1-7], \d{4}$")
_LATE_DECEMBER = re.compile(r"^as of December (?:2[4-9]|3[01]), \d{4}$")


def _week_year_end(table: Table, c: int) -> bool:
    """Column c closes a 52/53-week fiscal year that ran into January ("January 3, 2020"
    beside "December 28, 2018"): such a year is also named by the year it mostly covers."""
    period = table.columns[c].period or ""
    if not _EARLY_JANUARY.match(period):
        return False
    return any(_LATE_DECEMBER.match(column.period or "") for column in table.columns)


def _movement_year(table: Table, c: int) -> int | None:
    """The year of an undated column between two balance dates, earlier on the left ("Dec
    29, 2018 | Acquisitions | Transfers | Dec 28, 2019"): a movement of the year it leads to."""
    dates = [
        (k, date_parts(m))
        for k, column in enumerate(table.columns)
        if (column.period or "").startswith("as of") and (m := DATE_RE.search(column.period or ""))
    ]
    before = [d for k, d in dates if k < c]
    after = [d for k, d in dates if k > c]
    if not before or not after or column_year(table, c) or before[-1] >= after[0]:
        return None
    return after[0][0]


def cell_period(table: Table, r: int, c: int) -> str | None:
    """The period cell (r, c) reports: its column's, else its row's, else (a movement column
    of a roll-forward across the columns) the year it leads to; a quarter named by the
    column or the row makes it that quarter of the year ("2Q2019")."""
    column = table.columns[c]
    year = column_year(table, c)
    stated = (column.period or str(year)) if year else row_periods(table)[r]
    if stated is None and (moved := _movement_year(table, c)):
        stated = str(moved)
    year = year or (period_year(stated) if stated else None)
    quarter = quarter_in(column.header, header=True) or quarter_in(table.rows[r].leaf)
    if year and quarter:
        return f"{quarter}Q{year}"
    return stated


def fits_cell(asked: str, table: Table, r: int, c: int) -> bool:
    """Whether cell (r, c) reports the asked period (`fits`); a 52/53-week year ending in
    early January ("January 3, 2020") also answers for the year before ("fiscal 2019")."""
    if fits(asked, cell_period(table, r, c)):
        return True
    year = column_year(table, c)
    return bool(year and _week_year_end(table, c) and fits(asked, str(year - 1)))


def cell_year(table: Table, r: int, c: int) -> int | None:
    """The year cell (r, c) reports, if known."""
    stated = cell_period(table, r, c)
    return period_year(stated) if stated else None


def is_quarter(period: str | None) -> bool:
    """Whether a period label is a quarter ("2Q2019")."""
    return bool(period and re.fullmatch(r"[1-4]Q\d{4}", period))


def fits(asked: str, stated: str | None) -> bool:
    """Whether a cell stated for `stated` reports the asked period: the same year, the same
    quarter when a quarter is asked, the same day when a day is asked of a dated column.

    >>> fits("2019", "as of December 31, 2019"), fits("3Q2019", "3Q2019"), fits("3Q2019", "2019")
    (True, True, False)
    >>> fits("as of July 7, 2019", "as of July 7, 2019"), fits("as of July 7, 2019", "2019")
    (True, True)
    >>> fits("as of July 7, 2019", "as of September 29, 2019")
    False
    >>> fits("as of December 31, 2019", "as of December 28, 2019")  # a 52/53-week year end
    True
    """
    if stated is None:
        return False
    if is_quarter(asked):
        return stated == asked
    if asked.startswith("as of") and stated.startswith("as of"):
        return _days_apart(asked, stated) <= YEAR_END_DAYS
    return period_year(stated) == period_year(asked)


# Two dates this close name one balance date (a 52/53-week year ends near December 31).
YEAR_END_DAYS = 7


def _days_apart(a: str, b: str) -> int:
    first, second = DATE_RE.search(a), DATE_RE.search(b)
    if first is None or second is None:
        return 0 if a == b else YEAR_END_DAYS + 1
    (y1, m1, d1), (y2, m2, d2) = date_parts(first), date_parts(second)
    return abs((date(y1, m1, max(d1, 1)) - date(y2, m2, max(d2, 1))).days)


def series(table: Table, r: int) -> tuple[int, ...]:
    """The rows that report row r's line in other periods (row r included), in table order:
    the same label and group headings once their periods are taken out. Only tables whose
    rows carry the periods have such siblings."""
    periods = row_periods(table)
    if periods[r] is None:
        return (r,)
    key = line_key(table, r)
    return tuple(
        s
        for s, row in enumerate(table.rows)
        if not row.group and periods[s] is not None and line_key(table, s) == key
    )


def line_key(table: Table, r: int) -> tuple[str, ...]:
    """Row r's label and group headings without the periods they name, lower case: the
    same in every period's row of one line ("Outstanding at ..." -> ("outstanding",))."""
    parts = (base_label(label_key(part)).lower() for part in table.rows[r].path)
    return tuple(part for part in parts if part)
