"""TAT-QA contexts as HTML pages, exactly as `qa eval` renders them (qa/eval/tatqa.py): the
paragraphs in order, then the table with its header rows in <thead>. Used by the table
parser tests on real dev tables (tests/data/tatqa_tables.json), and `dev_tables` for the
table-answer tests on the dev split itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from qa.answer.tableanswer import TableAnswer, table_answer
from qa.eval.tatqa import load_tatqa, parse_context, render_html
from qa.ingest.loaders.webpage import html_to_document
from qa.text.question import parse_question
from qa.types import Table

DEV = Path(__file__).resolve().parent.parent / "eval" / "tatqa" / "tatqa_dataset_dev.json"


def page(context: dict[str, Any]) -> str:
    """One context (as stored in a TAT-QA file) as an HTML page."""
    return render_html(parse_context(context))


@cache
def dev_tables(index: int) -> tuple[Table, ...]:
    """The tables of dev context `index` (0-based), parsed the way the index parses them."""
    context = load_tatqa(DEV, limit=index + 1)[index]
    return html_to_document(render_html(context))[2]


def ask_tables(text: str, tables: tuple[Table, ...]) -> TableAnswer | None:
    """The tables' answer to a question given as text (read once, as the pipeline reads it)."""
    return table_answer(parse_question(text), tables)
