"""File format -> text: one loader per suffix, each returning the text a reader would see.

Every loader gives an `Extracted`: the text (headings as Markdown "# " lines so the chunker
labels sections; tables as "row label | column header | value" lines), the character offset
where each 1-based page starts (PDF only), and hints for the metadata (a title the format
states, e.g. HTML <title> or the PDF's /Title), and the tables found, parsed (qa/types.py
`Table`, each spanning its rendering in the text). Heavy parsers are imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.types import Table

# Bump when any loader's output changes: the index manifest records it and reloads documents.
# 7: captions from introducing sentences; 8: companies named in prose; 9: a split header cell
# ("Land and") heads only its own column.
LOADER_VERSION = 9


@dataclass(frozen=True)
class Extracted:
    """What a loader read from one file."""

    text: str
    page_starts: tuple[int, ...] = ()
    title: str = ""
    format: str = "text"
    tables: tuple[Table, ...] = ()


Loader = Callable[[Path], Extracted]


def _text(path: Path) -> Extracted:
    from qa.ingest.loaders.text import load_text

    return load_text(path)


def _html(path: Path) -> Extracted:
    from qa.ingest.loaders.webpage import load_html

    return load_html(path)


def _pdf(path: Path) -> Extracted:
    from qa.ingest.loaders.pdf import load_pdf

    return load_pdf(path)


# Suffix (lower case) -> loader. Sidecar metadata files (NAME.meta.json) are not documents.
LOADERS: dict[str, Loader] = {
    ".txt": _text,
    ".md": _text,
    ".markdown": _text,
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
}


def supported_suffixes() -> tuple[str, ...]:
    """The file suffixes the corpus loader reads.

    >>> supported_suffixes()
    ('.htm', '.html', '.markdown', '.md', '.pdf', '.txt')
    """
    return tuple(sorted(LOADERS))
