"""The corpus folder as a library of releases: add files to it, remove documents from it.

`qa add` copies files in, refusing what the indexer would skip (hidden names, types no loader
reads, files it cannot read, links out of the corpus) and content already there;
`qa remove` deletes a document's file, its sidecar and byte-identical copies. Both leave
the index to `QA.reindex()`, which updates it incrementally.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from qa.ingest.corpus import corpus_files, file_hash, load_document, skip_reason, supported_suffixes
from qa.ingest.loaders import LOADERS
from qa.ingest.metadata import SIDECAR_SUFFIX, find_sidecar, is_sidecar
from qa.ingest.scan import link_problem


@dataclass(frozen=True)
class Added:
    """One file offered to `qa add`: where it went, or why it was not copied."""

    source: Path
    target: Path | None
    note: str = ""


def check_addable(path: Path, corpus_dir: Path | None = None) -> None:
    """Raise ValueError with a clear message for a file `qa add` cannot take: anything the
    indexer would skip by its name or kind (a hidden name, a sidecar, another type, not a
    regular file) or, for a file already inside `corpus_dir`, a link out of the corpus."""
    if is_sidecar(path):
        raise ValueError(f"{path} is a metadata sidecar; add the document it describes")
    if path.name.startswith("."):
        raise ValueError(
            f"cannot add {path.name}: hidden names (starting with '.') are never indexed; "
            "rename it first"
        )
    if corpus_dir is not None and _under(path, corpus_dir):
        problem = link_problem(path, corpus_dir)
        if problem is not None:
            raise ValueError(f"cannot add {path.name}: it {problem}")
    if not path.is_file():
        raise ValueError(f"{path} is not a file")
    if path.suffix.lower() not in LOADERS:
        raise ValueError(
            f"cannot add {path.name}: unsupported file type {path.suffix or '(no suffix)'}; "
            f"supported: {', '.join(supported_suffixes())}"
        )


def add_files(paths: list[Path], corpus_dir: Path, known_ids: dict[str, str]) -> list[Added]:
    """Copy documents (and their sidecars) into `corpus_dir`.

    Every file is checked and read before any is copied, so a bad one adds nothing.
    `known_ids` maps content ids already in the corpus to their paths: identical content is
    stored once. A name taken by other content gets a "-2", "-3", ... suffix.
    """
    for path in paths:
        check_addable(path, corpus_dir)
    loaded = []
    for path in paths:
        # A file from outside the corpus is read where it really is (the user named it, link
        # or not); one inside is read under the corpus's rules, as the indexer will read it.
        source = path if _under(path, corpus_dir) else Path(os.path.realpath(path))
        try:  # read as the indexer reads it: what it would skip is refused here
            loaded.append((path, load_document(source, source.parent)))
        except Exception as error:
            raise ValueError(f"cannot add {path.name}: it {skip_reason(error)}") from None
    corpus_dir.mkdir(parents=True, exist_ok=True)
    known = dict(known_ids)
    results = []
    for path, document in loaded:
        if document.id in known:
            results.append(Added(path, None, f"identical to {known[document.id]}; not added"))
            continue
        target = _free_name(corpus_dir, path.name)
        _copy(path, target)
        sidecar = find_sidecar(path)
        if sidecar is not None:
            _copy(sidecar, target.with_name(target.stem + SIDECAR_SUFFIX))
        known[document.id] = target.relative_to(corpus_dir).as_posix()
        results.append(Added(path, target))
    return results


def _under(path: Path, folder: Path) -> bool:
    """True when `path` is inside `folder` by its name (links not resolved)."""
    return Path(os.path.abspath(folder)) in Path(os.path.abspath(path)).parents


def _free_name(corpus_dir: Path, name: str) -> Path:
    target = corpus_dir / name
    number = 2
    while os.path.lexists(target):  # a broken link there is taken too, never written through
        stem, dot, suffix = name.rpartition(".")
        target = corpus_dir / f"{stem}-{number}{dot}{suffix}"
        number += 1
    return target


def _copy(source: Path, target: Path) -> None:
    """Copy via a hidden temporary name, so the corpus never shows a half-written file."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def remove_files(relative_paths: list[str], corpus_dir: Path) -> list[Path]:
    """Delete documents (by path inside `corpus_dir`), their sidecars, and byte-identical
    copies elsewhere in the corpus (which would otherwise take their place). Returns what
    was deleted."""
    targets = [corpus_dir / p for p in relative_paths]
    hashes = {file_hash(t) for t in targets if t.is_file()}
    twins = [p for p in corpus_files(corpus_dir) if p not in targets and file_hash(p) in hashes]
    removed = []
    for path in [*targets, *twins]:
        sidecar = find_sidecar(path)
        for victim in (path, sidecar):
            if victim is not None and victim.is_file():
                victim.unlink()
                removed.append(victim)
    return removed
