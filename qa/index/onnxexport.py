"""Build time: export the embedding model to ONNX for the question path (qa/index/onnxembed.py).

The graph is the loaded sentence-transformers model's own weights plus mean pooling and L2
normalisation, exported with torch.onnx.export, fused with ONNX Runtime's transformer
optimizer, and used only if it matches sentence-transformers on `CHECK_TEXTS` within
`MAX_ABS_DIFF`. The verified export is kept in `index/.onnx-cache/` and linked into every later
build of the same model, so only the first build (or a changed model) pays for exporting. Any
failure is a reason in the manifest, and questions are then embedded with sentence-transformers.

Choices, measured on this 2-core EPYC (docs/performance.md, "Questions without torch"):
- the TorchScript exporter (`dynamo=False`), opset 17, eager attention: exported in 2-4 s, and
  its graph is the one the optimizer fuses fully (Attention, EmbedLayerNormalization,
  SkipLayerNormalization, BiasGelu); the torch.export-based exporter takes 13-15 s, needs
  onnxscript and leaves attention unfused, for the same forward time (within the noise);
- the fusions do not change a question's forward time either, but the fused graph loads
  ~40 ms faster, which a one-shot `qa ask` pays.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.embedding import Embedder, SentenceTransformerEmbedder
from qa.index.onnxembed import ONNX_FILE, OnnxQuestionEncoder, OnnxRecord
from qa.ingest.corpus import file_hash

log = logging.getLogger(__name__)

OPSET = 17
# Bump when the exported graph changes (cached exports of an older version are not reused).
EXPORT_VERSION = 1
# The folder inside the index folder that keeps the last verified export between builds.
CACHE_DIR = ".onnx-cache"
# The largest difference allowed between an ONNX vector and sentence-transformers' (unit
# vectors; measured differences are ~2e-7).
MAX_ABS_DIFF = 1e-5
# Short and long, truncated (more than 256 tokens), empty, numbers, non-ASCII punctuation.
CHECK_TEXTS = (
    "What was the total revenue?",
    "How much did gross profit change compared with the same period last year?",
    "",
    "Revenue was RMB 1,234.5 million (2021: RMB 987.6 million) — “up” 25% year-on-year; ¥ €.",
    " ".join(["The board declared an interim dividend of 12 cents per share."] * 40),
)


def produce(embedder: Embedder, folder: Path, cache: Path) -> OnnxRecord:
    """Write the question model into the staging `folder` and return its record: the verified
    file from `cache` when this model was exported before, else a fresh export (then cached).
    Never raises: a failure is logged and recorded, and questions fall back to
    sentence-transformers."""
    # A Ray build's embedder wraps the local model as `local`.
    source = getattr(embedder, "local", embedder)
    if not isinstance(source, SentenceTransformerEmbedder):
        return OnnxRecord(None, f"the {embedder.name!r} embedder has no ONNX form")
    target = folder / ONNX_FILE
    key = cache_key(source.name, source.model_dir)
    try:
        return OnnxRecord(_from_cache(cache, key, target))
    except OSError as error:
        log.info("exporting the question model (%s)", error)
    try:
        sha256 = export(source.model, source.model_dir, target, lock=source.encode_lock)
    except Exception as error:  # any export, fusion or check failure means: fall back
        target.unlink(missing_ok=True)
        reason = f"ONNX export failed: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        log.warning("%s; questions will be embedded with sentence-transformers", reason)
        return OnnxRecord(None, reason)
    try:
        _to_cache(cache, key, target, sha256)
    except OSError as error:  # the build is fine without; the next one exports again
        log.info("question model not cached: %s", error)
    return OnnxRecord(sha256)


def cache_key(name: str, model_dir: Path) -> str:
    """What identifies an export: this code's version and the model's files (names, sizes,
    modification times: a reinstalled or edited model is exported again)."""
    files = sorted(
        (p.relative_to(model_dir).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in model_dir.rglob("*")
        if p.is_file()
    )
    text = json.dumps([EXPORT_VERSION, OPSET, name, files])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _from_cache(cache: Path, key: str, target: Path) -> str:
    """Link (or copy) the cached export into `target` after checking it is the file whose
    hash was written when it passed the check against sentence-transformers."""
    source, recorded = cache / f"{key}.onnx", cache / f"{key}.sha256"
    sha256 = recorded.read_text(encoding="utf-8").strip()
    if file_hash(source) != sha256:
        raise OSError(f"{source} does not match its recorded hash")
    _link(source, target)
    return sha256


def _to_cache(cache: Path, key: str, exported: Path, sha256: str) -> None:
    """Keep a verified export for the next build; its hash file is written last."""
    cache.mkdir(parents=True, exist_ok=True)
    for path in cache.iterdir():  # one model per index: older exports are dead weight
        path.unlink()
    _link(exported, cache / f"{key}.onnx")
    temporary = cache / f".{key}.sha256"
    temporary.write_text(sha256 + "\n", encoding="utf-8")
    os.replace(temporary, cache / f"{key}.sha256")


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # exports are never modified in place, so sharing is safe
    except OSError:
        shutil.copyfile(source, target)


def export(model: Any, model_dir: Path, target: Path, *, lock: Any) -> str:
    """Export, fuse and check the model; return the SHA-256 of the file written to `target`.
    Raises ValueError when the ONNX vectors differ from sentence-transformers'."""
    import torch

    raw = target.with_suffix(".raw.onnx")
    transformer = model[0].auto_model
    config = transformer.config
    with lock, warnings.catch_warnings():
        # Tracer and exporter notes about shapes baked as constants are expected: the axes
        # that vary (batch, sequence) are declared dynamic below.
        warnings.simplefilter("ignore")
        previous_attention = config._attn_implementation
        transformer.set_attn_implementation("eager")  # the pattern the fusions recognise
        try:
            names = ["input_ids", "attention_mask", "token_type_ids"]
            ids = torch.ones((1, 8), dtype=torch.int64)
            torch.onnx.export(
                pooled(transformer),
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(raw),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={
                    **{name: {0: "batch", 1: "sequence"} for name in names},
                    "sentence_embedding": {0: "batch"},
                },
                opset_version=OPSET,
                dynamo=False,
            )
        finally:
            transformer.set_attn_implementation(previous_attention)
        reference = model.encode(list(CHECK_TEXTS), normalize_embeddings=True)
    try:
        _fuse(raw, target, heads=config.num_attention_heads, hidden=config.hidden_size)
    finally:
        raw.unlink(missing_ok=True)
    encoder = OnnxQuestionEncoder(target, model_dir)
    vectors = np.stack([encoder.encode(text) for text in CHECK_TEXTS])
    worst = float(np.abs(vectors - np.asarray(reference)).max())
    if not worst <= MAX_ABS_DIFF:
        raise ValueError(f"ONNX vectors differ from sentence-transformers' by {worst:.2e}")
    log.info("question model exported to %s (max abs diff %.1e)", target, worst)
    return file_hash(target)


def _fuse(source: Path, target: Path, *, heads: int, hidden: int) -> None:
    """ONNX Runtime's BERT fusions, or the plain export when the optimizer is missing."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model
    except ImportError as error:  # the optimizer needs the `onnx` package
        log.info("no graph fusions (%s); using the plain export", error)
        shutil.copyfile(source, target)
        return
    fused = optimize_model(
        str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0
    )
    fused.save_model_to_file(str(target))


def pooled(transformer: Any) -> Any:
    """The transformer, then sentence-transformers' mean pooling and L2 normalisation, as one
    torch module (defined here so that importing this module does not import torch)."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            states = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled().eval()
