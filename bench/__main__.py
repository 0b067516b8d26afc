"""`python -m bench`: run the benchmarks, print the table, write JSON.

python -m bench                      everything (1M vectors in the scale part: long)
python -m bench --quick              fewer repeats, 100k vectors only (a few minutes)
python -m bench --only latency       one benchmark (repeatable, or comma-separated)
python -m bench --json PATH          where the JSON goes (default bench/results/latest.json)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import build, coldstart, latency, scale, server
from bench.common import ROOT, Context, Row, workspace

BENCHMARKS: dict[str, Callable[[Context], list[Row]]] = {
    latency.NAME: latency.run,
    coldstart.NAME: coldstart.run,
    build.NAME: build.run,
    scale.NAME: scale.run,
    server.NAME: server.run,
}
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 100k vectors only")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only these benchmarks ({', '.join(BENCHMARKS)}); repeatable",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="results file")
    parser.add_argument("--workdir", type=Path, help="keep scratch files here (default: temp)")
    args = parser.parse_args(argv)
    chosen = [n.strip() for item in args.only or [] for n in item.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    args.names = chosen or list(BENCHMARKS)
    return args


def format_table(rows: list[Row]) -> str:
    """A Markdown table: metric, value, floor, ratio, goal, met."""
    lines = [
        "| bench | metric | value | floor | ratio | goal | met |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        goal = row.goal + ("" if not row.goal or row.floor else f" {row.unit}".rstrip())
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(
            f"| {row.bench} | {row.metric} | {_num(row.value)} {row.unit} | "
            f"{_num(row.floor) + ' ' + row.unit if row.floor else ''} | "
            f"{_num(row.ratio) if row.ratio is not None else ''} | {goal} | {met} |"
        )
    return "\n".join(lines)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("torch", "sentence-transformers", "faiss-cpu", "gradio", "numpy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    return found


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return done.stdout.strip()
    except OSError:
        return ""


def _write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    results: dict[str, Any] = {
        "quick": args.quick,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "versions": _versions(),
        "benchmarks": {},
    }
    rows: list[Row] = []
    failed = []
    with workspace(args.workdir) as folder:
        ctx = Context(quick=args.quick, workdir=folder)
        for name in args.names:
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            try:
                found = BENCHMARKS[name](ctx)
                error = ""
            except Exception as problem:  # report and go on with the other benchmarks
                found, error = [], f"{type(problem).__name__}: {problem}"
                failed.append(name)
                ctx.log(f"{name} failed: {error}")
            rows += found
            results["benchmarks"][name] = {
                "seconds": round(time.perf_counter() - started, 1),
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "error": error,
                "rows": [row.to_dict() for row in found],
            }
            _write(args.json, results)  # after each benchmark: a long run keeps what it has
    table = format_table(rows)
    print(table)
    loads = {n: b["load_average"] for n, b in results["benchmarks"].items()}
    print(f"\n1-minute load average (before, after) on {os.cpu_count()} CPUs: {loads}")
    _write(args.json, results)
    print(f"results: {args.json}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
