"""Presenting a TAT-QA run: the terminal breakdown, the failure list, report.md with a chart
by answer type, and the JSON payload of `qa eval --json`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.eval.tatqa_eval import (
    ANSWER_SOURCES,
    ANSWER_TYPES,
    Cell,
    TatqaResult,
    breakdown,
    summarize,
)

# Published results on the test split (EM / F1), for context next to ours on dev.
PUBLISHED = (
    ("human experts", 84.1, 90.8),
    ("TAT-LLM 70B", 81.4, 88.4),
    ("TagOp (RoBERTa-large)", 50.1, 58.0),
)
FAILURES_SHOWN = 40


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _cell_text(cell: Cell) -> str:
    return f"{_pct(cell.em)} / {_pct(cell.f1)} ({cell.count})" if cell.count else "–"


def breakdown_rows(results: Sequence[TatqaResult]) -> list[list[str]]:
    """Rows of "EM / F1 (questions)" by answer type, one column per source and "all"."""
    table = breakdown(results)
    return [
        [answer_type] + [_cell_text(table[answer_type][s]) for s in (*ANSWER_SOURCES, "all")]
        for answer_type in (*ANSWER_TYPES, "all")
    ]


def _grid(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def format_summary(results: Sequence[TatqaResult], source: str) -> str:
    """The headline metrics and the type x source breakdown, for the terminal."""
    metrics = summarize(results)
    head = (
        f"TAT-QA {source}: {len(results)} questions — EM {_pct(metrics['em'])}, "
        f"F1 {_pct(metrics['f1'])}, scale accuracy {_pct(metrics['scale_accuracy'])}, "
        f"not stated {_pct(metrics['not_stated'])}%, latency p50 "
        f"{metrics['latency_p50_ms'] or 0:.1f} ms / p95 {metrics['latency_p95_ms'] or 0:.1f} ms"
    )
    header = ["EM / F1 (n)", *ANSWER_SOURCES, "all"]
    return f"{head}\n\n{_grid(header, breakdown_rows(results))}"


def describe(result: TatqaResult) -> str:
    """One failure on one line: what was asked, expected and given."""
    q = result.question
    gold = f"{q.answer} {q.scale}".strip()
    given = f"{result.prediction} {result.predicted_scale}".strip() or "(not stated)"
    return (
        f"[{q.uid[:8]}] {q.answer_type}/{q.answer_from}: {q.question} — gold {gold!s:.80}; "
        f"given {given!s:.80}"
    )


def format_failures(results: Sequence[TatqaResult], limit: int = FAILURES_SHOWN) -> str:
    """The first `limit` questions without an exact match."""
    failed = [r for r in results if r.score.exact_match < 1.0]
    lines = [f"{len(failed)} questions without an exact match (first {min(limit, len(failed))}):"]
    lines += [f"  {describe(r)}" for r in failed[:limit]]
    return "\n".join(lines)


def to_json(
    results: Sequence[TatqaResult], source: str, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """The `qa eval --json` payload for a TAT-QA run."""
    table = breakdown(results)
    return {
        "source": source,
        "questions": len(results),
        **extra,
        "metrics": summarize(results),
        "breakdown": {
            t: {s: {"count": c.count, "em": c.em, "f1": c.f1} for s, c in row.items()}
            for t, row in table.items()
        },
        "failures": [r.to_dict() for r in results if r.score.exact_match < 1.0],
    }


def render_markdown(results: Sequence[TatqaResult], source: str) -> str:
    """report.md: headline, breakdown, published anchors, the chart and the failures."""
    metrics = summarize(results)
    header = ["EM / F1 (n)", *ANSWER_SOURCES, "all"]
    rows = breakdown_rows(results)
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    anchors = ["| system (test split) | EM | F1 |", "|---|---|---|"]
    anchors += [f"| {name} | {em} | {f1} |" for name, em, f1 in PUBLISHED]
    failures = [f"- {describe(r)}" for r in results if r.score.exact_match < 1.0]
    return "\n".join(
        [
            f"# TAT-QA evaluation: {source}",
            "",
            f"{len(results)} questions. EM **{_pct(metrics['em'])}**, F1 **{_pct(metrics['f1'])}**,"
            f" scale accuracy {_pct(metrics['scale_accuracy'])}, not stated "
            f"{_pct(metrics['not_stated'])}%, latency p50 {metrics['latency_p50_ms'] or 0:.1f} ms"
            f", p95 {metrics['latency_p95_ms'] or 0:.1f} ms.",
            "",
            *table,
            "",
            "![EM and F1 by answer type](by_type.png)",
            "",
            "Published results, for scale (measured on the test split; ours is dev):",
            "",
            *anchors,
            "",
            f"## Questions without an exact match ({len(failures)})",
            "",
            *failures,
            "",
        ]
    )


def _plot_by_type(path: Path, results: Sequence[TatqaResult]) -> None:
    from matplotlib.figure import Figure as Chart

    table = breakdown(results)
    chart = Chart(figsize=(8, 4.5))
    axes = chart.add_subplot()
    sources = (*ANSWER_SOURCES, "all")
    width = 0.8 / len(sources)
    for index, source in enumerate(sources):
        values = [100 * (table[t][source].em or 0.0) for t in ANSWER_TYPES]
        xs = [i + (index - (len(sources) - 1) / 2) * width for i in range(len(ANSWER_TYPES))]
        bars = axes.bar(xs, values, width=width, label=f"EM, {source}")
        axes.bar_label(bars, fmt="%.0f", fontsize=7)
    axes.set_xticks(range(len(ANSWER_TYPES)), list(ANSWER_TYPES))
    axes.set_ylim(0, 105)
    axes.set_ylabel("exact match (%)")
    axes.set_title("TAT-QA exact match by answer type and source")
    axes.legend(fontsize=8)
    chart.tight_layout()
    chart.savefig(path, dpi=100)


def write_report(directory: Path, results: Sequence[TatqaResult], source: str) -> list[Path]:
    """Write report.md and by_type.png into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown, chart = directory / "report.md", directory / "by_type.png"
    markdown.write_text(render_markdown(results, source), encoding="utf-8")
    _plot_by_type(chart, results)
    return [markdown, chart]
