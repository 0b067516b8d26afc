"""A build's manifest (`manifest.json`) as typed records: what the index was built from and
what it holds.

`Fingerprint` is what makes a build fresh: the format version, the model (name, dimension),
the chunker and the versions of every stage that shapes the stored records (tokenizer,
figures, document figures, loaders), and a SHA-256 of every corpus file and sidecar.
`Manifest` is a written build: its fingerprint, then what the build made (index type,
documents, skipped files, counts, what the update reused) and its ONNX question model.

`Manifest.from_json` is the one parser: format version first (another one is stale, not
corrupt), then the shapes of qa/index/schema.py, then the records. On disk the manifest is
the flat JSON object format version 1 has always written (`to_json`), so existing builds load
as they are; a key a later release adds is ignored, a stage version an older release did not
write reads as None (stale for that stage, qa/index/freshness.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.index import store
from qa.index.onnxembed import OnnxRecord
from qa.index.schema import MANIFEST, problems
from qa.ingest.corpus import Skipped

# Fingerprint fields whose change makes an index stale (besides the corpus files).
VERSION_KEYS = (
    "format_version", "model", "chunker", "tokenizer_version", "figures_version",
    "docfigures_version", "loader_version",
)  # fmt: skip
# Fields that must match for a new build to take stored chunks and figures, and vectors.
CHUNK_KEYS = ("chunker", "tokenizer_version", "figures_version", "docfigures_version", "model")
VECTOR_KEYS = ("model", "chunker", "tokenizer_version")
# FAISS index types that keep every vector exactly (read back with reconstruct_n); IVF-PQ
# keeps only codes, so its vectors cannot be reused.
EXACT_INDEX_TYPES = frozenset({"flat", "hnsw"})


@dataclass(frozen=True)
class ModelRecord:
    """The embedding model a build used."""

    name: str
    dim: int


@dataclass(frozen=True)
class Fingerprint:
    """What a build was made from; any difference from the expected one makes it stale.

    A stage version is None in a manifest written before that stage had one.
    """

    format_version: int
    model: ModelRecord
    chunker: Mapping[str, Any]
    tokenizer_version: int | None
    figures_version: int | None
    docfigures_version: int | None
    loader_version: int | None
    corpus_files: Mapping[str, str]

    def changed(self, other: Fingerprint, keys: Iterable[str] = VERSION_KEYS) -> list[str]:
        """The fields among `keys` whose value differs in `other`.

        >>> a = Fingerprint(1, ModelRecord("m", 4), {"name": "structure"}, 1, 1, 1, 1, {})
        >>> a.changed(Fingerprint(1, ModelRecord("m", 8), {"name": "structure"}, 2, 1, 1, 1, {}))
        ['model', 'tokenizer_version']
        """
        return [key for key in keys if getattr(self, key) != getattr(other, key)]

    def shown(self, key: str) -> Any:
        """A field as the manifest writes it (for messages): {'name': 'm', 'dim': 4}."""
        return self.to_json()[key]

    def to_json(self) -> dict[str, Any]:
        """The fingerprint's keys of manifest.json, in their written order."""
        return {
            "format_version": self.format_version,
            "model": {"name": self.model.name, "dim": self.model.dim},
            "chunker": dict(self.chunker),
            "tokenizer_version": self.tokenizer_version,
            "figures_version": self.figures_version,
            "docfigures_version": self.docfigures_version,
            "loader_version": self.loader_version,
            "corpus_files": dict(self.corpus_files),
        }


@dataclass(frozen=True)
class DocumentEntry:
    """A document's line in the manifest (what `qa list` shows), with what the build did."""

    id: str
    path: str
    title: str = ""
    company: str | None = None
    period: str | None = None
    format: str | None = None
    pages: int = 0
    tables: int = 0
    chunks: int = 0
    figures: int = 0
    embedded: int = 0


@dataclass(frozen=True)
class Counts:
    """What a build holds."""

    documents: int
    chunks: int
    figures: int


@dataclass(frozen=True)
class Update:
    """What a build took from the previous one: documents by status, chunks embedded anew."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    embedded: int = 0
    removed: int = 0


@dataclass(frozen=True)
class Manifest:
    """A written build: its fingerprint and what it made.

    `onnx` is None when the record is missing (a build of an older release) or malformed;
    `onnx_problem` then says which, and the build is stale (qa/index/freshness.py).
    """

    fingerprint: Fingerprint
    counts: Counts
    index_type: str = ""
    created: str = ""
    documents: tuple[DocumentEntry, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    update: Update = field(default_factory=Update)
    onnx: OnnxRecord | None = None
    onnx_problem: str = ""

    def vectors_reusable(self, expected: Fingerprint) -> bool:
        """Whether a build for `expected` may take this build's vectors: the same model,
        chunker and tokenizer, and a FAISS index that keeps vectors exactly."""
        exact = self.index_type in EXACT_INDEX_TYPES
        return exact and not self.fingerprint.changed(expected, VECTOR_KEYS)

    def to_json(self) -> dict[str, Any]:
        """manifest.json as format version 1 writes it (one flat object)."""
        data = self.fingerprint.to_json()
        data.update(
            index_type=self.index_type,
            created=self.created,
            documents=[dict(vars(entry)) for entry in self.documents],
            skipped=[{"path": s.path, "reason": s.reason} for s in self.skipped],
            counts={
                "documents": self.counts.documents,
                "chunks": self.counts.chunks,
                "figures": self.counts.figures,
            },
            update=dict(vars(self.update)),
        )
        if self.onnx is not None:
            data["onnx"] = self.onnx.to_dict()
        return data

    @classmethod
    def from_json(cls, data: object, source: Path | str = "manifest") -> Manifest:
        """The one parser of a manifest. IndexStale for another format version (with what
        to run), IndexCorrupt for anything that does not fit its schema."""
        if not isinstance(data, dict):
            raise store.IndexCorrupt(
                f"manifest {source} is not a JSON object; run `qa index --force`"
            )
        _check_version(data.get("format_version"))
        found = problems(data, MANIFEST, "manifest")
        if found:
            raise store.IndexCorrupt(
                f"{source} does not fit its schema: {'; '.join(found)}; run `qa index`"
            )
        onnx, onnx_problem = _onnx(data)
        return cls(
            fingerprint=_fingerprint(data),
            counts=Counts(**{k: data["counts"][k] for k in ("documents", "chunks", "figures")}),
            index_type=data.get("index_type", ""),
            created=data.get("created", ""),
            documents=tuple(_entry(row) for row in data["documents"]),
            skipped=tuple(Skipped(s["path"], s["reason"]) for s in data.get("skipped", [])),
            update=_update(data.get("update", {})),
            onnx=onnx,
            onnx_problem=onnx_problem,
        )


def read_manifest(build: Path) -> Manifest:
    """Read and check a build's manifest (format version first)."""
    path = build / store.MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise store.IndexCorrupt(
            f"unreadable manifest {path}: {error}; run `qa index --force`"
        ) from None
    return Manifest.from_json(data, path)


def _check_version(version: object) -> None:
    """IndexStale unless `version` is the format this release reads, saying what to run."""
    if version == store.FORMAT_VERSION:
        return
    newer = isinstance(version, int) and version > store.FORMAT_VERSION
    hint = "upgrade release-qa or run `qa index --force`" if newer else "run `qa index --force`"
    raise store.IndexStale(
        f"index format version {version}, this release reads {store.FORMAT_VERSION}; {hint}"
    )


def _fingerprint(data: dict[str, Any]) -> Fingerprint:
    model = data["model"]
    return Fingerprint(
        format_version=data["format_version"],
        model=ModelRecord(model["name"], model["dim"]),
        chunker=dict(data["chunker"]),
        tokenizer_version=data.get("tokenizer_version"),
        figures_version=data.get("figures_version"),
        docfigures_version=data.get("docfigures_version"),
        loader_version=data.get("loader_version"),
        corpus_files=dict(data["corpus_files"]),
    )


# A document entry's optional text and count fields, type-checked here (the schema requires
# only id and path: older releases wrote less).
_ENTRY_TEXT = ("title", "company", "period", "format")
_ENTRY_COUNTS = ("pages", "tables", "chunks", "figures", "embedded")


def _entry(row: dict[str, Any]) -> DocumentEntry:
    texts = {k: row[k] for k in _ENTRY_TEXT if isinstance(row.get(k), str)}
    counts = {k: row[k] for k in _ENTRY_COUNTS if _is_count(row.get(k))}
    return DocumentEntry(row["id"], row["path"], **texts, **counts)


def _update(data: Mapping[str, float]) -> Update:
    known = set(Update.__dataclass_fields__)
    return Update(**{k: int(v) for k, v in data.items() if k in known})


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _onnx(data: dict[str, Any]) -> tuple[OnnxRecord | None, str]:
    """The ONNX record, or None and why (a build without a valid one is stale, not corrupt)."""
    try:
        return OnnxRecord.from_json(data.get("onnx")), ""
    except ValueError as error:
        return None, str(error)
