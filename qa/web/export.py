"""The figures of an answer's passages as CSV, for the web chat's "Download figures (CSV)"
button: one row per figure, the answer's figures first (the order of the figures table)."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Mapping
from pathlib import Path

from qa.types import Answer
from qa.web.render import figure_rows
from qa.web.tableview import cell_label

CSV_COLUMNS = (
    "text", "value", "unit", "kind", "metric", "period", "document", "section", "page", "cell",
)  # fmt: skip
# Downloads are written here (under the system temp folder, where Gradio may serve files).
EXPORT_DIR = Path(tempfile.gettempdir()) / "release-qa-exports"


def figures_csv(answer: Answer, titles: Mapping[str, str] | None = None) -> str:
    """The CSV text: a header line, then one line per figure of the answer's passages.

    `value` is the normalised number (currencies fully scaled, percent as written); `cell`
    names a table cell ("table 1, row 3, column 2"), empty for figures in prose."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for figure, passage in figure_rows(answer):
        document = (titles or {}).get(figure.doc_id) or (passage.doc_title if passage else "")
        value = int(figure.value) if float(figure.value).is_integer() else figure.value
        writer.writerow(
            [
                figure.text, value, figure.unit, figure.kind, figure.metric or "",
                figure.period or "", document, passage.section if passage else "",
                passage.page if passage and passage.page is not None else "",
                cell_label(figure),
            ]
        )  # fmt: skip
    return out.getvalue()


def write_figures_csv(answer: Answer, titles: Mapping[str, str] | None = None) -> Path | None:
    """Write `figures_csv` to a file named by its content (same figures, same file) and
    return its path; None when the passages hold no figures."""
    if not figure_rows(answer):
        return None
    text = figures_csv(answer, titles)
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = EXPORT_DIR / f"figures-{hashlib.sha256(text.encode()).hexdigest()[:12]}.csv"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return path
