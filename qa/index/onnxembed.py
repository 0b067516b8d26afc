"""Questions -> vectors without torch: ONNX Runtime and the Rust `tokenizers` package.

The index build exports the embedding model to ONNX (qa/index/onnxexport.py), checks it against
sentence-transformers and records its SHA-256 in the manifest. A question is then one
tokenizer call and one forward pass; the graph ends in mean pooling and L2 normalisation, so
its output is the same unit vector sentence-transformers gives (within 1e-5, checked at build).

Only numpy, onnxruntime and tokenizers are imported here: this module is on the question path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from qa.ingest.corpus import file_hash

if TYPE_CHECKING:
    from numpy.typing import NDArray

# The question model's file name inside a build folder.
ONNX_FILE = "question-model.onnx"
# sentence-transformers' default when a model folder does not say (all-MiniLM-L6-v2 says 256).
DEFAULT_MAX_TOKENS = 256
_SHA256 = re.compile(r"[0-9a-f]{64}")


class OnnxUnavailable(RuntimeError):
    """The ONNX question model cannot be used; the message says why."""


@dataclass(frozen=True)
class OnnxRecord:
    """The manifest's `onnx` field: the verified file's SHA-256, or why there is none."""

    sha256: str | None
    reason: str = ""

    def to_dict(self) -> dict[str, str | None]:
        """The JSON form stored in manifest.json."""
        file = ONNX_FILE if self.sha256 else None
        return {"file": file, "sha256": self.sha256, "reason": self.reason}

    @classmethod
    def from_json(cls, field: object) -> OnnxRecord:
        """Read and check the manifest's `onnx` field; ValueError when it is missing or
        malformed.

        >>> OnnxRecord.from_json({"sha256": None, "reason": "hash model"})
        OnnxRecord(sha256=None, reason='hash model')
        """
        if not isinstance(field, dict):
            raise ValueError(f"manifest field 'onnx' must be an object, got {field!r}")
        sha256, reason = field.get("sha256"), field.get("reason", "")
        if sha256 is not None and not (isinstance(sha256, str) and _SHA256.fullmatch(sha256)):
            raise ValueError(f"manifest field onnx.sha256 is not a SHA-256: {sha256!r}")
        if not isinstance(reason, str):
            raise ValueError(f"manifest field onnx.reason must be text, got {reason!r}")
        return cls(sha256, reason)


def max_tokens(model_dir: Path) -> int:
    """The model's token limit, as sentence-transformers reads it (sentence_bert_config.json)."""
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DEFAULT_MAX_TOKENS
    return int(config.get("max_seq_length") or DEFAULT_MAX_TOKENS)


class OnnxQuestionEncoder:
    """One text at a time, unpadded: a single question needs no attention padding, and an
    unpadded sequence is the cheapest forward pass (no masked positions)."""

    def __init__(
        self, model_file: Path, model_dir: Path, *, threads: int = 1, sha256: str | None = None
    ) -> None:
        self.sha256 = sha256  # the file's hash when checked against the manifest
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as error:
            raise OnnxUnavailable(f"{error.name} is not installed") from None
        tokenizer_file = model_dir / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise OnnxUnavailable(f"no tokenizer.json in {model_dir}")
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The bundled tokenizer.json pads and truncates to 128; sentence-transformers pads
        # nothing for one text and truncates at the model's limit (256), specials included.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens(model_dir))
        options = ort.SessionOptions()
        # Measured on 2 shared cores (docs/performance.md): one thread is steady; weight
        # pre-packing (on by default) halves a short question's forward pass.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # warnings about unused initializers are noise here
        try:
            self.session = ort.InferenceSession(
                str(model_file), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own Fail/InvalidGraph types
            raise OnnxUnavailable(f"onnxruntime cannot load {model_file}: {error}") from None
        self.inputs = {i.name for i in self.session.get_inputs()}

    def feed(self, text: str) -> dict[str, NDArray[np.int64]]:
        """The graph's inputs for one text: its token ids, unpadded (all positions attended)."""
        ids = np.asarray([self.tokenizer.encode(text).ids], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        return {name: value for name, value in feed.items() if name in self.inputs}

    def encode(self, text: str) -> NDArray[np.float32]:
        """The unit-length vector of one text."""
        output = self.session.run(None, self.feed(text))
        vector = np.asarray(output[0][0], dtype=np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


def open_encoder(
    build_folder: Path, record: OnnxRecord, model_dir: Path, *, threads: int = 1
) -> OnnxQuestionEncoder:
    """The question encoder of a build, after checking the file is the one the manifest
    recorded (the one checked against sentence-transformers); OnnxUnavailable says why not."""
    if record.sha256 is None:
        raise OnnxUnavailable(f"the index was built without one ({record.reason or 'no reason'})")
    path = build_folder / ONNX_FILE
    if not path.is_file():
        raise OnnxUnavailable(f"{path} is missing; run `qa index --force`")
    if file_hash(path) != record.sha256:
        raise OnnxUnavailable(f"{path} does not match the manifest's hash; run `qa index --force`")
    return OnnxQuestionEncoder(path, model_dir, threads=threads, sha256=record.sha256)
