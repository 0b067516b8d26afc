"""Hand-built answers and gold items for the gold-set evaluation tests (metrics, report,
`qa eval`), a fake system that answers from a table, and the TAT-QA sample with an asker that
answers its questions from a table too."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from qa.eval.metrics import GoldFigure, GoldItem
from qa.types import Answer, Figure, Passage

REVENUE = "The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%."
FILLER = "SenseTime continued to lead the industry in its R&D capabilities."


def passage(text: str) -> Passage:
    return Passage(text, 0.5, "doc", "Title", "Highlights", 0, len(text), 0, 0, len(text))


def figure(value: float, unit: str, kind: str = "currency") -> Figure:
    return Figure(text=f"{value} {unit}", value=value, unit=unit, kind=kind, start=0, end=1)


def answer(texts: list[str], figures: tuple[Figure, ...] = (), found: bool = True) -> Answer:
    return Answer("q?", "an answer" if found else "", found, tuple(map(passage, texts)), figures)


REV_GOLD = GoldItem("rev", "Revenue?", ("RMB1.42 billion",), GoldFigure(1.42e9, "RMB"))
NA_GOLD = GoldItem("na", "Dividend per share?", unanswerable=True)


class FakeSystem:
    """Answers from a table; records the k it was asked with."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.ks: list[int] = []

    def ask(self, question: str, k: int) -> Answer:
        self.ks.append(k)
        return self.answers[question]


def fake_system() -> FakeSystem:
    return FakeSystem(
        {
            REV_GOLD.q: answer([REVENUE], (figure(1.42e9, "RMB"),)),
            NA_GOLD.q: answer([FILLER]),  # wrongly answers an unanswerable question
        }
    )


SAMPLE = Path(__file__).resolve().parent / "data" / "tatqa_sample.json"


class TableAsker:
    """Answers from a dict of question -> Answer; records the documents it was limited to."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.docs: list[list[str]] = []

    def ask(
        self, question: str, k: int | None = None, *, docs: Iterable[str] | None = None
    ) -> Answer:
        self.docs.append(list(docs or []))
        return self.answers.get(question, Answer(question, "not stated", False))
