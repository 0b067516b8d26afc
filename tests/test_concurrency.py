"""Concurrency (issue 8): one index writer at a time, with a clear message to the second;
readers never see a half-written index; `ask()` from many threads equals serial calls.

tests/test_pipeline.py already checks 8 threads on a warm QA with the fake model; here: the
real model, a cold start, asking during a rebuild, and separate processes.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa import pipeline
from qa.config import Settings
from qa.index import store
from qa.index.core import build, load
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA

from .conftest import CORPUS
from .load_helpers import run_cli

QA_BIN = Path(sys.executable).parent / "qa"
BUSY = "another `qa index` is writing"
QUESTIONS = (
    "What was the total revenue?",
    "What was the gross profit margin?",
    "How many patents does SenseTime have?",
    "What was the net loss?",
    "How much did Smart Auto revenue grow?",
    "How many hospitals use SenseCare?",
    "What is the cash position?",
    "How much was spent on R&D?",
)


def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "seconds"}


def in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..count-1) in `count` threads released at the same moment; re-raise errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    return results


# --------------------------------------------------------------------------------------------
# Writers.


def last_line(text: str) -> str:
    return text.replace("\r", "\n").rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.slow
def test_qa_index_while_another_writes_exits_with_the_busy_message(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index", model="hash")
    before = build(settings, HashEmbedder()).folder
    env = {**os.environ, "QA_MODEL": "hash", "QA_INDEX_DIR": str(settings.index_dir)}
    with store.writer_lock(settings.index_dir, wait=False):
        result = subprocess.run(
            [str(QA_BIN), "index", "--force", "--corpus", str(CORPUS)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert last_line(result.stderr) == (
        f"qa: error: {BUSY} {settings.index_dir}; wait for it to finish"
    )
    assert store.current_build(settings.index_dir) == before


@pytest.mark.slow
def test_qa_ask_that_must_rebuild_waits_for_the_writer_then_answers(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    env = {**os.environ, "QA_MODEL": "hash", "QA_INDEX_DIR": str(index_dir)}
    err = tmp_path / "stderr.txt"
    with store.writer_lock(index_dir, wait=False), err.open("w") as handle:
        asking = subprocess.Popen(
            [str(QA_BIN), "ask", "What was the total revenue?", "--corpus", str(CORPUS)],
            stdout=subprocess.PIPE,
            stderr=handle,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 120
        while "rebuilding index" not in err.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        assert asking.poll() is None, err.read_text()  # waiting for the lock, not failing
    out, _ = asking.communicate(timeout=120)
    assert asking.returncode == 0, err.read_text()
    assert "RMB1.42 billion" in out


@pytest.fixture(scope="module")
def forked() -> Any:
    """Child processes forked from a fresh server that imported qa once (cheap to start)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["qa.cli", "qa.index.core", "qa.pipeline", "tests.load_helpers"])
    return context


@pytest.mark.slow
def test_two_qa_index_at_once_never_corrupt_the_index(tmp_path: Path, forked: Any) -> None:
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index", model="hash")
    build(settings, HashEmbedder())
    expected = [without_timing(a) for a in answers(settings)]
    argv = ["index", "--force", "--index", str(settings.index_dir), "--corpus", str(CORPUS)]
    argv += ["--model", "hash"]
    outcomes = []
    for round_ in range(2):
        logs = [tmp_path / f"round{round_}-writer{i}.txt" for i in range(2)]
        writers = [forked.Process(target=run_cli, args=(argv, str(log))) for log in logs]
        for writer in writers:
            writer.start()
        for writer, log in zip(writers, logs, strict=True):
            writer.join(timeout=120)
            said = log.read_text()
            assert "Traceback" not in said
            assert writer.exitcode == 0 or (writer.exitcode == 1 and BUSY in said), said
            outcomes.append(writer.exitcode)
        assert 0 in outcomes[-2:]
        assert not list(settings.index_dir.glob(".tmp-*"))
        assert [without_timing(a) for a in answers(settings)] == expected
    assert 1 in outcomes  # the writers did overlap at least once, and the second was told


def answers(settings: Settings) -> list[dict[str, Any]]:
    system = QA(settings.with_(auto_rebuild=False), embedder=HashEmbedder())
    return [system.ask(q).to_dict() for q in QUESTIONS[:3]]


@pytest.mark.slow
def test_readers_never_see_a_half_written_index(tmp_path: Path, forked: Any) -> None:
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp_path / "index", model="hash")
    chunks = build(settings, HashEmbedder()).chunks
    argv = ["index", "--force", "--index", str(settings.index_dir), "--corpus", str(CORPUS)]
    argv += ["--model", "hash"]
    stop = threading.Event()
    loads: list[int] = []

    def read() -> None:
        while not stop.is_set():
            assert load(settings.index_dir).chunks == chunks
            loads.append(1)
            time.sleep(0.01)  # leave the writer some CPU on a 2-core machine

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(2):
            writer = forked.Process(target=run_cli, args=(argv, str(tmp_path / f"w{i}.txt")))
            writer.start()
            writer.join(timeout=120)
            assert writer.exitcode == 0, (tmp_path / f"w{i}.txt").read_text()
    finally:
        stop.set()
        reader.join(timeout=60)
    assert len(loads) >= 3  # the reader kept reading (an assertion error would stop it)
    assert load(settings.index_dir).chunks == chunks


# --------------------------------------------------------------------------------------------
# Readers in threads.


def test_cold_start_from_eight_threads_loads_the_index_once(hash_settings: Settings) -> None:
    serial = QA(hash_settings, embedder=HashEmbedder())
    expected = [without_timing(serial.ask(q).to_dict()) for q in QUESTIONS]
    chunks = len(serial.index.chunks)
    embedder = HashEmbedder()
    cold = QA(hash_settings, embedder=embedder)  # nothing loaded yet
    got = in_threads(8, lambda i: without_timing(cold.ask(QUESTIONS[i]).to_dict()))
    assert got == expected
    assert embedder.texts_embedded == len(QUESTIONS)  # the stored index was loaded, once
    assert len(cold.index.chunks) == chunks


def test_asking_during_a_forced_rebuild_gives_the_same_answers(hash_qa: QA) -> None:
    expected = [without_timing(hash_qa.ask(q).to_dict()) for q in QUESTIONS]

    def work(i: int) -> list[dict[str, Any]]:
        if i == 0:
            hash_qa.reindex(force=True)
            return []
        return [without_timing(hash_qa.ask(QUESTIONS[j]).to_dict()) for j in range(i, 8)]

    results = in_threads(8, work)
    for i, got in enumerate(results[1:], start=1):
        assert got == expected[i:]


@pytest.mark.model
def test_module_ask_from_eight_threads_with_the_real_model_equals_serial(
    real_qa: QA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "_default", real_qa)  # what `qa.ask()` uses
    cache = real_qa.embedder._cache  # type: ignore[attr-defined]
    questions = [f"{q} (thread test)" for q in QUESTIONS]  # not cached by other tests
    cache.clear()
    serial = [without_timing(pipeline.ask(q).to_dict()) for q in questions]
    for round_ in range(2):
        cache.clear()  # every thread runs the model, not the query cache
        got = in_threads(8, lambda i: without_timing(pipeline.ask(questions[i]).to_dict()))
        assert got == serial, f"round {round_}"
