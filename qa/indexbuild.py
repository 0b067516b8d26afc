"""Build an index: load, chunk, extract figures, embed and write the corpus, atomically.

With the previous build, unchanged documents, chunks and vectors are reused (qa/reuse.py), so
`qa index` costs what changed. Every build is a whole new folder either way, published by
qa/store.py; the caller holds the writer lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from tqdm import tqdm

from qa import store
from qa.chunking import chunk_corpus, embedding_text
from qa.config import Settings
from qa.corpus import Skipped, corpus_files, load_document, supported_suffixes
from qa.docfigures import document_figures
from qa.embedding import Embedder
from qa.indexio import Index, write
from qa.lexical import LexicalIndex, lexical_text
from qa.manifest import expected_with_skipped
from qa.metadata import is_sidecar
from qa.onnxexport import CACHE_DIR, produce
from qa.reuse import Previous
from qa.types import Chunk, Document, Figure

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)


@dataclass
class _Parts:
    """What a build collects, document by document."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    figures: list[tuple[Figure, ...]] = field(default_factory=list)
    vectors: list[NDArray[np.float32] | None] = field(default_factory=list)
    # (row in `vectors`, text) still to embed: one embed() call for the whole build sorts
    # texts by length across documents and fills every batch (measured 7.0 vs 10.9 CPU-s
    # for four copies of the release embedded per document).
    pending: list[tuple[int, str]] = field(default_factory=list)
    per_doc: dict[str, dict[str, int]] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("new", "changed", "unchanged", "embedded"), 0)
    )


def build(
    settings: Settings,
    embedder: Embedder,
    *,
    progress: bool = False,
    previous: Index | None = None,
) -> Index:
    """Load, chunk, extract figures, embed and index the corpus; write it atomically.

    With `previous` (the last build), unchanged documents are taken as stored and only new
    or changed chunk texts are embedded (qa/reuse.py); without it everything is rebuilt.
    Every build is a whole new folder either way. The caller holds the writer lock.
    """
    started = time.perf_counter()
    corpus_dir = settings.corpus_dir
    expected, unhashed = expected_with_skipped(settings, embedder, corpus_dir)
    reuse = Previous(previous, expected)
    stored_files = previous.manifest.get("corpus_files", {}) if previous else {}
    parts = _Parts(skipped=list(unhashed))
    seen: set[str] = set()
    # A file that could not be hashed is not indexed either: the manifest must not record a
    # document it has no hash for.
    paths = [p for p in corpus_files(corpus_dir) if str(p) not in {s.path for s in unhashed}]
    bar = tqdm(paths, desc="indexing", unit="doc", disable=not progress or not paths, leave=False)
    for path in bar:
        relative = path.relative_to(corpus_dir).as_posix()
        bar.set_postfix_str(relative[-40:], refresh=False)
        document = reuse.document(relative, corpus_dir, expected["corpus_files"])
        status = "unchanged" if document else "changed" if relative in stored_files else "new"
        if document is None:
            try:
                document = load_document(path, corpus_dir)
            except (OSError, ValueError) as error:
                reason = error if isinstance(error, ValueError) else f"cannot be read ({error})"
                log.warning("skipping %s: %s", path, reason)
                parts.skipped.append(Skipped(str(path), str(reason)))
                continue
        if document.id in seen:
            parts.skipped.append(Skipped(str(path), "duplicate of a document already loaded"))
            continue
        seen.add(document.id)
        parts.counts[status] += 1
        _add_document(parts, document, settings, embedder, reuse)
    bar.close()
    if parts.pending:
        fresh = embedder.embed([text for _, text in parts.pending], progress=progress)
        for (row, _), vector in zip(parts.pending, fresh, strict=True):
            parts.vectors[row] = vector
    if not parts.documents:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in parts.skipped) or (
            f"it has no {', '.join(supported_suffixes())} files"
        )
        raise store.IndexMissing(f"nothing to index in {corpus_dir}: {reasons}")
    return _publish(settings, embedder, expected, parts, stored_files, started)


def _add_document(
    parts: _Parts, document: Document, settings: Settings, embedder: Embedder, reuse: Previous
) -> None:
    """Chunk (or take the stored chunks of) one document and embed what is not stored."""
    stored = reuse.chunks(document)
    if stored is None:
        chunks = chunk_document_with(document, settings.chunker, embedder.count_tokens)
        figures = figures_by_chunk([document], chunks)
    else:
        chunks, figures = [c for c, _ in stored], [f for _, f in stored]
    texts = [embedding_text(c, document.title) for c in chunks]
    found = [reuse.vector(text) for text in texts]
    missing = [i for i, vector in enumerate(found) if vector is None]
    first_row = len(parts.vectors)
    parts.pending.extend((first_row + i, texts[i]) for i in missing)
    parts.counts["embedded"] += len(missing)
    parts.documents.append(document)
    parts.chunks.extend(chunks)
    parts.figures.extend(figures)
    parts.vectors.extend(found)
    parts.per_doc[document.id] = {
        "chunks": len(chunks),
        "figures": sum(len(f) for f in figures),
        "embedded": len(missing),
    }


def _publish(
    settings: Settings,
    embedder: Embedder,
    expected: dict[str, Any],
    parts: _Parts,
    stored_files: dict[str, str],
    started: float,
) -> Index:
    documents, chunks, figures = parts.documents, parts.chunks, parts.figures
    rows = [vector for vector in parts.vectors if vector is not None]
    if len(rows) != len(chunks):  # row i must stay chunk i
        raise RuntimeError(f"{len(chunks) - len(rows)} chunks were left without a vector")
    vectors = (
        np.vstack(rows).astype(np.float32)
        if rows
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
    # The model's real dimension is known after embedding.
    expected = {**expected, "model": {"name": embedder.name, "dim": int(vectors.shape[1])}}
    # Imported here: qa.index imports this module, and keeps the index types (bench/ tunes them).
    from qa.index import choose_index_type, make_faiss_index

    index_type = choose_index_type(len(chunks), settings.index_type)
    faiss_index = make_faiss_index(vectors, index_type)
    lexical = LexicalIndex.build([lexical_text(chunk.text, chunk.section) for chunk in chunks])
    current = {d.path for d in documents} | {s.path for s in parts.skipped}
    removed = sorted(
        name
        for name in stored_files
        if name not in expected["corpus_files"] and not is_sidecar(Path(name))
    )
    update = {**parts.counts, "removed": len(removed), "loaded": len(current)}
    manifest = {
        **expected,
        "index_type": index_type,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "documents": [_document_entry(d, parts.per_doc[d.id]) for d in documents],
        "skipped": [{"path": s.path, "reason": s.reason} for s in parts.skipped],
        "counts": {
            "documents": len(documents),
            "chunks": len(chunks),
            "figures": sum(len(f) for f in figures),
        },
        "update": {k: v for k, v in update.items() if k != "loaded"},
    }
    staging = store.new_staging_folder(settings.index_dir)
    # The question path's ONNX model, checked against this embedder (qa/onnxexport.py).
    cache = settings.index_dir / CACHE_DIR
    manifest["onnx"] = produce(embedder, staging, cache).to_dict()
    write(staging, manifest, faiss_index, chunks, figures, documents, lexical)
    folder = store.publish(settings.index_dir, staging)
    seconds = time.perf_counter() - started
    log.info(
        "indexed %d documents, %d chunks (%d embedded) in %.1f s",
        len(documents), len(chunks), parts.counts["embedded"], seconds,
    )  # fmt: skip
    stats = {"build_seconds": seconds, **{k: float(v) for k, v in manifest["update"].items()}}
    return Index(
        manifest,
        faiss_index,
        tuple(chunks),
        tuple(figures),
        {d.id: d for d in documents},
        lexical,
        folder,
        stats,
    )


def _document_entry(document: Document, counts: dict[str, int]) -> dict[str, Any]:
    """A document's line in the manifest (what `qa list` shows)."""
    return {
        "id": document.id,
        "path": document.path,
        "title": document.title,
        "company": document.meta("company"),
        "period": document.meta("period"),
        "format": document.meta("format"),
        "pages": len(document.page_starts),
        **counts,
    }


def chunk_document_with(
    document: Document, chunker: str, count_tokens: Callable[[str], int]
) -> list[Chunk]:
    """Chunk one document with the named chunker."""
    return chunk_corpus([document], chunker, count_tokens)


def figures_by_chunk(documents: list[Document], chunks: list[Chunk]) -> list[tuple[Figure, ...]]:
    """Extract figures once per document (with its period and table context, see
    qa/docfigures.py) and hand each chunk those inside its span."""
    per_doc = {d.id: document_figures(d) for d in documents}
    return [
        tuple(f for f in per_doc[c.doc_id] if c.start <= f.start and f.end <= c.end) for c in chunks
    ]
