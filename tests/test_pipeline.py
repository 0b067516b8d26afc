"""QA and ask(): validation, thread safety, document filters (fake embedder, fast)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import qa
from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA, QuestionError, clean_question


def test_public_api_is_pinned() -> None:
    # isort-style order (constants, classes, functions), as ruff's RUF022 keeps it.
    assert qa.__all__ == [
        "QA",
        "Answer",
        "Chunk",
        "Document",
        "Figure",
        "Passage",
        "QuestionError",
        "Settings",
        "Table",
        "ask",
        "extract_figures",
    ]
    for name in qa.__all__:
        assert getattr(qa, name) is not None


def test_answer_is_a_frozen_record_with_json_form(hash_qa: QA) -> None:
    answer = hash_qa.ask("What was the total revenue?", k=3)
    with pytest.raises(AttributeError):
        answer.found = False  # type: ignore[misc]
    data = answer.to_dict()
    assert data["question"] == "What was the total revenue?"
    assert data["reason"] is None and data["sentence"] == answer.sentence != ""
    assert len(data["passages"]) == 3
    passage = data["passages"][0]
    assert set(passage) >= {
        "text",
        "score",
        "doc",
        "section",
        "start",
        "end",
        "sentence",
        "figures",
    }
    assert 0.0 <= passage["score"] <= 1.0


def test_passages_point_back_into_the_source(hash_qa: QA, release_text: str) -> None:
    for passage in hash_qa.ask("How many patents does the company hold?", k=5).passages:
        assert release_text[passage.start : passage.end] == passage.text
        assert passage.start <= passage.sentence_start < passage.sentence_end <= passage.end
        for figure in passage.figures:
            assert release_text[figure.start : figure.end] == figure.text


@pytest.mark.parametrize(
    ("question", "error", "message"),
    [
        ("", QuestionError, "empty"),
        ("   \n\t ", QuestionError, "empty"),
        ("?!…", QuestionError, "no words"),
        ("x" * 1001, QuestionError, "limit is 1,000"),
        (None, TypeError, "must be a str"),
        (42, TypeError, "must be a str"),
        (b"revenue", TypeError, "must be a str"),
    ],
)
def test_bad_questions_get_clear_errors(
    hash_qa: QA, question: object, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        hash_qa.ask(question)  # type: ignore[arg-type]


@pytest.mark.parametrize("k", [0, -1, True, 2.5, 11, 10**6, "5"])
def test_bad_k_is_refused_with_the_range_every_interface_accepts(hash_qa: QA, k: object) -> None:
    with pytest.raises(ValueError, match="k must be an integer from 1 to 10"):
        hash_qa.ask("revenue", k=k)  # type: ignore[arg-type]


def test_control_characters_are_removed_before_asking() -> None:
    # NUL separates words; a zero-width space is removed; ESC n is one escape sequence.
    assert clean_question("re\x00ve\x1bnue\u200b?", 100) == "re veue?"


def test_ask_from_eight_threads_equals_serial(hash_qa: QA) -> None:
    questions = [
        "total revenue",
        "gross profit margin",
        "patents",
        "net loss",
        "hospitals",
        "cash",
        "R&D",
        "Smart Auto",
    ]
    serial = [hash_qa.ask(q).to_dict() for q in questions]
    results: dict[int, dict[str, object]] = {}

    def worker(i: int) -> None:
        results[i] = hash_qa.ask(questions[i]).to_dict()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, expected in enumerate(serial):
        got = dict(results[i])
        got.pop("seconds"), expected.pop("seconds")
        assert got == expected


def test_document_filter(make_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus(
        {
            "alpha.txt": "Alpha Corp revenue was RMB5 billion.",
            "beta.txt": "Beta Ltd revenue was RMB7 billion.",
        }
    )
    system = QA(
        Settings(corpus_dir=folder, index_dir=tmp_path / "i", model="hash"), embedder=HashEmbedder()
    )
    only_beta = system.ask("revenue", docs=["beta.txt"])
    assert {p.doc for p in only_beta.passages} == {"beta.txt"}
    with pytest.raises(ValueError, match="unknown document"):
        system.ask("revenue", docs=["gamma"])


def test_module_level_ask_uses_one_cached_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_MODEL", "hash")
    first = qa.pipeline.default_qa()
    assert qa.pipeline.default_qa() is first
    answer = qa.ask("What was the total revenue?", k=2)
    assert len(answer.passages) == 2


@pytest.mark.parametrize(
    "question", ["What was the total revenue?", "How many patents?", "Who is the CEO?"]
)
def test_the_answer_does_not_depend_on_how_many_passages_are_shown(
    hash_qa: QA, question: str
) -> None:
    answers = [hash_qa.ask(question, k=k) for k in (1, 5, 10)]
    assert [len(a.passages) for a in answers] == [1, 5, 10]
    assert len({(a.answer, a.found, a.citation) for a in answers}) == 1


def test_sentence_similarity_is_the_models_cosine(hash_qa: QA) -> None:
    same = hash_qa.similarity("What drove the increase?", "What drove the increase?")
    other = hash_qa.similarity("What drove the increase?", "Goodwill is tested annually.")
    assert same == pytest.approx(1.0, abs=1e-5)
    assert -1.0 <= other < same
