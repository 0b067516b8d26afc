"""release-qa: offline question answering over financial press releases.

    >>> from qa import ask
    >>> answer = ask("What was the gross margin?")  # doctest: +SKIP
    >>> answer.answer                                # doctest: +SKIP
    '66% — gross profit margin, 1H2022'

Heavy modules (torch, faiss) load on first use, so `import qa` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "QA",
    "Answer",
    "Chunk",
    "Document",
    "Figure",
    "Passage",
    "QuestionError",
    "Settings",
    "Table",
    "ask",
    "extract_figures",
]

# Public name -> module that defines it (imported lazily on first attribute access).
_EXPORTS = {
    "QA": "qa.pipeline",
    "QuestionError": "qa.pipeline",
    "ask": "qa.pipeline",
    "Answer": "qa.types",
    "Chunk": "qa.types",
    "Document": "qa.types",
    "Figure": "qa.types",
    "Passage": "qa.types",
    "Table": "qa.types",
    "Settings": "qa.config",
    "extract_figures": "qa.figures.extract",
}

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.figures.extract import extract_figures
    from qa.pipeline import QA, QuestionError, ask
    from qa.types import Answer, Chunk, Document, Figure, Passage, Table


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'qa' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
