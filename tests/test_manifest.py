"""When a stored index is stale (qa/index/manifest.py): the hashes of the corpus files and
sidecars, what a fresh index must record, and the reasons a stored build no longer fits, each
named (a corpus file added, removed or changed; another model, chunker or stage version)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index.builder import build
from qa.index.embedding import HashEmbedder
from qa.index.manifest import corpus_hashes, expected_manifest, stale_reasons
from qa.ingest.chunking import chunker_params

from .conftest import RELEASE


@pytest.fixture
def settings(corpus_copy: Path, tmp_path: Path) -> Settings:
    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")


def test_every_document_and_sidecar_is_hashed_by_its_path_in_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# Acme\n\nRevenue rose.", encoding="utf-8")
    (tmp_path / "sub" / "a.meta.json").write_text('{"company": "Acme"}', encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK")  # not a document: not tracked
    (tmp_path / "out.txt").symlink_to(RELEASE)  # a link out of the corpus: skipped
    files, skipped = corpus_hashes(tmp_path)
    assert files == {
        "sub/a.md": hashlib.sha256(b"# Acme\n\nRevenue rose.").hexdigest(),
        "sub/a.meta.json": hashlib.sha256(b'{"company": "Acme"}').hexdigest(),
    }
    assert [Path(s.path).name for s in skipped] == ["out.txt"]


def test_a_fresh_build_fits_what_is_expected(settings: Settings) -> None:
    built = build(settings, HashEmbedder())
    expected = expected_manifest(settings, HashEmbedder(), settings.corpus_dir)
    assert stale_reasons(built.manifest, expected) == []
    assert expected["model"] == {"name": "hash", "dim": 64}
    assert expected["chunker"] == chunker_params("structure")


def test_each_corpus_change_is_named(settings: Settings) -> None:
    built = build(settings, HashEmbedder())
    corpus = settings.corpus_dir
    (corpus / "added.txt").write_text("Another release. Revenue was RMB9 billion.")
    release = corpus / RELEASE.name
    release.write_text(release.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    expected = expected_manifest(settings, HashEmbedder(), corpus)
    removed = {**built.manifest, "corpus_files": {**built.manifest["corpus_files"], "old.md": "0"}}
    assert stale_reasons(removed, expected) == [  # in file name order
        "corpus file added: added.txt",
        "corpus file removed: old.md",
        f"corpus file changed: {release.name}",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"model": {"name": "hash", "dim": 32}}, "model changed ("),
        ({"chunker": {"name": "paragraph"}}, "chunker changed ("),
        ({"tokenizer_version": 0}, "tokenizer_version changed (0 -> "),
        ({"format_version": 0}, "format_version changed (0 -> 1)"),
        ({"onnx": {"sha256": "abc"}}, "no valid ONNX question model record"),
    ],
)
def test_a_version_or_model_change_is_named(
    settings: Settings, change: dict[str, object], reason: str
) -> None:
    built = build(settings, HashEmbedder())
    expected = expected_manifest(settings, HashEmbedder(), settings.corpus_dir)
    (found,) = stale_reasons({**built.manifest, **change}, expected)
    assert found.startswith(reason)
