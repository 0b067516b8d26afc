"""The gold-set report (qa/eval/report.py): the terminal table against the baseline, the
failures, report.md and its charts, on a fake system's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

import qa.eval.evaluate as ev
from qa.eval.metrics import METRIC_NAMES
from qa.eval.report import (
    describe_failure,
    format_delta,
    format_failures,
    format_table,
    format_value,
    render_markdown,
    write_report,
)

from .eval_helpers import NA_GOLD, REV_GOLD, fake_system


def test_table_and_failures_are_readable() -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    table = format_table(full, full)
    assert all(name in table for name in METRIC_NAMES)
    assert "baseline" in table and "+0.000" in table
    failures = format_failures(full)
    assert "[na] Dividend per share?" in failures and "failed: not_stated" in failures


def test_write_report_writes_markdown_and_two_pngs(tmp_path: Path) -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    paths = write_report(tmp_path / "out", full, full, Path("eval/gold.jsonl"), 10)
    assert [p.name for p in paths] == ["report.md", "metrics.png", "latency.png"]
    assert all(p.stat().st_size > 1000 for p in paths[1:])
    assert paths[1].read_bytes().startswith(b"\x89PNG")
    markdown = paths[0].read_text(encoding="utf-8")
    assert "| hit@1 | 1.000 | 1.000 | +0.000 |" in markdown and "**na**" in markdown


@pytest.mark.parametrize(
    ("ours", "base", "value", "delta"),
    [
        (0.9, 0.8, "0.900", "+0.100"),
        (1.0, 1.0, "1.000", "+0.000"),
        (412.25, 990.0, "412.2", "-577.8"),  # milliseconds and characters to one decimal
        (None, 0.5, "n/a", ""),
        (0.5, None, "0.500", ""),
    ],
)
def test_values_and_deltas_are_printed_at_their_precision(
    ours: float | None, base: float | None, value: str, delta: str
) -> None:
    assert (format_value(ours), format_delta(ours, base)) == (value, delta)


def test_the_table_without_a_baseline_has_no_baseline_columns() -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    table = format_table(full)
    assert "baseline" not in table and "Δ" not in table
    assert table.splitlines()[-1] == "2 questions: 1 answerable, 1 unanswerable"


def test_a_failure_says_what_failed_what_was_expected_and_the_top_passage() -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    (failure,) = full.failures()
    lines = describe_failure(failure).splitlines()
    assert lines[0] == "[na] Dividend per share?"
    assert "failed: not_stated; unanswerable; expected '(not stated)'" in lines[1]
    assert lines[2].startswith("    top passage: 'SenseTime continued to lead")
    clean = ev.evaluate(fake_system(), [REV_GOLD], label="clean")
    assert format_failures(clean) == "clean: no failures"


def test_the_markdown_report_names_the_command_and_each_runs_failures() -> None:
    full = ev.evaluate(fake_system(), [REV_GOLD, NA_GOLD], label="full")
    markdown = render_markdown(full, None, Path("eval/gold.jsonl"), 5)
    assert "`qa eval eval/gold.jsonl -k 5` on 2 gold questions." in markdown
    assert "## Failures: full (1)" in markdown and "baseline" not in markdown
    assert "![metrics](metrics.png)" in markdown and "![latency](latency.png)" in markdown
