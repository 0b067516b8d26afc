"""What an index must record to be fresh, and why a stored one is not.

A manifest holds the format version, the model (name, dimension), the chunker and the
versions of every stage that shapes the stored records (tokenizer, figures, document
figures, loaders), and a SHA-256 of every corpus file and sidecar. A build also records its
ONNX question model (`onnx`: the file's SHA-256, or why there is none; qa/index/onnxembed.py).
`qa.index.core.open_index` compares the stored manifest with the expected one and rebuilds (or
refuses) on any change.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.figures.document import DOCFIGURES_VERSION
from qa.index import store
from qa.index.embedding import Embedder
from qa.index.onnxembed import OnnxRecord
from qa.ingest.chunking import chunker_params
from qa.ingest.corpus import Skipped, file_hash, list_corpus, tracked_files
from qa.ingest.loaders import LOADER_VERSION
from qa.text.terms import TOKENIZER_VERSION

log = logging.getLogger(__name__)

# The keys whose change makes an index stale (besides the corpus files).
VERSION_KEYS = (
    "format_version", "model", "chunker", "tokenizer_version", "figures_version",
    "docfigures_version", "loader_version",
)  # fmt: skip


def corpus_hashes(corpus_dir: Path) -> tuple[dict[str, str], list[Skipped]]:
    """A hash of every tracked corpus file, and the files that could not be hashed (one that
    vanished after it was listed, or cannot be read) or may not be read (a link out of the
    corpus, a broken link: qa/ingest/scan.py): those are skipped, not fatal."""
    listing = list_corpus(corpus_dir)
    files: dict[str, str] = {}
    skipped: list[Skipped] = list(listing.skipped)  # links out of the corpus, broken links
    for name, path in tracked_files(corpus_dir, listing).items():
        try:
            files[name] = file_hash(path)
        except OSError as error:
            gone = isinstance(error, FileNotFoundError)
            reason = "disappeared while indexing" if gone else f"cannot be read ({error})"
            log.debug("cannot hash %s: %s", path, reason)  # the build logs what it skips
            skipped.append(Skipped(str(path), reason))
    return files, skipped


def expected_manifest(settings: Settings, embedder: Embedder, corpus_dir: Path) -> dict[str, Any]:
    """What a fresh index for these settings must record (compared on load)."""
    return expected_with_skipped(settings, embedder, corpus_dir)[0]


def expected_with_skipped(
    settings: Settings, embedder: Embedder, corpus_dir: Path
) -> tuple[dict[str, Any], list[Skipped]]:
    """`expected_manifest`, and the corpus files it could not hash (see `corpus_hashes`)."""
    files, skipped = corpus_hashes(corpus_dir)
    return {
        "format_version": store.FORMAT_VERSION,
        "model": {"name": embedder.name, "dim": embedder.dim},
        "chunker": chunker_params(settings.chunker),
        "tokenizer_version": TOKENIZER_VERSION,
        "figures_version": _figures_version(),
        "docfigures_version": DOCFIGURES_VERSION,
        "loader_version": LOADER_VERSION,
        "corpus_files": files,
    }, skipped


def _figures_version() -> int:
    from qa.figures import extract as figures

    return int(getattr(figures, "FIGURES_VERSION", 1))


def stale_reasons(manifest: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Why a stored manifest does not fit the expected one (empty when it fits)."""
    reasons = []
    for key in VERSION_KEYS:
        if manifest.get(key) != expected[key]:
            reasons.append(f"{key} changed ({manifest.get(key)!r} -> {expected[key]!r})")
    # Written by every build (qa/index/onnxexport.py): without it, an older build; rebuilding it
    # reuses every vector and only exports the question model.
    try:
        OnnxRecord.from_manifest(manifest)
    except ValueError as error:
        reasons.append(f"no valid ONNX question model record ({error})")
    stored, current = manifest.get("corpus_files", {}), expected["corpus_files"]
    for name in sorted(set(stored) | set(current)):
        if name not in current:
            reasons.append(f"corpus file removed: {name}")
        elif name not in stored:
            reasons.append(f"corpus file added: {name}")
        elif stored[name] != current[name]:
            reasons.append(f"corpus file changed: {name}")
    return reasons
