"""Server throughput: `qa serve` on a free loopback port under a bounded load through the
public `/ask` API (gradio_client, one client per worker thread): requests per second, p50/p95
latency and errors (the goal: none). The floor is the same question sequence answered
in-process by `QA.ask()` on as many threads as the server answers at once
(`qa.web.server.CONCURRENCY`), so the ratio is what the web layer costs.

Questions cycle through the gold set, so after the first round the query-embedding cache
answers (in the server and in the floor alike).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from bench.common import CORPUS_DIR, ROOT, Context, Row, gold_questions, judged, percentile

NAME = "server"
CONCURRENT = 16
# Seconds to wait for the server to load the model and index and start listening.
START_TIMEOUT = 300
# The whole load stops after this long even if requests remain (bounded).
LOAD_TIMEOUT = 600


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(ctx: Context, port: int, *, poll: float = 1.0) -> Iterator[str]:
    """Start `qa serve` on 127.0.0.1:port with the scratch index; stop it (only it) after."""
    log = (ctx.workdir / "server.log").open("w")
    process = subprocess.Popen(
        [ctx.python, "-m", "qa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=ctx.child_env(),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"qa serve exited {process.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"qa serve did not answer on {url} in {START_TIMEOUT} s")
            time.sleep(poll)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: only the server
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def drive(
    call: Callable[[str], Any], questions: list[str], workers: int
) -> tuple[float, list[float], list[str]]:
    """Send every question through `call` on `workers` threads: (wall s, latencies, errors)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + LOAD_TIMEOUT

    def one(question: str) -> None:
        if time.monotonic() > deadline:
            with lock:
                errors.append("not sent: load time limit reached")
            return
        started = time.perf_counter()
        try:
            call(question)
        except Exception as error:
            with lock:
                errors.append(f"{type(error).__name__}: {error}"[:300])
            return
        with lock:
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, questions))
    return time.perf_counter() - started, latencies, errors


def run(ctx: Context, requests: int | None = None) -> list[Row]:
    """The in-process floor, then the same load through the server's /ask API."""
    from gradio_client import Client

    from qa.config import Settings
    from qa.pipeline import QA
    from qa.web.server import CONCURRENCY

    total = requests or (200 if ctx.quick else 1000)
    gold = gold_questions()
    questions = [gold[i % len(gold)] for i in range(total)]

    system = QA(Settings(corpus_dir=CORPUS_DIR, index_dir=ctx.index_dir())).warm_up()
    ctx.log(f"server: floor, {total} questions in-process on {CONCURRENCY} threads")
    floor_wall, floor_latencies, floor_errors = drive(system.ask, questions, CONCURRENCY)
    del system

    local = threading.local()
    port = free_port()
    with running_server(ctx, port) as url:

        def ask(question: str) -> Any:
            client = getattr(local, "client", None)
            if client is None:
                client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
                local.client = client
            return client.predict(question, 5, api_name="/ask")

        for question in gold[:CONCURRENT]:  # connect the clients, warm the route
            ask(question)
        ctx.log(f"server: {total} requests, {CONCURRENT} concurrent, on {url}")
        wall, latencies, errors = drive(ask, questions, CONCURRENT)

    rate, floor_rate = len(latencies) / wall, len(floor_latencies) / floor_wall
    extra = {
        "requests": total,
        "concurrent": CONCURRENT,
        "server_concurrency": CONCURRENCY,
        "errors_sample": errors[:5],
        "floor_errors": len(floor_errors),
    }
    return [
        judged(
            NAME,
            f"throughput ({total} requests, {CONCURRENT} concurrent)",
            rate,
            "req/s",
            floor=floor_rate,
            note=f"floor: QA.ask in-process on {CONCURRENCY} threads",
            extra=extra,
        ),
        judged(
            NAME,
            "latency p50",
            percentile(latencies, 50) * 1e3 if latencies else float("nan"),
            "ms",
            note="includes queueing behind the other 15 clients",
        ),
        judged(
            NAME,
            "latency p95",
            percentile(latencies, 95) * 1e3 if latencies else float("nan"),
            "ms",
        ),
        judged(NAME, "errors", float(len(errors)), "", goal="<= 0"),
    ]
