"""Scale: synthetic corpora of 100,000 and 1,000,000 chunk vectors (384-d, unit length) through
the real `qa.index.faissindex.make_faiss_index` for each index type: build time, memory,
single-query search p50 (k=10) and recall@10 against exact search.

Two data sets, reported side by side:
  gaussian   i.i.d. normal vectors: no structure at all, the worst case for any ANN index
  clustered  a mixture of Gaussians around a few thousand centroids (a point's cosine to its
             centroid is about 0.7, to an unrelated point about 0), closer to real embeddings

Each (size, data set, type) builds in its own child process (`python -m bench.scale ...`) so
its memory (RSS growth from building the index) is not mixed with the others. Search is timed
with one FAISS thread (what a query should use on a shared 2-core machine) in wall time and in
CPU time; CPU time is what the query costs an idle core, wall time includes the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.common import Context, Row, judged, last_json_line, percentile, run_child

if TYPE_CHECKING:
    from numpy.typing import NDArray

NAME = "scale"
DIM = 384
K = 10
# The pipeline asks FAISS for this many dense candidates before fusion (qa.retrieval).
PIPELINE_K = 100
DATASETS = ("gaussian", "clustered")
TYPES = ("flat", "hnsw", "ivfpq")
# Clustered data: this many points per centroid on average, at most this many centroids.
POINTS_PER_CLUSTER = 250
MAX_CLUSTERS = 4096
# Noise norm relative to the unit centroid: cosine(point, centroid) ~ 1/sqrt(1 + s^2) ~ 0.7.
CLUSTER_SPREAD = 1.0
# Search-parameter sweeps reported next to the configured value.
SWEEPS = {"hnsw": ("efSearch", (32, 64, 128, 256)), "ivfpq": ("nprobe", (8, 16, 32, 64, 128))}
# Goals at 1M (issue 7).
GOAL_P50_MS = "<= 5"
GOAL_RECALL = ">= 0.95"


def unit_rows(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    """Normalize rows in place to unit length; returns the same array."""
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return matrix


def make_vectors(
    kind: str, count: int, seed: int, centroids: NDArray[np.float32] | None = None
) -> NDArray[np.float32]:
    """`count` unit rows of the given kind (deterministic for a seed), built in blocks.

    >>> make_vectors("gaussian", 3, 0).shape
    (3, 384)
    """
    rng = np.random.default_rng(seed)
    out = np.empty((count, DIM), dtype=np.float32)
    for start in range(0, count, 100_000):
        stop = min(count, start + 100_000)
        block = rng.standard_normal((stop - start, DIM), dtype=np.float32)
        if kind == "clustered":
            if centroids is None:
                raise ValueError("clustered vectors need centroids")
            unit_rows(block)
            block *= CLUSTER_SPREAD
            block += centroids[rng.integers(0, len(centroids), stop - start)]
        elif kind != "gaussian":
            raise ValueError(f"unknown data set {kind!r}")
        out[start:stop] = unit_rows(block)
    return out


def exact_top_k(
    base: NDArray[np.float32], queries: NDArray[np.float32], k: int = K
) -> NDArray[np.int64]:
    """Exact top-k rows by inner product (numpy, blockwise), best first.

    >>> base = np.eye(4, dtype=np.float32)
    >>> exact_top_k(base, base[[2]], 1).tolist()
    [[2]]
    """
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(base), 200_000):
        scores = queries @ base[start : start + 200_000].T
        take = min(k, scores.shape[1])
        part = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        merged_scores = np.concatenate([best_scores, np.take_along_axis(scores, part, 1)], 1)
        merged_rows = np.concatenate([best_rows, part + start], 1)
        order = np.argsort(-merged_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(merged_scores, order, 1)
        best_rows = np.take_along_axis(merged_rows, order, 1)
    return best_rows


def prepare(folder: Path, kind: str, count: int, queries: int) -> Path:
    """Write base vectors, queries and exact neighbours for one data set; return the prefix."""
    prefix = folder / f"{kind}-{count}"
    if prefix.with_suffix(".gt.npy").exists():
        return prefix
    folder.mkdir(parents=True, exist_ok=True)
    centroids = None
    if kind == "clustered":
        clusters = max(1, min(MAX_CLUSTERS, count // POINTS_PER_CLUSTER))
        centroids = make_vectors("gaussian", clusters, seed=7)
    base = make_vectors(kind, count, seed=1, centroids=centroids)
    asked = make_vectors(kind, queries, seed=2, centroids=centroids)
    np.save(prefix.with_suffix(".base.npy"), base)
    np.save(prefix.with_suffix(".queries.npy"), asked)
    np.save(prefix.with_suffix(".gt.npy"), exact_top_k(base, asked))
    return prefix


def _rss_bytes() -> int:
    """This process's resident set size (what psutil reports, read from /proc directly)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _peak_rss_bytes() -> int:
    """This process's RSS high-water mark (VmHWM resets at exec; ru_maxrss does not)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _time_queries(
    index: Any, queries: NDArray[np.float32], k: int
) -> tuple[list[float], list[float], NDArray[np.int64]]:
    """Single-query searches: wall seconds, CPU seconds and result rows per query."""
    walls, cpus, rows = [], [], []
    for i in range(len(queries)):
        query = np.ascontiguousarray(queries[i : i + 1])  # what qa.index.core.Index.search passes
        wall, cpu = time.perf_counter(), time.process_time()
        _, found = index.search(query, k)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        rows.append(found[0])
    return walls, cpus, np.array(rows)


def recall_at_k(found: NDArray[np.int64], truth: NDArray[np.int64]) -> float:
    """Mean share of the exact top-k found.

    >>> recall_at_k(np.array([[1, 2], [3, 9]]), np.array([[2, 1], [3, 4]]))
    0.75
    """
    k = truth.shape[1]
    hits = [len(set(f[:k].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits) / k)


def child(prefix: Path, index_type: str, queries: int, params: dict[str, float]) -> dict[str, Any]:
    """Build one index through the real code path and measure it (runs in its own process)."""
    import faiss

    from qa.index import faissindex as qa_index

    for name, value in params.items():  # e.g. {"HNSW_EF_SEARCH": 128} to try other defaults
        if not hasattr(qa_index, name):
            raise SystemExit(f"qa.index.faissindex has no {name}")
        setattr(qa_index, name, type(getattr(qa_index, name))(value))
    base = np.load(prefix.with_suffix(".base.npy"))
    asked = np.load(prefix.with_suffix(".queries.npy"))[:queries]
    truth = np.load(prefix.with_suffix(".gt.npy"))[:queries]
    default_threads = faiss.omp_get_max_threads()
    rss_before = _rss_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    index = qa_index.make_faiss_index(base, index_type)
    build_wall, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss_after = _rss_bytes()
    peak = _peak_rss_bytes()
    del base

    faiss.omp_set_num_threads(1)
    walls, cpus, found = _time_queries(index, asked, K)
    result: dict[str, Any] = {
        "type": index_type,
        "count": int(index.ntotal),
        "params": params,
        "build_s": build_wall,
        "build_cpu_s": build_cpu,
        "index_bytes": rss_after - rss_before,
        "peak_rss_bytes": peak,
        "p50_ms": percentile(walls, 50) * 1e3,
        "p95_ms": percentile(walls, 95) * 1e3,
        "cpu_p50_ms": percentile(cpus, 50) * 1e3,
        "recall": recall_at_k(found, truth),
    }
    few = asked[: max(5, len(asked) // 4)]
    result["k100_cpu_p50_ms"] = percentile(_time_queries(index, few, PIPELINE_K)[1], 50) * 1e3
    faiss.omp_set_num_threads(default_threads)
    walls_default, cpus_default, _ = _time_queries(index, few, K)
    result["threads_default"] = default_threads
    result["default_threads_p50_ms"] = percentile(walls_default, 50) * 1e3
    result["default_threads_cpu_p50_ms"] = percentile(cpus_default, 50) * 1e3
    faiss.omp_set_num_threads(1)
    sweep = []
    if index_type in SWEEPS:
        knob, values = SWEEPS[index_type]
        target = index.hnsw if index_type == "hnsw" else index
        configured = getattr(target, knob)
        for value in values:
            setattr(target, knob, value)
            _, cpus_sweep, found_sweep = _time_queries(index, asked, K)
            sweep.append(
                {
                    knob: value,
                    "cpu_p50_ms": percentile(cpus_sweep, 50) * 1e3,
                    "recall": recall_at_k(found_sweep, truth),
                }
            )
        setattr(target, knob, configured)
        result["configured"] = {knob: configured}
    result["sweep"] = sweep
    return result


# (vectors, data set, index types, queries). Quick: 100k only, and no HNSW on Gaussian
# vectors (its build is the slowest 100k step, ~190 CPU-s). The ANN types are not built on 1M
# Gaussian vectors: their recall there is already far below the goal at 100k (it only falls
# with size) and an HNSW build of 1M random vectors takes most of an hour on 2 cores.
QUICK_PLAN: tuple[tuple[int, str, tuple[str, ...], int], ...] = (
    (100_000, "clustered", TYPES, 200),
    (100_000, "gaussian", ("flat",), 200),
)
FULL_PLAN = (
    (100_000, "clustered", TYPES, 200),
    (100_000, "gaussian", ("flat", "hnsw"), 200),
    (1_000_000, "clustered", TYPES, 100),
    (1_000_000, "gaussian", ("flat",), 100),
)


def run(
    ctx: Context, plan: tuple[tuple[int, str, tuple[str, ...], int], ...] | None = None
) -> list[Row]:
    """Every (size, data set, index type) of the plan, each in its own child process."""
    from qa.index.faissindex import choose_index_type

    rows: list[Row] = []
    for count, kind, types, queries in plan or (QUICK_PLAN if ctx.quick else FULL_PLAN):
        ctx.log(f"scale: preparing {kind} x {count:,}")
        prefix = prepare(ctx.workdir / "scale", kind, count, queries)
        for index_type in types:
            ctx.log(f"scale: {index_type} on {kind} x {count:,}")
            child_run = run_child(
                [ctx.python, "-m", "bench.scale", str(prefix), index_type, str(queries)],
                env=ctx.child_env(),
                timeout=7200,
            )
            rows += _rows(last_json_line(child_run.stdout), kind, count, choose_index_type(count))
    return rows


def _rows(result: dict[str, Any], kind: str, count: int, auto_type: str) -> list[Row]:
    size = f"{count // 1000:,}k" if count < 1_000_000 else f"{count // 1_000_000}M"
    label = f"{size} {kind} {result['type']}" + (" (auto)" if result["type"] == auto_type else "")
    at_goal = count >= 1_000_000
    per_million = result["index_bytes"] / count * 1e6 / 2**20
    extra = {k: v for k, v in result.items() if k not in ("type",)}
    return [
        judged(NAME, f"{label}: build", result["build_s"], "s", extra=extra),
        judged(NAME, f"{label}: memory per 1M vectors", per_million, "MiB"),
        judged(
            NAME,
            f"{label}: search p50 (1 thread, CPU)",
            result["cpu_p50_ms"],
            "ms",
            goal=GOAL_P50_MS if at_goal else "",
            note=f"wall p50 {result['p50_ms']:.1f} ms on the shared machine",
        ),
        judged(
            NAME,
            f"{label}: recall@10",
            result["recall"],
            "",
            goal=GOAL_RECALL if at_goal and result["type"] != "flat" else "",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Child entry point: PREFIX TYPE QUERIES [NAME=VALUE ...]."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("prefix", type=Path)
    parser.add_argument("type", choices=TYPES)
    parser.add_argument("queries", type=int)
    parser.add_argument(
        "params", nargs="*", help="qa.index.faissindex constants to override, NAME=VALUE"
    )
    args = parser.parse_args(argv)
    params = {name: float(value) for name, _, value in (p.partition("=") for p in args.params)}
    print(json.dumps(child(args.prefix, args.type, args.queries, params)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
