"""Build, save, load and search the index: FAISS vectors + chunk records + BM25.

Inner product equals cosine similarity because every vector is L2-normalized.
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
from qa.chunking import chunk_corpus, chunker_params, embedding_text
from qa.config import DEFAULT_ANN_THRESHOLD, Settings
from qa.corpus import (
    Skipped,
    corpus_files,
    file_hash,
    load_document,
    supported_suffixes,
    tracked_files,
)
from qa.docfigures import DOCFIGURES_VERSION, document_figures
from qa.embedding import Embedder
from qa.lexical import TOKENIZER_VERSION, LexicalIndex, lexical_text
from qa.loaders import LOADER_VERSION
from qa.metadata import is_sidecar
from qa.reuse import Previous
from qa.types import Chunk, Document, Figure

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)
# faiss logs which CPU build it loads at INFO; that is noise for `qa -v`.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)

# HNSW graph degree and search breadth: recall@10 >= 0.95 at 1M vectors (see bench/).
HNSW_M = 32
HNSW_EF_SEARCH = 64
HNSW_EF_CONSTRUCTION = 80
# IVF-PQ: lists ~ 4*sqrt(n); 48 sub-quantizers of 8 bits for 384-d (8 dims each).
IVFPQ_SUBQUANTIZERS = 48
IVFPQ_NPROBE = 32


@dataclass(frozen=True)
class Index:
    """A loaded index: row i of `vectors` is `chunks[i]`, with `chunk_figures[i]`."""

    manifest: dict[str, Any]
    vectors: Any  # faiss.Index
    chunks: tuple[Chunk, ...]
    chunk_figures: tuple[tuple[Figure, ...], ...]
    documents: dict[str, Document]
    lexical: LexicalIndex
    folder: Path
    stats: dict[str, float] = field(default_factory=dict)

    def search(
        self, query: NDArray[np.float32], k: int
    ) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
        """Top-k (scores, rows) by inner product for one query vector; rows -1 are padding."""
        k = max(1, min(k, len(self.chunks)))
        scores, rows = self.vectors.search(np.ascontiguousarray(query.reshape(1, -1)), k)
        return scores[0], rows[0]


def choose_index_type(
    count: int, requested: str = "auto", threshold: int = DEFAULT_ANN_THRESHOLD
) -> str:
    """Exact search below `threshold` vectors, HNSW above (unless a type is requested).

    >>> choose_index_type(57), choose_index_type(1_000_000), choose_index_type(10, "hnsw")
    ('flat', 'hnsw', 'hnsw')
    """
    if requested != "auto":
        return requested
    return "flat" if count < threshold else "hnsw"


def make_faiss_index(vectors: NDArray[np.float32], index_type: str) -> Any:
    """A FAISS inner-product index of the given type holding `vectors` (row i = id i)."""
    import faiss

    count, dim = vectors.shape
    index: Any
    if index_type == "flat" or count == 0:
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    elif index_type == "ivfpq":
        lists = max(1, min(int(4 * np.sqrt(count)), count // 39))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(
            quantizer, dim, lists, IVFPQ_SUBQUANTIZERS, 8, faiss.METRIC_INNER_PRODUCT
        )
        index.train(vectors[: min(count, 256 * lists)])
        index.nprobe = IVFPQ_NPROBE
    else:
        raise ValueError(f"unknown index type {index_type!r}")
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def expected_manifest(settings: Settings, embedder: Embedder, corpus_dir: Path) -> dict[str, Any]:
    """What a fresh index for these settings must record (compared on load)."""
    files = {name: file_hash(path) for name, path in tracked_files(corpus_dir).items()}
    return {
        "format_version": store.FORMAT_VERSION,
        "model": {"name": embedder.name, "dim": embedder.dim},
        "chunker": chunker_params(settings.chunker),
        "tokenizer_version": TOKENIZER_VERSION,
        "figures_version": _figures_version(),
        "docfigures_version": DOCFIGURES_VERSION,
        "loader_version": LOADER_VERSION,
        "corpus_files": files,
    }


def _figures_version() -> int:
    from qa import figures

    return int(getattr(figures, "FIGURES_VERSION", 1))


def stale_reasons(manifest: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Why a stored manifest does not fit the expected one (empty when it fits)."""
    reasons = []
    for key in (
        "format_version", "model", "chunker", "tokenizer_version", "figures_version",
        "docfigures_version", "loader_version",
    ):  # fmt: skip
        if manifest.get(key) != expected[key]:
            reasons.append(f"{key} changed ({manifest.get(key)!r} -> {expected[key]!r})")
    stored, current = manifest.get("corpus_files", {}), expected["corpus_files"]
    for name in sorted(set(stored) | set(current)):
        if name not in current:
            reasons.append(f"corpus file removed: {name}")
        elif name not in stored:
            reasons.append(f"corpus file added: {name}")
        elif stored[name] != current[name]:
            reasons.append(f"corpus file changed: {name}")
    return reasons


@dataclass
class _Parts:
    """What a build collects, document by document."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    figures: list[tuple[Figure, ...]] = field(default_factory=list)
    vectors: list[NDArray[np.float32]] = field(default_factory=list)
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
    expected = expected_manifest(settings, embedder, corpus_dir)
    reuse = Previous(previous, expected)
    stored_files = previous.manifest.get("corpus_files", {}) if previous else {}
    parts = _Parts()
    seen: set[str] = set()
    paths = corpus_files(corpus_dir)
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
        figures = _figures_by_chunk([document], chunks)
    else:
        chunks, figures = [c for c, _ in stored], [f for _, f in stored]
    texts = [embedding_text(c, document.title) for c in chunks]
    found = [reuse.vector(text) for text in texts]
    missing = [i for i, vector in enumerate(found) if vector is None]
    if missing:
        fresh = embedder.embed([texts[i] for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            found[i] = vector
    parts.counts["embedded"] += len(missing)
    parts.documents.append(document)
    parts.chunks.extend(chunks)
    parts.figures.extend(figures)
    parts.vectors.extend(v for v in found if v is not None)
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
    vectors = (
        np.vstack(parts.vectors).astype(np.float32)
        if parts.vectors
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
    # The model's real dimension is known after embedding.
    expected = {**expected, "model": {"name": embedder.name, "dim": int(vectors.shape[1])}}
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
    _write(staging, manifest, faiss_index, chunks, figures, documents, lexical)
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


def _figures_by_chunk(documents: list[Document], chunks: list[Chunk]) -> list[tuple[Figure, ...]]:
    """Extract figures once per document (with its period and table context, see
    qa/docfigures.py) and hand each chunk those inside its span."""
    per_doc = {d.id: document_figures(d) for d in documents}
    return [
        tuple(f for f in per_doc[c.doc_id] if c.start <= f.start and f.end <= c.end) for c in chunks
    ]


def _write(
    folder: Path,
    manifest: dict[str, Any],
    faiss_index: Any,
    chunks: list[Chunk],
    figures: list[tuple[Figure, ...]],
    documents: list[Document],
    lexical: LexicalIndex,
) -> None:
    import faiss

    faiss.write_index(faiss_index, str(folder / store.VECTORS_FILE))
    store.write_jsonl(
        folder / store.CHUNKS_FILE,
        (_chunk_record(c, f) for c, f in zip(chunks, figures, strict=True)),
    )
    store.write_jsonl(
        folder / store.DOCUMENTS_FILE,
        (
            {
                "id": d.id,
                "path": d.path,
                "title": d.title,
                "text": d.text,
                "page_starts": list(d.page_starts),
                "metadata": dict(d.metadata),
            }
            for d in documents
        ),
    )
    (folder / store.BM25_DIR).mkdir()
    lexical.save(folder / store.BM25_DIR)
    # The manifest goes last: a folder with a manifest is a complete folder.
    import json

    (folder / store.MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def _chunk_record(chunk: Chunk, figures: tuple[Figure, ...]) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id,
        "section": chunk.section,
        "text": chunk.text,
        "start": chunk.start,
        "end": chunk.end,
        "kind": chunk.kind,
        "figures": [f.to_dict() for f in figures],
    }


def _figure_from(record: dict[str, Any]) -> Figure:
    fields = set(Figure.__dataclass_fields__)
    values = {k: v for k, v in record.items() if k in fields}
    values["value"] = float(values["value"])
    return Figure(**values)


def load(index_dir: Path) -> Index:
    """Load the current build and check it is whole and self-consistent."""
    import faiss

    folder = store.current_build(index_dir)
    manifest = store.read_manifest(folder)
    try:
        vectors = faiss.read_index(str(folder / store.VECTORS_FILE))
    except Exception as error:  # faiss raises RuntimeError with C++ text
        raise store.IndexCorrupt(
            f"unreadable FAISS file in {folder}: {str(error).splitlines()[0][:200]}; "
            "run `qa index --force`"
        ) from None
    records = store.read_jsonl(folder / store.CHUNKS_FILE)
    doc_rows = store.read_jsonl(folder / store.DOCUMENTS_FILE)
    try:
        chunks = tuple(
            Chunk(r["doc_id"], r["section"], r["text"], r["start"], r["end"], r["kind"])
            for r in records
        )
        figures = tuple(tuple(_figure_from(f) for f in r.get("figures", [])) for r in records)
        documents = {
            r["id"]: Document(
                r["id"],
                r["path"],
                r["title"],
                r["text"],
                tuple(r.get("page_starts", [])),
                tuple(sorted(r.get("metadata", {}).items())),
            )
            for r in doc_rows
        }
        lexical = LexicalIndex.load(folder / store.BM25_DIR)
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise store.IndexCorrupt(
            f"malformed records in {folder}: {error!r}; run `qa index --force`"
        ) from None
    counts = manifest.get("counts", {})
    problems = []
    if vectors.ntotal != len(chunks):
        problems.append(f"{vectors.ntotal} vectors but {len(chunks)} chunk records")
    if counts.get("chunks") != len(chunks):
        problems.append(f"manifest says {counts.get('chunks')} chunks, file has {len(chunks)}")
    if len(lexical) != len(chunks):
        problems.append(f"BM25 has {len(lexical)} rows, chunks {len(chunks)}")
    if vectors.d != manifest.get("model", {}).get("dim"):
        problems.append(f"vectors are {vectors.d}-d, manifest says {manifest.get('model')}")
    if any(c.doc_id not in documents for c in chunks):
        problems.append("chunks refer to documents that are not stored")
    if problems:
        raise store.IndexCorrupt(
            f"inconsistent index in {folder}: {'; '.join(problems)}; run `qa index --force`"
        )
    return Index(manifest, vectors, chunks, figures, documents, lexical, folder)


def open_index(settings: Settings, embedder: Embedder, *, rebuild: bool | None = None) -> Index:
    """Load the index if it fits the corpus, model and chunker; otherwise rebuild it (logged),
    or raise IndexStale / IndexMissing / IndexCorrupt when rebuilding is off."""
    allow = settings.auto_rebuild if rebuild is None else rebuild
    expected = expected_manifest(settings, embedder, settings.corpus_dir)
    previous: Index | None = None
    try:
        index = previous = load(settings.index_dir)
        reasons = stale_reasons(index.manifest, expected)
        if not reasons:
            log.info("using index %s (%d chunks)", index.folder, len(index.chunks))
            return index
        summary = "; ".join(reasons[:5])
        problem: store.IndexError_ = store.IndexStale(
            f"index in {settings.index_dir} is out of date: {summary}; run `qa index`"
        )
    except store.IndexError_ as error:
        problem = error
    if not allow:
        raise problem
    log.warning("rebuilding index: %s", problem)
    with store.writer_lock(settings.index_dir, wait=True):
        # Another process may have rebuilt it while we waited for the lock.
        try:
            index = previous = load(settings.index_dir)
            if not stale_reasons(index.manifest, expected):
                return index
        except store.IndexError_:
            pass
        return build(settings, embedder, progress=True, previous=previous)
