"""The web chat's example questions are read from the corpus, answered by it (all but the
last, which asks for a period no document reports), and the same every time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA
from qa.web.examples import EXAMPLE_COUNT, example_questions

MakeCorpus = Callable[[dict[str, str | bytes]], Path]

ACME = """Acme Robotics Reports 2023 Annual Results

Acme Robotics today announced its results for the year ended 31 December 2023.

Highlights

● Revenue was USD52.4 million, up 12% year-on-year.
● Gross profit margin was 41%.
● Net income was USD7.1 million.
● Research and development expenses were USD9.8 million.
"""
BETA = """Beta Logistics Announces First Half 2023 Results

For the six months ended 30 June 2023, total revenue was EUR18.3 million.
"""


def _system(corpus: Path, tmp_path: Path) -> QA:
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    return QA(settings, embedder=HashEmbedder())


def _assert_answered(system: QA, questions: tuple[str, ...]) -> None:
    *answerable, unreported = questions
    for question in answerable:
        answer = system.ask(question)
        assert answer.found and answer.figure is not None, (question, answer.answer)
    answer = system.ask(unreported)
    assert not answer.found and answer.reason == "other_period", answer.answer


def test_the_shipped_release_gives_its_headline_figures(hash_qa: QA) -> None:
    questions = example_questions(hash_qa.index)
    assert questions == (
        "What was the total revenue in 1H2022?",
        "What was the gross profit margin in 1H2022?",
        "What was the R&D expenditure in 1H2022?",
        "What was the revenue contribution of Smart Life in 1H2022?",
        "What was the net loss in 1H2022?",
        "What was the total revenue in 2008?",
    )
    _assert_answered(hash_qa, questions)
    assert example_questions(hash_qa.index) == questions  # deterministic


def test_another_corpus_gives_its_own_questions_document_by_document(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    system = _system(make_corpus({"acme.txt": ACME, "beta.txt": BETA}), tmp_path)
    questions = example_questions(system.index)
    assert questions == (
        "What was the revenue in FY2023?",
        "What was the total revenue in 1H2023?",  # the second document's turn
        "What was the gross profit margin in FY2023?",
        "What was the net income in FY2023?",
        "What were the research and development expenses in FY2023?",
        "What was the revenue in 2013?",
    )
    _assert_answered(system, questions)
    assert len(example_questions(system.index, count=2)) == 2 + 1


def test_a_corpus_without_periodic_amounts_gives_no_examples(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    prose = "A Short Note\n\nThe board met in the spring and approved the plan.\n"
    assert example_questions(_system(make_corpus({"note.txt": prose}), tmp_path).index) == ()


@pytest.mark.parametrize("count", [1, EXAMPLE_COUNT])
def test_the_count_bounds_the_questions_read_from_figures(hash_qa: QA, count: int) -> None:
    assert len(example_questions(hash_qa.index, count)) == count + 1
