"""Server throughput: `qa serve` on a free loopback port under a bounded load through each of
its public APIs, one client per worker thread: Gradio's `/ask` (gradio_client) and the JSON
`POST /ask` (httpx): requests per second, p50/p95 latency and errors (the goal: none). The
floor is the same question sequence answered in-process by `QA.ask()` on as many threads as
the server answers at once (`qa.web.server.CONCURRENCY`), so the ratio is what the web layer
costs.

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


def page_ready(url: str) -> bool:
    """Whether the chat answers `GET /` with 200 (a 503 is its loading page)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@contextmanager
def running_server(
    ctx: Context, port: int, *, poll: float = 1.0, ready: Callable[[str], bool] = page_ready
) -> Iterator[str]:
    """Start `qa serve` on 127.0.0.1:port with the scratch index; yield its URL once
    `ready(url)` (by default: the chat answers `GET /`); stop it (only it) after."""
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
        while not ready(url):
            if process.poll() is not None:
                raise RuntimeError(f"qa serve exited {process.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"qa serve was not ready on {url} in {START_TIMEOUT} s")
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


def gradio_asker(url: str) -> Callable[[str], Any]:
    """Ask through Gradio's `/ask` endpoint with gradio_client, one client per thread."""
    from gradio_client import Client

    local = threading.local()

    def ask(question: str) -> Any:
        client = getattr(local, "client", None)
        if client is None:
            client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
            local.client = client
        return client.predict(question, 5, api_name="/ask")

    return ask


def json_asker(url: str) -> Callable[[str], Any]:
    """Ask through the JSON route `POST /ask`, one keep-alive HTTP client per thread."""
    import httpx

    local = threading.local()

    def ask(question: str) -> Any:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=60)
        reply = client.post(f"{url}ask", json={"question": question, "k": 5})
        reply.raise_for_status()
        return reply.json()

    return ask


def run(ctx: Context, requests: int | None = None) -> list[Row]:
    """The in-process floor, then the same load through the server's two APIs: Gradio's
    `/ask` (gradio_client) and the JSON `POST /ask`."""
    from qa.config import Settings
    from qa.pipeline import QA
    from qa.web.server import CONCURRENCY

    total = requests or (200 if ctx.quick else 1000)
    gold = gold_questions()
    questions = [gold[i % len(gold)] for i in range(total)]

    system = QA(Settings(corpus_dir=CORPUS_DIR, index_dir=ctx.index_dir())).warm_up()
    ctx.log(f"server: floor, {total} questions in-process on {CONCURRENCY} threads")
    floor_wall, floor_latencies, floor_errors = drive(system.ask, questions, CONCURRENCY)
    floor_rate = len(floor_latencies) / floor_wall
    del system

    rows: list[Row] = []
    with running_server(ctx, free_port()) as url:
        for api, asker in (("gradio_client", gradio_asker(url)), ("JSON", json_asker(url))):
            for question in gold[:CONCURRENT]:  # connect the clients, warm the route
                asker(question)
            ctx.log(f"server: {total} requests through {api}, {CONCURRENT} concurrent, on {url}")
            wall, latencies, errors = drive(asker, questions, CONCURRENT)
            extra = {
                "requests": total,
                "concurrent": CONCURRENT,
                "server_concurrency": CONCURRENCY,
                "errors_sample": errors[:5],
                "floor_errors": len(floor_errors),
            }
            rows += _load_rows(api, total, wall, latencies, errors, floor_rate, extra)
    return rows


def _load_rows(
    api: str,
    total: int,
    wall: float,
    latencies: list[float],
    errors: list[str],
    floor_rate: float,
    extra: dict[str, Any],
) -> list[Row]:
    """Throughput, p50, p95 and errors of one load through `api`."""
    from qa.web.server import CONCURRENCY

    route = "Gradio `/ask`, gradio_client" if api == "gradio_client" else "JSON `POST /ask`"

    def ms(q: float) -> float:
        return percentile(latencies, q) * 1e3 if latencies else float("nan")

    return [
        judged(
            NAME,
            f"throughput, {route} ({total} requests, {CONCURRENT} concurrent)",
            len(latencies) / wall,
            "req/s",
            floor=floor_rate,
            note=f"floor: QA.ask in-process on {CONCURRENCY} threads",
            extra=extra,
        ),
        judged(
            NAME,
            f"latency p50, {route}",
            ms(50),
            "ms",
            note="includes queueing behind the other 15 clients",
        ),
        judged(NAME, f"latency p95, {route}", ms(95), "ms"),
        judged(NAME, f"errors, {route}", float(len(errors)), "", goal="<= 0"),
    ]
