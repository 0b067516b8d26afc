"""The question path on ONNX Runtime: the build's export, its manifest record, the check
against sentence-transformers, the fallback, and a question path that never imports torch."""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index import onnxexport, store
from qa.index.core import open_index
from qa.index.embedding import SentenceTransformerEmbedder
from qa.index.onnxembed import (
    ONNX_FILE,
    OnnxRecord,
    OnnxUnavailable,
    max_tokens,
    open_encoder,
)
from qa.ingest.corpus import file_hash as file_sha256
from qa.pipeline import QA

from .conftest import CORPUS, ROOT

SHA = "a" * 64
TINY = {
    "acme.txt": "Acme Corp Reports 2023 Results\n\nRevenue was RMB5.2 million, up 12%.\n\n"
    "Net loss narrowed to RMB1.1 million. Acme had 214 employees."
}


# --- the manifest record ------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, message",
    [
        (None, "must be an object"),
        ("abc", "must be an object"),
        ({"sha256": "abc"}, "not a SHA-256"),
        ({"sha256": SHA.upper()}, "not a SHA-256"),
        ({"sha256": 12}, "not a SHA-256"),
        ({"sha256": None, "reason": 3}, "must be text"),
    ],
)
def test_a_malformed_onnx_record_is_refused(field: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OnnxRecord.from_json(field)


def test_the_onnx_record_round_trips_through_json() -> None:
    for record in (OnnxRecord(SHA), OnnxRecord(None, "export failed")):
        stored = json.loads(json.dumps(record.to_dict()))
        assert OnnxRecord.from_json(stored) == record
    assert OnnxRecord(SHA).to_dict()["file"] == ONNX_FILE


def test_max_tokens_reads_the_sentence_transformers_config(tmp_path: Path) -> None:
    assert max_tokens(tmp_path) == 256  # no config: sentence-transformers' default
    (tmp_path / "sentence_bert_config.json").write_text('{"max_seq_length": 128}')
    assert max_tokens(tmp_path) == 128


def test_open_encoder_says_why_a_build_has_no_usable_model(tmp_path: Path) -> None:
    with pytest.raises(OnnxUnavailable, match="built without one \\(export failed\\)"):
        open_encoder(tmp_path, OnnxRecord(None, "export failed"), tmp_path)
    with pytest.raises(OnnxUnavailable, match="is missing"):
        open_encoder(tmp_path, OnnxRecord(SHA), tmp_path)
    (tmp_path / ONNX_FILE).write_bytes(b"not the recorded file")
    with pytest.raises(OnnxUnavailable, match="does not match the manifest's hash"):
        open_encoder(tmp_path, OnnxRecord(SHA), tmp_path)


def test_a_build_without_an_onnx_record_is_stale(hash_qa: QA) -> None:
    folder = hash_qa.index.folder
    manifest = json.loads((folder / store.MANIFEST_FILE).read_text())
    assert OnnxRecord.from_json(manifest["onnx"]).sha256 is None  # the fake model has no export
    del manifest["onnx"]  # as an earlier release wrote it
    (folder / store.MANIFEST_FILE).write_text(json.dumps(manifest))
    settings = hash_qa.settings.with_(auto_rebuild=False)
    with pytest.raises(store.IndexStale, match="no valid ONNX question model record"):
        open_index(settings, hash_qa.embedder)


# --- the real model -----------------------------------------------------------------------


@pytest.fixture
def tiny_settings(
    real_embedder: SentenceTransformerEmbedder,
    make_corpus: Callable[[dict[str, str | bytes]], Path],
    tmp_path: Path,
) -> Iterator[Settings]:
    """Settings on a one-document corpus with a fresh index folder. These tests rebind the
    shared embedder's question model; the session's one is put back after each."""
    encoder = real_embedder.question_encoder
    yield Settings(corpus_dir=make_corpus(TINY), index_dir=tmp_path / "idx")
    real_embedder.use_for_questions(encoder)


@pytest.mark.model
def test_the_build_records_the_verified_onnx_file(real_qa: QA) -> None:
    record = real_qa.index.manifest.onnx
    assert record is not None
    assert record.sha256 == file_sha256(real_qa.index.folder / ONNX_FILE)
    encoder = real_qa.embedder.question_encoder  # type: ignore[attr-defined]
    assert encoder is not None and encoder.sha256 == record.sha256


@pytest.mark.model
def test_onnx_question_vectors_equal_sentence_transformers(real_qa: QA) -> None:
    embedder = real_qa.embedder
    assert isinstance(embedder, SentenceTransformerEmbedder)
    encoder = embedder.question_encoder
    assert encoder is not None
    gold = ROOT / "eval" / "gold.jsonl"
    questions = [json.loads(line)["q"] for line in gold.read_text().splitlines() if line.strip()]
    long = "Revenue was RMB1.42 billion. " * 60 + "The sky is green."  # ~600 tokens
    texts = [*questions[:30], long, "x", "¥ € — “quoted”"]
    reference = embedder.embed(texts)
    vectors = np.stack([encoder.encode(text) for text in texts])
    assert float(np.abs(vectors - reference).max()) <= onnxexport.MAX_ABS_DIFF
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


@pytest.mark.model
def test_a_failed_export_is_recorded_and_questions_fall_back(
    real_embedder: SentenceTransformerEmbedder,
    tiny_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(onnxexport, "export", broken)
    system = QA(tiny_settings, embedder=real_embedder)
    with caplog.at_level(logging.WARNING):
        answer = system.ask("How many employees did Acme have?")
    record = system.index.manifest.onnx
    assert record is not None
    assert record.sha256 is None and "exporter exploded" in record.reason
    assert not (system.index.folder / ONNX_FILE).exists()
    assert "questions are embedded with sentence-transformers" in caplog.text
    assert real_embedder.question_encoder is None
    assert "214" in answer.passages[0].text


@pytest.mark.model
def test_a_tampered_file_is_not_used_and_an_update_reuses_the_cached_export(
    real_embedder: SentenceTransformerEmbedder,
    tiny_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = tiny_settings
    first = QA(settings, embedder=real_embedder).index
    assert first.manifest.onnx is not None
    sha256 = first.manifest.onnx.sha256
    assert sha256 and real_embedder.question_encoder is not None

    def must_not_run(*args: object, **kwargs: object) -> str:
        raise AssertionError("a build of the same model must reuse the cached export")

    monkeypatch.setattr(onnxexport, "export", must_not_run)
    (settings.corpus_dir / "beta.txt").write_text(
        "Beta Ltd revenue was RMB9 million.", encoding="utf-8"
    )
    second = QA(settings, embedder=real_embedder).reindex()
    assert second.manifest.onnx is not None and second.manifest.onnx.sha256 == sha256
    assert file_sha256(second.folder / ONNX_FILE) == sha256

    with (second.folder / ONNX_FILE).open("r+b") as handle:
        handle.seek(-4, os.SEEK_END)
        handle.write(b"\0\0\0\0")
    real_embedder.use_for_questions(None)  # as in a new process: nothing loaded yet
    with caplog.at_level(logging.WARNING):
        QA(settings, embedder=real_embedder).ask("What was Beta's revenue?")
    assert "does not match the manifest's hash" in caplog.text
    assert real_embedder.question_encoder is None


# Each child answers one question the way a user would, then lists what it imported.
_CHILDREN = {
    "qa ask": "from qa.cli import main; assert main(['ask', 'What was the total revenue?']) == 0",
    "ask()": "from qa import ask; assert ask('What was the total revenue?').found",
    "qa serve start-up": (
        "from qa.config import Settings; from qa.pipeline import QA; "
        "from qa.web.server import build_ui, make_app; s = Settings.from_env(); "
        "q = QA(s).warm_up(); make_app(q, s, {}); build_ui(q, s, None)"
    ),
}


def _imported(real_qa: QA, path: str, roots: tuple[str, ...]) -> list[str]:
    """The modules under `roots` a fresh process imported while answering along `path`."""
    code = (
        f"import sys\n{_CHILDREN[path]}\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {roots!r}))"
    )
    env = {
        **os.environ,
        "QA_INDEX_DIR": str(real_qa.settings.index_dir),
        "QA_CORPUS_DIR": str(CORPUS),
        "QA_AUTO_REBUILD": "0",  # a rebuild would import torch legitimately; this must not
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.model
@pytest.mark.parametrize("path", sorted(_CHILDREN))
def test_the_question_path_never_imports_torch(real_qa: QA, path: str) -> None:
    assert _imported(real_qa, path, ("torch", "sentence_transformers", "transformers")) == []


@pytest.mark.model
@pytest.mark.parametrize("path", ["qa ask", "ask()"])
def test_a_question_needs_neither_scipy_nor_bm25s(real_qa: QA, path: str) -> None:
    """bm25s imports scipy (0.3 s of a one-shot `qa ask`); a loaded BM25 index scores with
    numpy, so only building an index pays for them."""
    assert _imported(real_qa, path, ("scipy", "bm25s")) == []
