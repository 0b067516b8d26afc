"""Choose the "not stated" threshold on the gold set, and check it on the dev set.

    .venv/bin/python scripts/calibrate.py [--index DIR]

For each candidate threshold, every question is answered from the same retrieved passages
(retrieval runs once), and the script prints the share of unanswerable questions refused
("not_stated", higher is better) and of answerable questions wrongly refused
("false_not_found", lower is better). The chosen threshold maximises
not_stated - 2 * false_not_found on gold (a wrong refusal costs a user more than a wrong
answer to an unanswerable question that still shows its passages), ties to the lower one.
Put the result in qa/config.py DEFAULT_NOT_STATED_THRESHOLD.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answer.compose import compose_answer  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.index.lexical import rewrite_question  # noqa: E402
from qa.pipeline import QA  # noqa: E402
from qa.retrieval import rank, to_passages  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 13)]


def rates(
    system: QA, rows: list[dict[str, Any]], threshold: float, cache: dict[str, Any]
) -> tuple[float, float]:
    """(not_stated, false_not_found) at one threshold."""
    refused_unanswerable = refused_answerable = unanswerable = answerable = 0
    for row in rows:
        query = rewrite_question(row["q"])
        if query not in cache:
            vector = system.embedder.embed_query(query)
            cache[query] = to_passages(system.index, query, rank(system.index, query, vector), 5)
        found = compose_answer(row["q"], cache[query], threshold=threshold).found
        if row["unanswerable"]:
            unanswerable += 1
            refused_unanswerable += not found
        else:
            answerable += 1
            refused_answerable += not found
    return refused_unanswerable / max(1, unanswerable), refused_answerable / max(1, answerable)


def main() -> int:
    """Print the threshold table and the chosen value."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary one)")
    args = parser.parse_args()
    system = QA(Settings.from_env(index_dir=args.index or Path(tempfile.mkdtemp(prefix="qa-cal-"))))
    system.warm_up()
    sets = {
        name: [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        for name, path in (("gold", ROOT / "eval/gold.jsonl"), ("dev", ROOT / "eval/dev.jsonl"))
        if path.exists()
    }
    cache: dict[str, Any] = {}
    print(
        "| threshold | " + " | ".join(f"{s} not_stated | {s} false_not_found" for s in sets) + " |"
    )
    print("|---|" + "---|---|" * len(sets))
    best: tuple[float, float] | None = None
    for threshold in THRESHOLDS:
        cells = []
        for name, rows in sets.items():
            not_stated, false_nf = rates(system, rows, threshold, cache)
            cells.append(f"{not_stated:.3f} | {false_nf:.3f}")
            if name == "gold":
                utility = not_stated - 2 * false_nf
                if best is None or utility > best[1] + 1e-9:
                    best = (threshold, utility)
        print(f"| {threshold:.2f} | " + " | ".join(cells) + " |")
    if best:
        print(f"\nchosen on gold: {best[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
