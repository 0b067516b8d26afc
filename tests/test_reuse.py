"""What a new build takes from the previous one (qa/index/reuse.py): stored documents for
unchanged files and sidecars, stored chunks and figures under the same chunker and stage
versions, stored vectors by embedding text under the same model. (`qa index` costs measured
end to end are in tests/test_incremental.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index.builder import build
from qa.index.embedding import HashEmbedder
from qa.index.freshness import expected_fingerprint
from qa.index.io import Index
from qa.index.reuse import Previous
from qa.ingest.chunking import embedding_text

from .conftest import RELEASE


@pytest.fixture
def settings(corpus_copy: Path, tmp_path: Path) -> Settings:
    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")


@pytest.fixture
def index(settings: Settings) -> Index:
    return build(settings, HashEmbedder())


def previous(index: Index, settings: Settings, embedder: HashEmbedder | None = None) -> Previous:
    """The stored build, as the next build of `settings` sees it."""
    expected = expected_fingerprint(settings, embedder or HashEmbedder(), settings.corpus_dir)
    return Previous(index, expected)


def test_an_unchanged_file_gives_back_its_stored_document_chunks_and_figures(
    index: Index, settings: Settings
) -> None:
    reuse = previous(index, settings)
    hashes = reuse.expected.corpus_files
    document = reuse.document(RELEASE.name, settings.corpus_dir, hashes)
    assert document is not None and document == next(iter(index.documents.values()))
    stored = reuse.chunks(document)
    assert stored is not None
    assert [c for c, _ in stored] == list(index.chunks)
    assert [f for _, f in stored] == list(index.chunk_figures)


def test_a_changed_file_or_sidecar_is_read_again(index: Index, settings: Settings) -> None:
    release = settings.corpus_dir / RELEASE.name
    release.write_text(release.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    reuse = previous(index, settings)
    assert reuse.document(RELEASE.name, settings.corpus_dir, reuse.expected.corpus_files) is None
    release.write_text(RELEASE.read_text(encoding="utf-8"), encoding="utf-8")
    release.with_name(release.stem + ".meta.json").write_text('{"company": "Other Co"}')
    reuse = previous(index, settings)
    assert reuse.document(RELEASE.name, settings.corpus_dir, reuse.expected.corpus_files) is None


def test_stored_vectors_are_found_by_the_text_the_model_embeds(
    index: Index, settings: Settings
) -> None:
    reuse = previous(index, settings)
    document = next(iter(index.documents.values()))
    key = embedding_text(index.chunks[3], document.title)
    vector = reuse.vector(key)
    assert vector is not None
    np.testing.assert_allclose(vector, HashEmbedder().embed([key])[0], atol=1e-6)
    assert reuse.vector("a text no build embedded") is None


def test_another_model_or_chunker_reuses_no_vectors_or_chunks(
    index: Index, settings: Settings
) -> None:
    document = next(iter(index.documents.values()))
    key = embedding_text(index.chunks[0], document.title)
    other_model = previous(index, settings, HashEmbedder(dim=32))
    assert other_model.vector(key) is None and other_model.chunks(document) is None
    other_chunker = previous(index, settings.with_(chunker="paragraph"))
    assert other_chunker.vector(key) is None and other_chunker.chunks(document) is None


def test_without_a_previous_build_nothing_is_reused(settings: Settings) -> None:
    expected = expected_fingerprint(settings, HashEmbedder(), settings.corpus_dir)
    reuse = Previous(None, expected)
    assert reuse.document(RELEASE.name, settings.corpus_dir, expected.corpus_files) is None
    assert reuse.vector("anything") is None
