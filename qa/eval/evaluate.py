"""`qa eval`: run the gold questions through the system and report the metrics.

    qa eval [GOLD.jsonl] [-k N] [--json] [--report DIR] [--min METRIC=VALUE ...]
            [--max METRIC=VALUE ...] [--baseline | --no-baseline]

The full pipeline runs with `Settings.from_env()`; the baseline (whole paragraphs, dense
retrieval only, no figures) runs in the same process with its own index folder next to the
main one, so the report shows what chunking, hybrid retrieval and figures each buy.
Exit status: 0 ok, 1 a metric missed its --min/--max, 2 bad arguments or gold file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from qa.config import Settings, SettingsError
from qa.eval import report
from qa.eval.metrics import (
    EvalResult,
    GoldFigure,
    GoldItem,
    ThresholdError,
    parse_threshold,
    score_answer,
    summarize,
)
from qa.eval.tatqa import looks_like_tatqa
from qa.types import Answer

DEFAULT_GOLD = Path("eval/gold.jsonl")
# Passages requested per question: 10, so that MRR@10 sees ten passages.
DEFAULT_EVAL_K = 10
GOLD_KEYS = frozenset({"id", "q", "evidence", "figure", "unanswerable"})
# Keys a gold line must have; the others default (no evidence, no figure, answerable).
REQUIRED_GOLD_KEYS = frozenset({"id", "q"})
DEFAULT_TATQA_WORK = Path("eval/work")


class GoldError(ValueError):
    """The gold file is missing or a line of it is malformed."""


class System(Protocol):
    """Anything that answers questions: `qa.pipeline.QA`, or a fake in tests."""

    def ask(self, question: str, k: int) -> Answer: ...


def _parse_gold_figure(figure: Any, where: str) -> GoldFigure:
    shape = f'{where}: \'figure\' must be null or {{"value": number, "unit": string}}'
    if not isinstance(figure, dict) or set(figure) != {"value", "unit"}:
        raise GoldError(shape)
    value, unit = figure["value"], figure["unit"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not isinstance(unit, str):
        raise GoldError(shape)
    return GoldFigure(float(value), unit)


def _warn_stderr(message: str) -> None:
    print(f"qa eval: warning: {message}", file=sys.stderr)


def _parse_gold_line(obj: Any, where: str, warn: Callable[[str], None]) -> GoldItem:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing, extra = REQUIRED_GOLD_KEYS - obj.keys(), obj.keys() - GOLD_KEYS
    if missing:
        raise GoldError(f"{where}: missing keys {sorted(missing)}")
    if extra:
        warn(f"{where}: unknown keys {sorted(extra)} ignored")
    qid, question = obj["id"], obj["q"]
    evidence, figure = obj.get("evidence", []), obj.get("figure")
    unanswerable = obj.get("unanswerable", False)
    for key, value in (("id", qid), ("q", question)):
        if not isinstance(value, str) or not value.strip():
            raise GoldError(f"{where}: {key!r} must be a non-empty string")
    if not isinstance(evidence, list) or not all(isinstance(e, str) and e for e in evidence):
        raise GoldError(f"{where}: 'evidence' must be a list of non-empty strings")
    if not isinstance(unanswerable, bool):
        raise GoldError(f"{where}: 'unanswerable' must be true or false")
    gold_figure = None if figure is None else _parse_gold_figure(figure, where)
    if unanswerable and (evidence or gold_figure):
        raise GoldError(f"{where}: an unanswerable question has no evidence and no figure")
    if not unanswerable and not evidence:
        raise GoldError(f"{where}: an answerable question needs at least one evidence string")
    return GoldItem(qid, question, tuple(evidence), gold_figure, unanswerable)


def load_gold(path: Path, warn: Callable[[str], None] = _warn_stderr) -> list[GoldItem]:
    """Read a gold JSONL file; GoldError names the file and line of the first problem.

    A line without "unanswerable" is answerable, without "figure" has no gold figure, and
    unknown keys are reported through `warn` and ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldError(f"{path}: gold file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from None
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        item = _parse_gold_line(obj, where, warn)
        if item.id in seen:
            raise GoldError(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        items.append(item)
    if not items:
        raise GoldError(f"{path}: no questions in gold file")
    return items


Progress = Callable[[Iterable[GoldItem], str, int], Iterable[GoldItem]]


def _no_progress(items: Iterable[GoldItem], label: str, total: int) -> Iterable[GoldItem]:
    return items


def evaluate(
    system: System,
    gold: Sequence[GoldItem],
    k: int = DEFAULT_EVAL_K,
    label: str = "full",
    progress: Progress = _no_progress,
    clock: Callable[[], float] = time.perf_counter,
) -> EvalResult:
    """Ask every gold question, timing each `ask` by wall clock, and compute the metrics.

    The embedder's question cache is cleared first: systems sharing one model (full and
    baseline) would otherwise time the second one on cached question vectors.
    """
    clear = getattr(getattr(system, "embedder", None), "clear_cache", None)
    if callable(clear):
        clear()
    results = []
    for item in progress(gold, label, len(gold)):
        started = clock()
        answer = system.ask(item.q, k=k)
        latency_ms = (clock() - started) * 1000.0
        results.append(score_answer(item, answer, latency_ms))
    return EvalResult(label, MappingProxyType(summarize(results)), tuple(results))


def baseline_settings(settings: Settings) -> Settings:
    """The plain baseline: whole paragraphs, dense only, no figures, its own index folder."""
    return settings.with_(
        chunker="paragraph",
        retrieval="dense",
        use_figures=False,
        index_dir=Path(str(settings.index_dir) + "-baseline"),
    )


def build_systems(settings: Settings, baseline: bool = True) -> list[tuple[str, System]]:
    """The full pipeline and, if asked, the baseline, sharing one embedding model.

    Both are warmed up (model loaded, index opened or built) before any question is timed, so
    the latency figures measure answering, not loading. `qa.pipeline` is imported here so
    that `qa.eval.evaluate` loads without the model stack.
    """
    from qa.pipeline import QA

    full = QA(settings).warm_up()
    systems: list[tuple[str, System]] = [("full", full)]
    if baseline:
        base = QA(baseline_settings(settings), embedder=full.embedder).warm_up()
        systems.append(("baseline", base))
    return systems


def _tqdm_progress(items: Iterable[GoldItem], label: str, total: int) -> Iterable[GoldItem]:
    from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

    bar: Iterable[GoldItem] = tqdm(items, desc=label, total=total, unit="q", file=sys.stderr)
    return bar


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa eval", description="Evaluate the QA system on a gold question set."
    )
    parser.add_argument(
        "gold",
        nargs="?",
        type=Path,
        default=DEFAULT_GOLD,
        help=f"gold JSONL file (default {DEFAULT_GOLD})",
    )
    parser.add_argument(
        "-k",
        type=int,
        default=DEFAULT_EVAL_K,
        help=f"passages per question (default {DEFAULT_EVAL_K})",
    )
    parser.add_argument("--json", action="store_true", help="print metrics and failures as JSON")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write report.md, metrics.png and latency.png to DIR",
    )
    parser.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC is below VALUE (repeatable)",
    )
    parser.add_argument(
        "--max",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 when METRIC is above VALUE (repeatable)",
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the paragraph/dense/no-figures baseline (gold JSONL only)",
    )
    tatqa = parser.add_argument_group("TAT-QA files (a JSON list of table+paragraphs contexts)")
    tatqa.add_argument(
        "--predictions",
        type=Path,
        metavar="FILE",
        help="write {uid: [answer, scale]} as the benchmark's evaluation script reads it",
    )
    tatqa.add_argument("--limit", type=int, metavar="N", help="only N contexts")
    tatqa.add_argument(
        "--offset", type=int, default=0, metavar="N", help="skip the first N contexts"
    )
    tatqa.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_TATQA_WORK,
        metavar="DIR",
        help=f"keeps the reports and their index between runs (default {DEFAULT_TATQA_WORK})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `qa eval`; returns the exit status (0 ok, 1 below a threshold, 2 usage error)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error (or --help)
        return exc.code if isinstance(exc.code, int) else 2
    if looks_like_tatqa(args.gold):
        from qa.eval.tatqa_cli import run_tatqa

        return run_tatqa(args)
    if args.predictions is not None or args.limit is not None or args.offset:
        print(
            "qa eval: error: --predictions, --limit and --offset apply to TAT-QA files",
            file=sys.stderr,
        )
        return 2
    try:
        if args.k < 1:
            raise ThresholdError(f"-k must be at least 1, got {args.k}")
        thresholds = [parse_threshold(t, "min") for t in args.min]
        thresholds += [parse_threshold(t, "max") for t in args.max]
        gold = load_gold(args.gold)
    except (GoldError, ThresholdError) as exc:
        print(f"qa eval: error: {exc}", file=sys.stderr)
        return 2

    try:
        systems = build_systems(Settings.from_env(), args.baseline)
    except (SettingsError, ImportError) as exc:
        print(f"qa eval: error: cannot build the system: {exc}", file=sys.stderr)
        return 2
    progress: Progress = _no_progress if args.json else _tqdm_progress
    results = [evaluate(system, gold, args.k, label, progress) for label, system in systems]
    full, baseline = results[0], (results[1] if len(results) > 1 else None)

    if args.json:
        payload = {
            "gold": str(args.gold),
            "k": args.k,
            "full": full.to_dict(),
            "baseline": baseline.to_dict() if baseline else None,
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(report.format_table(full, baseline))
        print()
        print(report.format_failures(full))
    if args.report is not None:
        for path in report.write_report(args.report, full, baseline, args.gold, args.k):
            print(f"wrote {path}", file=sys.stderr)

    violations = [m for t in thresholds if (m := t.violation(full.metrics)) is not None]
    for message in violations:
        print(f"qa eval: {message}", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
