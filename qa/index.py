"""Build, save, load and search the index: FAISS vectors + chunk records + BM25.

Inner product equals cosine similarity because every vector is L2-normalized.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa import store
from qa.chunking import chunk_corpus, chunker_params, embedding_text
from qa.config import DEFAULT_ANN_THRESHOLD, Settings
from qa.corpus import corpus_files, file_hash, load_corpus
from qa.embedding import Embedder
from qa.figures import extract_figures
from qa.lexical import TOKENIZER_VERSION, LexicalIndex
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
    files = {
        path.relative_to(corpus_dir).as_posix(): file_hash(path)
        for path in corpus_files(corpus_dir)
    }
    return {
        "format_version": store.FORMAT_VERSION,
        "model": {"name": embedder.name, "dim": embedder.dim},
        "chunker": chunker_params(settings.chunker),
        "tokenizer_version": TOKENIZER_VERSION,
        "figures_version": _figures_version(),
        "corpus_files": files,
    }


def _figures_version() -> int:
    from qa import figures

    return int(getattr(figures, "FIGURES_VERSION", 1))


def stale_reasons(manifest: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Why a stored manifest does not fit the expected one (empty when it fits)."""
    reasons = []
    for key in ("format_version", "model", "chunker", "tokenizer_version", "figures_version"):
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


def build(settings: Settings, embedder: Embedder, *, progress: bool = False) -> Index:
    """Chunk, extract figures, embed and index the corpus; write it atomically; return it.

    The caller holds the writer lock.
    """
    started = time.perf_counter()
    documents, skipped = load_corpus(settings.corpus_dir)
    if not documents:
        reasons = (
            "; ".join(f"{s.path}: {s.reason}" for s in skipped) or "it has no .txt or .md files"
        )
        raise store.IndexMissing(f"nothing to index in {settings.corpus_dir}: {reasons}")
    chunks = chunk_corpus(documents, settings.chunker, embedder.count_tokens)
    figures = _figures_by_chunk(documents, chunks)
    titles = {d.id: d.title for d in documents}
    log.info("embedding %d chunks", len(chunks))
    vectors = embedder.embed(
        [embedding_text(c, titles[c.doc_id]) for c in chunks], progress=progress
    )
    # After embedding, so the model's real dimension is recorded. Files that failed to load
    # are hashed too, so they do not trigger a rebuild on every start.
    expected = expected_manifest(settings, embedder, settings.corpus_dir)
    index_type = choose_index_type(len(chunks), settings.index_type)
    faiss_index = make_faiss_index(vectors, index_type)
    lexical = LexicalIndex.build([chunk.text for chunk in chunks])
    manifest = {
        **expected,
        "index_type": index_type,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "documents": [{"id": d.id, "path": d.path, "title": d.title} for d in documents],
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        "counts": {
            "documents": len(documents),
            "chunks": len(chunks),
            "figures": sum(len(f) for f in figures),
        },
    }
    staging = store.new_staging_folder(settings.index_dir)
    _write(staging, manifest, faiss_index, chunks, figures, documents, lexical)
    folder = store.publish(settings.index_dir, staging)
    seconds = time.perf_counter() - started
    log.info("indexed %d documents, %d chunks in %.1f s", len(documents), len(chunks), seconds)
    return Index(
        manifest,
        faiss_index,
        tuple(chunks),
        tuple(figures),
        {d.id: d for d in documents},
        lexical,
        folder,
        {"build_seconds": seconds},
    )


def _figures_by_chunk(documents: list[Document], chunks: list[Chunk]) -> list[tuple[Figure, ...]]:
    """Extract figures once per document and hand each chunk those inside its span."""
    per_doc = {d.id: extract_figures(d.text, d.id) for d in documents}
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
    try:
        index = load(settings.index_dir)
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
            index = load(settings.index_dir)
            if not stale_reasons(index.manifest, expected):
                return index
        except store.IndexError_:
            pass
        return build(settings, embedder, progress=True)
