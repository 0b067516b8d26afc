"""Per-shard FAISS indexes from one shared trained index, merged into the index a build
writes (one `vectors.faiss`, row i = chunk i, as the embedded path writes it).

IVF-PQ needs training: it is trained once, on the same sample and with the same parameters
as `qa.index.faissindex.make_faiss_index` (so the result equals the embedded build), serialized, and
every shard task adds its rows under their global int64 ids; the shards are merged in id
order. Flat and HNSW need no training: flat is the vectors themselves, and HNSW graphs
cannot be merged, so both are built as in the embedded path.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.index.faissindex import IVFPQ_NPROBE, IVFPQ_SUBQUANTIZERS, make_faiss_index

if TYPE_CHECKING:
    from numpy.typing import NDArray


def ivfpq_lists(count: int) -> int:
    """Inverted lists for `count` vectors, as make_faiss_index chooses them.

    >>> ivfpq_lists(100_000), ivfpq_lists(1_000_000), ivfpq_lists(10)
    (1264, 4000, 1)
    """
    return max(1, min(int(4 * np.sqrt(count)), count // 39))


def trained_ivfpq(vectors: NDArray[np.float32]) -> Any:
    """An empty IVF-PQ index trained exactly as make_faiss_index trains it for `vectors`."""
    import faiss

    count, dim = vectors.shape
    lists = ivfpq_lists(count)
    index = faiss.IndexIVFPQ(
        faiss.IndexFlatIP(dim), dim, lists, IVFPQ_SUBQUANTIZERS, 8, faiss.METRIC_INNER_PRODUCT
    )
    index.train(np.ascontiguousarray(vectors[: min(count, 256 * lists)]))
    index.nprobe = IVFPQ_NPROBE
    return index


def add_shard(
    trained: NDArray[np.uint8], ids: NDArray[np.int64], vectors: NDArray[np.float32]
) -> NDArray[np.uint8]:
    """A copy of the serialized trained index holding `vectors` under their global `ids`."""
    import faiss

    index = faiss.deserialize_index(trained)
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return np.asarray(faiss.serialize_index(index))


def merge_shards(trained: Any, shards: list[NDArray[np.uint8]]) -> Any:
    """The trained index with every shard merged in (shards in id order)."""
    import faiss

    for blob in shards:
        trained.merge_from(faiss.deserialize_index(blob), 0)
    return trained


def shard_ranges(count: int, shards: int) -> list[tuple[int, int]]:
    """Contiguous, non-empty [start, end) id ranges covering `count` rows.

    Unlike `Dataset.split(equal=False)`, no shard is ever empty:

    >>> shard_ranges(10, 3), shard_ranges(2, 4), shard_ranges(0, 2)
    ([(0, 3), (3, 7), (7, 10)], [(0, 1), (1, 2)], [])
    """
    shards = max(1, min(shards, count))
    bounds = [round(count * i / shards) for i in range(shards + 1)] if count else []
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def sharded_faiss_index(vectors: NDArray[np.float32], index_type: str, *, shards: int) -> Any:
    """The FAISS index of `index_type` over `vectors`; IVF-PQ shards are filled on Ray tasks."""
    if index_type != "ivfpq" or len(vectors) == 0:
        return make_faiss_index(vectors, index_type)
    import faiss
    import ray

    trained = trained_ivfpq(vectors)
    blob = ray.put(np.asarray(faiss.serialize_index(trained)))
    task = ray.remote(num_cpus=1)(add_shard)
    futures = [
        task.remote(blob, np.arange(a, b, dtype=np.int64), vectors[a:b])
        for a, b in shard_ranges(len(vectors), shards)
    ]
    return merge_shards(trained, ray.get(futures))
