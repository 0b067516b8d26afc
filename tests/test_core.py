"""Opening the index (qa/index/core.py, `open_index`): a build that fits the corpus, model and
chunker is used as is; a stale, missing or broken one is rebuilt, or refused with what to run
when rebuilding is off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index import store
from qa.index.core import build, load, open_index
from qa.index.embedding import HashEmbedder


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


def test_a_stale_index_names_what_changed(corpus_copy: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    build(settings, HashEmbedder())
    (corpus_copy / "other.txt").write_text("Another release. Revenue was RMB9 billion.")
    with pytest.raises(store.IndexStale, match=r"out of date: .*other\.txt.*; run `qa index`"):
        open_index(settings.with_(auto_rebuild=False), HashEmbedder())


def test_rebuild_false_refuses_even_when_settings_allow_it(hash_settings: Settings) -> None:
    assert hash_settings.auto_rebuild
    with pytest.raises(store.IndexMissing):
        open_index(hash_settings, HashEmbedder(), rebuild=False)
    built = open_index(hash_settings.with_(auto_rebuild=False), HashEmbedder(), rebuild=True)
    assert open_index(hash_settings, HashEmbedder(), rebuild=False).folder == built.folder


def test_a_rebuild_publishes_a_new_build_and_makes_it_current(
    corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    old = build(settings, HashEmbedder())
    (corpus_copy / "other.txt").write_text("Another release. Revenue was RMB9 billion.")
    new = open_index(settings, HashEmbedder())
    assert new.folder != old.folder and len(new.documents) == len(old.documents) + 1
    assert store.current_build(settings.index_dir) == new.folder
    assert load(settings.index_dir).chunks == new.chunks
