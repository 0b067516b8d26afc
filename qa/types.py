"""The records passed between pipeline stages: frozen dataclasses and nothing else.

documents -> chunks -> (vectors, index) -> passages -> figures -> answer.
Every stage returns new objects; none mutates its input.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Document:
    """One source file of the corpus, loaded as text.

    `id` is a content hash (stable across renames and machines); `path` is relative to the
    corpus folder; `page_starts` holds the character offset where each 1-based page begins
    (empty for formats without pages); `tables` are the tables found in it, in order, each
    spanning its rendering in `text`.
    """

    id: str
    path: str
    title: str
    text: str
    page_starts: tuple[int, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    tables: tuple[Table, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """Return the 1-based page holding character `offset`, or None without pages."""
        if not self.page_starts:
            return None
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page

    def meta(self, key: str, default: str = "") -> str:
        """Return one metadata value (company, period, ...) or `default`."""
        return dict(self.metadata).get(key, default)


@dataclass(frozen=True)
class TableColumn:
    """One value column of a table.

    `header` is its header rows merged top to bottom ("Years Ended September 30 · 2019");
    `period` the canonical period it reports (qa/text/periods.py labels: "FY2019", "1H2022",
    "2019", "as of June 30, 2019") or None; `unit`/`scale` what its own header states
    ("%", "USD", "million"), empty when the table's apply.
    """

    header: str
    period: str | None = None
    unit: str = ""
    scale: str = ""


@dataclass(frozen=True)
class TableRow:
    """One body row: its label as written, its path (group headings above it, then its own
    label, footnote marks like "(1)" or "*" stripped), one cell text per column ("" when
    blank) and each cell's (start, end) in the document text (None when blank). A row with no
    values is a group heading (`group`): the labels below it hang under it in their paths.
    `unit` is what a unit column says for the row, as written ("RMB million", "%"), else "".
    """

    label: str
    path: tuple[str, ...]
    cells: tuple[str, ...]
    spans: tuple[tuple[int, int] | None, ...]
    group: bool = False
    unit: str = ""

    @property
    def name(self) -> str:
        """The row's path as one string: "Assets › Cash and equivalents"."""
        return " › ".join(self.path)

    @property
    def leaf(self) -> str:
        """The row's own label, without its group headings: "Cash and equivalents"."""
        return self.path[-1] if self.path else self.label


@dataclass(frozen=True)
class Table:
    """A table of a document, parsed from its structure (qa/ingest/loaders/tablegrid.py).

    `number` is 1-based in document order; `caption` the <caption>, else the heading or short
    paragraph just before the table; `header_rows` the header as written (label column
    first); `unit` the currency its numbers are in ("USD", "RMB", "" for none) and `scale`
    the scale word that applies to them ("million", "thousand", "billion", "" for none), from
    the caption, the header, a unit column or a note next to the table. `start`/`end` span its
    rendering in the document text; `label_header` is the header over the row labels ("RMB
    million", "As of"). Cell (row r, column c) is `rows[r].cells[c]`.
    """

    doc_id: str
    number: int
    caption: str
    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]
    header_rows: tuple[tuple[str, ...], ...] = ()
    unit: str = ""
    scale: str = ""
    start: int = 0
    end: int = 0
    label_header: str = ""

    def row_index(self, label: str) -> int | None:
        """The first value row whose label or path is `label` (case and spacing ignored;
        "Assets › Cash", "Cash" and "cash (1)" all find "Cash (1)" under "Assets")."""
        wanted = " ".join(label.lower().split())
        for r, row in enumerate(self.rows):
            names = (row.name, row.label, row.path[-1] if row.path else "")
            if not row.group and wanted in {" ".join(n.lower().split()) for n in names}:
                return r
        return None

    def column_index(self, period: str) -> int | None:
        """The first column whose period is `period` (a canonical label: "FY2019", "2019")."""
        return next((c for c, col in enumerate(self.columns) if col.period == period), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (what tables.jsonl stores); `table_from_dict` reads it back."""
        data = asdict(self)
        data["header_rows"] = [list(row) for row in self.header_rows]
        data["rows"] = [
            {**asdict(row), "path": list(row.path), "cells": list(row.cells),
             "spans": [list(s) if s is not None else None for s in row.spans]}
            for row in self.rows
        ]  # fmt: skip
        return data


def table_from_dict(data: dict[str, Any]) -> Table:
    """The inverse of `Table.to_dict` (KeyError/TypeError on a malformed record)."""
    rows = tuple(
        TableRow(
            label=row["label"],
            path=tuple(row["path"]),
            cells=tuple(row["cells"]),
            spans=tuple((int(s[0]), int(s[1])) if s is not None else None for s in row["spans"]),
            group=bool(row["group"]),
            unit=row.get("unit", ""),
        )
        for row in data["rows"]
    )
    return Table(
        doc_id=data["doc_id"],
        number=int(data["number"]),
        caption=data["caption"],
        columns=tuple(TableColumn(**column) for column in data["columns"]),
        rows=rows,
        header_rows=tuple(tuple(row) for row in data["header_rows"]),
        unit=data["unit"],
        scale=data["scale"],
        start=int(data["start"]),
        end=int(data["end"]),
        label_header=data.get("label_header", ""),
    )


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of one document.

    `document.text[start:end] == text` always holds: the chunk *is* a slice of the source.
    `kind` says what structure it came from: "bullet", "numbered", "paragraph", "sentences",
    "heading", "table_row" or "footnote".
    """

    doc_id: str
    section: str
    text: str
    start: int
    end: int
    kind: str = "paragraph"


@dataclass(frozen=True)
class Figure:
    """One quantity stated in a document, typed.

    Convention: `value` is the number fully scaled for currencies and counts
    (RMB1.42 billion -> 1.42e9) and the number *as written* for percent, percentage points and
    basis points (66% -> 66.0, unit "%"), so `to_dict()` reads like the release. `start`/`end`
    are offsets in the text the figure was extracted from (the document text when extracted
    at index time).
    """

    text: str
    value: float
    unit: str
    kind: str
    start: int
    end: int
    qualifier: str | None = None
    role: str = "level"  # "level" or "change"
    direction: str | None = None  # "increase" / "decrease" for changes
    period: str | None = None
    metric: str | None = None
    scale: str | None = None  # the scale word as written: "billion", "million", "bn", ...
    doc_id: str = ""
    high: float | None = None  # upper end of a range: "10–15%" -> value 10, high 15
    cell: tuple[int, int, int] | None = None  # (table number, row, column) of a table cell
    derivation: Derivation | None = None  # set on a figure computed from others, never stated

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form; integral values are written as ints (66, not 66.0)."""
        data = asdict(self)
        for key in ("value", "high"):
            number = data[key]
            if number is not None and float(number).is_integer() and abs(number) < 2**53:
                data[key] = int(number)
        data["cell"] = list(self.cell) if self.cell is not None else None
        data["derivation"] = self.derivation.to_dict() if self.derivation else None
        return data


@dataclass(frozen=True)
class Derivation:
    """How a computed figure was obtained from stated ones: the operation ("difference",
    "percent_change", "average", "ratio", "sum"), the formula over the operands as written
    ("2,664 / 909"), the operand figures (with their spans and cells) in formula order, and
    what it was computed from in words ("total assets and total liabilities, 2019")."""

    operation: str
    formula: str
    operands: tuple[Figure, ...]
    basis: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, operands as figure dicts."""
        return {
            "operation": self.operation,
            "formula": self.formula,
            "operands": [figure.to_dict() for figure in self.operands],
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its score and the sentence in it that best answers the question.

    `score` is calibrated to 0..1 (see qa/retrieval.py). `sentence_start`/`sentence_end` are
    offsets in the document; `context_before`/`context_after` are the neighbouring chunks' text
    for display.
    """

    text: str
    score: float
    doc: str
    doc_title: str
    section: str
    start: int
    end: int
    chunk_id: int
    sentence_start: int
    sentence_end: int
    figures: tuple[Figure, ...] = ()
    page: int | None = None
    context_before: str = ""
    context_after: str = ""

    @property
    def sentence(self) -> str:
        """The answering sentence, sliced from the passage text."""
        return self.text[self.sentence_start - self.start : self.sentence_end - self.start]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, with figures as dicts and the answering sentence spelled out."""
        data = asdict(self)
        data["figures"] = [figure.to_dict() for figure in self.figures]
        data["sentence"] = self.sentence
        return data


AnswerValue = float | str | tuple[str, ...] | None
# Why the release does not state an answer (`Answer.reason`); `Answer.answer` explains it in
# words. No passage is close enough; the question names nothing a release could state; the
# passages never mention a measure it names; no figure of the asked kind or counted noun is
# there; the measure is reported for another period only; the figures there are of another
# scope or form (a level, not the asked change); the matching table holds no value for it.
NotStatedReason = Literal[
    "no_match", "nothing_asked", "not_mentioned", "no_such_figure", "other_period",
    "other_figure", "not_in_table",
]  # fmt: skip


def _plain(value: float | str | None) -> float | int | str | None:
    """Integral numbers as ints in JSON (66, not 66.0), like `Figure.to_dict()`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@dataclass(frozen=True)
class Answer:
    """The reply to one question.

    `found` is False when the release does not state the answer; `reason` then says why (a
    `NotStatedReason`, None when found), `answer` explains it in words, and `passages` still
    hold the closest text. `figures` are ranked, best answer first; `sentence` is the
    sentence the answer was read from ("" when not found).

    `value` is the answer as data: a number (scaled like `Figure.value`, with its `unit` and
    the `scale` word it was written with), a string (a span of the text), a tuple of strings
    (a multi-span answer), or None when not found.
    """

    question: str
    answer: str
    found: bool
    passages: tuple[Passage, ...] = ()
    figures: tuple[Figure, ...] = ()
    citation: str = ""
    confidence: float = 0.0
    seconds: float = 0.0
    reason: NotStatedReason | None = None
    sentence: str = ""
    value: AnswerValue = None
    unit: str = ""
    scale: str = ""

    @property
    def figure(self) -> Figure | None:
        """The figure that answers the question, if any."""
        return self.figures[0] if self.found and self.figures else None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: what the CLI's --json and the HTTP API return."""
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "reason": self.reason,
            "value": list(self.value) if isinstance(self.value, tuple) else _plain(self.value),
            "unit": self.unit,
            "scale": self.scale,
            "citation": self.citation,
            "sentence": self.sentence,
            "confidence": self.confidence,
            "seconds": self.seconds,
            "figure": self.figure.to_dict() if self.figure else None,
            "figures": [figure.to_dict() for figure in self.figures],
            "passages": [passage.to_dict() for passage in self.passages],
        }
