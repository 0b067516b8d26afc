"""Build an index: load, chunk, extract figures, embed and write the corpus, atomically.

With the previous build, unchanged documents, chunks and vectors are reused (qa/index/reuse.py), so
`qa index` costs what changed. Every build is a whole new folder either way, published by
qa/index/store.py; the caller holds the writer lock.
"""

from __future__ import annotations

import logging
import time
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from qa.config import Settings
from qa.figures.document import document_figures
from qa.index import store
from qa.index.embedding import Embedder
from qa.index.faissindex import choose_index_type, make_faiss_index
from qa.index.freshness import expected_with_skipped
from qa.index.io import Index, write
from qa.index.lexical import LexicalIndex, lexical_text
from qa.index.manifest import Counts, DocumentEntry, Fingerprint, Manifest, ModelRecord, Update
from qa.index.onnxexport import CACHE_DIR, produce
from qa.index.reuse import Previous
from qa.ingest.chunking import chunk_corpus, embedding_text
from qa.ingest.corpus import Skipped, corpus_files, load_document, skipped_file, supported_suffixes
from qa.ingest.metadata import is_sidecar
from qa.types import Chunk, Document, Figure

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

# Work budget for chunking and extracting the figures of one file: a file that needs more is
# skipped with its reason instead of holding the writer lock (a 7.9 MB file of dense tables
# took about 90 CPU-seconds in all; a press release well under a second).
FILE_SECONDS = 600


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
    or changed chunk texts are embedded (qa/index/reuse.py); without it everything is rebuilt.
    Every build is a whole new folder either way. The caller holds the writer lock.
    """
    started = time.perf_counter()
    corpus_dir = settings.corpus_dir
    expected, unhashed = expected_with_skipped(settings, embedder, corpus_dir)
    reuse = Previous(previous, expected)
    stored_files = previous.manifest.fingerprint.corpus_files if previous else {}
    for item in unhashed:  # links out of the corpus, broken links, files that vanished
        log.warning("skipping %s: %s", item.path, item.reason)
    parts = _Parts(skipped=list(unhashed))
    seen: set[str] = set()
    # A file that could not be hashed is not indexed either: the manifest must not record a
    # document it has no hash for.
    paths = [p for p in corpus_files(corpus_dir) if str(p) not in {s.path for s in unhashed}]
    bar = tqdm(paths, desc="indexing", unit="doc", disable=not progress or not paths, leave=False)
    for path in bar:
        relative = path.relative_to(corpus_dir).as_posix()
        bar.set_postfix_str(relative[-40:], refresh=False)
        document = reuse.document(relative, corpus_dir, dict(expected.corpus_files))
        status = "unchanged" if document else "changed" if relative in stored_files else "new"
        try:  # one bad file is skipped with its reason; the rest of the corpus is indexed
            document = document or load_document(path, corpus_dir)
            if document.id in seen:
                parts.skipped.append(Skipped(str(path), "duplicate of a document already loaded"))
                continue
            pieces = _chunks_and_figures(document, settings, embedder, reuse)
        except Exception as error:
            parts.skipped.append(skipped_file(path, error))
            continue
        seen.add(document.id)
        parts.counts[status] += 1
        _add_document(parts, document, pieces, reuse)
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


def _chunks_and_figures(
    document: Document, settings: Settings, embedder: Embedder, reuse: Previous
) -> tuple[list[Chunk], list[tuple[Figure, ...]]]:
    """Chunk one document and extract its figures (or take the stored ones)."""
    stored = reuse.chunks(document)
    if stored is not None:
        return [c for c, _ in stored], [f for _, f in stored]
    deadline = time.monotonic() + FILE_SECONDS
    chunks = chunk_document_with(document, settings.chunker, embedder.count_tokens)
    return chunks, figures_by_chunk([document], chunks, deadline=deadline)


def _add_document(
    parts: _Parts,
    document: Document,
    pieces: tuple[list[Chunk], list[tuple[Figure, ...]]],
    reuse: Previous,
) -> None:
    """Add one document's chunks and figures; queue the chunk texts not stored for embedding."""
    chunks, figures = pieces
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
    expected: Fingerprint,
    parts: _Parts,
    stored_files: Mapping[str, str],
    started: float,
) -> Index:
    """Make the FAISS and BM25 indexes and the manifest, write them and switch CURRENT."""
    documents, chunks, figures = parts.documents, parts.chunks, parts.figures
    vectors = _stacked(parts, embedder.dim)
    # The model's real dimension is known after embedding.
    expected = replace(expected, model=ModelRecord(embedder.name, int(vectors.shape[1])))
    index_type = choose_index_type(len(chunks), settings.index_type)
    faiss_index = make_faiss_index(vectors, index_type)
    lexical = LexicalIndex.build([lexical_text(chunk.text, chunk.section) for chunk in chunks])
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    staging = store.new_staging_folder(settings.index_dir)
    # The question path's ONNX model, checked against this embedder (qa/index/onnxexport.py).
    onnx = produce(embedder, staging, settings.index_dir / CACHE_DIR)
    manifest = Manifest(
        fingerprint=expected,
        counts=Counts(len(documents), len(chunks), sum(len(f) for f in figures)),
        index_type=index_type,
        created=created,
        documents=tuple(_document_entry(d, parts.per_doc[d.id]) for d in documents),
        skipped=tuple(parts.skipped),
        update=_update(parts, stored_files, expected),
        onnx=onnx,
    )
    write(staging, manifest, faiss_index, chunks, figures, documents, lexical)
    folder = store.publish(settings.index_dir, staging)
    seconds = time.perf_counter() - started
    log.info(
        "indexed %d documents, %d chunks (%d embedded) in %.1f s",
        len(documents), len(chunks), parts.counts["embedded"], seconds,
    )  # fmt: skip
    stats = {"build_seconds": seconds, **{k: float(v) for k, v in vars(manifest.update).items()}}
    by_id = {d.id: d for d in documents}
    return Index(
        manifest, faiss_index, tuple(chunks), tuple(figures), by_id, lexical, folder, stats
    )


def _stacked(parts: _Parts, dim: int) -> NDArray[np.float32]:
    """The build's vectors as one float32 matrix, row i for chunk i."""
    rows = [vector for vector in parts.vectors if vector is not None]
    if len(rows) != len(parts.chunks):  # row i must stay chunk i
        raise RuntimeError(f"{len(parts.chunks) - len(rows)} chunks were left without a vector")
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)


def _update(parts: _Parts, stored_files: Mapping[str, str], expected: Fingerprint) -> Update:
    """What this build took from the previous one; a removed sidecar is no removed document."""
    removed = [
        name
        for name in stored_files
        if name not in expected.corpus_files and not is_sidecar(Path(name))
    ]
    return Update(**parts.counts, removed=len(removed))


def _document_entry(document: Document, counts: dict[str, int]) -> DocumentEntry:
    """A document's line in the manifest (what `qa list` shows)."""
    return DocumentEntry(
        id=document.id,
        path=document.path,
        title=document.title,
        company=document.meta("company"),
        period=document.meta("period"),
        format=document.meta("format"),
        pages=len(document.page_starts),
        tables=len(document.tables),
        **counts,
    )


def chunk_document_with(
    document: Document, chunker: str, count_tokens: Callable[[str], int]
) -> list[Chunk]:
    """Chunk one document with the named chunker."""
    return chunk_corpus([document], chunker, count_tokens)


def figures_by_chunk(
    documents: list[Document], chunks: list[Chunk], *, deadline: float | None = None
) -> list[tuple[Figure, ...]]:
    """Extract figures once per document (with its period and table context, see
    qa/figures/document.py) and hand each chunk those inside its span, in extraction order.

    By position, not by pairs: figures sorted by start, each chunk bisects to its first one and
    reads on while they start inside it, so the cost is linear in figures and chunks (a
    number-dense 800 KB file took 28 s comparing every chunk with every figure).
    """
    per_doc = {d.id: _by_start(document_figures(d, deadline=deadline)) for d in documents}
    result = []
    for chunk in chunks:
        starts, ordered = per_doc[chunk.doc_id]
        inside = []
        for at in range(bisect_left(starts, chunk.start), len(starts)):
            if starts[at] >= chunk.end:
                break
            position, figure = ordered[at]
            if figure.end <= chunk.end:
                inside.append((position, figure))
        result.append(tuple(figure for _, figure in sorted(inside, key=itemgetter(0))))
    return result


def _by_start(figures: list[Figure]) -> tuple[list[int], list[tuple[int, Figure]]]:
    """(sorted starts, (extraction position, figure) in the same order)."""
    ordered = sorted(enumerate(figures), key=lambda item: item[1].start)
    return [figure.start for _, figure in ordered], ordered
