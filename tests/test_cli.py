"""The `qa` command line, driven through main() with the fake model (fast)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main


@pytest.fixture(autouse=True)
def _fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_MODEL", "hash")


def test_index_then_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index"]) == 0
    assert "index built" in capsys.readouterr().out
    assert main(["index"]) == 0
    assert "index up to date" in capsys.readouterr().out
    assert main(["ask", "How many patents does SenseTime have?", "--json", "-k", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["question"] == "How many patents does SenseTime have?"
    assert len(data["passages"]) == 3


def test_ask_human_output_lists_passages_with_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "total revenue", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "[1] score " in out and "[2] score " in out and "[3]" not in out


def test_no_rebuild_turns_a_missing_index_into_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "revenue", "--no-rebuild"]) == 1
    assert "no index in" in capsys.readouterr().err


def test_bad_question_exits_2_with_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "   "]) == 2
    assert "question is empty" in capsys.readouterr().err


def test_bad_setting_exits_2_with_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_TOP_K", "many")
    assert main(["ask", "revenue"]) == 2
    assert "QA_TOP_K='many' is not a valid value" in capsys.readouterr().err


def test_flags_win_over_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "flag-index"
    assert main(["index", "--index", str(target)]) == 0
    assert (target / "CURRENT").exists()


def test_list_shows_the_release(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert "sensetime-2022-interim-results.txt" in capsys.readouterr().out


def test_help_runs_without_loading_the_model() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "qa.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "qa index" not in result.stderr
    assert "usage: qa" in result.stdout
    assert "torch" not in result.stderr and "faiss" not in result.stderr
