"""The manifest as typed records: one parser, the on-disk format unchanged, clear errors."""

from __future__ import annotations

import copy
import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from qa.index import store
from qa.index.manifest import (
    CHUNK_KEYS,
    VECTOR_KEYS,
    VERSION_KEYS,
    Fingerprint,
    Manifest,
    ModelRecord,
    read_manifest,
)
from qa.index.onnxembed import OnnxRecord
from qa.ingest.corpus import Skipped
from qa.pipeline import QA

# A manifest as format version 1 has written it since the ONNX record was added (by hand, so
# a change to what `to_json` writes shows here).
WRITTEN: dict[str, Any] = {
    "format_version": 1,
    "model": {"name": "hash", "dim": 256},
    "chunker": {"name": "structure", "version": 9, "max_chars": 480, "max_tokens": 256},
    "tokenizer_version": 3,
    "figures_version": 20,
    "docfigures_version": 2,
    "loader_version": 5,
    "corpus_files": {"acme.txt": "a" * 64},
    "index_type": "flat",
    "created": "2024-01-01T00:00:00Z",
    "documents": [
        {
            "id": "d1", "path": "acme.txt", "title": "Acme", "company": "Acme", "period": None,
            "format": "text", "pages": 0, "tables": 0, "chunks": 3, "figures": 4, "embedded": 3,
        }
    ],
    "skipped": [{"path": "corpus/bad.pdf", "reason": "no text layer"}],
    "counts": {"documents": 1, "chunks": 3, "figures": 4},
    "update": {"new": 1, "changed": 0, "unchanged": 0, "embedded": 3, "removed": 0},
    "onnx": {"file": None, "sha256": None, "reason": "hash model"},
}  # fmt: skip


def test_a_written_manifest_reads_as_records_and_writes_back_unchanged() -> None:
    manifest = Manifest.from_json(copy.deepcopy(WRITTEN))
    assert manifest.fingerprint.model == ModelRecord("hash", 256)
    assert manifest.counts.chunks == 3
    assert manifest.documents[0].company == "Acme" and manifest.documents[0].period is None
    assert manifest.skipped == (Skipped("corpus/bad.pdf", "no text layer"),)
    assert manifest.update.embedded == 3
    assert manifest.onnx == OnnxRecord(None, "hash model")
    assert manifest.to_json() == WRITTEN
    assert list(manifest.to_json()) == list(WRITTEN)  # the same key order on disk


def test_a_build_writes_the_manifest_it_reads(hash_qa: QA) -> None:
    folder = hash_qa.index.folder
    on_disk = json.loads((folder / store.MANIFEST_FILE).read_text())
    assert read_manifest(folder) == hash_qa.index.manifest
    assert hash_qa.index.manifest.to_json() == on_disk
    assert set(on_disk) == set(WRITTEN)


def test_an_older_manifest_without_stage_versions_or_onnx_still_loads() -> None:
    older = {k: v for k, v in WRITTEN.items() if k not in ("loader_version", "onnx", "update")}
    older["documents"] = [{"id": "d1", "path": "acme.txt"}]  # entries held less then
    manifest = Manifest.from_json(older)
    assert manifest.fingerprint.loader_version is None
    assert manifest.onnx is None and "must be an object" in manifest.onnx_problem
    assert manifest.documents[0].title == "" and manifest.documents[0].chunks == 0


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ([WRITTEN], store.IndexCorrupt, "is not a JSON object"),
        ({**WRITTEN, "format_version": 2}, store.IndexStale, "upgrade release-qa"),
        ({**WRITTEN, "format_version": None}, store.IndexStale, "format version None"),
        ({**WRITTEN, "counts": "many"}, store.IndexCorrupt, r"manifest\.counts is 'many'"),
        ({**WRITTEN, "model": {"name": "m"}}, store.IndexCorrupt, r"model\.dim is missing"),
    ],
)  # fmt: skip
def test_a_malformed_manifest_is_refused_with_what_to_run(
    data: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Manifest.from_json(data)


def test_an_unreadable_manifest_file_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / store.MANIFEST_FILE).write_text("{not json")
    with pytest.raises(store.IndexCorrupt, match=r"unreadable manifest .* run `qa index --force`"):
        read_manifest(tmp_path)


def test_the_key_lists_name_fingerprint_fields() -> None:
    names = {f.name for f in fields(Fingerprint)}
    assert set(VERSION_KEYS) <= names and set(CHUNK_KEYS) <= names and set(VECTOR_KEYS) <= names
    assert set(VECTOR_KEYS) <= set(CHUNK_KEYS) <= set(VERSION_KEYS)


def test_vectors_are_reusable_only_from_an_exact_index_of_the_same_model() -> None:
    manifest = Manifest.from_json(copy.deepcopy(WRITTEN))
    same = manifest.fingerprint
    assert manifest.vectors_reusable(replace(same, figures_version=99, corpus_files={}))
    assert not manifest.vectors_reusable(replace(same, model=ModelRecord("other", 256)))
    assert not manifest.vectors_reusable(replace(same, tokenizer_version=4))
    assert not replace(manifest, index_type="ivfpq").vectors_reusable(same)
    assert not replace(manifest, index_type="").vectors_reusable(same)  # an older build
