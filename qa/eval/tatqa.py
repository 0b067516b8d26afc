"""TAT-QA files as a corpus: read the benchmark's JSON, write each context as an HTML report.

A TAT-QA file is a JSON list of contexts, each one table (a 2-D array of strings, header rows
first), its paragraphs and the questions asked of them. Users have HTML and PDF, not JSON, so
the evaluation never reads the table from the JSON at question time: each context becomes an
ordinary HTML page (a title, the paragraphs as `<p>` in their order, the table as `<table>`
with its header rows in `<thead>`) in a corpus folder that the normal loaders and index read.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONTEXT_KEYS = frozenset({"table", "paragraphs", "questions"})
QUESTION_KEYS = frozenset({"uid", "question", "answer", "answer_type", "answer_from", "scale"})
# A cell holding an amount (not a year, which heads a column): "1,452.4", "(12)", "4.00%".
_AMOUNT = re.compile(r"^\(?[-−–]?\(?[\d,]*\d(?:\.\d+)?\)?%?$")
_CURRENCY_MARKS = re.compile(r"[$€£¥\s]|RMB|US|HK")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


class TatqaError(ValueError):
    """The file is not a readable TAT-QA file."""


@dataclass(frozen=True)
class TatqaQuestion:
    """One benchmark question with its gold answer, as the file gives it."""

    uid: str
    context: str  # the context's table uid, also the report's file stem
    question: str
    answer: Any  # a list of strings (span, multi-span) or a number (arithmetic, count)
    answer_type: str  # span, multi-span, arithmetic, count
    answer_from: str  # text, table, table-text
    scale: str  # "", thousand, million, billion, percent
    derivation: str = ""


@dataclass(frozen=True)
class TatqaContext:
    """One report: a table, its paragraphs in order, and its questions."""

    uid: str
    table: tuple[tuple[str, ...], ...]
    paragraphs: tuple[str, ...]
    questions: tuple[TatqaQuestion, ...]

    @property
    def file_name(self) -> str:
        """The report's file name in the corpus folder."""
        return f"{self.uid}.html"


def looks_like_tatqa(path: Path) -> bool:
    """Whether `path` is a TAT-QA file: JSON whose first element has a table, paragraphs and
    questions. Reads only the start of the file."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    return head.lstrip().startswith("[") and all(f'"{key}"' in head for key in CONTEXT_KEYS)


def _question(raw: Any, context: str, where: str) -> TatqaQuestion:
    if not isinstance(raw, dict) or not raw.keys() >= QUESTION_KEYS:
        raise TatqaError(f"{where}: a question needs the keys {sorted(QUESTION_KEYS)}")
    return TatqaQuestion(
        uid=str(raw["uid"]),
        context=context,
        question=str(raw["question"]),
        answer=raw["answer"],
        answer_type=str(raw["answer_type"]),
        answer_from=str(raw["answer_from"]),
        scale=str(raw["scale"]),
        derivation=str(raw.get("derivation", "")),
    )


def parse_context(raw: Any, where: str = "context") -> TatqaContext:
    """One context of a TAT-QA file (a dict of table, paragraphs, questions) as a record;
    TatqaError names what is wrong."""
    if not isinstance(raw, dict) or not raw.keys() >= CONTEXT_KEYS:
        raise TatqaError(f"{where}: a context needs the keys {sorted(CONTEXT_KEYS)}")
    table = raw["table"]
    if not isinstance(table, dict) or not isinstance(table.get("table"), list):
        raise TatqaError(f"{where}: 'table' must be {{'uid': ..., 'table': [[cell, ...], ...]}}")
    uid = str(table.get("uid", ""))
    if not re.fullmatch(r"[\w-]+", uid):
        raise TatqaError(f"{where}: the table uid {uid!r} is not a usable file name")
    rows = tuple(tuple(str(cell) for cell in row) for row in table["table"])
    paragraphs = sorted(raw["paragraphs"], key=lambda p: int(p.get("order", 0)))
    questions = tuple(_question(q, uid, f"{where}, question {i + 1}")
                      for i, q in enumerate(raw["questions"]))  # fmt: skip
    return TatqaContext(uid, rows, tuple(str(p["text"]) for p in paragraphs), questions)


def load_tatqa(path: Path, limit: int | None = None, offset: int = 0) -> tuple[TatqaContext, ...]:
    """Read a TAT-QA file; `offset` skips its first contexts and `limit` keeps N of the rest.
    TatqaError names the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TatqaError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TatqaError(f"{path}: cannot read a TAT-QA file: {exc}") from None
    if not isinstance(data, list) or not data:
        raise TatqaError(f"{path}: a TAT-QA file is a non-empty JSON list of contexts")
    end = None if limit is None else offset + limit
    contexts = tuple(
        parse_context(raw, f"{path}: context {offset + i + 1}")
        for i, raw in enumerate(data[offset:end])
    )
    if not contexts:
        raise TatqaError(f"{path}: no contexts after the first {offset} (it has {len(data)})")
    uids = [c.uid for c in contexts]
    if len(set(uids)) != len(uids):
        raise TatqaError(f"{path}: two contexts share a table uid")
    return contexts


def _is_amount(cell: str) -> bool:
    """ "$ 1,452.4", "(12)", "4.00%" are amounts; "2019", "Fiscal", "2019 €m" are not."""
    text = _CURRENCY_MARKS.sub("", cell)
    return bool(_AMOUNT.match(text)) and not _YEAR.match(text)


def header_rows(table: Sequence[Sequence[str]]) -> int:
    """How many leading rows are the header: the rows before the first row with an amount,
    up to the last of them that names a column (a lone label row after it is a group heading).

    >>> header_rows([["", "", "Fiscal", ""], ["", "2019", "2018", "2017"],
    ...              ["Sales:", "", "", ""], ["Fixed", "1,452.4", "1,146.2", "1,036.9"]])
    2
    >>> header_rows([["Fixed", "1,452.4"]])
    0
    """
    first_data = next(
        (i for i, row in enumerate(table) if any(_is_amount(cell) for cell in row[1:])),
        len(table),
    )
    named = [i for i in range(first_data) if any(cell.strip() for cell in table[i][1:])]
    return named[-1] + 1 if named else 0


def _row(cells: Sequence[str], tag: str) -> str:
    inner = "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in cells)
    return f"<tr>{inner}</tr>"


def render_html(context: TatqaContext) -> str:
    """The context as an ordinary HTML report (see the module docstring)."""
    title = f"Report {context.uid[:8]}"
    head_count = header_rows(context.table)
    head = "".join(_row(row, "th") for row in context.table[:head_count])
    body = "".join(_row(row, "td") for row in context.table[head_count:])
    paragraphs = "\n".join(f"<p>{html.escape(text)}</p>" for text in context.paragraphs)
    thead = f"<thead>{head}</thead>" if head else ""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body><main>\n<h1>{html.escape(title)}</h1>\n"
        f"{paragraphs}\n<table>{thead}<tbody>{body}</tbody></table>\n</main></body></html>\n"
    )


def write_corpus(contexts: Sequence[TatqaContext], corpus_dir: Path) -> int:
    """Write each context as `corpus_dir/<uid>.html`; files whose content is unchanged are not
    touched (so the index stays current) and reports not in `contexts` are removed. Returns the
    number of files written."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    wanted = {context.file_name for context in contexts}
    for stale in corpus_dir.glob("*.html"):
        if stale.name not in wanted:
            stale.unlink()
    written = 0
    for context in contexts:
        path = corpus_dir / context.file_name
        markup = render_html(context)
        if path.is_file() and path.read_text(encoding="utf-8") == markup:
            continue
        path.write_text(markup, encoding="utf-8")
        written += 1
    return written


def slice_name(limit: int | None, offset: int = 0) -> str:
    """How a slice of contexts is named in folders and reports.

    >>> slice_name(60), slice_name(None, 139), slice_name(20, 100), slice_name(None)
    ('first60', 'from140', '101-120', 'all')
    """
    if offset and limit is not None:
        return f"{offset + 1}-{offset + limit}"
    if offset:
        return f"from{offset + 1}"
    return f"first{limit}" if limit is not None else "all"


def work_folder(path: Path, limit: int | None, root: Path, offset: int = 0) -> Path:
    """The work folder for one input file and slice: `root/<stem>-<hash>[-<slice>]`, so a
    changed input file or another slice never reuses a stale corpus or index.

    >>> work_folder(Path("dev.json"), 60, Path("w")).name.endswith("-first60")
    True
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "missing"
    name = slice_name(limit, offset)
    suffix = "" if name == "all" else f"-{name}"
    return root / f"{path.stem}-{digest}{suffix}"
