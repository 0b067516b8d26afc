"""What every benchmark shares: the result row, robust statistics, a scratch workspace with
its own index (never the user's `index/`), and child-process helpers.

Absolute times on a shared 2-core machine swing with the neighbours' load, so every metric is
reported next to a floor measured in the same run, interleaved with it, and judged by the ratio.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
GOLD_FILE = ROOT / "eval" / "gold.jsonl"
# Children inherit this environment: offline, no analytics, no tokenizer thread pool.
CHILD_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


@dataclass(frozen=True)
class Row:
    """One line of the results table.

    `goal` reads like "<= 1.3" / ">= 0.9" / "< 1.0" and applies to `ratio` when `floor` is set,
    else to `value`; `met` is None for rows that are context (no goal).
    """

    bench: str
    metric: str
    value: float
    unit: str
    floor: float | None = None
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def judged(
    bench: str,
    metric: str,
    value: float,
    unit: str,
    *,
    floor: float | None = None,
    goal: str = "",
    note: str = "",
    extra: dict[str, Any] | None = None,
    ratio: float | None = None,
) -> Row:
    """A row with its ratio (value / floor unless given, e.g. a median of paired ratios) and
    whether the goal is met.

    >>> judged("x", "latency", 13.0, "ms", floor=10.0, goal="<= 1.3").met
    True
    >>> judged("x", "help", 1.5, "s", goal="< 1").met
    False
    """
    if ratio is None and floor:
        ratio = value / floor
    subject = ratio if ratio is not None else value
    met = meets(subject, goal) if goal else None
    return Row(bench, metric, value, unit, floor, ratio, goal, met, note, extra or {})


def meets(value: float, goal: str) -> bool:
    """Check `value` against a goal such as "<= 1.3", ">= 0.9", "< 1".

    >>> meets(0.95, ">= 0.95"), meets(5.1, "<= 5")
    (True, False)
    """
    op, _, bound = goal.partition(" ")
    limit = float(bound)
    checks: dict[str, Callable[[float, float], bool]] = {
        "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b,
        ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b,
    }
    if op not in checks:
        raise ValueError(f"goal must look like '<= 1.3', got {goal!r}")
    return checks[op](value, limit)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in 0..100.

    >>> percentile([1, 2, 3, 4], 50), percentile([5.0], 95)
    (2.5, 5.0)
    """
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """The median (raises on no values)."""
    return float(statistics.median(values))


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of `fn` takes (perf_counter)."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def gold_questions(limit: int | None = None) -> list[str]:
    """The questions of eval/gold.jsonl, in file order (distinct, first `limit`)."""
    seen: dict[str, None] = {}
    for line in GOLD_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            seen.setdefault(json.loads(line)["q"], None)
    questions = list(seen)
    return questions[:limit] if limit else questions


@dataclass
class Context:
    """Run-wide options and the scratch folder every benchmark writes into."""

    quick: bool
    workdir: Path
    python: str = sys.executable
    log: Callable[[str], None] = field(default=lambda message: print(message, file=sys.stderr))
    # An index of the real corpus built with the real model; built on first use when None.
    index: Path | None = None

    def child_env(self, **extra: str) -> dict[str, str]:
        """The environment for child processes: ours without any `QA_*` setting (defaults
        are what is measured), offline, pointing at the scratch index. A stale index is an
        error, not a silent rebuild inside a timed run."""
        env = base_env()
        env["QA_INDEX_DIR"] = str(self.index_dir())
        env["QA_AUTO_REBUILD"] = "0"
        env.update(extra)
        return env

    def index_dir(self) -> Path:
        """A scratch index of the real corpus, built once per run (the user's index/ is
        never touched)."""
        if self.index is None:
            folder = self.workdir / "index"
            self.log(f"building the scratch index in {folder} ...")
            run_child(
                [self.python, "-m", "qa.cli", "index", "--index", str(folder)],
                env=base_env(),
                timeout=900,
            )
            self.index = folder
        return self.index


def base_env() -> dict[str, str]:
    """os.environ without `QA_*` variables, plus CHILD_ENV and the real corpus."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    return {**env, **CHILD_ENV, "QA_CORPUS_DIR": str(CORPUS_DIR)}


@contextmanager
def workspace(keep: Path | None = None) -> Iterator[Path]:
    """A scratch folder for one run (deleted afterwards unless `keep` names one)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as folder:
        yield Path(folder)


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: wall seconds, CPU seconds (user + system, all its threads)
    and what it printed."""

    wall: float
    cpu: float
    stdout: str


def run_child(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 300
) -> ChildRun:
    """Run a child process to completion (one at a time: CPU time is read from this process's
    finished-children counters). Fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv[:4])} ... exited {done.returncode}: {done.stderr.strip()[-2000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ChildRun(seconds, cpu, done.stdout)


def last_json_line(text: str) -> dict[str, Any]:
    """The last line of a child's stdout that parses as a JSON object."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            value = json.loads(line)
            if isinstance(value, dict):
                return value
    raise ValueError(f"no JSON line in child output: {text[-500:]!r}")
