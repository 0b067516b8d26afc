"""`qa index --ray ADDRESS`: the embedded build, with the embedding on a Ray Data actor pool.

The build is `QA.reindex()` / `qa.index.core.build()`, unchanged: chunking, figures, manifest,
BM25 and the atomic write are the embedded path's own, so the folder is exactly the format
`qa ask` loads, with the same manifest. Only `embed()` differs: `RayEmbedder` embeds every
text the build will ask for in one Ray Data job first (`prefetch`, qa/distributed/ray_embed.py),
then answers the build's `embed()` calls from memory. A text it did not foresee is embedded
in-process when the call is small, on the cluster when it is large.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from qa.config import Settings
from qa.distributed.cluster import connect
from qa.distributed.ray_embed import EmbedReport, Progress, embed_on_ray
from qa.index import store
from qa.index.embedding import Embedder, make_embedder

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from qa.index.core import Index

log = logging.getLogger(__name__)

# embed() calls the prefetch did not foresee: this many texts or more go to the cluster.
MIN_REMOTE_TEXTS = 256


class RayEmbedder:
    """The `Embedder` a Ray build hands to `qa.index.core.build()`.

    Tokens are counted and questions embedded by the local model; corpus texts come from
    the cluster (see the module docstring). `reports` lists every Ray job it ran.
    """

    def __init__(
        self,
        local: Embedder,
        model: str,
        *,
        actors: int | None = None,
        min_remote: int = MIN_REMOTE_TEXTS,
        progress: Progress | None = None,
    ) -> None:
        getattr(local, "warm_up", lambda: None)()
        self.local = local
        self.model = model
        self.actors = actors
        self.min_remote = min_remote
        self.progress = progress
        self.name: str = local.name
        self.dim: int = local.dim
        self.reports: list[EmbedReport] = []
        self.counts: Counter[str] = Counter()  # prefetched, hits, local, remote
        self._ready: dict[str, NDArray[np.float32]] = {}

    def prefetch(self, texts: list[str]) -> None:
        """Embed these texts on the cluster now; later `embed()` calls take them from memory."""
        wanted = [text for text in dict.fromkeys(texts) if text not in self._ready]
        if not wanted:
            return
        vectors = self._remote(wanted)
        self._ready.update(zip(wanted, vectors, strict=True))
        self.counts["prefetched"] += len(wanted)

    def _remote(self, texts: list[str]) -> NDArray[np.float32]:
        vectors, report = embed_on_ray(
            texts, self.model, self.dim, actors=self.actors, progress=self.progress
        )
        self.reports.append(report)
        return vectors

    def embed(self, texts: list[str], *, progress: bool = False) -> NDArray[np.float32]:
        """Vectors for texts: prefetched ones from memory, the rest locally or on Ray."""
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, text in enumerate(texts) if text not in self._ready]
        for i, text in enumerate(texts):
            if text in self._ready:
                rows[i] = self._ready[text]
        self.counts["hits"] += len(texts) - len(missing)
        if missing:
            unseen = [texts[i] for i in missing]
            remote = len(unseen) >= self.min_remote
            rows[missing] = self._remote(unseen) if remote else self.local.embed(unseen)
            self.counts["remote" if remote else "local"] += len(unseen)
        return rows

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """Questions are embedded by the local model."""
        return self.local.embed_query(text)

    def count_tokens(self, text: str) -> int:
        """The local model's tokenizer (the chunker keeps chunks within its limit)."""
        return self.local.count_tokens(text)


def plan_texts(settings: Settings, local: Embedder, *, force: bool) -> list[str]:
    """The texts a build of `settings.corpus_dir` will embed: every chunk's embedding text,
    less those the previous build can reuse (same model and chunker) unless `force`."""
    from qa.ingest.chunking import chunk_corpus, embedding_text
    from qa.ingest.corpus import load_corpus

    documents, _ = load_corpus(settings.corpus_dir)
    titles = {d.id: d.title for d in documents}
    chunks = []
    for document in documents:
        try:
            chunks += chunk_corpus([document], settings.chunker, local.count_tokens)
        except Exception:  # the build itself skips this file with its reason
            continue
    texts = [embedding_text(chunk, titles[chunk.doc_id]) for chunk in chunks]
    known = set() if force else _reusable_texts(settings, local)
    return [text for text in dict.fromkeys(texts) if text not in known]


def _reusable_texts(settings: Settings, local: Embedder) -> set[str]:
    from qa.index import core as index_module
    from qa.ingest.chunking import embedding_text

    try:
        previous = index_module.load(settings.index_dir)
    except store.IndexError_:
        return set()
    expected = index_module.expected_fingerprint(settings, local, settings.corpus_dir)
    if not previous.manifest.vectors_reusable(expected):
        return set()
    titles = {doc_id: d.title for doc_id, d in previous.documents.items()}
    return {embedding_text(chunk, titles[chunk.doc_id]) for chunk in previous.chunks}


@dataclass(frozen=True)
class RayBuild:
    """The index a Ray build left current, and what the cluster did (none when fresh)."""

    index: Index
    built: bool
    reports: tuple[EmbedReport, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def rows_per_node(self) -> dict[str, int]:
        """Rows embedded per node over all jobs."""
        total: Counter[str] = Counter()
        for report in self.reports:
            total.update(report.rows_per_node)
        return dict(total)


def build_on_ray(
    settings: Settings,
    address: str,
    *,
    force: bool = False,
    actors: int | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> RayBuild:
    """`qa index --ray ADDRESS`: rebuild a stale index (or any with `force`) with the
    embedding on the cluster. A fresh index is left alone and Ray is not contacted."""
    from qa.index import core as index_module
    from qa.pipeline import QA

    local = embedder or make_embedder(settings.model, settings.torch_threads)
    if not force:
        try:
            return RayBuild(index_module.open_index(settings, local, rebuild=False), built=False)
        except store.IndexError_ as reason:
            log.info("rebuilding on Ray: %s", reason)
    connect(address)
    ray_embedder = RayEmbedder(local, settings.model, actors=actors, progress=progress)
    ray_embedder.prefetch(plan_texts(settings, local, force=force))
    built = QA(settings, embedder=ray_embedder).reindex(force=force)
    return RayBuild(built, True, tuple(ray_embedder.reports), dict(ray_embedder.counts))
