"""Measure what each part of retrieval adds, in one run, on the gold and dev question sets.

    .venv/bin/python scripts/ablation.py [--index DIR] [--json PATH]

Variants are cumulative: dense only, lexical only, hybrid, + jargon rewrite, + section
periods in BM25, + figure-aware bonus (= the shipped system). Also times retrieval alone
(ranking + passages, query vector given) against embedding the question, the floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import retrieval  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.eval.metrics import normalize_space  # noqa: E402
from qa.index.lexical import LexicalIndex, rewrite_question  # noqa: E402
from qa.pipeline import QA  # noqa: E402

SETS = {"gold": ROOT / "eval" / "gold.jsonl", "dev": ROOT / "eval" / "dev.jsonl"}


def load(path: Path) -> list[dict[str, Any]]:
    """Answerable questions of a gold-format file."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row for row in rows if not row["unanswerable"]]


@contextmanager
def variant(
    system: QA, *, mode: str, rewrite: bool, periods: bool, bonus: bool
) -> Iterator[Callable[[str], str]]:
    """Switch retrieval parts on or off for the duration of a measurement."""
    index = system.index
    saved_lexical, saved_bonus = index.lexical, retrieval.FIGURE_BONUS
    if not periods:
        object.__setattr__(index, "lexical", LexicalIndex.build([c.text for c in index.chunks]))
    retrieval.FIGURE_BONUS = saved_bonus if bonus else 0.0
    try:
        yield (rewrite_question if rewrite else (lambda q: q))
    finally:
        object.__setattr__(index, "lexical", saved_lexical)
        retrieval.FIGURE_BONUS = saved_bonus


def hits(
    system: QA, questions: list[dict[str, Any]], mode: str, rewrite: Callable[[str], str]
) -> dict[str, float]:
    """hit@1/3/5 and mean top-3 passage length for one variant."""
    index, counts, lengths = system.index, {1: 0, 3: 0, 5: 0}, []
    for row in questions:
        query = rewrite(row["q"])
        vector = system.embedder.embed_query(query)
        ranked = retrieval.rank(index, query, vector, mode=mode)[:5]
        texts = [normalize_space(index.chunks[s.row].text) for s in ranked]
        evidence = [normalize_space(e) for e in row["evidence"]]
        position = next((i for i, t in enumerate(texts) if any(e in t for e in evidence)), None)
        for k in counts:
            counts[k] += position is not None and position < k
        lengths.extend(len(t) for t in texts[:3])
    n = len(questions)
    return {
        **{f"hit@{k}": round(v / n, 3) for k, v in counts.items()},
        "chars@3": round(statistics.mean(lengths)),
    }


def timing(system: QA, questions: list[dict[str, Any]]) -> dict[str, float]:
    """Median ms: embedding a new question (floor) vs ranking + building passages."""
    embed_ms, search_ms = [], []
    for row in questions:
        query = row["q"] + " (timing)"  # not in the embedder's cache
        started = time.perf_counter()
        vector = system.embedder.embed([query])[0]
        embed_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        retrieval.to_passages(system.index, query, retrieval.rank(system.index, query, vector), 5)
        search_ms.append((time.perf_counter() - started) * 1000)
    return {
        "embed_ms_p50": round(statistics.median(embed_ms), 2),
        "retrieval_ms_p50": round(statistics.median(search_ms), 2),
    }


VARIANTS = [
    ("dense only", {"mode": "dense", "rewrite": False, "periods": False, "bonus": False}),
    (
        "lexical only (BM25 + coverage)",
        {"mode": "lexical", "rewrite": False, "periods": False, "bonus": False},
    ),
    ("hybrid", {"mode": "hybrid", "rewrite": False, "periods": False, "bonus": False}),
    ("+ jargon rewrite", {"mode": "hybrid", "rewrite": True, "periods": False, "bonus": False}),
    (
        "+ section periods in BM25",
        {"mode": "hybrid", "rewrite": True, "periods": True, "bonus": False},
    ),
    (
        "+ figure-aware bonus (shipped)",
        {"mode": "hybrid", "rewrite": True, "periods": True, "bonus": True},
    ),
]


def main() -> int:
    """Print the ablation table (markdown) and optionally write JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    index_dir = args.index or Path(tempfile.mkdtemp(prefix="qa-ablation-"))
    system = QA(Settings.from_env(index_dir=index_dir))
    system.warm_up()
    sets = {name: load(path) for name, path in SETS.items() if path.exists()}
    results: dict[str, Any] = {}
    header = (
        "| variant | "
        + " | ".join(f"{s} hit@1 | {s} hit@3 | {s} hit@5" for s in sets)
        + " | chars@3 |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, switches in VARIANTS:
        with variant(system, **switches) as rewrite:  # type: ignore[arg-type]
            row = {s: hits(system, qs, str(switches["mode"]), rewrite) for s, qs in sets.items()}
        results[name] = row
        cells = [f"{r['hit@1']:.3f} | {r['hit@3']:.3f} | {r['hit@5']:.3f}" for r in row.values()]
        print(f"| {name} | " + " | ".join(cells) + f" | {next(iter(row.values()))['chars@3']} |")
    results["timing"] = timing(system, sets["gold"])
    print(
        f"\nretrieval alone p50 {results['timing']['retrieval_ms_p50']} ms vs embedding "
        f"p50 {results['timing']['embed_ms_p50']} ms"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
