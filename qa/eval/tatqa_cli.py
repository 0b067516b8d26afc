"""`qa eval FILE.json` on a TAT-QA file: write the reports, index them, ask, score, report.

    qa eval ../shared/tatqa/tatqa_dataset_dev.json [--offset N] [--limit N] [--json] [--report DIR]
            [--predictions FILE] [--work DIR] [--min em=0.1 ...] [--max not_stated=0.4 ...]

The reports and their index live in a work folder named after the input file's hash (and the
limit), so a second run on an unchanged file reuses the built index and only asks again.
Exit status: 0 ok, 1 a metric missed its --min/--max, 2 bad arguments or file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from qa.config import Settings, SettingsError
from qa.eval.metrics import Threshold, ThresholdError, parse_threshold
from qa.eval.tatqa import (
    TatqaError,
    TatqaQuestion,
    load_tatqa,
    slice_name,
    work_folder,
    write_corpus,
)
from qa.eval.tatqa_eval import (
    TATQA_METRICS,
    breakdown_metrics,
    predictions,
    run_questions,
    summarize,
)
from qa.eval.tatqa_report import format_failures, format_summary, to_json, write_report


def _thresholds(args: argparse.Namespace) -> list[Threshold]:
    # Every type x source cell ("em:span:table") is a higher-is-better metric too.
    known = dict(TATQA_METRICS)
    known.update({name: True for name in breakdown_metrics(())})
    thresholds = [parse_threshold(t, "min", known) for t in args.min]
    return thresholds + [parse_threshold(t, "max", known) for t in args.max]


def _tqdm(items: Iterable[TatqaQuestion], label: str, total: int) -> Iterable[TatqaQuestion]:
    from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

    bar: Iterable[TatqaQuestion] = tqdm(items, desc=label, total=total, unit="q", file=sys.stderr)
    return bar


def run_tatqa(args: argparse.Namespace) -> int:
    """Run `qa eval` on a TAT-QA file (arguments parsed by qa.eval.evaluate); the exit status."""
    try:
        if args.k < 1:
            raise ThresholdError(f"-k must be at least 1, got {args.k}")
        if args.limit is not None and args.limit < 1:
            raise ThresholdError(f"--limit must be at least 1, got {args.limit}")
        if args.offset < 0:
            raise ThresholdError(f"--offset must be at least 0, got {args.offset}")
        thresholds = _thresholds(args)
        contexts = load_tatqa(args.gold, args.limit, args.offset)
    except (TatqaError, ThresholdError) as exc:
        print(f"qa eval: error: {exc}", file=sys.stderr)
        return 2
    from qa.pipeline import QA  # the model stack loads only when there is work to do

    work: Path = work_folder(args.gold, args.limit, args.work, args.offset)
    written = write_corpus(contexts, work / "corpus")
    try:
        settings = Settings.from_env().with_(corpus_dir=work / "corpus", index_dir=work / "index")
    except SettingsError as exc:
        print(f"qa eval: error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    system = QA(settings).warm_up()
    ready = time.perf_counter() - started
    print(
        f"qa eval: {len(contexts)} reports in {work} ({written} written), index ready in "
        f"{ready:.1f} s",
        file=sys.stderr,
    )
    results = run_questions(system, contexts, args.k, progress=_tqdm if not args.json else None)
    chosen = slice_name(args.limit, args.offset)
    source = str(args.gold) + ("" if chosen == "all" else f" (contexts {chosen})")
    if args.json:
        extra = {"work": str(work), "index_seconds": round(ready, 2)}
        print(json.dumps(to_json(results, source, extra), indent=2, ensure_ascii=False))
    else:
        print(format_summary(results, source))
        print()
        print(format_failures(results))
    if args.predictions is not None:
        args.predictions.parent.mkdir(parents=True, exist_ok=True)
        args.predictions.write_text(json.dumps(predictions(results), ensure_ascii=False))
        print(f"wrote {args.predictions}", file=sys.stderr)
    if args.report is not None:
        for path in write_report(args.report, results, source):
            print(f"wrote {path}", file=sys.stderr)
    measured = {**summarize(results), **breakdown_metrics(results)}
    violations = [m for t in thresholds if (m := t.violation(measured)) is not None]
    for message in violations:
        print(f"qa eval: {message}", file=sys.stderr)
    return 1 if violations else 0
