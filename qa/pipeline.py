"""`class QA` holds settings, embedder and index; module-level `ask()` is a thin wrapper over
`QA.ask()` on a cached default instance, so the model and index load once per process.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence

from qa import index as index_module
from qa.answer import compose_answer
from qa.config import Settings
from qa.embedding import Embedder, make_embedder
from qa.index import Index
from qa.retrieval import rank, to_passages
from qa.types import Answer

log = logging.getLogger(__name__)


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long, no words)."""


def clean_question(question: object, max_chars: int) -> str:
    """Validate and tidy a question: a string with at least one letter or digit, control
    characters removed, whitespace collapsed, at most `max_chars` characters.

    >>> clean_question("  What was\\x00 revenue?\\n", 100)
    'What was revenue?'
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty; type a question about the release")
    if len(text) > max_chars:
        raise QuestionError(
            f"the question is {len(text):,} characters; the limit is {max_chars:,} "
            "(QA_MAX_QUESTION_CHARS)"
        )
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("the question has no words or numbers in it")
    return text


class QA:
    """The question-answering system. Construction is cheap; `warm_up()` loads the model and
    the index (rebuilding a stale index unless settings.auto_rebuild is off)."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._index: Index | None = None
        self._lock = threading.Lock()
        # Torch modules are not documented as re-entrant; one forward pass at a time.
        self._embed_lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """The embedding model (created on first use)."""
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = make_embedder(self.settings.model, self.settings.torch_threads)
        return self._embedder

    @property
    def index(self) -> Index:
        """The loaded index (opened, and rebuilt if stale, on first use)."""
        if self._index is None:
            embedder = self.embedder
            with self._lock:
                if self._index is None:
                    self._index = index_module.open_index(self.settings, embedder)
        return self._index

    def warm_up(self) -> QA:
        """Load model and index now and answer one question, so the first user waits less."""
        self.ask("What was the total revenue?")
        return self

    def reindex(self, *, force: bool = False) -> Index:
        """Rebuild the index if stale (or always with force) and use it from now on."""
        from qa import store

        embedder = self.embedder
        with store.writer_lock(self.settings.index_dir, wait=False):
            if not force:
                try:
                    current = index_module.open_index(self.settings, embedder, rebuild=False)
                    self._index = current
                    return current
                except store.IndexError_ as reason:
                    log.info("rebuilding: %s", reason)
            built = index_module.build(self.settings, embedder, progress=True)
        self._index = built
        return built

    def ask(
        self,
        question: str,
        k: int | None = None,
        *,
        docs: Iterable[str] | None = None,
    ) -> Answer:
        """Answer one question from the corpus: ranked passages, typed figures and, when the
        release states it, a direct answer with its citation (else `found` is False)."""
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        top_k = self.settings.top_k if k is None else k
        if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        index = self.index
        vector = None
        if self.settings.retrieval != "lexical":
            with self._embed_lock:
                vector = self.embedder.embed_query(text)
        allowed = self._resolve_docs(index, docs)
        ranked = rank(index, text, vector, mode=self.settings.retrieval, allowed_docs=allowed)
        passages = to_passages(index, text, ranked, top_k)
        answer = compose_answer(
            text,
            passages,
            threshold=self.settings.not_stated_threshold,
            use_figures=self.settings.use_figures,
        )
        from dataclasses import replace

        return replace(answer, question=text, seconds=round(time.perf_counter() - started, 4))

    @staticmethod
    def _resolve_docs(index: Index, docs: Iterable[str] | None) -> frozenset[str] | None:
        if docs is None:
            return None
        if isinstance(docs, str):
            docs = [docs]
        wanted = set(docs)
        chosen = {
            doc_id
            for doc_id, document in index.documents.items()
            if {doc_id, document.path, document.title, document.path.rsplit(".", 1)[0]} & wanted
        }
        unknown = [
            name
            for name in wanted
            if not any(
                name in (d.id, d.path, d.title, d.path.rsplit(".", 1)[0])
                for d in index.documents.values()
            )
        ]
        if unknown:
            raise ValueError(f"unknown document(s) {unknown}; see `qa list`")
        return frozenset(chosen)


_default: QA | None = None
_default_lock = threading.Lock()


def default_qa() -> QA:
    """The process-wide QA instance that `ask()` uses (settings from the environment)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = QA(Settings.from_env())
    return _default


def ask(question: str, k: int | None = None, *, docs: Sequence[str] | None = None) -> Answer:
    """Answer a question about the corpus: `from qa import ask; ask("What was the gross margin?")`.

    A thin wrapper over `QA.ask()` on a cached default instance.
    """
    return default_qa().ask(question, k, docs=docs)
