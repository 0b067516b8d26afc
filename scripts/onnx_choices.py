"""Measure the question model's export and session choices on this machine, in one run.

    .venv/bin/python scripts/onnx_choices.py [--questions N] [--json PATH]

Exports the bundled model three ways (TorchScript exporter with sdpa or eager attention, and
the torch.export-based exporter when onnxscript is installed), each plain and with ONNX
Runtime's BERT fusions; times every variant with the shipped session options, and the shipped
variant with one option changed at a time (graph optimisation level, weight pre-packing, 1 or 2
intra-op threads), in blocks whose order rotates every round so all see the same load: session
load, a gold question's forward pass (p50/p95 over questions of the median over repeats;
tokenizing excluded) and a 256-token text. Also checks each against sentence-transformers
(max abs difference of the unit vectors).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def export_variants(folder: Path) -> dict[str, Path]:
    """{name: file} for every exporter x attention x fusion variant that can be produced."""
    import torch
    from sentence_transformers import SentenceTransformer

    from qa.index.embedding import bundled_model_path
    from qa.index.onnxexport import OPSET, pooled

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.ones((1, 8), dtype=torch.int64)
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    files: dict[str, Path] = {}
    for attention in ("sdpa", "eager"):
        model = SentenceTransformer(
            str(bundled_model_path()), device="cpu", model_kwargs={"attn_implementation": attention}
        )
        transformer = model[0].auto_model
        for exporter in ("torchscript", "dynamo"):
            path = folder / f"{exporter}-{attention}.onnx"
            started = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if exporter == "torchscript":
                        torch.onnx.export(
                            pooled(transformer), args, str(path), input_names=names,
                            output_names=["sentence_embedding"], opset_version=OPSET,
                            dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names},
                            dynamo=False,
                        )  # fmt: skip
                    else:
                        batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
                        torch.onnx.export(
                            pooled(transformer), args, str(path), input_names=names,
                            output_names=["sentence_embedding"], external_data=False,
                            dynamic_shapes={n: {0: batch, 1: sequence} for n in names},
                            dynamo=True,
                        )  # fmt: skip
            except Exception as error:  # e.g. onnxscript missing for the dynamo exporter
                print(f"{path.name}: not exported ({type(error).__name__}: {error})"[:200])
                continue
            print(f"{path.name}: exported in {time.perf_counter() - started:.1f} s")
            files[path.stem] = path
            files[path.stem + "+fused"] = fuse(path, transformer.config)
    return files


def fuse(path: Path, config: Any) -> Path:
    """The variant after ONNX Runtime's transformer optimizer, printing what it fused."""
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(
        str(path), model_type="bert", num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size, opt_level=0,
    )  # fmt: skip
    counts = {k: v for k, v in fused.get_fused_operator_statistics().items() if v}
    print(f"  fusions: {counts}")
    target = path.with_name(path.stem + "-fused.onnx")
    fused.save_model_to_file(str(target))
    return target


def session(path: Path, level: str, prepack: bool, threads: int) -> tuple[Any, float]:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, level)
    if not prepack:
        options.add_session_config_entry("session.disable_prepacking", "1")
    started = time.perf_counter()
    created = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return created, time.perf_counter() - started


# The shipped choice, and one factor changed at a time (variant, level, pre-packing, threads).
SHIPPED = ("torchscript-eager+fused", "ORT_ENABLE_ALL", True, 1)
ALTERNATIVES = (
    ("ORT_ENABLE_BASIC", True, 1),
    ("ORT_DISABLE_ALL", True, 1),
    ("ORT_ENABLE_ALL", False, 1),
    ("ORT_ENABLE_ALL", True, 2),
)


def configurations(variants: list[str]) -> list[tuple[str, str, bool, int]]:
    """Every variant with the shipped session options, then the shipped variant with each
    session option changed alone."""
    rows = [(name, *SHIPPED[1:]) for name in variants]
    return rows + [(SHIPPED[0], *alternative) for alternative in ALTERNATIVES]


def timed_run(created: Any, feed: dict[str, Any]) -> float:
    started = time.perf_counter()
    created.run(None, feed)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from qa.index.embedding import SentenceTransformerEmbedder
    from qa.index.onnxembed import OnnxQuestionEncoder

    gold = (ROOT / "eval" / "gold.jsonl").read_text().splitlines()
    questions = [json.loads(line)["q"] for line in gold if line.strip()][: args.questions]
    long = "Revenue was RMB1.42 billion, up 25% year on year. " * 30
    reference = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        files = export_variants(Path(scratch))
        expected = reference.embed([*questions, long])
        encoder = OnnxQuestionEncoder(files[SHIPPED[0]], reference.model_dir)
        feeds = [encoder.feed(q) for q in questions]
        long_feed = encoder.feed(long)
        diffs, loads, sessions = {}, {}, {}
        for config in configurations(list(files)):
            path = files[config[0]]
            got = np.stack(
                [
                    OnnxQuestionEncoder(path, reference.model_dir).encode(t)
                    for t in [*questions, long]
                ]
            )
            diffs[config] = float(np.abs(got - expected).max())
            loads[config] = statistics.median(session(path, *config[1:])[1] for _ in range(3))
            sessions[config] = session(path, *config[1:])[0]
            sessions[config].run(None, feeds[0])
        # In blocks: a configuration answers every question in a row (warm caches, as in use),
        # and the order of the blocks rotates each round so all see the same load.
        samples: dict[Any, list[list[float]]] = {c: [[] for _ in feeds] for c in sessions}
        longs: dict[Any, list[float]] = {c: [] for c in sessions}
        order = list(sessions)
        for round_ in range(args.repeats):
            for config in order[round_ % len(order) :] + order[: round_ % len(order)]:
                created = sessions[config]
                for i, feed in enumerate(feeds):
                    samples[config][i].append(timed_run(created, feed))
                longs[config].append(timed_run(created, long_feed))
    results = []
    for config in sessions:
        per_question = [statistics.median(times) for times in samples[config]]
        row = {
            "variant": config[0], "level": config[1], "prepack": config[2],
            "threads": config[3], "max_abs_diff": diffs[config], "load_ms": 1e3 * loads[config],
            "question_p50_ms": 1e3 * statistics.median(per_question),
            "question_p95_ms": 1e3 * float(np.percentile(per_question, 95)),
            "long_256_ms": 1e3 * statistics.median(longs[config]),
        }  # fmt: skip
        results.append(row)
        print(
            f"| {row['variant']} | {row['level']} | {'on' if row['prepack'] else 'off'} | "
            f"{row['threads']} | {row['load_ms']:.0f} | {row['question_p50_ms']:.2f} | "
            f"{row['question_p95_ms']:.2f} | {row['long_256_ms']:.1f} | {row['max_abs_diff']:.1e} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
