"""What a new build can take from the previous one, so `qa index` costs what changed.

- A document whose file (and sidecar) hash is unchanged, under a loader of the same version,
  is taken as stored: no PDF or HTML parsing.
- Its chunks and figures are taken as stored when the chunker, tokenizer and figures
  versions are unchanged.
- Vectors are looked up by the exact text the model embeds, so an edited document re-embeds
  only its new or changed chunks, and a renamed one none. Only with the same model and
  dimension; vectors are read back from the FAISS file (flat and HNSW store them exactly;
  IVF-PQ does not, so an IVF-PQ index re-embeds everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.index.manifest import CHUNK_KEYS, Fingerprint
from qa.ingest.chunking import embedding_text
from qa.ingest.metadata import sidecar_paths
from qa.types import Chunk, Document, Figure

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from qa.index.io import Index


@dataclass
class Previous:
    """The previous build, seen as a source of reusable documents, chunks and vectors."""

    index: Index | None
    expected: Fingerprint
    _vectors: dict[str, int] | None = field(default=None, repr=False)
    _matrix: NDArray[np.float32] | None = field(default=None, repr=False)

    def _same(self, keys: tuple[str, ...]) -> bool:
        if self.index is None:
            return False
        return not self.index.manifest.fingerprint.changed(self.expected, keys)

    def document(self, relative: str, corpus_dir: Path, hashes: dict[str, str]) -> Document | None:
        """The stored document for an unchanged file (and unchanged sidecar), else None."""
        if self.index is None or not self._same(("loader_version",)):
            return None
        stored = self.index.manifest.fingerprint.corpus_files
        path = corpus_dir / relative
        names = [relative, *(p.relative_to(corpus_dir).as_posix() for p in sidecar_paths(path))]
        if any(stored.get(name) != hashes.get(name) for name in names):
            return None
        return next((d for d in self.index.documents.values() if d.path == relative), None)

    def chunks(self, document: Document) -> list[tuple[Chunk, tuple[Figure, ...]]] | None:
        """The stored chunks and figures of an unchanged document, else None."""
        if self.index is None or not self._same(CHUNK_KEYS):
            return None
        stored = self.index.documents.get(document.id)
        if stored is None or stored.metadata != document.metadata:
            return None
        rows = self.index.rows_of([document.id])
        if not len(rows):
            return None
        return [(self.index.chunks[r], self.index.chunk_figures[r]) for r in rows]

    def vector(self, key: str) -> NDArray[np.float32] | None:
        """The stored vector of an embedding text, if the previous build embedded it."""
        if self._vectors is None:
            self._load_vectors()
        assert self._vectors is not None
        row = self._vectors.get(key)
        return None if row is None or self._matrix is None else self._matrix[row]

    def _load_vectors(self) -> None:
        self._vectors = {}
        if self.index is None or not self.index.manifest.vectors_reusable(self.expected):
            return
        faiss_index = self.index.vectors
        self._matrix = np.asarray(
            faiss_index.reconstruct_n(0, faiss_index.ntotal), dtype=np.float32
        )
        documents = self.index.documents
        for row, chunk in enumerate(self.index.chunks):
            self._vectors.setdefault(embedding_text(chunk, documents[chunk.doc_id].title), row)
