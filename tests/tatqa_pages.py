"""TAT-QA contexts as HTML pages, the way the evaluation renders them: the paragraphs in
order, then the table, its header rows (the leading rows whose value cells hold no amounts)
in <thead> as <th> cells. Used by the table parser tests."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DEV = Path("/work/shared/tatqa/tatqa_dataset_dev.json")
_AMOUNT = re.compile(r"\d")
_YEARISH = re.compile(r"^\s*(?:(?:19|20)\d{2}|(?:\d\s){3}\d)\s*(?:\(\w\))?\s*$")


@cache
def dev_contexts() -> tuple[dict[str, Any], ...]:
    """The dev split's contexts (table, paragraphs, questions), as stored."""
    return tuple(json.loads(DEV.read_text(encoding="utf-8")))


def header_count(rows: list[list[str]]) -> int:
    """Leading rows whose value cells hold no amounts (years and words are not amounts)."""
    count = 0
    for row in rows:
        if any(_AMOUNT.search(c) and not _YEARISH.match(c) for c in row[1:]):
            break
        count += 1
    return min(count, len(rows) - 1)


def page(context: dict[str, Any]) -> str:
    """One context as an HTML page (see the module docstring)."""
    uid = context["table"]["uid"][:8]
    rows: list[list[str]] = context["table"]["table"]
    count = header_count(rows)
    paragraphs = sorted(context["paragraphs"], key=lambda p: p["order"])
    out = [
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Report {uid}</title>'
        f"</head><body><main>\n<h1>Report {uid}</h1>"
    ]
    out += [f"<p>{html.escape(p['text'])}</p>" for p in paragraphs]
    head = "".join(
        "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in row) + "</tr>"
        for row in rows[:count]
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows[count:]
    )
    out.append(f"<table><thead>{head}</thead><tbody>{body}</tbody></table>")
    out.append("</main></body></html>")
    return "\n".join(out)
