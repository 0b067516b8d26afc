"""FAISS indexes by size: exact search below a threshold, HNSW above, IVF-PQ on request.

Inner product equals cosine similarity because every vector is L2-normalized. The parameters
are module constants so bench/scale.py can try others (`python -m bench.scale NAME=VALUE`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.config import DEFAULT_ANN_THRESHOLD

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "HNSW_EF_CONSTRUCTION",
    "HNSW_EF_SEARCH",
    "HNSW_M",
    "IVFPQ_NPROBE",
    "IVFPQ_SUBQUANTIZERS",
    "choose_index_type",
    "make_faiss_index",
    "restricted_search",
]

# HNSW graph degree and search breadth: recall@10 >= 0.95 at 1M vectors (see bench/).
HNSW_M = 32
HNSW_EF_SEARCH = 64
HNSW_EF_CONSTRUCTION = 80
# IVF-PQ: lists ~ 4*sqrt(n); 48 sub-quantizers of 8 bits for 384-d (8 dims each).
IVFPQ_SUBQUANTIZERS = 48
IVFPQ_NPROBE = 32
# An 8-bit code book has 256 centroids per sub-quantizer: FAISS cannot train it on fewer
# vectors, and a corpus that small is searched exactly in well under a millisecond anyway.
IVFPQ_MIN_VECTORS = 256

log = logging.getLogger(__name__)


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
        index = _ivfpq(vectors)
    else:
        raise ValueError(f"unknown index type {index_type!r}")
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _ivfpq(vectors: NDArray[np.float32]) -> Any:
    """A trained IVF-PQ index for `vectors`, or an exact one (logged) when there are too few
    to train it. Sub-quantizers: the most, up to 48, that divide the model's dimension."""
    import faiss

    count, dim = vectors.shape
    if count < IVFPQ_MIN_VECTORS:
        log.warning(
            "IVF-PQ needs at least %d vectors to train; searching these %d exactly",
            IVFPQ_MIN_VECTORS,
            count,
        )
        return faiss.IndexFlatIP(dim)
    subquantizers = max(m for m in range(1, IVFPQ_SUBQUANTIZERS + 1) if dim % m == 0)
    lists = max(1, min(int(4 * np.sqrt(count)), count // 39))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(quantizer, dim, lists, subquantizers, 8, faiss.METRIC_INNER_PRODUCT)
    index.train(np.ascontiguousarray(vectors[: min(count, 256 * lists)], dtype=np.float32))
    index.nprobe = IVFPQ_NPROBE
    return index


def restricted_search(
    index: Any, query: NDArray[np.float32], k: int, rows: NDArray[np.int64]
) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
    """Top-k (scores, rows) among `rows` only (a question restricted to some documents):
    searching everything and filtering after would leave a document's chunks outside the
    global top k without a dense score."""
    import faiss

    lib: Any = faiss  # the stubs lack the search-parameter classes
    params: Any
    if isinstance(index, lib.IndexHNSW):
        params = lib.SearchParametersHNSW()
        params.efSearch = max(index.hnsw.efSearch, k)
    elif isinstance(index, lib.IndexIVF):
        params = lib.SearchParametersIVF()
        params.nprobe = index.nprobe
    else:
        params = lib.SearchParameters()
    selector = lib.IDSelectorBatch(rows)
    params.sel = selector  # the selector must outlive the search: kept in this frame
    scores, found = index.search(query, k, params=params)
    return scores, found
