"""The records passed between pipeline stages: frozen dataclasses and nothing else.

documents -> chunks -> (vectors, index) -> passages -> figures -> answer.
Every stage returns new objects; none mutates its input.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One source file of the corpus, loaded as text.

    `id` is a content hash (stable across renames and machines); `path` is relative to the
    corpus folder; `page_starts` holds the character offset where each 1-based page begins
    (empty for formats without pages).
    """

    id: str
    path: str
    title: str
    text: str
    page_starts: tuple[int, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()

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

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form; integral values are written as ints (66, not 66.0)."""
        data = asdict(self)
        for key in ("value", "high"):
            number = data[key]
            if number is not None and float(number).is_integer() and abs(number) < 2**53:
                data[key] = int(number)
        return data


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


def _plain(value: float | str | None) -> float | int | str | None:
    """Integral numbers as ints in JSON (66, not 66.0), like `Figure.to_dict()`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@dataclass(frozen=True)
class Answer:
    """The reply to one question.

    `found` is False when the release does not state the answer; `answer` then explains that,
    and `passages` still hold the closest text. `figures` are ranked, best answer first.

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
    extra: tuple[tuple[str, str], ...] = field(default=())
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
            "value": list(self.value) if isinstance(self.value, tuple) else _plain(self.value),
            "unit": self.unit,
            "scale": self.scale,
            "citation": self.citation,
            "confidence": self.confidence,
            "seconds": self.seconds,
            "figure": self.figure.to_dict() if self.figure else None,
            "figures": [figure.to_dict() for figure in self.figures],
            "passages": [passage.to_dict() for passage in self.passages],
        }
