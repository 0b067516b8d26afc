"""Warm answer latency: `QA.ask()` over the gold questions against the floor
`encoder.encode(question)` (the index's ONNX question model) + `faiss.search` for the same
question, interleaved in one process, with two more references in the same loop: the ONNX
forward pass alone (the tokenized question through `session.run`), and `QA.ask()` with
questions embedded by sentence-transformers (`QA_ONNX=0`, the path before ONNX).

QA caches query embeddings, so each question is timed twice: with the cache cleared (the same
work as the floor plus everything else the pipeline does) and repeated (the cached vector; what
a retried question or a UI example costs). Per question the median over repeats is kept; p50
and p95 are over questions. Time is wall time; the per-stage split below says where the
non-embedding time goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.common import CORPUS_DIR, Context, Row, gold_questions, judged, median, percentile

NAME = "latency"
GOAL_RATIO = "<= 1.3"
# FAISS candidates for the floor: the k a user asks for.
FLOOR_K = 10


def _clear_query_cache(embedder: Any) -> None:
    # SentenceTransformerEmbedder keeps repeated questions' vectors in `_cache`.
    cache = getattr(embedder, "_cache", None)
    if cache is not None:
        cache.clear()


def _stages(system: Any, question: str) -> dict[str, float]:
    """The pipeline's stages for one question, timed separately (same calls as QA.ask)."""
    from qa.answer.compose import compose_answer
    from qa.pipeline import clean_question
    from qa.retrieval import rank, to_passages
    from qa.text.question import parse_question

    settings, index = system.settings, system.index
    _clear_query_cache(system.embedder)
    marks = [time.perf_counter()]
    text = clean_question(question, settings.max_question_chars)
    vector = system.embedder.embed_query(text)
    marks.append(time.perf_counter())
    read = parse_question(text)
    ranked = rank(index, read, vector, mode=settings.retrieval)
    marks.append(time.perf_counter())
    passages = to_passages(index, read, ranked, settings.top_k)
    marks.append(time.perf_counter())
    compose_answer(
        read, passages, threshold=settings.not_stated_threshold, use_figures=settings.use_figures
    )
    marks.append(time.perf_counter())
    names = ("embed", "rank (dense + lexical)", "passages", "answer")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}


def run(ctx: Context, questions: list[str] | None = None) -> list[Row]:
    """Interleave floor, ask (cache cleared) and ask (cached) per question and repeat."""
    from qa.config import Settings
    from qa.pipeline import QA

    questions = questions or gold_questions(40 if ctx.quick else None)
    repeats = 3 if ctx.quick else 5
    settings = Settings(corpus_dir=CORPUS_DIR, index_dir=ctx.index_dir())
    system = QA(settings).warm_up()
    encoder = getattr(system.embedder, "question_encoder", None)
    if encoder is None:
        raise RuntimeError("the latency floor needs the index's ONNX question model")
    torch_system = QA(settings.with_(onnx=False)).warm_up()
    faiss_index = system.index.vectors
    k = min(FLOOR_K, faiss_index.ntotal)
    feeds = {q: encoder.feed(q) for q in questions}  # tokenized once: forward timed alone

    def floor(question: str) -> None:
        vector = encoder.encode(question)
        faiss_index.search(np.ascontiguousarray(vector.reshape(1, -1)), k)

    def forward(question: str) -> None:
        encoder.session.run(None, feeds[question])

    def uncached(qa: QA) -> Callable[[str], object]:
        def ask(question: str) -> object:
            _clear_query_cache(qa.embedder)
            return qa.ask(question)

        return ask

    kinds: dict[str, Callable[[str], object]] = {
        "floor": floor,
        "forward": forward,
        "ask": uncached(system),
        "ask_cached": system.ask,
        "ask_torch": uncached(torch_system),
    }
    samples: dict[str, list[list[float]]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[list[float]]] = {kind: [] for kind in kinds}
    stage_samples: dict[str, list[float]] = {}
    ctx.log(f"latency: {len(questions)} questions x {repeats} repeats")
    for question in questions:
        per_kind: dict[str, list[float]] = {kind: [] for kind in kinds}
        per_kind_cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
        for repeat in range(repeats):
            order = list(kinds) if repeat % 2 == 0 else list(reversed(kinds))
            for kind in order:
                wall, used = time.perf_counter(), time.thread_time()
                kinds[kind](question)
                per_kind[kind].append(time.perf_counter() - wall)
                per_kind_cpu[kind].append(time.thread_time() - used)
        for kind in kinds:
            samples[kind].append(per_kind[kind])
            cpu[kind].append(per_kind_cpu[kind])
        for stage, seconds in _stages(system, question).items():
            stage_samples.setdefault(stage, []).append(seconds)

    def stat(table: dict[str, list[list[float]]], kind: str, q: float) -> float:
        return percentile([median(runs) for runs in table[kind]], q) * 1e3

    extra = {"questions": len(questions), "repeats": repeats}

    def p50_p95(metric: str, kind: str, base: str | None, note: str, goal: str = "") -> list[Row]:
        return [
            judged(
                NAME,
                metric.format(q=q),
                stat(samples, kind, q),
                "ms",
                floor=stat(samples, base, q) if base else None,
                goal=goal,
                note=note,
                extra=extra,
            )
            for q in (50, 95)
        ]

    rows = [
        *p50_p95(
            "ask p{q} (cache cleared)",
            "ask",
            "floor",
            "floor: ONNX encode (tokenize + forward) + faiss.search",
            GOAL_RATIO,
        ),
        *p50_p95(
            "ONNX forward pass alone p{q}",
            "forward",
            None,
            "session.run on the tokenized question: the model's share of an answer",
        ),
        *p50_p95(
            "ask p{q} vs sentence-transformers questions (cache cleared)",
            "ask",
            "ask_torch",
            "floor: QA.ask with QA_ONNX=0 (questions embedded by torch, the path before)",
            GOAL_RATIO,
        ),
        judged(
            NAME,
            "ask p50 CPU time (cache cleared)",
            stat(cpu, "ask", 50),
            "ms",
            floor=stat(cpu, "floor", 50),
            goal=GOAL_RATIO,
            note="thread CPU time: insensitive to the neighbours' load",
        ),
        *p50_p95(
            "ask p{q} (repeated question, cached vector)",
            "ask_cached",
            "floor",
            "context: the query-embedding cache at work",
        ),
    ]
    rows += [
        judged(NAME, f"stage p50: {stage}", percentile(values, 50) * 1e3, "ms")
        for stage, values in stage_samples.items()
    ]
    return rows
