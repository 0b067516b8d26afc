"""Building the index (qa/index/builder.py): chunks, figures per chunk, vectors and the
manifest's document lines, one bad file skipped with its reason, duplicates stored once, an
empty corpus and a failed write refused clearly, and a rebuild that embeds only what changed."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.config import Settings
from qa.figures.document import document_figures
from qa.index import store
from qa.index.builder import build, chunk_document_with, figures_by_chunk
from qa.index.core import load
from qa.index.embedding import HashEmbedder
from qa.ingest.corpus import load_document

from .conftest import CORPUS, RELEASE
from .releases import markdown_release

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


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


def test_each_chunk_gets_the_figures_inside_its_span_in_extraction_order() -> None:
    document = load_document(RELEASE, CORPUS)
    chunks = chunk_document_with(document, "structure", HashEmbedder().count_tokens)
    per_chunk = figures_by_chunk([document], chunks)
    assert len(per_chunk) == len(chunks)
    for chunk, figures in zip(chunks, per_chunk, strict=True):
        assert all(chunk.start <= f.start and f.end <= chunk.end for f in figures)
    everything = document_figures(document)
    placed = [f for figures in per_chunk for f in figures]
    assert len(placed) > 50 and set(placed) <= set(everything)
    position = {figure: i for i, figure in enumerate(everything)}
    assert all([position[f] for f in fs] == sorted(position[f] for f in fs) for fs in per_chunk)


def test_the_manifest_lists_each_document_with_what_qa_list_shows(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    corpus = make_corpus({"acme.md": markdown_release(), "bad.txt": b"\xff\xfe not utf-8"})
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    index = build(settings, HashEmbedder())
    (entry,) = index.manifest.documents
    assert (entry.path, entry.company, entry.period, entry.format) == (
        "acme.md", "Acme Robotics Limited", "1H2023", "markdown",
    )  # fmt: skip
    assert entry.chunks == len(index.chunks)
    assert entry.tables == len(index.tables_of(entry.id))
    (skipped,) = index.manifest.skipped
    assert skipped.path.endswith("bad.txt") and "not UTF-8" in skipped.reason


def test_identical_content_under_two_names_is_indexed_once(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    corpus = make_corpus({"a.md": markdown_release(), "copy.md": markdown_release()})
    index = build(Settings(corpus_dir=corpus, index_dir=tmp_path / "i", model="hash"),
                  HashEmbedder())  # fmt: skip
    assert [d.path for d in index.documents.values()] == ["a.md"]
    assert "duplicate of a document already loaded" in index.manifest.skipped[0].reason


def test_a_rebuild_from_the_previous_index_embeds_only_new_text(
    corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    first = build(settings, HashEmbedder())
    (corpus_copy / "acme.md").write_text(markdown_release(), encoding="utf-8")
    embedder = HashEmbedder()
    second = build(settings, embedder, previous=load(settings.index_dir))
    new_chunks = [c for c in second.chunks if second.documents[c.doc_id].path == "acme.md"]
    assert 0 < embedder.texts_embedded <= len(new_chunks) < len(second.chunks)
    assert second.manifest.update.unchanged == 1 and second.manifest.update.new == 1
    assert [c for c in second.chunks if c.doc_id in first.documents] == list(first.chunks)
