"""The index package end to end: a build saved and loaded back is the same index, and a build
killed before it is published leaves the old one loadable. Each module's own tests are in
tests/test_builder.py, test_core.py, test_io.py, test_store.py, test_faissindex.py, ..."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.index import core as index_module
from qa.index import store
from qa.index.core import build, load
from qa.index.embedding import HashEmbedder
from qa.index.manifest import ModelRecord


def test_build_save_load_round_trip(hash_settings: Settings) -> None:
    embedder = HashEmbedder()
    built = build(hash_settings, embedder)
    loaded = load(hash_settings.index_dir)
    assert loaded.chunks == built.chunks
    assert loaded.chunk_figures == built.chunk_figures
    assert loaded.manifest == built.manifest
    query = embedder.embed(["total revenue"])[0]
    assert np.array_equal(loaded.search(query, 5)[1], built.search(query, 5)[1])
    manifest = loaded.manifest
    assert manifest.fingerprint.format_version == store.FORMAT_VERSION
    assert manifest.fingerprint.model == ModelRecord("hash", embedder.dim)
    assert manifest.fingerprint.chunker["name"] == "structure"
    assert list(manifest.fingerprint.corpus_files) == ["sensetime-2022-interim-results.txt"]
    assert manifest.counts.chunks == len(loaded.chunks) > 30
    assert manifest.counts.figures > 50
    folder = loaded.folder
    assert {p.name for p in folder.iterdir()} >= {
        "manifest.json",
        "vectors.faiss",
        "chunks.jsonl",
        "documents.jsonl",
        "bm25",
    }
    first = json.loads((folder / "chunks.jsonl").read_text().splitlines()[0])
    assert set(first) >= {"doc_id", "section", "text", "start", "end", "figures"}


def _build_then_hang(settings: Settings, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    original = store.publish

    def slow_publish(index_dir: Path, staging: Path) -> Path:
        ready.set()
        signal.pause()  # killed here: staging written, not yet published
        return original(index_dir, staging)

    store.publish = slow_publish  # type: ignore[assignment]
    index_module.store.publish = slow_publish  # type: ignore[attr-defined]
    build(settings, HashEmbedder())


def test_a_crash_during_a_build_leaves_the_old_index_loadable(
    corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    old = build(settings, HashEmbedder())
    (corpus_copy / "extra.txt").write_text("A second release. Revenue was RMB7 billion.")
    ready = multiprocessing.get_context("fork").Event()
    process = multiprocessing.get_context("fork").Process(
        target=_build_then_hang, args=(settings, ready)
    )
    process.start()
    assert ready.wait(60)
    os.kill(process.pid or 0, signal.SIGKILL)
    process.join()
    survivor = load(settings.index_dir)
    assert survivor.folder == old.folder and survivor.chunks == old.chunks
    # The next build cleans up the crashed staging folder.
    build(settings, HashEmbedder())
    assert not list(settings.index_dir.glob(".tmp-*"))
