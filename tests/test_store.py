"""The `index/` folder (qa/index/store.py): the CURRENT pointer and what damage to it says,
manifests checked before use, JSON lines, atomic publishing of a staged build, cleanup of old
builds and crashed ones, and the writer lock."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from qa.config import Settings
from qa.index import store
from qa.index.core import build, load
from qa.index.embedding import HashEmbedder
from qa.index.manifest import read_manifest


def test_newer_format_version_is_refused(hash_settings: Settings) -> None:
    built = build(hash_settings, HashEmbedder())
    manifest = json.loads((built.folder / "manifest.json").read_text())
    manifest["format_version"] = store.FORMAT_VERSION + 1
    (built.folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(store.IndexStale, match="upgrade release-qa"):
        load(hash_settings.index_dir)


def test_a_second_writer_gets_a_clear_busy_message(tmp_path: Path) -> None:
    with (
        store.writer_lock(tmp_path, wait=False),
        pytest.raises(store.IndexBusy, match="another `qa index`"),
        store.writer_lock(tmp_path, wait=False),
    ):
        pass


def staged(index_dir: Path, text: str = "one") -> Path:
    """A staging folder holding one file, as a build writes it."""
    staging = store.new_staging_folder(index_dir)
    (staging / "data.txt").write_text(text, encoding="utf-8")
    return staging


def test_publish_makes_a_staged_build_current_and_keeps_one_old_build(tmp_path: Path) -> None:
    first = store.publish(tmp_path, staged(tmp_path, "one"))
    assert store.current_build(tmp_path) == first and (first / "data.txt").read_text() == "one"
    second = store.publish(tmp_path, staged(tmp_path, "two"))
    third = store.publish(tmp_path, staged(tmp_path, "three"))
    assert store.current_build(tmp_path) == third
    builds = sorted(p.name for p in tmp_path.glob("build-*"))
    assert builds == [second.name, third.name]  # the newest old build is kept (one, by default)
    assert not list(tmp_path.glob(".tmp-*")) and not list(tmp_path.glob(".CURRENT.*"))


def test_cleanup_removes_what_crashed_builds_left(tmp_path: Path) -> None:
    kept = store.publish(tmp_path, staged(tmp_path))
    leftover = staged(tmp_path)  # a build that never published
    (tmp_path / ".CURRENT.abcd1234").write_text("build-x\n")
    store.cleanup(tmp_path, keep=kept.name)
    assert not leftover.exists() and not (tmp_path / ".CURRENT.abcd1234").exists()
    assert store.current_build(tmp_path) == kept


@pytest.mark.parametrize(
    ("pointer", "error", "message"),
    [
        (None, store.IndexMissing, r"no index in .*; run `qa index`"),
        (b"", store.IndexCorrupt, r"names no build \(''\)"),
        (b"../elsewhere\n", store.IndexCorrupt, r"names no build \('../elsewhere'\)"),
        (b".tmp-1234\n", store.IndexCorrupt, r"names no build"),
        (b"build-gone\n", store.IndexCorrupt, r"names build-gone, which is missing"),
        (b"\xff\xfe", store.IndexCorrupt, r"is not UTF-8 text naming a build"),
        ("folder", store.IndexCorrupt, r"is a folder, not a file naming a build"),
    ],
)
def test_a_damaged_pointer_says_what_is_wrong_and_what_to_run(
    tmp_path: Path, pointer: bytes | str | None, error: type[Exception], message: str
) -> None:
    path = tmp_path / store.CURRENT_FILE
    if pointer == "folder":
        path.mkdir()
    elif isinstance(pointer, bytes):
        path.write_bytes(pointer)
    with pytest.raises(error, match=message):
        store.current_build(tmp_path)


@pytest.mark.parametrize(
    ("manifest", "error", "message"),
    [
        ("{not json", store.IndexCorrupt, r"unreadable manifest"),
        ("[1, 2]", store.IndexCorrupt, r"is not a JSON object"),
        ('{"format_version": 0}', store.IndexStale, r"version 0, this release reads 1; run `qa"),
        ('{"format_version": "1"}', store.IndexStale, r"version 1, this release reads 1"),
        ('{"format_version": 1}', store.IndexCorrupt, r"does not fit its schema: manifest"),
    ],
)
def test_a_manifest_is_checked_before_use(
    tmp_path: Path, manifest: str, error: type[Exception], message: str
) -> None:
    (tmp_path / store.MANIFEST_FILE).write_text(manifest, encoding="utf-8")
    with pytest.raises(error, match=message):
        read_manifest(tmp_path)


def test_json_lines_round_trip_and_a_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [{"text": "Revenue rose 5% — to RMB1 billion", "n": 1}, {"text": "", "n": 2}]
    assert store.write_jsonl(path, iter(rows)) == 2
    assert store.read_jsonl(path) == rows
    path.write_text(path.read_text(encoding="utf-8") + "\n{oops\n", encoding="utf-8")
    with pytest.raises(store.IndexCorrupt, match=r"rows\.jsonl line 4 is not JSON"):
        store.read_jsonl(path)
    with pytest.raises(store.IndexCorrupt, match=r"cannot read .*missing\.jsonl"):
        store.read_jsonl(tmp_path / "missing.jsonl")


def test_a_failed_write_says_what_to_check() -> None:
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/data/index/vectors.faiss")
    message = str(store.unwritable(Path("/data/index"), error))
    assert message.startswith(
        "cannot write the index in /data/index: No space left on device "
        "(/data/index/vectors.faiss); check its permissions and free"
    )
    assert "--index / QA_INDEX_DIR" in str(store.unwritable(Path("i"), "write error"))


def test_the_lock_is_free_again_after_the_writer_leaves(tmp_path: Path) -> None:
    with store.writer_lock(tmp_path, wait=False):
        pass
    with store.writer_lock(tmp_path, wait=False):  # no IndexBusy: the first one let go
        assert (tmp_path / store.LOCK_FILE).exists()


def test_a_build_leaves_its_manifest_readable(hash_settings: Settings) -> None:
    built = build(hash_settings, HashEmbedder())
    manifest = read_manifest(store.current_build(hash_settings.index_dir))
    assert manifest == load(hash_settings.index_dir).manifest == built.manifest
    assert json.loads((built.folder / store.MANIFEST_FILE).read_text()) == manifest.to_json()
