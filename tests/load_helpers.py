"""Helpers for the concurrency, crash and server-load tests.

`run_cli` runs `qa.cli.main` in a child process (forked from a multiprocessing forkserver that
imported qa once) with stderr in a file, so a test can start several `qa index` at the same
moment and read what each one said.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


def run_cli(argv: list[str], stderr_path: str) -> None:
    """Child-process target: `qa ARGV` with stderr written to `stderr_path`; exits with its
    status (a traceback, if any, lands in the file too)."""
    from qa.cli import main

    with Path(stderr_path).open("w", encoding="utf-8") as err, contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except BaseException:
            import traceback

            traceback.print_exc()
            status = 99
        err.flush()
    sys.exit(status)


# --------------------------------------------------------------------------------------------
# The web chat's HTTP API, as any client would call it (two requests per question).


@dataclass(frozen=True)
class Reply:
    """What the `/ask` endpoint said: event "complete" (data = Answer.to_dict()) or "error"
    (data = {"error": message, ...})."""

    event: str
    data: Any
    seconds: float


def ask_http(client: httpx.Client, url: str, question: Any, k: Any = 5) -> Reply:
    """POST /gradio_api/call/ask, then read the result event from its stream."""
    started = time.perf_counter()
    # ASCII JSON: a lone surrogate travels as a \ud800 escape, as any JSON client may send it.
    body = json.dumps({"data": [question, k]}).encode("ascii")
    posted = client.post(
        f"{url}/gradio_api/call/ask", content=body, headers={"Content-Type": "application/json"}
    )
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    event, data = "", None
    with client.stream("GET", f"{url}/gradio_api/call/ask/{event_id}") as stream:
        stream.raise_for_status()
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ").strip()
            elif line.startswith("data: ") and event in ("complete", "error"):
                data = json.loads(line.removeprefix("data: "))
                break
    if event == "complete" and isinstance(data, list) and len(data) == 1:
        data = data[0]
    return Reply(event, data, time.perf_counter() - started)


def ask_json(client: httpx.Client, url: str, question: Any, k: Any = 5) -> Reply:
    """POST /ask with a JSON body: event "complete" for a 200 (data = Answer.to_dict()), else
    "error" (data = {"error": message})."""
    started = time.perf_counter()
    reply = client.post(f"{url}/ask", json={"question": question, "k": k})
    event = "complete" if reply.status_code == 200 else "error"
    return Reply(event, reply.json(), time.perf_counter() - started)


@dataclass
class LoadReport:
    """Outcome of `run_load`: replies by event, failures (exceptions, wrong answers), latency."""

    requests: int = 0
    events: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s), events {dict(self.events)}, "
            f"p50 {self.percentile(0.5) * 1000:.0f} ms, p99 {self.percentile(0.99) * 1000:.0f} ms, "
            f"{len(self.failures)} failures {self.failures[:3]}"
        )


def run_load(
    url: str,
    expected: dict[str, dict[str, Any]],
    *,
    requests: int,
    concurrency: int,
    deadline: float,
    ask: Callable[[httpx.Client, str, Any], Reply] = ask_http,
) -> LoadReport:
    """Send `requests` questions (cycling through `expected`, question -> Answer.to_dict()
    without "seconds") from `concurrency` threads through `ask` (Gradio's API by default);
    every reply must equal its expected answer. Stops early (counting the rest as failures)
    once `deadline` seconds have passed."""
    questions = list(expected)
    report = LoadReport()
    lock = threading.Lock()
    counter = iter(range(requests))
    started = time.perf_counter()
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency)

    def worker(client: httpx.Client) -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            question = questions[i % len(questions)]
            if time.perf_counter() - started > deadline:
                with lock:
                    report.failures.append(f"#{i}: not sent, past the {deadline:.0f} s deadline")
                continue
            try:
                reply = ask(client, url, question)
                problem = None
                if reply.event != "complete":
                    problem = f"{reply.event}: {reply.data}"
                elif {k: v for k, v in reply.data.items() if k != "seconds"} != expected[question]:
                    problem = "a different answer than asked alone"
            except Exception as error:  # counted, reported, and the load goes on
                reply, problem = None, f"{type(error).__name__}: {error}"
            with lock:
                report.requests += 1
                if reply is not None:
                    report.events[reply.event] += 1
                    report.latencies.append(reply.seconds)
                if problem:
                    report.failures.append(f"#{i} {question!r}: {problem}"[:300])

    with httpx.Client(timeout=60, limits=limits) as client:
        threads = [threading.Thread(target=worker, args=(client,)) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    report.seconds = time.perf_counter() - started
    return report
