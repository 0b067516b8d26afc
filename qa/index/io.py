"""The index in memory (`Index`) and on disk: write a build folder, load it back.

A build folder holds the FAISS file, the chunk records with their figures, the documents and
their parsed tables (JSON lines; never pickle), the BM25 index, and the manifest, written
last: a folder with a manifest is a complete folder (qa/index/store.py publishes it atomically).
Inner product equals cosine similarity because every vector is L2-normalized.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.index import store
from qa.index.faissindex import restricted_search
from qa.index.lexical import LexicalIndex
from qa.index.manifest import Manifest, read_manifest
from qa.index.schema import BM25_PARAMS, BM25_VOCAB, CHUNK, DOCUMENT, problems
from qa.types import Chunk, Document, Figure, Table, table_from_dict

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Index:
    """A loaded index: row i of `vectors` is `chunks[i]`, with `chunk_figures[i]`."""

    manifest: Manifest
    vectors: Any  # faiss.Index
    chunks: tuple[Chunk, ...]
    chunk_figures: tuple[tuple[Figure, ...], ...]
    documents: dict[str, Document]
    lexical: LexicalIndex
    folder: Path
    stats: dict[str, float] = field(default_factory=dict)

    def tables_of(self, doc_id: str) -> tuple[Table, ...]:
        """The parsed tables of one document, in document order (empty when unknown)."""
        document = self.documents.get(doc_id)
        return document.tables if document is not None else ()

    def table(self, doc_id: str, number: int) -> Table | None:
        """Table `number` (1-based, as in `Figure.cell[0]`) of a document, if it exists."""
        tables = self.tables_of(doc_id)
        return tables[number - 1] if 0 < number <= len(tables) else None

    @cached_property
    def _rows_by_doc(self) -> dict[str, NDArray[np.int64]]:
        # Built once per loaded index (cached_property writes past the frozen __setattr__).
        rows: dict[str, list[int]] = {}
        for row, chunk in enumerate(self.chunks):
            rows.setdefault(chunk.doc_id, []).append(row)
        return {doc_id: np.asarray(r, dtype=np.int64) for doc_id, r in rows.items()}

    def rows_of(self, doc_ids: Iterable[str]) -> NDArray[np.int64]:
        """The rows of these documents' chunks, ascending (empty for unknown documents)."""
        parts = [self._rows_by_doc[d] for d in doc_ids if d in self._rows_by_doc]
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def search(
        self, query: NDArray[np.float32], k: int, among: NDArray[np.int64] | None = None
    ) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
        """Top-k (scores, rows) by inner product for one query vector, among the rows `among`
        when given; rows -1 are padding."""
        k = max(1, min(k, len(self.chunks) if among is None else len(among)))
        vector = np.ascontiguousarray(query.reshape(1, -1))
        if among is None:
            scores, rows = self.vectors.search(vector, k)
        else:
            scores, rows = restricted_search(self.vectors, vector, k, among)
        return scores[0], rows[0]


def write(
    folder: Path,
    manifest: Manifest,
    faiss_index: Any,
    chunks: list[Chunk],
    figures: list[tuple[Figure, ...]],
    documents: list[Document],
    lexical: LexicalIndex,
) -> None:
    """Write a build into the staging `folder`. A failed write (a full disk: OSError, or the
    RuntimeError faiss raises) deletes the staging folder and raises IndexUnwritable."""
    try:
        _write_files(folder, manifest, faiss_index, chunks, figures, documents, lexical)
    except store.IndexError_:  # write_jsonl's IndexUnwritable (a RuntimeError too)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise store.unwritable(folder.parent, error) from None
    except RuntimeError as error:
        shutil.rmtree(folder, ignore_errors=True)
        detail = (str(error).strip().splitlines() or ["write error"])[-1][:200]
        raise store.unwritable(folder.parent, detail) from None


def _write_files(
    folder: Path,
    manifest: Manifest,
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
    store.write_jsonl(
        folder / store.TABLES_FILE,
        (table.to_dict() for d in documents for table in d.tables),
    )
    (folder / store.BM25_DIR).mkdir()
    lexical.save(folder / store.BM25_DIR)
    # The manifest goes last: a folder with a manifest is a complete folder.
    (folder / store.MANIFEST_FILE).write_text(
        json.dumps(manifest.to_json(), indent=2, ensure_ascii=False)
    )


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
    if values.get("cell") is not None:
        values["cell"] = tuple(int(x) for x in values["cell"])
    return Figure(**values)


def _check_records(
    folder: Path, records: list[dict[str, Any]], doc_rows: list[dict[str, Any]]
) -> None:
    """IndexCorrupt when a chunk or document record has a field of the wrong type."""
    for name, rows, shape in (
        (store.CHUNKS_FILE, records, CHUNK),
        (store.DOCUMENTS_FILE, doc_rows, DOCUMENT),
    ):
        for number, row in enumerate(rows, start=1):
            found = problems(row, shape, f"record {number}")
            if found:
                raise store.IndexCorrupt(
                    f"{folder / name} does not fit its schema: {'; '.join(found)}; run `qa index`"
                )


def _load_lexical(folder: Path) -> LexicalIndex:
    """The BM25 index, its JSON files checked first; any failure is IndexCorrupt."""
    for name, shape in (("params.index.json", BM25_PARAMS), ("vocab.index.json", BM25_VOCAB)):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            raise store.IndexCorrupt(
                f"cannot read {folder / name}: {error}; run `qa index`"
            ) from None
        found = problems(data, shape, name)
        if found:
            raise store.IndexCorrupt(
                f"{folder / name} does not fit its schema: {'; '.join(found)}; run `qa index`"
            )
    try:
        return LexicalIndex.load(folder)
    except Exception as error:  # bm25s and numpy raise many types on damaged arrays
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise store.IndexCorrupt(
            f"unreadable BM25 index in {folder}: {detail}; run `qa index`"
        ) from None


def _inconsistencies(
    manifest: Manifest,
    vectors: Any,
    chunks: tuple[Chunk, ...],
    documents: dict[str, Document],
    lexical: LexicalIndex,
) -> list[str]:
    """Where the files of a build disagree (row i of each must be chunk i)."""
    counted, model = manifest.counts.chunks, manifest.fingerprint.model
    problems = []
    if vectors.ntotal != len(chunks):
        problems.append(f"{vectors.ntotal} vectors but {len(chunks)} chunk records")
    if counted != len(chunks):
        problems.append(f"manifest says {counted} chunks, file has {len(chunks)}")
    if len(lexical) != len(chunks):
        problems.append(f"BM25 has {len(lexical)} rows, chunks {len(chunks)}")
    if vectors.d != model.dim:
        problems.append(
            f"vectors are {vectors.d}-d, manifest says {model.name!r} of {model.dim} dimensions"
        )
    if any(c.doc_id not in documents for c in chunks):
        problems.append("chunks refer to documents that are not stored")
    return problems


def load(index_dir: Path) -> Index:
    """Load the current build and check it is whole and self-consistent."""
    import faiss

    folder = store.current_build(index_dir)
    manifest = read_manifest(folder)
    try:
        vectors = faiss.read_index(str(folder / store.VECTORS_FILE))
    except Exception as error:  # faiss raises RuntimeError with C++ text
        raise store.IndexCorrupt(
            f"unreadable FAISS file in {folder}: {str(error).splitlines()[0][:200]}; "
            "run `qa index --force`"
        ) from None
    records = store.read_jsonl(folder / store.CHUNKS_FILE)
    doc_rows = store.read_jsonl(folder / store.DOCUMENTS_FILE)
    # A build from before tables were stored has no tables file (its manifest is stale anyway).
    table_path = folder / store.TABLES_FILE
    table_rows = store.read_jsonl(table_path) if table_path.exists() else []
    _check_records(folder, records, doc_rows)
    try:
        chunks = tuple(
            Chunk(r["doc_id"], r["section"], r["text"], r["start"], r["end"], r["kind"])
            for r in records
        )
        figures = tuple(tuple(_figure_from(f) for f in r.get("figures", [])) for r in records)
        tables: dict[str, list[Table]] = {}
        for row in table_rows:
            table = table_from_dict(row)
            tables.setdefault(table.doc_id, []).append(table)
        documents = {
            r["id"]: Document(
                r["id"],
                r["path"],
                r["title"],
                r["text"],
                tuple(r.get("page_starts", [])),
                tuple(sorted(r.get("metadata", {}).items())),
                tuple(sorted(tables.get(r["id"], []), key=lambda t: t.number)),
            )
            for r in doc_rows
        }
    except (KeyError, TypeError, ValueError, OSError) as error:
        raise store.IndexCorrupt(
            f"malformed records in {folder}: {error!r}; run `qa index --force`"
        ) from None
    lexical = _load_lexical(folder / store.BM25_DIR)
    problems = _inconsistencies(manifest, vectors, chunks, documents, lexical)
    if problems:
        raise store.IndexCorrupt(
            f"inconsistent index in {folder}: {'; '.join(problems)}; run `qa index --force`"
        )
    return Index(manifest, vectors, chunks, figures, documents, lexical, folder)
