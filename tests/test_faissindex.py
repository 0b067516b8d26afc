"""FAISS indexes by size (qa/index/faissindex.py): exact search equals numpy brute force, HNSW
recall against it, IVF-PQ on request, and the type chosen by the number of vectors."""

from __future__ import annotations

import numpy as np
import pytest

from qa.index.core import choose_index_type, make_faiss_index
from qa.index.faissindex import HNSW_EF_SEARCH, IVFPQ_NPROBE, restricted_search

pytestmark = pytest.mark.usefixtures("one_faiss_thread")


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


def _unit_rows(rows: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("count", "requested", "threshold", "chosen"),
    [
        (199_999, "auto", 200_000, "flat"),
        (200_000, "auto", 200_000, "hnsw"),  # the threshold itself is approximate search
        (10, "auto", 5, "hnsw"),
        (1_000_000, "flat", 200_000, "flat"),  # a requested type always wins
    ],
)
def test_the_threshold_separates_exact_from_approximate(
    count: int, requested: str, threshold: int, chosen: str
) -> None:
    assert choose_index_type(count, requested, threshold) == chosen


@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_each_index_holds_every_row_under_its_row_number(index_type: str) -> None:
    vectors = _unit_rows(200, 16, seed=5)
    index = make_faiss_index(vectors, index_type)
    assert index.ntotal == 200
    scores, rows = index.search(vectors[[0, 57, 199]], 1)
    assert rows[:, 0].tolist() == [0, 57, 199]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)  # inner product of unit vectors: cosine


def test_hnsw_and_ivfpq_get_their_search_breadth() -> None:
    vectors = _unit_rows(300, 48, seed=6)  # IVF-PQ: 48 subquantizers, 256 training rows
    assert make_faiss_index(vectors, "hnsw").hnsw.efSearch == HNSW_EF_SEARCH
    ivfpq = make_faiss_index(vectors, "ivfpq")
    assert ivfpq.nprobe == IVFPQ_NPROBE and ivfpq.ntotal == 300


@pytest.mark.parametrize(("count", "dim"), [(55, 384), (300, 100), (300, 384)])
def test_ivfpq_builds_for_any_corpus_size_and_dimension(count: int, dim: int, caplog) -> None:  # type: ignore[no-untyped-def]
    """A 55-chunk release is too small to train 8-bit codes (searched exactly, and said so);
    a dimension that 48 does not divide gets the most sub-quantizers that divide it."""
    vectors = _unit_rows(count, dim, seed=8)
    index = make_faiss_index(vectors, "ivfpq")
    assert index.ntotal == count
    _, rows = index.search(vectors[:1], 5)
    assert (rows >= 0).all()
    if count < 256:
        assert "searching these 55 exactly" in caplog.text
    else:
        subquantizers = index.pq.M
        assert subquantizers == {100: 25, 384: 48}[dim]


def test_no_vectors_make_an_empty_exact_index_and_an_unknown_type_is_refused() -> None:
    empty = make_faiss_index(np.zeros((0, 8), dtype=np.float32), "hnsw")
    assert empty.ntotal == 0 and empty.d == 8
    with pytest.raises(ValueError, match="unknown index type 'annoy'"):
        make_faiss_index(_unit_rows(4, 8, seed=7), "annoy")


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
