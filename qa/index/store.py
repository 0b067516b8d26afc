"""The `index/` folder on disk: layout, manifest, atomic writes, and the writer lock.

    index/
      CURRENT              name of the active build folder (replaced atomically)
      .lock                held by the one process writing a build
      build-<time>-<id>/
        manifest.json      format version, model, chunker, tokenizer, corpus file hashes, counts
        vectors.faiss      FAISS index; row i is chunk i
        chunks.jsonl       one chunk record per line (with its figures); never pickle
        documents.jsonl    the documents as indexed (id, path, title, text, pages)
        bm25/              the lexical index (bm25s arrays + json)

A build is written into a temporary folder, fsynced, renamed, and only then does CURRENT
switch to it: a crash at any moment leaves the previous build complete and current.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Bump when the folder layout or record format changes; load() refuses other versions.
FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
MANIFEST_FILE = "manifest.json"
VECTORS_FILE = "vectors.faiss"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
TABLES_FILE = "tables.jsonl"
BM25_DIR = "bm25"
# CURRENT holds one build name; more than this is not a pointer.
MAX_POINTER_BYTES = 4096
# Builds older than the current one are deleted after a successful switch, keeping this many.
KEEP_OLD_BUILDS = 1


class IndexError_(RuntimeError):
    """Base for index problems; the message says what to run."""


class IndexMissing(IndexError_):
    """No usable index on disk."""


class IndexCorrupt(IndexError_):
    """Index files exist but are unreadable or inconsistent."""


class IndexStale(IndexError_):
    """The index does not match the corpus, model or chunker."""


class IndexBusy(IndexError_):
    """Another process is writing the index."""


class IndexUnwritable(IndexError_):
    """The index folder cannot be written (permissions, a full disk)."""


def unwritable(index_dir: Path, error: OSError | str) -> IndexUnwritable:
    """The error for a failed write under `index_dir` (an OSError, or the reason as text, as
    faiss reports it), saying what to check."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        reason = f"{error.strerror or error}{where}"
    else:
        reason = error
    return IndexUnwritable(
        f"cannot write the index in {index_dir}: {reason}; check its permissions and free "
        "space, or choose another folder with --index / QA_INDEX_DIR"
    )


def current_build(index_dir: Path) -> Path:
    """The active build folder; IndexMissing when there is none."""
    pointer = index_dir / CURRENT_FILE
    try:
        with pointer.open("rb") as handle:
            name = handle.read(MAX_POINTER_BYTES).decode("utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"no index in {index_dir}; run `qa index`") from None
    except UnicodeDecodeError:
        raise IndexCorrupt(f"{pointer} is not UTF-8 text naming a build; run `qa index`") from None
    except IsADirectoryError:
        raise IndexCorrupt(
            f"{pointer} is a folder, not a file naming a build; run `qa index`"
        ) from None
    except OSError as error:
        raise IndexCorrupt(f"cannot read {pointer}: {error}; run `qa index --force`") from None
    if not name or "/" in name or name.startswith(".") or not name.isprintable():
        raise IndexCorrupt(f"{pointer} names no build ({name!r}); run `qa index --force`")
    folder = index_dir / name
    if not folder.is_dir():
        raise IndexCorrupt(f"{pointer} names {name}, which is missing; run `qa index --force`")
    return folder


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> int:
    """Write rows as JSON lines; return how many."""
    count = 0
    try:
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    except OSError as error:
        raise unwritable(path.parent, error) from None
    return count


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read JSON lines; IndexCorrupt names the file and line on bad input."""
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        raise IndexCorrupt(
                            f"{path} line {number} is not JSON; run `qa index --force`"
                        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexCorrupt(f"cannot read {path}: {error}; run `qa index --force`") from None
    return rows


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_staging_folder(index_dir: Path) -> Path:
    """A fresh hidden folder inside index/ to write a build into."""
    staging = index_dir / f".tmp-{uuid.uuid4().hex[:12]}"
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as error:
        raise unwritable(index_dir, error) from None
    return staging


def publish(index_dir: Path, staging: Path) -> Path:
    """Make a fully written staging folder the current build, atomically. When a write fails
    (a full disk), the staging folder is removed and the previous build stays current."""
    # Names sort in build order (cleanup keeps the newest): the time to the nanosecond, so two
    # builds in one second are not ordered by their random suffix.
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 10**9))
    name = f"build-{stamp}.{now % 10**9:09d}-{uuid.uuid4().hex[:6]}"
    final = index_dir / name
    pointer_tmp = index_dir / f".{CURRENT_FILE}.{uuid.uuid4().hex[:8]}"
    try:
        _fsync_tree(staging)
        os.rename(staging, final)
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        pointer = index_dir / CURRENT_FILE
        if pointer.is_dir() and not pointer.is_symlink():  # damage; a rename cannot replace it
            shutil.rmtree(pointer)
        os.replace(pointer_tmp, pointer)  # the atomic switch
    except OSError as error:
        for folder in (staging, final):
            shutil.rmtree(folder, ignore_errors=True)
        pointer_tmp.unlink(missing_ok=True)
        raise unwritable(index_dir, error) from None
    with contextlib.suppress(OSError):  # the switch is done; this only hardens it
        _fsync_dir(index_dir)
    cleanup(index_dir, keep=name)
    return final


def cleanup(index_dir: Path, keep: str) -> None:
    """Remove leftovers of crashed builds and all but the newest old builds."""
    builds = sorted(p for p in index_dir.glob("build-*") if p.is_dir() and p.name != keep)
    for path in builds[: max(0, len(builds) - KEEP_OLD_BUILDS)]:
        shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".tmp-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(f".{CURRENT_FILE}.*"):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def writer_lock(index_dir: Path, *, wait: bool) -> Iterator[None]:
    """Hold the index writer lock. With wait=False a second writer gets IndexBusy at once."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = (index_dir / LOCK_FILE).open("a+")
    except OSError as error:
        raise unwritable(index_dir, error) from None
    try:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle.fileno(), flags)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise IndexBusy(
                    f"another `qa index` is writing {index_dir}; wait for it to finish"
                ) from None
            raise
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process dies
