"""One Ray Data job: texts -> vectors on an actor pool, with where each row was embedded.

Row i of the job is text i (a global int64 id), so batches come back in any order and land in
their row. Each actor loads the model once (one torch thread) and reports its node, its model
load time and its CPU time, so the driver can show the balance and the overheads.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.index import store
from qa.index.embedding import BATCH_SIZE, make_embedder

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

# Rows per Ray Data block, and at least this many blocks per actor: Ray Data puts a small
# input into one block, and then one actor does all the work while the others wait.
ROWS_PER_BLOCK = 256
BLOCKS_PER_ACTOR = 4
# How long a job waits for every actor to load its model before any work is dispatched (so
# the first actor up does not take every block), and fails with a clear message after.
ACTOR_START_TIMEOUT_S = 600
# Called on the driver as vectors arrive: (rows done, rows in the job).
Progress = Callable[[int, int], None]


class RayIndexError(store.IndexError_):
    """The cluster could not embed the corpus; the previous index is untouched."""


@dataclass(frozen=True)
class EmbedReport:
    """What one Ray Data embedding job did, per node and per actor."""

    rows: int
    blocks: int
    actors: int
    seconds: float
    rows_per_node: dict[str, int]
    rows_per_actor: dict[str, int]
    load_seconds: dict[str, float]  # model load time per actor
    cpu_seconds: float  # process CPU time the actors spent in embed() (excludes the load)
    actor_cpu_seconds: dict[str, float]  # each actor process's CPU time, imports and load too


class EmbedWorker:
    """A Ray Data actor: loads the model once (one torch thread), then embeds batches.

    Each output row carries its node and actor, so the driver can count the balance.
    """

    def __init__(self, model: str, threads: int = 1) -> None:
        import ray

        started = time.perf_counter()
        self.embedder = make_embedder(model, threads)
        getattr(self.embedder, "warm_up", lambda: None)()
        self.load_seconds = time.perf_counter() - started
        self.node = ray.get_runtime_context().get_node_id()
        self.actor = f"{self.node[:8]}/{os.getpid()}"

    def __call__(self, batch: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        started = time.process_time()
        vectors = self.embedder.embed([str(text) for text in batch["text"]])
        count = len(vectors)
        return {
            "id": np.asarray(batch["id"], dtype=np.int64),
            "vector": vectors,
            "node": np.full(count, self.node),
            "actor": np.full(count, self.actor),
            "load_seconds": np.full(count, self.load_seconds),
            "cpu_seconds": np.full(count, (time.process_time() - started) / max(count, 1)),
            "process_cpu": np.full(count, time.process_time()),
        }


@dataclass
class _Tally:
    """Counts what the batches of one job say about where they were embedded."""

    rows: int
    filled: NDArray[np.bool_] = field(init=False)
    nodes: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    loads: dict[str, float] = field(default_factory=dict)
    process_cpu: dict[str, float] = field(default_factory=dict)
    cpu: float = 0.0

    def __post_init__(self) -> None:
        self.filled = np.zeros(self.rows, dtype=bool)

    @property
    def done(self) -> int:
        return int(self.filled.sum())

    def add(self, batch: dict[str, NDArray[Any]]) -> None:
        self.filled[batch["id"]] = True
        actors = batch["actor"].tolist()
        self.nodes.update(batch["node"].tolist())
        self.actors.update(actors)
        self.loads.update(zip(actors, batch["load_seconds"].tolist(), strict=True))
        self.cpu += float(batch["cpu_seconds"].sum())
        for actor, used in zip(actors, batch["process_cpu"].tolist(), strict=True):
            self.process_cpu[actor] = max(used, self.process_cpu.get(actor, 0.0))

    def report(self, blocks: int, actors: int, seconds: float) -> EmbedReport:
        return EmbedReport(
            self.rows, blocks, actors, seconds, dict(self.nodes), dict(self.actors),
            self.loads, self.cpu, self.process_cpu,
        )  # fmt: skip


def cluster_cpus() -> int:
    """CPUs the connected cluster offers (at least 1)."""
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]


def block_count(rows: int, actors: int) -> int:
    """Blocks to cut `rows` into: every actor gets several, none is under-filled needlessly.

    >>> block_count(3000, 2), block_count(10, 2), block_count(100_000, 4)
    (12, 8, 391)
    """
    return max(1, min(rows, max(actors * BLOCKS_PER_ACTOR, math.ceil(rows / ROWS_PER_BLOCK))))


def embed_on_ray(
    texts: list[str],
    model: str,
    dim: int,
    *,
    actors: int | None = None,
    threads: int = 1,
    progress: Progress | None = None,
) -> tuple[NDArray[np.float32], EmbedReport]:
    """Embed `texts` on the connected cluster; row i of the result is texts[i]."""
    import ray
    import ray.data

    started = time.perf_counter()
    actors = actors or cluster_cpus()
    blocks = block_count(len(texts), actors)
    ray.data.DataContext.get_current().wait_for_min_actors_s = ACTOR_START_TIMEOUT_S
    dataset = ray.data.from_items(
        [{"id": i, "text": text} for i, text in enumerate(texts)], override_num_blocks=blocks
    ).map_batches(
        EmbedWorker,
        fn_constructor_kwargs={"model": model, "threads": threads},
        batch_size=BATCH_SIZE,
        batch_format="numpy",
        # One task in flight per actor: a free actor takes the next block. With more, the
        # actor on the driver's node (where the input blocks live) queues most of them.
        compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1),
        num_cpus=threads,
        udf_modifying_row_count=False,
    )
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
    tally = _Tally(len(texts))
    try:
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            vectors[batch["id"]] = batch["vector"]
            tally.add(batch)
            if progress is not None:
                progress(tally.done, len(texts))
    except Exception as error:  # Ray wraps worker failures in many types; name the first line
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise RayIndexError(
            f"embedding {len(texts)} texts on the Ray cluster failed: {first[:300]}; "
            "the previous index is unchanged"
        ) from error
    if tally.done != len(texts):
        raise RayIndexError(
            f"the Ray job returned {tally.done} of {len(texts)} vectors; "
            "the previous index is unchanged"
        )
    report = tally.report(blocks, actors, time.perf_counter() - started)
    log.info("embedded %d texts on %d actors in %.1f s: %s", len(texts), actors,
             report.seconds, report.rows_per_node)  # fmt: skip
    return vectors, report
