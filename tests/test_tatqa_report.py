"""A TAT-QA run presented (qa/eval/tatqa_report.py): the terminal breakdown, the failures,
the `--json` payload and report.md with its chart, on the two-report sample answered by a
stand-in asker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.eval.tatqa import load_tatqa
from qa.eval.tatqa_eval import TatqaResult, run_questions
from qa.eval.tatqa_report import (
    breakdown_rows,
    describe,
    format_failures,
    format_summary,
    to_json,
    write_report,
)
from qa.types import Answer

from .eval_helpers import SAMPLE, TableAsker


def test_report_writes_markdown_and_chart(tmp_path: Path) -> None:
    results = run_questions(TableAsker({}), load_tatqa(SAMPLE), k=5)
    paths = write_report(tmp_path / "report", results, "sample")
    assert [p.name for p in paths] == ["report.md", "by_type.png"]
    markdown = paths[0].read_text(encoding="utf-8")
    assert "TagOp" in markdown and "![EM and F1 by answer type](by_type.png)" in markdown
    assert paths[1].read_bytes().startswith(b"\x89PNG")


@pytest.fixture
def results() -> list[TatqaResult]:
    """The sample's 12 questions; two answered right (a span and a multi-span), one wrong."""
    first = load_tatqa(SAMPLE)[0].questions
    asker = TableAsker(
        {
            first[1].question: Answer("", "", True, value=1.4965e9, unit="USD", scale="million"),
            first[2].question: Answer(
                "", "", True, value=("fixed-price type", "cost-plus type", "time-and-material type")
            ),
            first[4].question: Answer("", "", True, value=12.6e6, unit="USD", scale="million"),
        }
    )
    return run_questions(asker, load_tatqa(SAMPLE), k=5)


def test_the_summary_leads_with_the_headline_metrics(results: list[TatqaResult]) -> None:
    head, _, grid = format_summary(results, "sample").partition("\n\n")
    assert head.startswith("TAT-QA sample: 12 questions — EM 16.7, F1 ")
    assert "not stated 75.0%" in head
    assert grid.splitlines()[0].split() == ["EM", "/", "F1", "(n)", "text", "table",
                                            "table-text", "all"]  # fmt: skip


def test_breakdown_rows_give_em_f1_and_count_per_type_and_source(
    results: list[TatqaResult],
) -> None:
    rows = {row[0]: row[1:] for row in breakdown_rows(results)}
    assert list(rows) == ["span", "multi-span", "arithmetic", "count", "all"]
    assert rows["all"][-1].endswith("(12)")
    assert rows["multi-span"] == ["100.0 / 100.0 (1)", "–", "0.0 / 0.0 (2)", "33.3 / 33.3 (3)"]
    assert "–" in rows["count"]  # a type the sample does not ask shows a dash


def test_a_failure_is_one_line_with_gold_and_given(results: list[TatqaResult]) -> None:
    wrong = results[4]  # the sign of a decrease: gold -12.6 million
    line = describe(wrong)
    assert line.startswith(f"[{wrong.question.uid[:8]}] arithmetic/")
    assert "gold -12.6 million; given 12.6 million" in line
    unanswered = describe(results[0])
    assert unanswered.endswith("given (not stated)")


def test_failures_are_counted_and_cut_at_the_limit(results: list[TatqaResult]) -> None:
    lines = format_failures(results, limit=3).splitlines()
    assert lines[0] == "10 questions without an exact match (first 3):"
    assert len(lines) == 4 and all(line.startswith("  [") for line in lines[1:])


def test_the_json_payload_holds_metrics_breakdown_and_every_failure(
    results: list[TatqaResult],
) -> None:
    payload = json.loads(json.dumps(to_json(results, "sample", {"work": "/tmp/w"})))
    assert (payload["source"], payload["questions"], payload["work"]) == ("sample", 12, "/tmp/w")
    assert payload["metrics"]["em"] == pytest.approx(2 / 12)
    assert payload["breakdown"]["all"]["all"]["count"] == 12
    assert len(payload["failures"]) == 10


def test_report_md_lists_published_anchors_and_each_failure(
    results: list[TatqaResult], tmp_path: Path
) -> None:
    markdown = write_report(tmp_path, results, "sample")[0].read_text(encoding="utf-8")
    assert markdown.startswith("# TAT-QA evaluation: sample\n")
    assert "| human experts | 84.1 | 90.8 |" in markdown
    assert "## Questions without an exact match (10)" in markdown
    assert markdown.count("\n- [") == 10
