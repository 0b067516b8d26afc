"""Index build throughput: chunks per second of `qa.index.core.build` (chunk, count tokens, extract
figures, embed, FAISS, BM25, write and fsync) against bare `model.encode` over the same chunk
texts with the same model object, batch size and torch threads. Builds and floors alternate.

Full mode also builds a corpus of several renamed copies of the release, so fixed costs
(reading, fsync) weigh as they would on a larger corpus. A per-stage split says where the
non-embedding time goes.

Build time against corpus size: the same build with the fake embedder (QA_MODEL=hash) on 1
and 4 copies of the release (16 too in full mode), so what is timed is everything but the
model; the growth ratio (time ratio / size ratio) is 1.0 when the cost is linear.
"""

from __future__ import annotations

import shutil
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import CORPUS_DIR, Context, Row, judged, median, timed

NAME = "build"
GOAL_RATIO = ">= 0.9"
# (time ratio) / (size ratio) between the smallest and largest corpus; 1.0 = linear.
GOAL_GROWTH = "<= 1.5"


def copy_corpus(target: Path, copies: int) -> Path:
    """`copies` copies of corpus/ (each file's first line marked so hashes differ)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(CORPUS_DIR.iterdir()):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for n in range(copies):
            name = f"{path.stem}-copy{n}{path.suffix}"
            (target / name).write_text(text if n == 0 else f"{text}\n\n[copy {n}]\n")
    return target


def _stages(settings: Any, embedder: Any) -> dict[str, float]:
    """The non-embedding parts of a build, timed on their own (same functions build() uses)."""
    from qa.index.builder import figures_by_chunk
    from qa.index.lexical import LexicalIndex
    from qa.ingest.chunking import chunk_corpus
    from qa.ingest.corpus import load_corpus

    marks = [time.perf_counter()]
    documents, _ = load_corpus(settings.corpus_dir)
    marks.append(time.perf_counter())
    chunks = chunk_corpus(documents, settings.chunker, embedder.count_tokens)
    marks.append(time.perf_counter())
    figures_by_chunk(documents, chunks)
    marks.append(time.perf_counter())
    LexicalIndex.build([chunk.text for chunk in chunks])
    marks.append(time.perf_counter())
    names = ("load corpus", "chunk (with token counts)", "figures", "bm25")
    return {name: marks[i + 1] - marks[i] for i, name in enumerate(names)}


def measure(ctx: Context, corpus: Path, repeats: int, label: str) -> list[Row]:
    """Alternate `build()` and the bare-encode floor over `corpus`."""
    from qa.config import Settings
    from qa.index import core as qa_index
    from qa.index.embedding import BATCH_SIZE, SentenceTransformerEmbedder
    from qa.ingest.chunking import embedding_text

    index_dir = ctx.workdir / f"build-{label}"
    settings = Settings(corpus_dir=corpus, index_dir=index_dir)
    embedder = SentenceTransformerEmbedder(threads=settings.torch_threads)
    embedder.warm_up()
    built = qa_index.build(settings, embedder)  # warm-up: caches, first-call costs
    titles = {doc_id: document.title for doc_id, document in built.documents.items()}
    texts = [embedding_text(chunk, titles[chunk.doc_id]) for chunk in built.chunks]
    model = getattr(embedder, "_model", None)
    if model is None:
        raise RuntimeError("the build floor needs the real sentence-transformers model")

    def floor() -> None:
        model.encode(
            texts,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    builds: list[float] = []
    floors: list[float] = []
    build_cpu: list[float] = []
    floor_cpu: list[float] = []
    ctx.log(f"build: {label}: {len(texts)} chunks x {repeats} repeats")
    for repeat in range(repeats):
        steps = ("build", "floor") if repeat % 2 == 0 else ("floor", "build")
        for step in steps:
            started, cpu = time.perf_counter(), time.process_time()
            if step == "build":
                qa_index.build(settings, embedder)
                builds.append(time.perf_counter() - started)
                build_cpu.append(time.process_time() - cpu)
            else:
                floor()
                floors.append(time.perf_counter() - started)
                floor_cpu.append(time.process_time() - cpu)
    stages = _stages(settings, embedder)
    shutil.rmtree(index_dir, ignore_errors=True)
    rate, floor_rate = len(texts) / median(builds), len(texts) / median(floors)
    cpu_rate, floor_cpu_rate = len(texts) / median(build_cpu), len(texts) / median(floor_cpu)
    return [
        judged(
            NAME,
            f"build throughput, {label} ({len(texts)} chunks)",
            rate,
            "chunks/s",
            floor=floor_rate,
            goal=GOAL_RATIO,
            note="floor: bare model.encode over the same chunk texts",
            extra={
                "build_runs": builds,
                "floor_runs": floors,
                "build_cpu": build_cpu,
                "floor_cpu": floor_cpu,
                "chunks": len(texts),
            },
        ),
        judged(
            NAME,
            f"build throughput per CPU-second, {label}",
            cpu_rate,
            "chunks/CPU-s",
            floor=floor_cpu_rate,
            goal=GOAL_RATIO,
            note="process CPU time: insensitive to the neighbours' load",
        ),
        *(
            judged(NAME, f"build stage, {label}: {stage}", seconds * 1e3, "ms")
            for stage, seconds in stages.items()
        ),
    ]


def against_size(ctx: Context, copies: tuple[int, ...], repeats: int) -> list[Row]:
    """Build time (median of `repeats` full builds, fake embedder) for each corpus size."""
    from qa.config import Settings
    from qa.index import core as qa_index
    from qa.index.embedding import HashEmbedder

    seconds: dict[int, float] = {}
    megabytes: dict[int, float] = {}
    rows = []
    for count in copies:
        corpus = copy_corpus(ctx.workdir / f"size-x{count}", count)
        megabytes[count] = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        settings = Settings(corpus_dir=corpus, index_dir=ctx.workdir / f"size-idx-{count}")
        one_build = partial(qa_index.build, settings, HashEmbedder())
        runs = [timed(one_build) for _ in range(repeats)]
        seconds[count] = median(runs)
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        ctx.log(f"build: {count} copies, {megabytes[count]:.2f} MB: {seconds[count]:.2f} s")
        rows.append(
            judged(
                NAME,
                f"build time vs corpus size, {count} copies ({megabytes[count]:.2f} MB)",
                seconds[count],
                "s",
                note="fake embedder: everything but the model",
                extra={"runs": runs, "megabytes": megabytes[count]},
            )
        )
    small, large = copies[0], copies[-1]
    growth = (seconds[large] / seconds[small]) / (megabytes[large] / megabytes[small])
    rows.append(
        judged(
            NAME,
            f"build time growth, {small} -> {large} copies (1.0 = linear)",
            growth,
            "x",
            goal=GOAL_GROWTH,
            note="(time ratio) / (size ratio)",
        )
    )
    return rows


def run(ctx: Context) -> list[Row]:
    """The release itself; in full mode also four copies of it. Then build time against
    corpus size (fake embedder)."""
    sizes = against_size(ctx, (1, 4) if ctx.quick else (1, 4, 16), 3)
    rows = measure(ctx, CORPUS_DIR, 3 if ctx.quick else 5, "release")
    if not ctx.quick:
        copies = copy_corpus(ctx.workdir / "corpus-x4", 4)
        rows += measure(ctx, copies, 3, "4 copies")
    return rows + sizes
