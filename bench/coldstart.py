"""Cold start: a new process answering its first question with the index on disk.

Side by side in one run, alternating so all see the same load:
- one-shot `qa ask "..."` (the CLI, a new process each time);
- `python -c "import sentence_transformers"`: what every process paid before questions were
  embedded with ONNX Runtime (the goal: `qa ask` in at most 0.2x of it, and <= 1.5 s);
- the floor `python -c "import onnxruntime, tokenizers, faiss, numpy"`: the libraries a
  question needs, imported and nothing else;
- `from qa import ask; ask(...)` printing its phase times (import, first question).
Then `qa serve` from start to its first JSON `POST /ask` answer (goal <= 4 s) and to its
chat answering, each run next to a one-shot `qa ask` and a `python -c "import gradio"`, and
`qa --help`.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    ChildRun,
    Context,
    Row,
    judged,
    last_json_line,
    median,
    run_child,
)

NAME = "coldstart"
QUESTION = "What was the total revenue?"
GOAL_ASK_S = "<= 1.5"
GOAL_VS_TORCH = "<= 0.2"
GOAL_SERVE_S = "<= 4"
GOAL_HELP_S = "< 1"

API_CHILD = f"""
import json, time
t0 = time.perf_counter()
from qa import ask
t1 = time.perf_counter()
ask({QUESTION!r})
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "first_ask": t2 - t1}}))
"""
FLOOR_IMPORTS = "import onnxruntime, tokenizers, faiss, numpy"
TORCH_IMPORT = "import sentence_transformers"
GRADIO_IMPORT = "import gradio"


def _help_argv(python: str) -> list[str]:
    script = Path(python).parent / "qa"
    return [str(script), "--help"] if script.exists() else [python, "-m", "qa.cli", "--help"]


def _argv(python: str) -> dict[str, list[str]]:
    return {
        "qa_ask": [python, "-m", "qa.cli", "ask", QUESTION],
        "api": [python, "-c", API_CHILD],
        "torch_import": [python, "-c", TORCH_IMPORT],
        "floor": [python, "-c", FLOOR_IMPORTS],
        "gradio_import": [python, "-c", GRADIO_IMPORT],
    }


def json_answers(url: str) -> bool:
    """Whether `POST /ask` (JSON) answers the question now."""
    body = json.dumps({"question": QUESTION}).encode()
    request = urllib.request.Request(
        f"{url}ask", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return bool(reply.status == 200 and json.load(reply)["answer"])
    except OSError:
        return False


def serve_startup(ctx: Context) -> dict[str, float]:
    """Seconds from starting `qa serve` to its first JSON `POST /ask` answer ("json"), to
    the chat's page answering 200 ("page") and to the first answer through Gradio's `/ask`
    with gradio_client connecting ("chat")."""
    from gradio_client import Client

    from bench.server import START_TIMEOUT, free_port, page_ready, running_server

    started = time.perf_counter()
    with running_server(ctx, free_port(), poll=0.02, ready=json_answers) as url:
        times = {"json": time.perf_counter() - started}
        deadline = time.monotonic() + START_TIMEOUT
        while not page_ready(url):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the chat did not load on {url} in {START_TIMEOUT} s")
            time.sleep(0.05)
        times["page"] = time.perf_counter() - started
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        client.predict(QUESTION, 5, api_name="/ask")
        times["chat"] = time.perf_counter() - started
        return times


def serve_rows(ctx: Context, env: dict[str, str], runs: int = 3) -> list[Row]:
    """`qa serve` start-up, each run next to a one-shot `qa ask` and a `python -c "import
    gradio"` (the order rotating, so all three see the same load)."""
    starts: list[dict[str, float]] = []
    neighbours: dict[str, list[float]] = {"qa_ask": [], "gradio_import": []}
    argv = _argv(ctx.python)

    def serve() -> None:
        starts.append(serve_startup(ctx))

    def child(kind: str) -> Callable[[], None]:
        return lambda: neighbours[kind].append(run_child(argv[kind], env=env).wall)

    steps = [serve, child("qa_ask"), child("gradio_import")]
    for run in range(runs):
        for step in steps[run % 3 :] + steps[: run % 3]:
            step()

    def typical(milestone: str) -> float:
        return median([s[milestone] for s in starts])

    def paired(milestone: str, kind: str) -> float:
        pairs = zip(starts, neighbours[kind], strict=True)
        return median([s[milestone] / other for s, other in pairs])

    ask, gradio = median(neighbours["qa_ask"]), median(neighbours["gradio_import"])
    return [
        judged(
            NAME,
            "`qa serve`: start to first `POST /ask` answer (JSON)",
            typical("json"),
            "s",
            goal=GOAL_SERVE_S,
            note=f"median of {runs}; one-shot `qa ask` in the same runs: {ask:.2f} s (ratio "
            f"{paired('json', 'qa_ask'):.2f}, paired); `{GRADIO_IMPORT}`: {gradio:.2f} s",
            extra={"runs": starts, **neighbours},
        ),
        judged(
            NAME,
            "`qa serve`: start to the chat answering (Gradio `/ask`, gradio_client)",
            typical("chat"),
            "s",
            floor=gradio,
            ratio=paired("chat", "gradio_import"),
            note=f"floor: `{GRADIO_IMPORT}`; page 200 at {typical('page'):.2f} s; "
            "ratio = median of paired runs",
        ),
    ]


def run(ctx: Context) -> list[Row]:
    """Alternate the cold processes; then `qa serve` to first answer and `qa --help`."""
    repeats = 5 if ctx.quick else 9
    env = ctx.child_env()
    argv = _argv(ctx.python)
    runs: dict[str, list[ChildRun]] = {kind: [] for kind in argv}
    ctx.log(f"coldstart: {repeats} x ({', '.join(argv)})")
    for repeat in range(repeats):
        for kind in list(argv) if repeat % 2 == 0 else list(reversed(argv)):
            runs[kind].append(run_child(argv[kind], env=env))
    helps = [run_child(_help_argv(ctx.python), env=env) for _ in range(5)]
    bare = [run_child([ctx.python, "-c", "pass"], env=env) for _ in range(5)]

    def wall(kind: str) -> float:
        return median([r.wall for r in runs[kind]])

    def paired(kind: str, base: str, measure: str = "wall") -> float:
        # Neighbouring runs see the same load: the median of their ratios is the steadiest.
        pairs = zip(runs[kind], runs[base], strict=True)
        return median([getattr(a, measure) / getattr(b, measure) for a, b in pairs])

    def versus(
        metric: str, kind: str, base: str, note: str, goal: str = "", measure: str = "wall"
    ) -> Row:
        def typical(name: str) -> float:
            return median([getattr(r, measure) for r in runs[name]])

        return judged(
            NAME,
            metric,
            typical(kind),
            "s",
            floor=typical(base),
            ratio=paired(kind, base, measure),
            goal=goal,
            note=note,
        )

    parsed = [last_json_line(r.stdout) for r in runs["api"]]
    extra: dict[str, object] = {
        "repeats": repeats,
        **{f"{kind}_wall": [r.wall for r in runs[kind]] for kind in argv},
        **{f"{kind}_cpu": [r.cpu for r in runs[kind]] for kind in argv},
        "api_phases": {name: median([p[name] for p in parsed]) for name in parsed[0]},
    }
    return [
        judged(
            NAME,
            "one-shot `qa ask` (wall)",
            wall("qa_ask"),
            "s",
            goal=GOAL_ASK_S,
            note=f"floor `{FLOOR_IMPORTS}`: {wall('floor'):.2f} s "
            f"(ratio {paired('qa_ask', 'floor'):.2f}, paired)",
            extra=extra,
        ),
        versus(
            "one-shot `qa ask` vs `import sentence_transformers` (wall)",
            "qa_ask",
            "torch_import",
            "ratio = median of paired runs",
            GOAL_VS_TORCH,
        ),
        versus(
            "one-shot `qa ask` (CPU)",
            "qa_ask",
            "torch_import",
            "user + system CPU against the sentence-transformers import's: insensitive "
            "to the neighbours' load",
            GOAL_VS_TORCH,
            measure="cpu",
        ),
        versus(
            "`from qa import ask; ask(...)` in a new process (wall)",
            "api",
            "floor",
            "floor: the question path's libraries imported bare",
        ),
        *serve_rows(ctx, env, runs=3 if ctx.quick else 5),
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
    print(run_child([sys.executable, "-c", API_CHILD]).stdout)
