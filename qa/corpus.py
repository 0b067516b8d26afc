"""Load the documents of `corpus/` into `Document`s with stable content-hash ids.

A file that cannot be read (not UTF-8, binary, vanished) is reported and skipped: the rest of
the corpus still loads.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qa.types import Document

log = logging.getLogger(__name__)

# Files larger than this are refused: a press release is kilobytes, not tens of megabytes.
MAX_FILE_BYTES = 8 * 1024 * 1024

# Lines that web pages leave in copied text and that are not part of the release.
DEBRIS_LINES = frozenset(
    {
        "apply for trial",
        "share",
        "print",
        "back to top",
        "read more",
        "contact us",
        "subscribe",
        "download pdf",
        "skip to content",
        "menu",
    }
)


class CorpusError(ValueError):
    """The corpus as a whole cannot be used (missing folder, no readable documents)."""


@dataclass(frozen=True)
class Skipped:
    """A file that was not loaded, and why."""

    path: str
    reason: str


def is_debris(line: str) -> bool:
    """True for web-page debris lines such as "Apply for Trial".

    >>> is_debris("  Apply for Trial ")
    True
    """
    return line.strip().lower() in DEBRIS_LINES


def content_id(text: str) -> str:
    """A stable id for a document: the first 16 hex digits of its text's SHA-256.

    >>> content_id("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (the manifest records one per corpus file)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def guess_title(text: str, fallback: str) -> str:
    """The first non-debris, non-empty line of reasonable length, else `fallback`.

    >>> guess_title("Apply for Trial\\n\\nSenseTime Reports Results\\n...", "x")
    'SenseTime Reports Results'
    """
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped and not is_debris(stripped) and len(stripped) <= 160:
            return stripped
    return fallback


# Loader: bytes of one file -> Document fields (text, page starts). Registered by suffix so the
# ingest of other formats plugs in here.
Loader = Callable[[Path], tuple[str, tuple[int, ...]]]


def _load_text(path: Path) -> tuple[str, tuple[int, ...]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ValueError("looks like a binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"is not UTF-8 text (byte {error.start}); re-save it as UTF-8") from None
    # Normalise line endings only; the text is otherwise kept exactly as stored.
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), ()


LOADERS: dict[str, Loader] = {".txt": _load_text, ".md": _load_text, ".markdown": _load_text}


def supported_suffixes() -> tuple[str, ...]:
    """The file suffixes the corpus loader reads."""
    return tuple(sorted(LOADERS))


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The loadable files under `corpus_dir`, sorted, hidden files skipped."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder {corpus_dir} does not exist; create it and add .txt files"
        )
    return sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.is_file()
        and path.suffix.lower() in LOADERS
        and not any(part.startswith(".") for part in path.relative_to(corpus_dir).parts)
    )


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Load one file into a Document; raises ValueError with a readable reason."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    text, page_starts = LOADERS[path.suffix.lower()](path)
    if not text.strip():
        raise ValueError("is empty")
    relative = path.relative_to(corpus_dir).as_posix()
    return Document(
        id=content_id(text),
        path=relative,
        title=guess_title(text, path.stem),
        text=text,
        page_starts=page_starts,
    )


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Skipped]]:
    """Load every supported file; unreadable ones are skipped with a reason, not fatal.

    Identical content under two names is loaded once (same content id).
    """
    documents: list[Document] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in corpus_files(corpus_dir):
        try:
            document = load_document(path, corpus_dir)
        except (OSError, ValueError) as error:
            reason = str(error) if isinstance(error, ValueError) else f"cannot be read ({error})"
            log.warning("skipping %s: %s", path, reason)
            skipped.append(Skipped(str(path), reason))
            continue
        if document.id in seen:
            skipped.append(Skipped(str(path), "duplicate of a document already loaded"))
            continue
        seen.add(document.id)
        documents.append(document)
    return documents, skipped


def short_name(path: str) -> str:
    """A document's display name: its file name without suffix.

    >>> short_name("2022/sensetime-2022-interim-results.txt")
    'sensetime-2022-interim-results'
    """
    return re.sub(r"\.[A-Za-z0-9]+$", "", path.rsplit("/", 1)[-1])


def describe(skipped: Iterable[Skipped]) -> str:
    """One line per skipped file, for CLI output."""
    return "\n".join(f"skipped {item.path}: {item.reason}" for item in skipped)
