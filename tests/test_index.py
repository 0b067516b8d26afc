"""The persisted index: FAISS equals brute force, round trips, freshness, atomic writes."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index import core as index_module
from qa.index import store
from qa.index.core import build, choose_index_type, load, make_faiss_index, open_index
from qa.index.embedding import HashEmbedder
from qa.index.faissindex import restricted_search

from .conftest import CORPUS


def test_faiss_results_equal_numpy_brute_force() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = rng.standard_normal((20, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    index = make_faiss_index(vectors, "flat")
    scores, rows = index.search(queries, 10)
    brute = queries @ vectors.T
    expected_rows = np.argsort(-brute, axis=1)[:, :10]
    assert np.array_equal(rows, expected_rows)
    assert np.allclose(scores, np.take_along_axis(brute, expected_rows, axis=1), atol=1e-5)


@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_a_restricted_search_returns_only_the_allowed_rows(index_type: str) -> None:
    rng = np.random.default_rng(11)
    vectors = rng.standard_normal((2000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    query = vectors[1500:1501]  # its own row lies outside the allowed rows
    allowed = np.arange(200, 260, dtype=np.int64)
    index = make_faiss_index(vectors, index_type)
    scores, rows = restricted_search(index, query, 5, allowed)
    assert set(rows[0]) <= set(allowed.tolist())
    if index_type == "flat":  # exact: the brute-force best of the allowed rows
        brute = vectors[allowed] @ query[0]
        assert rows[0].tolist() == allowed[np.argsort(-brute)[:5]].tolist()
        assert np.allclose(scores[0], np.sort(brute)[::-1][:5], atol=1e-5)


def test_hnsw_recall_against_exact_search() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[:50] + 0.05 * rng.standard_normal((50, 32)).astype(np.float32)
    exact = make_faiss_index(vectors, "flat").search(queries, 10)[1]
    approx = make_faiss_index(vectors, "hnsw").search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.95


def test_index_type_is_chosen_by_size() -> None:
    assert choose_index_type(100) == "flat"
    assert choose_index_type(1_000_000) == "hnsw"
    assert choose_index_type(100, "ivfpq") == "ivfpq"


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
    assert manifest["format_version"] == store.FORMAT_VERSION
    assert manifest["model"] == {"name": "hash", "dim": embedder.dim}
    assert manifest["chunker"]["name"] == "structure"
    assert list(manifest["corpus_files"]) == ["sensetime-2022-interim-results.txt"]
    assert manifest["counts"]["chunks"] == len(loaded.chunks) > 30
    assert manifest["counts"]["figures"] > 50
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


def test_fresh_index_is_reused_without_re_embedding(hash_settings: Settings) -> None:
    build(hash_settings, HashEmbedder())
    embedder = HashEmbedder()
    open_index(hash_settings, embedder)
    assert embedder.texts_embedded == 0


@pytest.mark.parametrize(
    "change", ["corpus file", "chunker version", "model dimension", "added file"]
)
def test_manifest_mismatch_rebuilds_or_errors_under_no_rebuild(
    change: str, tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    build(settings, HashEmbedder())
    embedder = HashEmbedder()
    if change == "corpus file":
        path = corpus_copy / "sensetime-2022-interim-results.txt"
        path.write_text(path.read_text() + "\nA new paragraph about revenue.\n")
    elif change == "added file":
        (corpus_copy / "other.txt").write_text("Another release. Revenue was RMB9 billion.")
    elif change == "chunker version":
        monkeypatch.setattr("qa.ingest.chunking.CHUNKER_VERSION", 999)
    else:
        embedder = HashEmbedder(dim=32)
    with pytest.raises(store.IndexStale, match="out of date"):
        open_index(settings.with_(auto_rebuild=False), embedder)
    rebuilt = open_index(settings, embedder)
    if change in ("corpus file", "added file"):
        # Incremental: only the new text is embedded (measured in tests/test_incremental.py).
        assert 0 < embedder.texts_embedded < len(rebuilt.chunks)
    else:
        assert embedder.texts_embedded == len(rebuilt.chunks)
    assert open_index(settings.with_(auto_rebuild=False), HashEmbedder(dim=embedder.dim))


def test_missing_index_under_no_rebuild_says_what_to_run(hash_settings: Settings) -> None:
    with pytest.raises(store.IndexMissing, match="run `qa index`"):
        open_index(hash_settings.with_(auto_rebuild=False), HashEmbedder())


def test_newer_format_version_is_refused(hash_settings: Settings) -> None:
    built = build(hash_settings, HashEmbedder())
    manifest = json.loads((built.folder / "manifest.json").read_text())
    manifest["format_version"] = store.FORMAT_VERSION + 1
    (built.folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(store.IndexStale, match="upgrade release-qa"):
        load(hash_settings.index_dir)


@pytest.mark.parametrize(
    "damage",
    ["truncated faiss", "garbage faiss", "fewer chunk rows", "bad json", "no pointer target"],
)
def test_broken_index_files_are_detected_and_rebuilt(damage: str, hash_settings: Settings) -> None:
    built = build(hash_settings, HashEmbedder())
    folder = built.folder
    if damage == "truncated faiss":
        data = (folder / "vectors.faiss").read_bytes()
        (folder / "vectors.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "garbage faiss":
        (folder / "vectors.faiss").write_bytes(os.urandom(4096))
    elif damage == "fewer chunk rows":
        lines = (folder / "chunks.jsonl").read_text().splitlines()
        (folder / "chunks.jsonl").write_text("\n".join(lines[:-3]) + "\n")
    elif damage == "bad json":
        (folder / "chunks.jsonl").write_text("{not json\n")
    else:
        (hash_settings.index_dir / "CURRENT").write_text("build-gone\n")
    with pytest.raises(store.IndexCorrupt, match="qa index --force"):
        load(hash_settings.index_dir)
    with pytest.raises(store.IndexCorrupt):
        open_index(hash_settings.with_(auto_rebuild=False), HashEmbedder())
    repaired = open_index(hash_settings, HashEmbedder())
    assert len(repaired.chunks) == len(built.chunks)


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


def test_a_second_writer_gets_a_clear_busy_message(tmp_path: Path) -> None:
    with (
        store.writer_lock(tmp_path, wait=False),
        pytest.raises(store.IndexBusy, match="another `qa index`"),
        store.writer_lock(tmp_path, wait=False),
    ):
        pass


def test_empty_corpus_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "idx", model="hash")
    with pytest.raises(store.IndexMissing, match="nothing to index"):
        build(settings, HashEmbedder())
    assert CORPUS.exists()


FAISS_ENOSPC = (
    "Error in void faiss::write_index(const Index*, IOWriter*, int) at index_write.cpp:499: "
    "Error: 'ret == (size * 4)' failed: write error: 4051 != 15360000 (No space left on device)"
)


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), RuntimeError(FAISS_ENOSPC)],
    ids=["oserror", "faiss-runtime-error"],
)
def test_a_failed_write_is_unwritable_and_leaves_no_staging_folder(
    hash_settings: Settings, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    import faiss

    old = build(hash_settings, HashEmbedder())

    def full_disk(*args: object) -> None:
        raise error

    monkeypatch.setattr(faiss, "write_index", full_disk)
    with pytest.raises(store.IndexUnwritable, match=r"cannot write the index.*No space left"):
        build(hash_settings, HashEmbedder())
    monkeypatch.undo()
    assert not list(hash_settings.index_dir.glob(".tmp-*"))
    assert load(hash_settings.index_dir).folder == old.folder
