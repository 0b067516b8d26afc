"""The index of a corpus: FAISS vectors + chunk records + BM25, kept fresh.

`open_index` loads the stored build when its manifest fits the corpus, model and chunker
(qa/manifest.py), else rebuilds it (qa/indexbuild.py) or refuses. The build folder format and
the `Index` record are in qa/indexio.py. The FAISS index type is chosen here by size.
Inner product equals cosine similarity because every vector is L2-normalized.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from qa import store
from qa.config import DEFAULT_ANN_THRESHOLD, Settings
from qa.corpus import file_hash
from qa.embedding import Embedder
from qa.indexbuild import build
from qa.indexbuild import figures_by_chunk as _figures_by_chunk  # noqa: F401 (bench/build.py)
from qa.indexio import Index, load
from qa.manifest import corpus_hashes, expected_manifest, stale_reasons

if TYPE_CHECKING:
    from numpy.typing import NDArray

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
    "expected_manifest",
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

# HNSW graph degree and search breadth: recall@10 >= 0.95 at 1M vectors (see bench/).
HNSW_M = 32
HNSW_EF_SEARCH = 64
HNSW_EF_CONSTRUCTION = 80
# IVF-PQ: lists ~ 4*sqrt(n); 48 sub-quantizers of 8 bits for 384-d (8 dims each).
IVFPQ_SUBQUANTIZERS = 48
IVFPQ_NPROBE = 32


def choose_index_type(
    count: int, requested: str = "auto", threshold: int = DEFAULT_ANN_THRESHOLD
) -> str:
    """Exact search below `threshold` vectors, HNSW above (unless a type is requested).

    >>> choose_index_type(57), choose_index_type(1_000_000), choose_index_type(10, "hnsw")
    ('flat', 'hnsw', 'hnsw')
    """
    if requested != "auto":
        return requested
    return "flat" if count < threshold else "hnsw"


def make_faiss_index(vectors: NDArray[np.float32], index_type: str) -> Any:
    """A FAISS inner-product index of the given type holding `vectors` (row i = id i)."""
    import faiss

    count, dim = vectors.shape
    index: Any
    if index_type == "flat" or count == 0:
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif index_type == "ivfpq":
        lists = max(1, min(int(4 * np.sqrt(count)), count // 39))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(
            quantizer, dim, lists, IVFPQ_SUBQUANTIZERS, 8, faiss.METRIC_INNER_PRODUCT
        )
        index.train(vectors[: min(count, 256 * lists)])
        index.nprobe = IVFPQ_NPROBE
    else:
        raise ValueError(f"unknown index type {index_type!r}")
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def open_index(settings: Settings, embedder: Embedder, *, rebuild: bool | None = None) -> Index:
    """Load the index if it fits the corpus, model and chunker; otherwise rebuild it (logged),
    or raise IndexStale / IndexMissing / IndexCorrupt when rebuilding is off."""
    allow = settings.auto_rebuild if rebuild is None else rebuild
    expected = expected_manifest(settings, embedder, settings.corpus_dir)
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
