"""TAT-QA contexts as HTML pages, exactly as `qa eval` renders them (qa/eval/tatqa.py): the
paragraphs in order, then the table with its header rows in <thead>. Used by the table
parser tests on real dev tables (tests/data/tatqa_tables.json)."""

from __future__ import annotations

from typing import Any

from qa.eval.tatqa import parse_context, render_html


def page(context: dict[str, Any]) -> str:
    """One context (as stored in a TAT-QA file) as an HTML page."""
    return render_html(parse_context(context))
