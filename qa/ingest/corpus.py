"""Load the documents of `corpus/` into `Document`s with stable content-hash ids.

Each suffix has a loader (qa/ingest/loaders: .txt, .md, .html/.htm, .pdf); metadata (title,
company, period) is detected from the text and overridden by a sidecar NAME.meta.json.
A file that cannot be read (not UTF-8, binary, no text layer, vanished, or anything that
breaks its loader) is reported and skipped: the rest of the corpus still loads. Nothing
outside the corpus folder is read (qa/ingest/scan.py): links out of it are skipped with a reason.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from qa.ingest import loaders
from qa.ingest.loaders import LOADERS
from qa.ingest.metadata import document_metadata, find_sidecar, read_sidecar
from qa.ingest.scan import OUTSIDE, inside, link_problem, scan_corpus
from qa.ingest.scan import Listing as Listing  # re-exported: callers import them from here
from qa.ingest.scan import Skipped as Skipped
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

    >>> guess_title("Apply for Trial\\n\\nZenith Reports Results\\n...", "x")
    'Zenith Reports Results'
    """
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped and not is_debris(stripped) and len(stripped) <= 160:
            return stripped
    return fallback


def supported_suffixes() -> tuple[str, ...]:
    """The file suffixes the corpus loader reads."""
    return loaders.supported_suffixes()


def list_corpus(corpus_dir: Path) -> Listing:
    """The loadable files under `corpus_dir` (sorted; hidden files, sidecars and links out of
    the folder left out) and the entries skipped with a reason (qa/ingest/scan.py)."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder {corpus_dir} does not exist; create it and add .txt files"
        )
    return scan_corpus(corpus_dir, frozenset(LOADERS))


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The loadable files under `corpus_dir`, sorted (see `list_corpus`)."""
    return list(list_corpus(corpus_dir).files)


def skip_reason(error: BaseException) -> str:
    """Why a file was skipped, from whatever its loading, chunking or figure extraction
    raised: a loader's ValueError says it already; anything else is named, so one bad file
    is reported instead of stopping the build.

    >>> skip_reason(ValueError("is empty")), skip_reason(RecursionError("deep"))
    ('is empty', 'is nested too deeply to read (RecursionError)')
    """
    if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot be read ({error.strerror or error})"
    if isinstance(error, RecursionError):
        return "is nested too deeply to read (RecursionError)"
    detail = " ".join(str(error).split())[:160]
    return f"could not be processed ({type(error).__name__}{': ' + detail if detail else ''})"


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Load one file into a Document; raises ValueError with a readable reason (and whatever a
    broken file makes its parser raise: callers skip the file with `skip_reason`)."""
    problem = link_problem(path, corpus_dir)
    if problem is not None:
        raise ValueError(problem)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(f"is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise ValueError(
            f"has an unsupported type {path.suffix or '(none)'}; "
            f"supported: {', '.join(supported_suffixes())}"
        )
    sidecar = find_sidecar(path)
    if sidecar is not None and not inside(sidecar, corpus_dir):
        raise ValueError(f"its metadata file {sidecar.name} {OUTSIDE}")
    extracted = loader(path)
    text = extracted.text
    if not text.strip():
        raise ValueError("is empty")
    overrides = read_sidecar(sidecar) if sidecar else {}
    title = extracted.title or guess_title(text, path.stem)
    spans = [(table.start, table.end) for table in extracted.tables]
    metadata = document_metadata(text, title, overrides, spans)
    metadata["format"] = extracted.format
    doc_id = content_id(text)
    return Document(
        id=doc_id,
        path=path.relative_to(corpus_dir).as_posix(),
        title=metadata.pop("title", title),
        text=text,
        page_starts=extracted.page_starts,
        metadata=tuple(sorted(metadata.items())),
        tables=tuple(replace(table, doc_id=doc_id) for table in extracted.tables),
    )


def tracked_files(corpus_dir: Path, listing: Listing | None = None) -> dict[str, Path]:
    """Every file whose change changes the index: the documents and their sidecars."""
    files: dict[str, Path] = {}
    for path in (listing or list_corpus(corpus_dir)).files:
        files[path.relative_to(corpus_dir).as_posix()] = path
        sidecar = find_sidecar(path)
        # A sidecar linked from outside is not read, not even hashed (load_document refuses).
        if sidecar is not None and inside(sidecar, corpus_dir):
            files[sidecar.relative_to(corpus_dir).as_posix()] = sidecar
    return dict(sorted(files.items()))


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Skipped]]:
    """Load every supported file; unreadable ones are skipped with a reason, not fatal.

    Identical content under two names is loaded once (same content id).
    """
    listing = list_corpus(corpus_dir)
    documents: list[Document] = []
    skipped: list[Skipped] = list(listing.skipped)
    seen: set[str] = set()
    for path in listing.files:
        try:
            document = load_document(path, corpus_dir)
        except Exception as error:  # one bad file never stops the corpus
            skipped.append(skipped_file(path, error))
            continue
        if document.id in seen:
            skipped.append(Skipped(str(path), "duplicate of a document already loaded"))
            continue
        seen.add(document.id)
        documents.append(document)
    return documents, skipped


def skipped_file(path: Path, error: BaseException) -> Skipped:
    """`Skipped` for a file whose loading raised `error`, logged (with the traceback at debug
    level when the error is not one a loader raises on purpose)."""
    reason = skip_reason(error)
    log.warning("skipping %s: %s", path, reason)
    if not isinstance(error, (ValueError, OSError)):
        log.debug("skipping %s", path, exc_info=error)
    return Skipped(str(path), reason)


def skipped_in(skipped: Iterable[Skipped], corpus_dir: Path) -> list[Skipped]:
    """The files an index build skipped (`Manifest.skipped`), named relative to `corpus_dir`
    (what `qa list` and the web chat show; the manifest keeps the paths as the build saw them)."""
    found = []
    for entry in skipped:
        path = Path(entry.path)
        try:
            name = path.relative_to(corpus_dir).as_posix()
        except ValueError:
            name = path.name if path.is_absolute() else path.as_posix()
        found.append(Skipped(name, entry.reason))
    return found


def short_name(path: str) -> str:
    """A document's display name: its file name without suffix.

    >>> short_name("2022/zenith-2022-interim-results.txt")
    'zenith-2022-interim-results'
    """
    return re.sub(r"\.[A-Za-z0-9]+$", "", path.rsplit("/", 1)[-1])


def describe(skipped: Iterable[Skipped]) -> str:
    """One line per skipped file, for CLI output."""
    return "\n".join(f"skipped {item.path}: {item.reason}" for item in skipped)
