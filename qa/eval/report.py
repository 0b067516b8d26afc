"""Presenting evaluation results: a terminal table, a failure list, report.md and two PNGs.

Charts use matplotlib's object API (`matplotlib.figure.Figure`, rendered by Agg) rather than
pyplot, so no global state or display backend is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qa.eval.metrics import METRICS, RATE_METRICS, EvalResult, QuestionResult

PASSAGE_PREVIEW_CHARS = 90
LATENCY_BINS = 30


def format_value(value: float | None) -> str:
    """A metric as printed: rates to 3 decimals, larger numbers to 1.

    >>> format_value(0.9), format_value(412.25), format_value(None)
    ('0.900', '412.2', 'n/a')
    """
    if value is None:
        return "n/a"
    return f"{value:.3f}" if abs(value) <= 1.0 else f"{value:.1f}"


def format_delta(ours: float | None, base: float | None) -> str:
    """Full minus baseline, signed, at the precision `format_value` uses.

    >>> format_delta(0.95, 0.8), format_delta(350.0, 990.0), format_delta(None, 0.5)
    ('+0.150', '-640.0', '')
    """
    if ours is None or base is None:
        return ""
    diff = ours - base
    return f"{diff:+.3f}" if max(abs(ours), abs(base)) <= 1.0 else f"{diff:+.1f}"


def _rows(full: EvalResult, baseline: EvalResult | None) -> list[list[str]]:
    rows = []
    for spec in METRICS:
        row = [spec.name, format_value(full.metrics[spec.name])]
        if baseline is not None:
            base = baseline.metrics[spec.name]
            row += [format_value(base), format_delta(full.metrics[spec.name], base)]
        rows.append([*row, ("↑ " if spec.higher_is_better else "↓ ") + spec.description])
    return rows


def _header(baseline: EvalResult | None) -> list[str]:
    return ["metric", "full"] + (["baseline", "Δ"] if baseline else []) + ["(better) meaning"]


def format_table(full: EvalResult, baseline: EvalResult | None = None) -> str:
    """The metrics as an aligned text table, with the baseline and the difference if given."""
    rows = [_header(baseline), *_rows(full, baseline)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for number, row in enumerate(rows):
        numbers = [c.rjust(w) for c, w in zip(row[1:-1], widths[1:], strict=True)]
        lines.append("  ".join([row[0].ljust(widths[0]), *numbers, row[-1]]))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 16)
    answerable = sum(not r.unanswerable for r in full.results)
    lines.append(
        f"{len(full.results)} questions: {answerable} answerable, "
        f"{len(full.results) - answerable} unanswerable"
    )
    return "\n".join(lines)


def _preview(text: str, limit: int = PASSAGE_PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe_failure(result: QuestionResult) -> str:
    """One failure in two lines: what failed and why, then the top passage's start."""
    rank = "no hit in top 10" if result.hit_rank is None else f"hit at rank {result.hit_rank}"
    if result.unanswerable:
        rank = "unanswerable"
    given = _preview(result.answer, 60) if result.found else "(not stated)"
    return (
        f"[{result.id}] {result.question}\n"
        f"    failed: {', '.join(result.failed())}; {rank}; expected {result.expected!r}; "
        f"answered {given!r}\n"
        f"    top passage: {_preview(result.top_passage)!r}"
    )


def format_failures(result: EvalResult) -> str:
    """Every failed question of one run, or a line saying there were none."""
    failures = result.failures()
    if not failures:
        return f"{result.label}: no failures"
    body = "\n".join(describe_failure(r) for r in failures)
    return f"{result.label}: {len(failures)} questions with failures\n{body}"


def _align(column: int, columns: int) -> str:
    return "---" if column in (0, columns - 1) else "---:"


def render_markdown(full: EvalResult, baseline: EvalResult | None, gold: Path, k: int) -> str:
    """report.md: the command, the metrics table (full vs baseline) and the failures."""
    header = _header(baseline)
    lines = [
        "# Evaluation report",
        "",
        f"`qa eval {gold} -k {k}` on {len(full.results)} gold questions.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(_align(i, len(header)) for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(full, baseline)]
    lines += ["", "![metrics](metrics.png)", "", "![latency](latency.png)", ""]
    for run in (full, baseline):
        if run is None:
            continue
        lines += [f"## Failures: {run.label} ({len(run.failures())})", ""]
        for r in run.failures():
            given = _preview(r.answer, 80) if r.found else "(not stated)"
            lines.append(
                f"- **{r.id}** {r.question} — failed `{', '.join(r.failed())}`; "
                f"hit rank {r.hit_rank or '–'}; expected `{r.expected}`; answered “{given}”; "
                f"top passage: “{_preview(r.top_passage)}”"
            )
        lines.append("")
    return "\n".join(lines)


def _plot_metrics(path: Path, runs: Sequence[EvalResult]) -> None:
    from matplotlib.figure import Figure as Chart

    chart = Chart(figsize=(9, 4.5))
    axes = chart.add_subplot()
    width = 0.8 / len(runs)
    for index, run in enumerate(runs):
        values = [run.metrics[name] or 0.0 for name in RATE_METRICS]
        xs = [i + (index - (len(runs) - 1) / 2) * width for i in range(len(RATE_METRICS))]
        bars = axes.bar(xs, values, width=width, label=run.label)
        axes.bar_label(bars, fmt="%.2f", fontsize=7)
    axes.set_xticks(range(len(RATE_METRICS)), list(RATE_METRICS), rotation=30, ha="right")
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("rate")
    axes.set_title("Gold-set metrics (false_not_found: lower is better)")
    axes.legend()
    chart.tight_layout()
    chart.savefig(path, dpi=100)


def _plot_latency(path: Path, runs: Sequence[EvalResult]) -> None:
    from matplotlib.figure import Figure as Chart

    chart = Chart(figsize=(7, 4))
    axes = chart.add_subplot()
    everything = [r.latency_ms for run in runs for r in run.results]
    low, high = min(everything), max(everything)
    edges = [low + (high - low) * i / LATENCY_BINS for i in range(LATENCY_BINS + 1)]
    for run in runs:  # shared bin edges, so the runs compare bar for bar
        latencies = [r.latency_ms for r in run.results]
        axes.hist(latencies, bins=edges if high > low else 1, alpha=0.6, label=run.label)
    axes.set_xlabel("latency per question (ms)")
    axes.set_ylabel("questions")
    axes.set_title("Latency distribution")
    axes.legend()
    chart.tight_layout()
    chart.savefig(path, dpi=100)


def write_report(
    directory: Path, full: EvalResult, baseline: EvalResult | None, gold: Path, k: int
) -> list[Path]:
    """Write report.md, metrics.png and latency.png into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    runs = [full] + ([baseline] if baseline is not None else [])
    markdown, metrics_png, latency_png = (
        directory / "report.md",
        directory / "metrics.png",
        directory / "latency.png",
    )
    markdown.write_text(render_markdown(full, baseline, gold, k), encoding="utf-8")
    _plot_metrics(metrics_png, runs)
    _plot_latency(latency_png, runs)
    return [markdown, metrics_png, latency_png]
