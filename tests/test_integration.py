"""End to end with the real bundled model on the shipped release (run in CI)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qa.pipeline import QA

from .conftest import CORPUS

pytestmark = pytest.mark.model


def test_total_revenue_top_passage(real_qa: QA) -> None:
    answer = real_qa.ask("What was the total revenue?")
    assert "RMB1.42 billion" in answer.passages[0].text
    assert answer.found and "RMB1.42 billion" in answer.answer


def test_gross_profit_margin_top_passage(real_qa: QA) -> None:
    answer = real_qa.ask("What was the gross profit margin?")
    assert "gross profit margin of 66%" in answer.passages[0].text


def test_no_chunk_exceeds_the_model_token_limit(real_qa: QA) -> None:
    embedder = real_qa.embedder
    limit = embedder.max_tokens  # type: ignore[attr-defined]
    assert limit == 256
    assert max(embedder.count_tokens(c.text) for c in real_qa.index.chunks) <= limit


def test_the_real_model_truncates_silently_which_is_why_the_limit_matters(real_qa: QA) -> None:
    embedder = real_qa.embedder
    base = "Revenue was RMB1.42 billion. " * 60  # ~600 tokens
    a = embedder.embed([base + "The sky is green."])[0]  # type: ignore[attr-defined]
    b = embedder.embed([base + "Patents numbered 12,502."])[0]  # type: ignore[attr-defined]
    assert float(a @ b) > 0.9999  # the tails were cut off: the model never saw them


def _run_cli(args: list[str], index_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QA_INDEX_DIR": str(index_dir),
        "QA_CORPUS_DIR": str(CORPUS),
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_second_process_reuses_the_index_and_cli_json_finds_patents(real_qa: QA) -> None:
    result = _run_cli(
        ["ask", "How many patents does SenseTime have?", "--json", "-v"], real_qa.settings.index_dir
    )
    assert result.returncode == 0, result.stderr
    assert "using index" in result.stderr
    assert not re.search(r"embedding \d+ chunks", result.stderr)  # no corpus re-embedding
    assert "rebuilding" not in result.stderr
    data = json.loads(result.stdout)
    assert any("12,502" in p["text"] for p in data["passages"])
    assert data["found"] and data["figure"]["value"] == 12502
