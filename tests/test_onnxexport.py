"""The build-time ONNX export of the question model (qa/index/onnxexport.py), without
exporting: the cache of verified exports and its key, and embedders that have no ONNX form.
The export itself, with the real model, is in tests/test_onnxembed.py."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from qa.index import onnxexport
from qa.index.embedding import HashEmbedder
from qa.index.onnxembed import ONNX_FILE, OnnxRecord
from qa.ingest.corpus import file_hash as file_sha256


def test_the_cache_gives_back_only_the_file_whose_hash_it_recorded(tmp_path: Path) -> None:
    cache, key = tmp_path / "cache", "k1"
    cache.mkdir()
    (cache / "k1.onnx").write_bytes(b"verified export")
    (cache / "k1.sha256").write_text(hashlib.sha256(b"verified export").hexdigest())
    target = tmp_path / "build" / ONNX_FILE
    target.parent.mkdir()
    assert onnxexport._from_cache(cache, key, target) == file_sha256(target)
    assert target.read_bytes() == b"verified export"
    (cache / "k1.onnx").write_bytes(b"something else")
    with pytest.raises(OSError, match="does not match its recorded hash"):
        onnxexport._from_cache(cache, key, tmp_path / "other.onnx")
    with pytest.raises(FileNotFoundError):
        onnxexport._from_cache(cache, "k2", tmp_path / "other.onnx")


def test_the_cache_key_changes_with_the_model_files(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    first = onnxexport.cache_key("m", tmp_path)
    assert onnxexport.cache_key("m", tmp_path) == first
    assert onnxexport.cache_key("other", tmp_path) != first
    (tmp_path / "config.json").write_text('{"hidden_size": 384}')
    assert onnxexport.cache_key("m", tmp_path) != first


@pytest.mark.parametrize(
    "embedder",
    [HashEmbedder(), SimpleNamespace(local=HashEmbedder(), name="hash")],  # a Ray build's wrapper
    ids=["hash", "wrapped"],
)
def test_an_embedder_without_an_onnx_form_is_recorded_with_the_reason(
    embedder: object, tmp_path: Path
) -> None:
    record = onnxexport.produce(embedder, tmp_path, tmp_path / "cache")  # type: ignore[arg-type]
    assert record == OnnxRecord(None, "the 'hash' embedder has no ONNX form")
    assert not (tmp_path / ONNX_FILE).exists() and not (tmp_path / "cache").exists()


def test_the_cache_keeps_one_verified_export_with_its_hash_written_last(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for key, content in (("old", b"first export"), ("new", b"second export")):
        exported = tmp_path / f"{key}.onnx"
        exported.write_bytes(content)
        onnxexport._to_cache(cache, key, exported, hashlib.sha256(content).hexdigest())
    assert sorted(p.name for p in cache.iterdir()) == ["new.onnx", "new.sha256"]
    target = tmp_path / "build" / ONNX_FILE
    target.parent.mkdir()
    assert onnxexport._from_cache(cache, "new", target) == file_sha256(target)
    assert target.read_bytes() == b"second export"
