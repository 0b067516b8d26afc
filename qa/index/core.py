"""The index of a corpus: FAISS vectors + chunk records + BM25, kept fresh.

`open_index` loads the stored build when its manifest fits the corpus, model and chunker
(qa/index/freshness.py), else rebuilds it (qa/index/builder.py) or refuses. The build folder format
and the `Index` record are in qa/index/io.py; the FAISS index type is chosen by size in
qa/index/faissindex.py (re-exported here).
"""

from __future__ import annotations

import logging

from qa.config import Settings
from qa.index import store
from qa.index.builder import build
from qa.index.builder import figures_by_chunk as _figures_by_chunk  # noqa: F401 (bench/build.py)
from qa.index.embedding import Embedder
from qa.index.faissindex import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    IVFPQ_NPROBE,
    IVFPQ_SUBQUANTIZERS,
    choose_index_type,
    make_faiss_index,
)
from qa.index.freshness import corpus_hashes, expected_fingerprint, stale_reasons
from qa.index.io import Index, load
from qa.ingest.corpus import file_hash

__all__ = [
    "HNSW_EF_CONSTRUCTION",
    "HNSW_EF_SEARCH",
    "HNSW_M",
    "IVFPQ_NPROBE",
    "IVFPQ_SUBQUANTIZERS",
    "Index",
    "build",
    "choose_index_type",
    "corpus_hashes",
    "expected_fingerprint",
    "file_hash",
    "load",
    "make_faiss_index",
    "open_index",
    "stale_reasons",
    "store",
]

log = logging.getLogger(__name__)
# faiss logs which CPU build it loads at INFO; that is noise for `qa -v`.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)


def open_index(settings: Settings, embedder: Embedder, *, rebuild: bool | None = None) -> Index:
    """Load the index if it fits the corpus, model and chunker; otherwise rebuild it (logged),
    or raise IndexStale / IndexMissing / IndexCorrupt when rebuilding is off."""
    allow = settings.auto_rebuild if rebuild is None else rebuild
    expected = expected_fingerprint(settings, embedder, settings.corpus_dir)
    previous: Index | None = None
    try:
        index = previous = load(settings.index_dir)
        reasons = stale_reasons(index.manifest, expected)
        if not reasons:
            log.info("using index %s (%d chunks)", index.folder, len(index.chunks))
            return index
        summary = "; ".join(reasons[:5])
        problem: store.IndexError_ = store.IndexStale(
            f"index in {settings.index_dir} is out of date: {summary}; run `qa index`"
        )
    except store.IndexError_ as error:
        problem = error
    if not allow:
        raise problem
    log.warning("rebuilding index: %s", problem)
    with store.writer_lock(settings.index_dir, wait=True):
        # Another process may have rebuilt it while we waited for the lock.
        try:
            index = previous = load(settings.index_dir)
            if not stale_reasons(index.manifest, expected):
                return index
        except store.IndexError_:
            pass
        return build(settings, embedder, progress=True, previous=previous)
