"""Ray benchmark (issue 10): embedded vs Ray on the same chunks, fixed overheads, balance,
and Serve throughput. `python -m bench.ray_bench [--quick] [--chunks N] [--json PATH]`.

Runs on a bounded 2-node `ray.cluster_utils.Cluster` (1 CPU and 100 MB of object store per
node) on this host, in a private network namespace when run as root (Ray listens on every
interface). Both paths embed the same chunk texts with the real model, one torch thread per
worker. CPU seconds are counted for the whole process tree (driver, GCS, raylets, workers),
so Ray's own overhead is in them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "corpus" / "sensetime-2022-interim-results.txt"
GOLD = ROOT / "eval" / "gold.jsonl"
DEFAULT_JSON = ROOT / "bench" / "results" / "ray.json"
INNER_ENV = "QA_RAY_BENCH_INNER"
NAME = "ray"
# Synthetic chunks added to the release's (real model): ~1 minute per path on one core.
DEFAULT_CHUNKS = 1000
QUICK_CHUNKS = 300
SERVE_REQUESTS, SERVE_CONCURRENCY = 200, 4


def _tree_cpu(skip: frozenset[int] = frozenset()) -> float:
    """CPU seconds (user + system) of this process and every descendant alive now."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if child.pid not in skip:
                total += sum(child.cpu_times()[:2])
    return total


def chunk_texts(extra: int) -> list[str]:
    """The release's embedding texts plus `extra` made-up bullet chunks of similar length."""
    from qa.index.embedding import HashEmbedder
    from qa.ingest.chunking import chunk_corpus, embedding_text
    from qa.ingest.corpus import load_corpus

    documents, _ = load_corpus(RELEASE.parent)
    chunks = chunk_corpus(documents, "structure", HashEmbedder().count_tokens)
    titles = {d.id: d.title for d in documents}
    texts = [embedding_text(c, titles[c.doc_id]) for c in chunks]
    texts += [
        f"Segment {i} grew revenue by {(i * 7) % 90}% to RMB{i}.{i % 10} million in 1H2022, "
        f"with {i * 3} new customers in region {i % 13} and gross margin of {40 + i % 30}%."
        for i in range(extra)
    ]
    return texts


def embedded(texts: list[str]) -> dict[str, Any]:
    """The single-machine path: one process, one torch thread, as `qa index` runs."""
    from qa.index.embedding import SentenceTransformerEmbedder

    started, cpu = time.perf_counter(), time.process_time()
    embedder = SentenceTransformerEmbedder(threads=1)
    embedder.warm_up()
    load = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    embedder.embed(texts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "chunks": len(texts),
        "model_load_s": round(load, 2),
        "embed_s": round(seconds, 2),
        "chunks_per_s": round(len(texts) / seconds, 1),
        "cpu_s_per_chunk": round(cpu / len(texts), 4),
    }


def on_ray(texts: list[str], cluster: Any) -> dict[str, Any]:
    """The Ray path on the connected cluster: one Ray Data job, an actor per CPU."""
    from qa.distributed.ray_embed import embed_on_ray

    cpu = _tree_cpu()
    _, report = embed_on_ray(texts, "", 384, actors=2)
    # Actor processes report their own CPU (they may be gone by now); the rest is the tree.
    actor_pids = frozenset(int(actor.split("/")[1]) for actor in report.actor_cpu_seconds)
    cpu = _tree_cpu(actor_pids) - cpu + sum(report.actor_cpu_seconds.values())
    slowest_load = max(report.load_seconds.values())
    return {
        "chunks": report.rows,
        "job_s": round(report.seconds, 2),
        "chunks_per_s": round(report.rows / report.seconds, 1),
        "model_load_s_per_actor": {k: round(v, 2) for k, v in report.load_seconds.items()},
        "steady_chunks_per_s": round(report.rows / max(report.seconds - slowest_load, 1e-9), 1),
        "cpu_s_per_chunk_actors": round(report.cpu_seconds / report.rows, 4),
        "cpu_s_per_chunk_all": round(cpu / report.rows, 4),
        "rows_per_node": report.rows_per_node,
        "blocks": report.blocks,
    }


def serve(cluster: Any, workdir: Path, requests: int) -> dict[str, Any]:
    """QPS and p95 of `/ask` on 2 Serve replicas, with the split, vs one in-process QA."""
    import httpx

    from qa.config import Settings
    from qa.distributed import ray_serve
    from qa.pipeline import QA

    questions = [json.loads(line)["q"] for line in GOLD.open() if line.strip()]
    asked = [questions[i % len(questions)] for i in range(requests)]
    settings = Settings(corpus_dir=RELEASE.parent, index_dir=workdir / "index")
    local = QA(settings)
    local.reindex(force=True)
    local.warm_up()
    serial = []
    for question in asked[:50]:
        started = time.perf_counter()
        local.ask(question)
        serial.append(time.perf_counter() - started)
    started = time.perf_counter()
    url = ray_serve.deploy(settings, replicas=2, host="127.0.0.1", port=8123)
    deploy_s = time.perf_counter() - started
    with httpx.Client(timeout=120) as client:

        def post(question: str) -> tuple[float, str]:
            begin = time.perf_counter()
            reply = client.post(url, json={"question": question})
            reply.raise_for_status()
            return time.perf_counter() - begin, reply.headers[ray_serve.REPLICA_HEADER]

        post(asked[0])
        started = time.perf_counter()
        with ThreadPoolExecutor(SERVE_CONCURRENCY) as pool:
            replies = list(pool.map(post, asked))
        wall = time.perf_counter() - started
    ray_serve.shutdown()
    latencies = sorted(r[0] for r in replies)
    return {
        "requests": requests,
        "concurrency": SERVE_CONCURRENCY,
        "deploy_s": round(deploy_s, 1),
        "qps": round(requests / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "per_replica": dict(Counter(r[1] for r in replies)),
        "in_process_p50_ms": round(1000 * statistics.median(serial), 1),
        "in_process_qps_serial": round(len(serial) / sum(serial), 1),
    }


def measure(chunks: int, requests: int, workdir: Path) -> dict[str, Any]:
    """Every measurement, in one process (the cluster is this process's children)."""
    from qa.distributed.cluster import start_test_cluster, stop_test_cluster

    texts = chunk_texts(chunks)
    results: dict[str, Any] = {"cpus": os.cpu_count(), "load_before": os.getloadavg()}
    results["embedded"] = embedded(texts)
    started = time.perf_counter()
    cluster = start_test_cluster(nodes=2)
    results["cluster_start_s"] = round(time.perf_counter() - started, 1)
    try:
        results["ray"] = on_ray(texts, cluster)
        results["serve"] = serve(cluster, workdir, requests)
    finally:
        stop_test_cluster(cluster)
    results["load_after"] = os.getloadavg()
    return results


def report(results: dict[str, Any]) -> str:
    """A Markdown table of the headline numbers."""
    e, r, s = results["embedded"], results["ray"], results["serve"]
    rows = [
        ("chunks embedded (same texts)", e["chunks"], r["chunks"]),
        ("chunks/s (wall, incl. model load on Ray)", e["chunks_per_s"], r["chunks_per_s"]),
        ("chunks/s after the slowest model load", e["chunks_per_s"], r["steady_chunks_per_s"]),
        ("CPU-s per chunk (embedding only)", e["cpu_s_per_chunk"], r["cpu_s_per_chunk_actors"]),
        ("CPU-s per chunk (all processes)", e["cpu_s_per_chunk"], r["cpu_s_per_chunk_all"]),
        ("model load (s)", e["model_load_s"], r["model_load_s_per_actor"]),
        ("cluster start (s)", 0, results["cluster_start_s"]),
        ("rows per node", "-", r["rows_per_node"]),
        ("/ask QPS (4 concurrent)", s["in_process_qps_serial"], s["qps"]),
        ("/ask p50 / p95 ms", s["in_process_p50_ms"], f"{s['p50_ms']} / {s['p95_ms']}"),
        ("requests per replica", "-", s["per_replica"]),
    ]
    lines = ["| metric | embedded | Ray (2 nodes x 1 CPU) |", "|---|---:|---:|"]
    lines += [f"| {name} | {a} | {b} |" for name, a, b in rows]
    return "\n".join(lines)


def run(ctx: Any) -> list[Any]:
    """Adapter for `python -m bench` (bench/__main__.py): the results as `bench.common.Row`s."""
    from bench.common import Row

    results = main_inner(QUICK_CHUNKS if ctx.quick else DEFAULT_CHUNKS, SERVE_REQUESTS, None)
    e, r, s = results["embedded"], results["ray"], results["serve"]
    ratio = r["chunks_per_s"] / e["chunks_per_s"]
    return [
        Row(NAME, "build chunks/s, Ray vs embedded", r["chunks_per_s"], "chunks/s",
            floor=e["chunks_per_s"], ratio=round(ratio, 2), extra=results),
        Row(NAME, "/ask p95 on 2 Serve replicas", s["p95_ms"], "ms"),
        Row(NAME, "/ask QPS on 2 Serve replicas", s["qps"], "req/s"),
    ]  # fmt: skip


def main_inner(chunks: int, requests: int, json_path: Path | None) -> dict[str, Any]:
    """Run in a private network namespace when possible (re-executing this module), else here."""
    from qa.distributed.cluster import private_network_command, private_network_problem

    if os.environ.get(INNER_ENV) != "1" and private_network_problem() is None:
        out = json_path or DEFAULT_JSON
        argv = [sys.executable, "-m", "bench.ray_bench", "--chunks", str(chunks),
                "--requests", str(requests), "--json", str(out)]  # fmt: skip
        env = {**os.environ, INNER_ENV: "1", "RAY_USAGE_STATS_ENABLED": "0"}
        subprocess.run(private_network_command(argv), cwd=ROOT, env=env, check=True)
        return dict(json.loads(out.read_text(encoding="utf-8")))
    import tempfile

    with tempfile.TemporaryDirectory(prefix="qa-ray-bench-") as folder:
        results = measure(chunks, requests, Path(folder))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ray_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CHUNKS} synthetic chunks")
    parser.add_argument("--chunks", type=int, help=f"synthetic chunks (default {DEFAULT_CHUNKS})")
    parser.add_argument("--requests", type=int, default=SERVE_REQUESTS, help="/ask requests")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="results file")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    chunks = args.chunks or (QUICK_CHUNKS if args.quick else DEFAULT_CHUNKS)
    results = main_inner(chunks, args.requests, args.json)
    if os.environ.get(INNER_ENV) != "1":
        print(report(results))
        print(f"\nload average before/after: {results['load_before']} / {results['load_after']}")
        print(f"results: {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
