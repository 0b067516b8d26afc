"""Issue 19, cases 6 and 7: `qa add` refuses what the indexer would skip, and questions are
cleaned the same way everywhere (format characters removed, escapes removed whole, one k)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import pipeline
from qa.cli import main
from qa.config import Settings, SettingsError
from qa.pipeline import QA, clean_question
from tests.conftest import RELEASE

QUESTION = "What was the gross profit margin?"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "release.txt").write_text(RELEASE.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (".hidden.txt", b"Revenue was RMB1 million.", "hidden names"),
        ("late-nul.txt", b"Revenue was RMB1 million.\n" * 500 + b"\x00", "binary"),
        ("empty.md", b"  \n", "empty"),
        ("notes.meta.json", b"{}", "metadata sidecar"),
        ("scan.docx", b"PK", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 nothing", "not a readable PDF"),
    ],
)
def test_add_refuses_what_the_indexer_would_skip(
    corpus: Path,
    tmp_path: Path,
    name: str,
    content: bytes,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    before = sorted(p.name for p in corpus.iterdir())
    assert main(["add", str(source), "--corpus", str(corpus), "--model", "hash"]) == 1
    out, err = capsys.readouterr()
    assert message in err and "added" not in out
    assert sorted(p.name for p in corpus.iterdir()) == before


@pytest.mark.parametrize(
    "question",
    [
        "What was the gross pro\u00adfit mar\u00adgin?",  # soft hyphens
        "What was the gross\u200b profit\u200d margin?",  # zero-width space and joiner
        "What was the \u202egross profit margin\u202c?",  # bidi override
        "\x1b[31mWhat was the gross profit margin?\x1b[0m",  # colour escapes
    ],
)
def test_format_characters_and_escapes_do_not_change_the_answer(hash_qa: QA, question: str) -> None:
    answer = hash_qa.ask(question)
    assert answer.question == QUESTION
    assert "66%" in answer.answer


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("pro\u00adfit", "profit"),
        ("\ufeffrevenue", "revenue"),
        ("a\u2066b\u2069c", "abc"),
        ("\x1b]0;title\x07revenue", "revenue"),
        ("\x9b1;31mrevenue", "revenue"),
        ("\x1b(Brevenue", "revenue"),
        ("net\tloss\x00now", "net loss now"),
    ],
)
def test_clean_question_removes_format_characters_and_whole_escapes(raw: str, clean: str) -> None:
    assert clean_question(raw, 100) == clean


def test_one_limit_for_k_in_every_interface(
    hash_settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_MODEL", "hash")
    monkeypatch.setenv("QA_INDEX_DIR", str(hash_settings.index_dir))
    assert main(["ask", "revenue", "-k", "11"]) == 2
    assert "(QA_TOP_K, -k) must be an integer from 1 to 10, got 11" in capsys.readouterr().err
    assert main(["ask", "revenue", "-k", "10", "--json"]) == 0
    capsys.readouterr()
    with pytest.raises(SettingsError, match="QA_TOP_K"):
        Settings.from_env({"QA_TOP_K": "11"})
    with pytest.raises(ValueError, match="from 1 to 10"):
        pipeline.ask("revenue", k=11)
    assert len(pipeline.ask("revenue", k=10).passages) == 10
