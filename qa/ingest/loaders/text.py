"""Plain text and Markdown: UTF-8, line endings normalised, otherwise as stored, except
tables: a Markdown pipe table, or in a .txt release columns aligned with spaces, is parsed
into a Table and replaced by its "row | column | value" rendering (qa/ingest/loaders/texttables.py).

Markdown headings ("# Business Review") already become sections in the chunker.
"""

from __future__ import annotations

from pathlib import Path

from qa.ingest.loaders import Extracted


def decode_text(raw: bytes) -> str:
    """UTF-8 bytes -> text with "\\n" line endings and no BOM; ValueError with a reason.

    >>> decode_text(b"\\xef\\xbb\\xbfOne.\\r\\nTwo.")
    'One.\\nTwo.'
    """
    if b"\x00" in raw:  # anywhere: text with a NUL in the middle is not text either
        raise ValueError("looks like a binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"is not UTF-8 text (byte {error.start}); re-save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def load_text(path: Path) -> Extracted:
    """A .txt or .md file as text, its tables parsed and rendered in place."""
    from qa.ingest.loaders.texttables import tables_in_text

    kind = "text" if path.suffix.lower() == ".txt" else "markdown"
    text, tables = tables_in_text(decode_text(path.read_bytes()), aligned=kind == "text")
    return Extracted(text, format=kind, tables=tables)
