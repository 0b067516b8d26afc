"""When a stored build is stale: every stage version, the model, the ONNX record and each
corpus file is compared with what this release and corpus expect."""

from __future__ import annotations

from dataclasses import replace

from qa.index.freshness import expected_fingerprint, stale_reasons
from qa.index.manifest import ModelRecord
from qa.pipeline import QA


def test_a_fresh_build_has_no_stale_reasons(hash_qa: QA) -> None:
    expected = expected_fingerprint(hash_qa.settings, hash_qa.embedder, hash_qa.settings.corpus_dir)
    assert expected == hash_qa.index.manifest.fingerprint
    assert stale_reasons(hash_qa.index.manifest, expected) == []


def test_each_difference_is_a_reason_that_names_it(hash_qa: QA) -> None:
    manifest = hash_qa.index.manifest
    stored = manifest.fingerprint
    (name,) = stored.corpus_files
    expected = replace(
        stored,
        model=ModelRecord("other/model", stored.model.dim),
        loader_version=(stored.loader_version or 0) + 1,
        corpus_files={name: "0" * 64, "new.txt": "1" * 64},
    )
    reasons = stale_reasons(replace(manifest, onnx=None, onnx_problem="missing"), expected)
    assert reasons == [
        f"model changed ({{'name': 'hash', 'dim': {stored.model.dim}}} -> "
        f"{{'name': 'other/model', 'dim': {stored.model.dim}}})",
        f"loader_version changed ({stored.loader_version} -> {expected.loader_version})",
        "no valid ONNX question model record (missing)",
        "corpus file added: new.txt",
        f"corpus file changed: {name}",
    ]
    assert stale_reasons(manifest, replace(stored, corpus_files={})) == [
        f"corpus file removed: {name}"
    ]
