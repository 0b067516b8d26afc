"""`class QA` holds settings, embedder and index; module-level `ask()` is a thin wrapper over
`QA.ask()` on a cached default instance, so the model and index load once per process.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from qa.answer.compose import compose_answer
from qa.config import Settings, check_k
from qa.index import core as index_module
from qa.index.core import Index
from qa.index.embedding import Embedder, SentenceTransformerEmbedder, make_embedder
from qa.index.lexical import rewrite_question
from qa.index.onnxembed import OnnxUnavailable, open_encoder
from qa.preference import preferred_documents, without_company
from qa.retrieval import rank, to_passages, with_table
from qa.text.corpusvocab import CorpusVocabulary, load_vocabulary
from qa.text.question import parse_question
from qa.types import Answer, Passage, Table

log = logging.getLogger(__name__)


# Passages the answer is composed from, whatever number of passages the caller asked to see.
ANSWER_DEPTH = 5


def _limit_faiss_threads(threads: int) -> None:
    """One query at a time needs no OpenMP team: on 2 shared cores two FAISS threads cost
    2.8x the CPU of one for a 100k exact search (bench/, docs/performance.md)."""
    import faiss

    faiss.omp_set_num_threads(threads)


# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL", the 8-bit CSI and the
# short "ESC ( B" kind), removed whole so no "[31m" is left behind.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?"
)


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""
    return " " if category[0] == "C" else ch


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, too long, no words)."""


def clean_question(question: object, max_chars: int) -> str:
    """Validate and tidy a question: a string with at least one letter or digit, terminal
    escape sequences removed whole, format characters (soft hyphen, zero-width, bidi
    controls) removed, other control characters spaced, whitespace collapsed, at most
    `max_chars` characters.

    >>> clean_question("  What was\\x00 gross pro\\u00adfit?\\n", 100)
    'What was gross profit?'
    >>> clean_question("\\x1b[31mrevenue\\x1b[0m", 100)
    'revenue'
    """
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, not {type(question).__name__}")
    text = _ESCAPE.sub("", question)
    # Format characters sit inside words ("pro\u00adfit"): removing them keeps the word;
    # other control characters (tabs, NUL, newlines) separate words.
    text = "".join(_clean_char(ch) for ch in text)
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
        self._vocabulary: CorpusVocabulary | None = None

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
                    _limit_faiss_threads(self.settings.torch_threads)
                    self._index = index_module.open_index(self.settings, embedder)
                    self._use_question_model(self._index)
        return self._index

    @property
    def vocabulary(self) -> CorpusVocabulary:
        """The corpus's own question rewrites (corpus/vocabulary.json), read on first use."""
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary(self.settings.corpus_dir)
        return self._vocabulary

    def warm_up(self) -> QA:
        """Load model and index now and answer one question, so the first user waits less."""
        self.ask("What was the total revenue?")
        return self

    def reindex(self, *, force: bool = False) -> Index:
        """Bring the index up to date and use it from now on: unchanged documents are taken
        from the current build and only new or changed text is embedded; `force` rebuilds
        everything from the files."""
        from qa.index import store

        embedder = self.embedder
        with store.writer_lock(self.settings.index_dir, wait=False):
            previous: Index | None = None
            if not force:
                try:
                    previous = index_module.load(self.settings.index_dir)
                    expected = index_module.expected_fingerprint(
                        self.settings, embedder, self.settings.corpus_dir
                    )
                    reasons = index_module.stale_reasons(previous.manifest, expected)
                    if not reasons:
                        self._index = previous
                        return previous
                    log.info("updating: %s", "; ".join(reasons[:5]))
                except store.IndexError_ as reason:
                    log.info("rebuilding: %s", reason)
            built = index_module.build(
                self.settings, embedder, progress=True, previous=None if force else previous
            )
        self._index = built
        self._use_question_model(built)
        return built

    def _use_question_model(self, index: Index) -> None:
        """Embed questions with the build's verified ONNX model, so answering never loads
        torch; when it cannot be used, with sentence-transformers, and say why."""
        embedder = self._embedder
        if not isinstance(embedder, SentenceTransformerEmbedder):
            return  # the fake embedder, or one a caller supplied
        encoder = None
        if self.settings.onnx:
            try:
                record = index.manifest.onnx
                if record is None:
                    raise OnnxUnavailable(f"no valid ONNX record ({index.manifest.onnx_problem})")
                current = embedder.question_encoder
                if current is not None and record.sha256 and current.sha256 == record.sha256:
                    return  # the same verified file: keep the loaded session and the cache
                encoder = open_encoder(
                    index.folder, record, embedder.model_dir, threads=self.settings.torch_threads
                )
            except OnnxUnavailable as reason:
                log.warning("questions are embedded with sentence-transformers: %s", reason)
        embedder.use_for_questions(encoder)

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
        top_k = self.settings.top_k if k is None else check_k(k)
        index = self.index
        vector = None
        query = self.vocabulary.rewrite(rewrite_question(text))
        # The question is read once here; every stage reads this record, none the string.
        parsed = parse_question(query)
        if self.settings.retrieval != "lexical":
            vector = self.embedder.embed_query(query)
        allowed = self._resolve_docs(index, docs)
        # A question naming a company or period searches the matching documents first.
        preferred = preferred_documents(text, index.documents, allowed)
        ranked = []
        if preferred is not None:
            ranked = rank(
                index, parsed, vector, mode=self.settings.retrieval, allowed_docs=preferred
            )
        if not ranked:
            ranked = rank(index, parsed, vector, mode=self.settings.retrieval, allowed_docs=allowed)
        ranked = with_table(index, parsed, ranked, ANSWER_DEPTH)  # "What does the table show?"
        # The answer is read from a fixed number of passages, so asking to see more or fewer
        # passages never changes it.
        passages = to_passages(index, parsed, ranked, max(top_k, ANSWER_DEPTH))
        # The answer reads the rewritten question too: "how deep in the red" asks for money.
        # A company the corpus names is read as "the company": that question is read anew.
        asked = without_company(query, index.documents)
        answer = compose_answer(
            parsed if asked == query else parse_question(asked),
            passages[:ANSWER_DEPTH],
            threshold=self.settings.not_stated_threshold,
            use_figures=self.settings.use_figures,
            tables=tables_of_passages(index, passages[:ANSWER_DEPTH]),
            similarity=self.similarity if self.settings.retrieval != "lexical" else None,
        )
        return replace(
            answer,
            question=text,
            passages=tuple(passages[:top_k]),
            seconds=round(time.perf_counter() - started, 4),
        )

    def similarity(self, question: str, sentence: str) -> float:
        """The cosine of a question and a candidate answer sentence, both embedded by the
        question model (its cache keeps a sentence the next question of a report reads)."""
        embedder = self.embedder
        return float(np.dot(embedder.embed_query(question), embedder.embed_query(sentence)))

    @staticmethod
    def _resolve_docs(index: Index, docs: Iterable[str] | None) -> frozenset[str] | None:
        if docs is None:
            return None
        if isinstance(docs, str):
            docs = [docs]
        chosen: set[str] = set()
        unknown = []
        for name in docs:
            found = find_documents(index, name)
            chosen.update(found)
            if not found:
                unknown.append(name)
        if unknown:
            raise ValueError(f"unknown document(s) {unknown}; see `qa list`")
        return frozenset(chosen)


def tables_of_passages(index: Index, passages: Sequence[Passage]) -> tuple[Table, ...]:
    """The tables of the documents the passages come from, best-ranked document first (each
    passage's chunk names its document: no scan of the corpus per question)."""
    ordered = dict.fromkeys(index.chunks[p.chunk_id].doc_id for p in passages)
    return tuple(table for doc_id in ordered for table in index.tables_of(doc_id))


def find_documents(index: Index, name: str) -> set[str]:
    """Ids of the indexed documents `name` refers to: an id, a path, a file name with or
    without its suffix, or a title (case-insensitive)."""
    wanted = name.strip().lower()
    found = set()
    for doc_id, document in index.documents.items():
        file_name = document.path.rsplit("/", 1)[-1]
        names = {
            doc_id, document.path, document.path.rsplit(".", 1)[0], file_name,
            file_name.rsplit(".", 1)[0], document.title,
        }  # fmt: skip
        if wanted in {n.lower() for n in names}:
            found.add(doc_id)
    return found


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
