"""What the web chat's events do, as plain functions over a `QA` (tested without a browser;
qa/web/app.py wires them to components).

- `chat_turn()`: one chat message -> the new chat, passages panel, figures table, the source
  table of a table answer (its cell highlighted) and the figures as a CSV download.
- `api_answer()`: the public `/ask` endpoint -> `Answer.to_dict()`, or a clear `gr.Error`.
- `document_menu()` / `reload_documents()`: the document selector (with the files that were
  skipped, and why), and the "Reload documents" button that brings a running server up to
  date with `qa add` / `qa remove`.
- `example_menu()`: the example questions, read from the indexed documents.

Errors never escape as tracebacks: a bad question or request gets its message (and one log
line), anything unexpected a short apology (its traceback goes to the server log).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import gradio as gr

from qa.config import MAX_TOP_K, MIN_TOP_K
from qa.ingest.corpus import Skipped, skipped_in
from qa.pipeline import QA, QuestionError
from qa.types import Answer, Document
from qa.web import render
from qa.web.api import (
    APOLOGY,
    DEFAULT_PASSAGES,
    SERVER_ERRORS,
    RequestError,
    answer_request,
)
from qa.web.examples import example_questions
from qa.web.export import write_figures_csv
from qa.web.followup import contextualize
from qa.web.tableview import table_panel_html

log = logging.getLogger(__name__)

# Slider range for the number of passages: the one range of qa.config (the API, the CLI and
# `QA.ask` accept the same).
MIN_PASSAGES, MAX_PASSAGES = MIN_TOP_K, MAX_TOP_K
# Skipped files named (with their reasons) in the document selector's info line.
SKIPPED_SHOWN = 5
# A pasted essay is echoed in the chat only this far (the pipeline refuses it anyway).
ECHO_CHARS = 400
# Errors whose messages say what to do (rephrase, rebuild the index, fix the corpus): shown
# as is. Anything else is a bug: logged with its traceback, shown as a short apology.
KNOWN_ERRORS: tuple[type[Exception], ...] = (QuestionError, *SERVER_ERRORS)

APOLOGY_RELOAD = "an unexpected error on the server; it is in the server log."
GONE = "⚠️ A chosen document is no longer indexed; pick the documents again."
ALL_DOCUMENTS = "none chosen = all"

Message = dict[str, str]
# After an error the panels keep showing the last answer.
_KEEP = (gr.skip(), gr.skip(), gr.skip(), gr.skip())


class Turn(NamedTuple):
    """What one chat turn updates, in the order of the event's outputs."""

    messages: list[Message]
    asked: list[str]
    passages: Any  # HTML, or gr.skip() to keep the last answer's panel after an error
    figures: Any
    table: Any  # the source table of a table answer ("" hides the panel)
    download: Any  # the "Download figures (CSV)" button's file
    textbox: str


def _message(role: str, content: str) -> Message:
    return {"role": role, "content": content}


def _friendly(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"⚠️ {render.escape_markdown(text[:1].upper() + text[1:])}"


def chat_turn(
    system: QA,
    message: str,
    k: float | None,
    messages: list[Message] | None,
    asked: list[str] | None,
    docs: Sequence[str] | None = None,
) -> Turn:
    """Answer one chat message: rewrite a follow-up with `contextualize`, ask within the
    document ids `docs` (none = all), and return the new chat, the questions asked so far,
    the passages panel and the figures table."""
    messages, asked = list(messages or []), list(asked or [])
    text = message if isinstance(message, str) else ""
    echo = text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"
    if text.strip():
        messages.append(_message("user", render.escape_markdown(echo)))
    question = contextualize(text, asked)
    chosen = list(docs or [])
    try:
        titles = {doc_id: d.title for doc_id, d in system.index.documents.items()}
        if any(doc not in titles for doc in chosen):  # removed by a reload since it was picked
            messages.append(_message("assistant", GONE))
            return Turn(messages, asked, *_KEEP, text)
        answer = system.ask(question, _passages(k), docs=chosen or None)
    except KNOWN_ERRORS as error:
        messages.append(_message("assistant", _friendly(error)))
        return Turn(messages, asked, *_KEEP, text)
    except Exception:  # the UI must stay up whatever the pipeline does
        # Internals (paths, library errors) go to the log, not to whoever is chatting.
        log.exception("answering %r failed", question)
        messages.append(_message("assistant", APOLOGY))
        return Turn(messages, asked, *_KEEP, text)
    read_as = answer.question if question != " ".join(text.split()) else None
    messages.append(_message("assistant", render.reply_markdown(answer, read_as)))
    return Turn(
        messages,
        [*asked, answer.question],
        render.passages_html(answer),
        render.figures_html(answer, titles),
        table_panel(system, answer, titles),
        _download(answer, titles),
        "",
    )


def table_panel(system: QA, answer: Answer, titles: Mapping[str, str]) -> Any:
    """The source-table panel for an answer read from a table cell, hidden otherwise."""
    figure = answer.figure
    if figure is None or figure.cell is None:
        return gr.update(value="", visible=False)
    tables = system.index.tables_of(figure.doc_id)
    html = table_panel_html(answer, tables, titles.get(figure.doc_id, ""))
    return gr.update(value=html, visible=bool(html))


def _download(answer: Answer, titles: Mapping[str, str]) -> Any:
    """The CSV button: the file of this answer's figures, hidden when there are none."""
    try:
        path = write_figures_csv(answer, titles)
    except OSError:  # a full or read-only temp folder costs the download, not the answer
        log.exception("writing the figures CSV failed")
        path = None
    return gr.update(value=str(path) if path else None, visible=path is not None)


def _passages(k: float | None) -> int:
    """The slider's value as a passage count within bounds."""
    if k is None:
        return DEFAULT_PASSAGES
    return max(MIN_PASSAGES, min(MAX_PASSAGES, round(k)))


def api_answer(
    system: QA, question: str, k: int = DEFAULT_PASSAGES, docs: list[str] | None = None
) -> dict[str, Any]:
    """The `/ask` endpoint's work: `Answer.to_dict()`, or a `gr.Error` with a clear message
    (which gradio_client raises as an AppError carrying that message). `docs` names documents
    as `qa ask --doc` does (id, path, file name or title); None or [] = all documents."""
    # The endpoint skips Gradio's preprocessing, so the JSON values arrive as sent; a value
    # the client left out arrives as its default (None for the question: see qa.web.app).
    if question is None:
        _refuse('question must be a string; it is missing or null (send {"data": [question, k]})')
    try:
        return answer_request(system, question, k, docs)
    except RequestError as error:
        _refuse(str(error))


def _refuse(message: str) -> NoReturn:
    """Refuse an API request with `message`: a `gr.Error` without a traceback in the server
    log (the request was wrong, not the server), and one log line instead."""
    log.warning("/ask refused: %s", message)
    raise gr.Error(message, print_exception=False)


def document_label(document: Document) -> str:
    """How the selector names a document: its title, plus the period and company when the
    title does not say them (a company counts as said when its first word is in the title).

    >>> document_label(Document("id", "a.pdf", "Acme results", "",
    ...                         metadata=(("company", "Acme Robotics Ltd"), ("period", "FY2023"))))
    'Acme results · FY2023'
    """
    title = document.title or document.path
    company, period = document.meta("company"), document.meta("period")
    first_word = next((w for w in company.lower().split() if w != "the"), "")
    extra = [
        period if period and period.lower() not in title.lower() else "",
        company if first_word and first_word not in title.lower() else "",
    ]
    return " · ".join([title, *filter(None, extra)])


def document_choices(documents: Mapping[str, Document]) -> list[tuple[str, str]]:
    """(label, id) pairs for the selector, sorted by label."""
    return sorted((document_label(d), doc_id) for doc_id, d in documents.items())


def document_menu(system: QA, chosen: Sequence[str] | None = None, note: str = "") -> Any:
    """The selector's update: the indexed documents as choices, the still-indexed part of
    `chosen` as its value, and an info line (after `note`) with how many there are."""
    try:
        index = system.index
    except KNOWN_ERRORS as error:  # the chat says the same when asked; keep the page up
        return gr.update(info=f"No documents: {error}")
    documents = index.documents
    count = f"{len(documents)} document{'s' * (len(documents) != 1)} indexed"
    skipped = skipped_note(skipped_in(index.manifest.skipped, system.settings.corpus_dir))
    return gr.update(
        choices=document_choices(documents),
        value=[doc for doc in chosen or [] if doc in documents],
        info=f"{note}{count} · {ALL_DOCUMENTS}{skipped}",
    )


def skipped_note(skipped: Sequence[Skipped]) -> str:
    """The selector's line about files not indexed, each with its reason (the first
    SKIPPED_SHOWN of them; `qa list` shows all).

    >>> skipped_note([Skipped("a.pdf", "is empty")])
    ' · 1 file skipped: a.pdf (is empty)'
    """
    if not skipped:
        return ""
    shown = "; ".join(f"{s.path} ({s.reason[:120]})" for s in skipped[:SKIPPED_SHOWN])
    more = f"; and {len(skipped) - SKIPPED_SHOWN} more (see `qa list`)"
    files = f"{len(skipped)} file{'s' * (len(skipped) != 1)}"
    return f" · {files} skipped: {shown}{more if len(skipped) > SKIPPED_SHOWN else ''}"


def reload_documents(system: QA, chosen: Sequence[str] | None) -> Any:
    """The "Reload documents" button: `QA.reindex()` (embeds only new or changed files, drops
    removed ones), then the selector's update saying what changed. An index error (e.g. a
    `qa index` writing at the same moment) is shown in the selector's info line instead."""
    try:
        before = set(system.index.documents)
        after = set(system.reindex().documents)
    except KNOWN_ERRORS as error:
        log.warning("reloading documents failed: %s", error)
        return gr.update(info=f"Reload failed: {error}")
    except Exception:  # a bug: the page stays up, the traceback goes to the server log
        log.exception("reloading documents failed")
        return gr.update(info=f"Reload failed: {APOLOGY_RELOAD}")
    added, removed = len(after - before), len(before - after)
    note = f"Reloaded: {added} new, {removed} removed · " if added or removed else "Up to date: "
    return document_menu(system, chosen, note)


# Example questions per index build: a page load reads them, not every figure of the corpus.
_examples: dict[Path, tuple[str, ...]] = {}


def example_menu(system: QA) -> Any:
    """The examples' update: questions read from the indexed documents (qa/web/examples.py),
    hidden when there are none; left as they are when the index cannot be read (the chat
    says why when asked)."""
    try:
        index = system.index
    except KNOWN_ERRORS:
        return gr.skip()
    if index.folder not in _examples:
        _examples.clear()  # only the current build's are wanted
        _examples[index.folder] = example_questions(index)
    questions = _examples[index.folder]
    return gr.update(samples=[[q] for q in questions], visible=bool(questions))


def clear_chat() -> tuple[list[Message], list[Message], list[str], str, str, Any, Any, str]:
    """A new conversation: empty chat, no follow-up context, placeholder panels."""
    hidden_table = gr.update(value="", visible=False)
    no_download = gr.update(value=None, visible=False)
    passages, figures = render.passages_html(None), render.figures_html(None)
    return [], [], [], passages, figures, hidden_table, no_download, ""
