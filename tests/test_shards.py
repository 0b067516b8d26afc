"""Sharded FAISS indexes (qa/distributed/shards.py) without a cluster: IVF-PQ trained once,
filled shard by shard under global ids and merged, equals the index the embedded build makes.
Nothing here needs Ray: the Ray tasks are only in `sharded_faiss_index` for a non-empty IVF-PQ
index, the one case these tests leave out."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from qa.distributed.shards import (
    add_shard,
    ivfpq_lists,
    merge_shards,
    shard_ranges,
    sharded_faiss_index,
    trained_ivfpq,
)
from qa.index import core as index_module
from qa.index.faissindex import IVFPQ_NPROBE, make_faiss_index

pytestmark = pytest.mark.usefixtures("one_faiss_thread")


def _normalized(rows: int, dim: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("count, shards", [(0, 3), (1, 4), (7, 7), (10, 3), (1001, 16)])
def test_shard_ranges_cover_every_row_once_and_none_is_empty(count: int, shards: int) -> None:
    ranges = shard_ranges(count, shards)
    assert all(end > start for start, end in ranges)
    covered = [i for start, end in ranges for i in range(start, end)]
    assert covered == list(range(count))


# At the model's size (2,000 x 384) IVF-PQ trains for 10-20 s on a shared 2-core host, so this
# one keeps the marker it had in tests/test_distributed.py; the 48-d test below runs always.
@pytest.mark.distributed
def test_ivfpq_shards_merged_equal_the_embedded_ivfpq_index_byte_for_byte() -> None:
    import faiss

    vectors = _normalized(2000, 384)
    trained = trained_ivfpq(vectors)
    blob = np.asarray(faiss.serialize_index(trained))
    shards = [add_shard(blob, np.arange(a, b), vectors[a:b]) for a, b in shard_ranges(2000, 3)]
    merged = merge_shards(trained, shards)
    embedded = index_module.make_faiss_index(vectors, "ivfpq")
    assert bytes(faiss.serialize_index(merged)) == bytes(faiss.serialize_index(embedded))


@pytest.mark.parametrize(
    ("count", "shards", "ranges"),
    [
        (10, 3, [(0, 3), (3, 7), (7, 10)]),
        (2, 4, [(0, 1), (1, 2)]),  # never more shards than rows
        (5, 0, [(0, 5)]),  # at least one shard
        (0, 2, []),
    ],
)
def test_shard_ranges_are_contiguous_and_balanced(
    count: int, shards: int, ranges: list[tuple[int, int]]
) -> None:
    assert shard_ranges(count, shards) == ranges


def test_the_trained_index_is_empty_and_once_filled_searches_like_the_embedded_one() -> None:
    vectors = _normalized(300, 48, seed=1)
    trained = trained_ivfpq(vectors)
    assert trained.is_trained and trained.ntotal == 0
    assert trained.nprobe == IVFPQ_NPROBE and trained.nlist == ivfpq_lists(300)
    embedded = make_faiss_index(vectors, "ivfpq")
    assert embedded.nlist == trained.nlist
    trained.add(vectors)
    assert np.array_equal(trained.search(vectors[:5], 3)[1], embedded.search(vectors[:5], 3)[1])


def test_a_shard_holds_its_rows_under_their_global_ids() -> None:
    vectors = _normalized(300, 48, seed=2)
    blob = np.asarray(faiss.serialize_index(trained_ivfpq(vectors)))
    shard = faiss.deserialize_index(add_shard(blob, np.arange(200, 300), vectors[200:300]))
    assert shard.ntotal == 100
    _, ids = shard.search(vectors[[250, 299]], 1)
    assert ids[:, 0].tolist() == [250, 299]
    assert faiss.deserialize_index(blob).ntotal == 0  # the shared trained index is untouched


@pytest.mark.parametrize("index_type", ["flat", "hnsw", "ivfpq"])
def test_without_ray_work_the_sharded_index_is_the_embedded_one(index_type: str) -> None:
    vectors = _normalized(300, 32, seed=3)
    if index_type == "ivfpq":  # IVF-PQ of no rows: nothing to fill on Ray
        vectors = vectors[:0]
    sharded = sharded_faiss_index(vectors, index_type, shards=4)
    embedded = make_faiss_index(vectors, index_type)
    assert sharded.ntotal == embedded.ntotal == len(vectors)
    if len(vectors):
        queries = vectors[:5]
        assert np.array_equal(sharded.search(queries, 3)[1], embedded.search(queries, 3)[1])


def test_small_ivfpq_shards_merged_equal_the_embedded_index_byte_for_byte() -> None:
    vectors = _normalized(300, 48, seed=4)
    trained = trained_ivfpq(vectors)
    blob = np.asarray(faiss.serialize_index(trained))
    parts = [add_shard(blob, np.arange(a, b), vectors[a:b]) for a, b in shard_ranges(300, 4)]
    merged = merge_shards(trained, parts)
    embedded = make_faiss_index(vectors, "ivfpq")
    assert bytes(faiss.serialize_index(merged)) == bytes(faiss.serialize_index(embedded))
