"""`qa index --ray` (qa/distributed/ray_index.py) without a cluster: the embedder that takes
corpus vectors from Ray jobs (a stand-in job here), the texts a build plans to embed, and a fresh
index left alone without contacting Ray. Builds on a real cluster are in tests/test_distributed.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.distributed.ray_embed import EmbedReport
from qa.distributed.ray_index import RayBuild, RayEmbedder, build_on_ray, plan_texts
from qa.index.core import build
from qa.index.embedding import HashEmbedder


def test_ray_embedder_takes_prefetched_texts_from_memory_and_small_misses_locally() -> None:
    from qa.distributed.ray_index import RayEmbedder

    local = HashEmbedder()
    embedder = RayEmbedder(local, "hash", actors=2, min_remote=100)
    jobs: list[list[str]] = []

    def fake_remote(texts: list[str]) -> np.ndarray:
        jobs.append(texts)
        return local.embed(texts)

    embedder._remote = fake_remote  # type: ignore[method-assign]
    embedder.prefetch(["revenue rose", "gross margin", "revenue rose"])
    vectors = embedder.embed(["gross margin", "net loss", "revenue rose"])
    np.testing.assert_array_equal(
        vectors, local.embed(["gross margin", "net loss", "revenue rose"])
    )
    assert jobs == [["revenue rose", "gross margin"]]  # one job, duplicates once
    assert embedder.counts == {"prefetched": 2, "hits": 2, "local": 1}
    assert (embedder.name, embedder.dim) == (local.name, local.dim)


def _recording(embedder: RayEmbedder) -> list[list[str]]:
    """Replace the Ray job by the local model; return the texts each job was given."""
    jobs: list[list[str]] = []

    def job(texts: list[str]) -> np.ndarray:
        jobs.append(texts)
        return embedder.local.embed(texts)

    embedder._remote = job  # type: ignore[method-assign]
    return jobs


def test_a_large_unforeseen_batch_goes_to_the_cluster_and_questions_stay_local() -> None:
    local = HashEmbedder()
    embedder = RayEmbedder(local, "hash", min_remote=3)
    jobs = _recording(embedder)
    texts = ["revenue", "net loss", "gross margin", "cash"]
    np.testing.assert_array_equal(embedder.embed(texts), local.embed(texts))
    assert jobs == [texts] and embedder.counts == {"hits": 0, "remote": 4}
    np.testing.assert_array_equal(embedder.embed_query("revenue?"), local.embed_query("revenue?"))
    assert embedder.count_tokens("total revenue was") == local.count_tokens("total revenue was")
    assert len(jobs) == 1


def test_a_second_prefetch_of_known_texts_runs_no_job() -> None:
    embedder = RayEmbedder(HashEmbedder(), "hash")
    jobs = _recording(embedder)
    embedder.prefetch(["revenue", "cash"])
    embedder.prefetch(["cash", "revenue"])
    embedder.prefetch([])
    assert jobs == [["revenue", "cash"]]


def test_plan_texts_lists_each_chunk_text_once_less_what_the_last_build_reuses(
    corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    everything = plan_texts(settings, HashEmbedder(), force=False)  # no index yet
    built = build(settings, HashEmbedder())
    assert len(everything) == len(set(everything)) == len({c.text for c in built.chunks})
    assert plan_texts(settings, HashEmbedder(), force=False) == []
    assert plan_texts(settings, HashEmbedder(), force=True) == everything
    (corpus_copy / "other.txt").write_text("Other Co Results\n\nRevenue was RMB9 billion.\n")
    new = plan_texts(settings, HashEmbedder(), force=False)
    assert len(new) == 1 and "Revenue was RMB9 billion." in new[0]
    other_model = plan_texts(settings, HashEmbedder(dim=32), force=False)  # nothing reusable
    assert sorted(other_model) == sorted([*everything, *new])


def test_a_fresh_index_is_left_alone_without_contacting_ray(hash_settings: Settings) -> None:
    index = build(hash_settings, HashEmbedder())
    result = build_on_ray(hash_settings, "unreachable-host:1", embedder=HashEmbedder())
    assert result.built is False and result.reports == ()
    assert result.index.folder == index.folder


def test_rows_per_node_add_up_over_jobs(hash_settings: Settings) -> None:
    def report(rows_per_node: dict[str, int]) -> EmbedReport:
        rows = sum(rows_per_node.values())
        return EmbedReport(rows, 4, 2, 1.0, rows_per_node, {}, {}, 0.0, {})

    index = build(hash_settings, HashEmbedder())
    result = RayBuild(index, True, (report({"a": 10, "b": 5}), report({"b": 7})))
    assert result.rows_per_node() == {"a": 10, "b": 12}
