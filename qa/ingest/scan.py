"""Which files under the corpus folder may be read: nothing outside it, nothing that is not
a regular file.

The walk is iterative (no recursion on deep folders) and never follows a symbolic link whose
target resolves outside the corpus folder: such a link (to a file or a folder) is skipped with
a reason, as are broken links, links back to a folder already walked, FIFOs and devices named
like documents, and folders nested deeper than MAX_DEPTH. Hidden names (".x") are never
documents: editors and `qa add` keep their temporary files under such names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Folders deeper than this under the corpus are not walked (a release library is shallow).
MAX_DEPTH = 32
OUTSIDE = "is a symbolic link to a place outside the corpus folder; not read"
BROKEN = "is a broken symbolic link (its target does not exist)"


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Listing:
    """The readable document files of a corpus (sorted), and what was passed over, with why."""

    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every symbolic link resolved, is `root` or lies under it.

    >>> inside(Path("/srv/corpus/a/../b.txt"), Path("/srv/corpus"))
    True
    >>> inside(Path("/srv/corpus/../etc/passwd"), Path("/srv/corpus"))
    False
    """
    try:
        target = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return target == base or base in target.parents


def link_problem(path: Path, root: Path) -> str | None:
    """Why `path` must not be read as part of the corpus at `root` (a link out of it, a
    broken link), or None when it may be."""
    if not path.is_symlink():
        return None
    if not path.exists():
        return BROKEN
    return None if inside(path, root) else OUTSIDE


def scan_corpus(corpus_dir: Path, suffixes: frozenset[str]) -> Listing:
    """Every regular file under `corpus_dir` whose suffix (lower case) is in `suffixes`,
    walked without recursion, and the entries skipped on the way (see the module docstring).
    Entries with other suffixes are not documents and are passed over silently."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen = {os.path.realpath(corpus_dir)}
    stack: list[tuple[Path, int]] = [(corpus_dir, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            skipped.append(Skipped(str(folder), f"cannot be listed ({error.strerror or error})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            problem = link_problem(path, corpus_dir)
            if _is_dir(entry):
                if problem is not None:
                    skipped.append(Skipped(str(path), problem.replace("link", "link (a folder)")))
                elif depth + 1 > MAX_DEPTH:
                    skipped.append(Skipped(str(path), f"is nested over {MAX_DEPTH} folders deep"))
                elif (real := os.path.realpath(path)) in seen:
                    skipped.append(Skipped(str(path), "links to a folder already indexed"))
                else:
                    seen.add(real)
                    stack.append((path, depth + 1))
                continue
            if path.suffix.lower() not in suffixes:
                continue
            if problem is not None:
                skipped.append(Skipped(str(path), problem))
            elif not path.is_file():
                skipped.append(Skipped(str(path), "is not a regular file (a pipe or device?)"))
            else:
                files.append(path)
    return Listing(tuple(sorted(files)), tuple(sorted(skipped, key=lambda s: s.path)))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False
