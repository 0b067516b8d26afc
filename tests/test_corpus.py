"""Loading documents: stable ids, titles, and clear reasons for files that cannot be used."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.ingest.corpus import MAX_FILE_BYTES, CorpusError, content_id, load_corpus

from .conftest import CORPUS, RELEASE

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


# SHA-256 of ../shared/corpus/sensetime-2022-interim-results.txt, typos and all.
RELEASE_SHA256 = "d9a1af9fa51789b84206d22c16d0e0b0a1c3d5421e377c096c793b551b7070a6"


def test_shipped_release_is_byte_identical_to_the_source() -> None:
    assert hashlib.sha256(RELEASE.read_bytes()).hexdigest() == RELEASE_SHA256
    source = CORPUS.parent.parent / "shared" / "corpus" / RELEASE.name
    if source.exists():  # beside a checkout on developer machines and in CI
        assert RELEASE.read_bytes() == source.read_bytes()


def test_release_loads_with_content_id_and_title() -> None:
    documents, skipped = load_corpus(CORPUS)
    assert skipped == []
    (release,) = documents
    assert release.id == content_id(release.text) and len(release.id) == 16
    assert release.title == "SenseTime Group Reports 2022 Interim Results"
    assert release.path == RELEASE.name
    assert "Augsut" in release.text  # typos are data


def test_ids_are_stable_across_file_names(make_corpus: MakeCorpus) -> None:
    a = load_corpus(make_corpus({"a.txt": "Revenue was RMB5 billion."}))[0][0]
    b = load_corpus(make_corpus({"b.md": "Revenue was RMB5 billion."}))[0][0]
    assert a.id == b.id


def test_duplicate_content_is_loaded_once(make_corpus: MakeCorpus) -> None:
    documents, skipped = load_corpus(make_corpus({"a.txt": "Same text.", "b.txt": "Same text."}))
    assert len(documents) == 1
    assert [s.reason for s in skipped] == ["duplicate of a document already loaded"]


def test_bad_files_are_skipped_with_reasons_and_the_rest_loads(make_corpus: MakeCorpus) -> None:
    folder = make_corpus(
        {
            "good.txt": "Revenue was RMB5 billion.",
            "latin1.txt": "Caf\xe9 revenue".encode("latin-1"),
            "binary.txt": b"\x00\x01\x02garbage",
            "empty.txt": "   \n",
            "notes.docx": "ignored: unsupported suffix",
        }
    )
    documents, skipped = load_corpus(folder)
    assert [d.path for d in documents] == ["good.txt"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "notes.docx" not in reasons


def test_oversized_file_is_refused_with_its_size(make_corpus: MakeCorpus) -> None:
    folder = make_corpus({"big.txt": "a" * (MAX_FILE_BYTES + 1), "ok.txt": "fine."})
    documents, skipped = load_corpus(folder)
    assert [d.path for d in documents] == ["ok.txt"]
    assert "MB limit" in skipped[0].reason


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
