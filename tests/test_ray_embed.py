"""One Ray Data embedding job (qa/distributed/ray_embed.py) without a cluster: how many blocks a
job is cut into, and `embed_on_ray` driven by a stand-in for Ray Data that runs the real
`EmbedWorker` on batches out of order, loses rows, or fails. Jobs on a real cluster are in the
cluster suite (tests/test_distributed.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from qa.distributed.ray_embed import (
    BLOCKS_PER_ACTOR,
    ROWS_PER_BLOCK,
    RayIndexError,
    block_count,
    embed_on_ray,
)
from qa.index import store
from qa.index.embedding import HashEmbedder


@pytest.mark.parametrize(
    ("rows", "actors", "blocks"),
    [
        (3000, 2, 12),  # one block per 256 rows
        (10, 2, BLOCKS_PER_ACTOR * 2),  # a small job still gives every actor several blocks
        (3, 4, 3),  # never more blocks than rows
        (0, 2, 1),  # at least one
        (100_000, 4, -(-100_000 // ROWS_PER_BLOCK)),
    ],
)
def test_block_count_keeps_every_actor_busy_without_tiny_blocks(
    rows: int, actors: int, blocks: int
) -> None:
    assert block_count(rows, actors) == blocks


class _Dataset:
    """Ray Data as embed_on_ray uses it: blocks of items, one actor class mapped over batches.
    Blocks come back last first, so rows must land by their id, not their arrival."""

    def __init__(self, items: list[dict[str, Any]], blocks: int, drop: int, error: str) -> None:
        size = -(-len(items) // blocks)
        self.blocks = [items[i : i + size] for i in range(0, len(items), size)]
        self.drop, self.error = drop, error
        self.worker: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        self.batch_size = 0

    def map_batches(self, actor: type, *, fn_constructor_kwargs: dict[str, Any],
                    batch_size: int, **_: Any) -> _Dataset:  # fmt: skip
        self.worker, self.batch_size = actor(**fn_constructor_kwargs), batch_size
        return self

    def iter_batches(self, **_: Any) -> Iterator[dict[str, Any]]:
        assert self.worker is not None
        for block in reversed(self.blocks[self.drop :]):
            for i in range(0, len(block), self.batch_size):
                rows = block[i : i + self.batch_size]
                ids, texts = [r["id"] for r in rows], [r["text"] for r in rows]
                yield self.worker({"id": np.array(ids), "text": np.array(texts)})
        if self.error:
            raise RuntimeError(self.error)


@pytest.fixture
def fake_ray(monkeypatch: pytest.MonkeyPatch) -> Callable[..., SimpleNamespace]:
    """Install a stand-in `ray` whose jobs drop `drop` blocks or end raising `error`."""

    def install(drop: int = 0, error: str = "") -> SimpleNamespace:
        context = SimpleNamespace(wait_for_min_actors_s=0)
        data = SimpleNamespace(
            DataContext=SimpleNamespace(get_current=lambda: context),
            ActorPoolStrategy=lambda **kwargs: kwargs,
            from_items=lambda items, override_num_blocks: _Dataset(
                items, override_num_blocks, drop, error
            ),
        )
        node = SimpleNamespace(get_node_id=lambda: "node0123456789")
        ray = SimpleNamespace(data=data, get_runtime_context=lambda: node, context=context)
        monkeypatch.setitem(sys.modules, "ray", ray)
        monkeypatch.setitem(sys.modules, "ray.data", data)
        return ray

    return install


TEXTS = [f"Segment {i} revenue grew {i}% to RMB{i} million." for i in range(70)]


def test_rows_land_by_id_whatever_order_the_batches_arrive(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    ray = fake_ray()
    done: list[int] = []
    vectors, report = embed_on_ray(
        TEXTS, "hash", HashEmbedder().dim, actors=2, progress=lambda d, t: done.append(d)
    )
    np.testing.assert_array_equal(vectors, HashEmbedder().embed(TEXTS))
    assert ray.context.wait_for_min_actors_s > 0  # actors load their model before work starts
    assert done[-1] == len(TEXTS) and done == sorted(done)
    assert (report.rows, report.blocks, report.actors) == (70, block_count(70, 2), 2)
    assert report.rows_per_node == {"node0123456789": 70}
    (actor,) = report.rows_per_actor
    assert actor.startswith("node0123/") and report.rows_per_actor[actor] == 70
    assert set(report.load_seconds) == {actor}


def test_a_job_that_loses_rows_fails_and_leaves_the_index_alone(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    fake_ray(drop=1)
    with pytest.raises(RayIndexError, match=r"returned \d+ of 70 vectors; the previous index"):
        embed_on_ray(TEXTS, "hash", HashEmbedder().dim, actors=2)


def test_a_failed_worker_is_named_by_the_first_line_of_its_error(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    fake_ray(error="ActorDiedError: the actor died unexpectedly\nTraceback (most recent ...")
    said = r"70 texts on the Ray cluster failed: ActorDiedError: the actor died unexpectedly; the"
    with pytest.raises(RayIndexError, match=said) as info:
        embed_on_ray(TEXTS, "hash", HashEmbedder().dim, actors=2)
    assert isinstance(info.value, store.IndexError_)  # the CLI reports it as an index error
