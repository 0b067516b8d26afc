"""The web layer without a browser: app import, handler structure, the API surface and the
document selector (qa/web/app.py, qa/web/handlers.py, app.py). The server is
tests/test_server.py; its middleware tests/test_guard.py."""

from __future__ import annotations

import importlib
import logging
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from qa import pipeline
from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA
from qa.web import app as web
from qa.web import handlers

from .conftest import CORPUS
from .releases import markdown_release


def _skipped(value: Any) -> bool:
    """gr.skip() is an update that changes nothing."""
    return isinstance(value, dict) and value == {"__type__": "update"}


def test_importing_app_builds_the_demo_without_launching_or_loading() -> None:
    app = importlib.import_module("app")
    assert isinstance(app.demo, gr.Blocks)
    assert not app.demo.is_running
    assert pipeline._default is None  # no model or index loaded by the import


def test_every_event_has_an_explicit_api_name_and_only_ask_is_public(hash_qa: QA) -> None:
    demo = web.build_demo(hash_qa)
    dependencies = demo.get_config_file()["dependencies"]
    names = {dep["api_name"]: dep["api_visibility"] for dep in dependencies}
    assert None not in names
    assert names == {
        "load_example": "private",
        "chat_submit": "private",
        "chat_click": "private",
        "chat_example": "private",
        "clear": "private",
        "documents": "private",
        "reload": "private",
        web.API_NAME: "public",
    }
    info = demo.get_api_info()
    assert set(info["named_endpoints"]) == {"/ask"}
    parameters = info["named_endpoints"]["/ask"]["parameters"]
    # (question, k) as before; docs is new and optional, so old clients keep working.
    assert [
        (p["parameter_name"], p["parameter_has_default"], p.get("parameter_default"))
        for p in parameters
    ] == [("question", False, None), ("k", True, 5), ("docs", True, None)]


def _fn(demo: gr.Blocks, api_name: str) -> Any:
    return next(fn for fn in demo.fns.values() if fn.api_name == api_name)


@pytest.mark.parametrize(
    ("sent", "received"),
    [
        ([], [None, 5, None]),
        (["What was revenue?"], ["What was revenue?", 5, None]),
        (["What was revenue?", 3], ["What was revenue?", 3, None]),
        (["q", 3, ["a.md"]], ["q", 3, ["a.md"]]),
    ],
)
def test_api_values_a_client_leaves_out_take_their_defaults(
    hash_qa: QA, sent: list[Any], received: list[Any]
) -> None:
    demo = web.build_demo(hash_qa)
    inputs = list(sent)
    demo.validate_inputs(_fn(demo, "ask"), inputs)
    assert inputs == received


def test_ui_events_missing_values_are_still_refused(hash_qa: QA) -> None:
    demo = web.build_demo(hash_qa)
    with pytest.raises(ValueError, match="didn't receive enough input values"):
        demo.validate_inputs(_fn(demo, "chat_submit"), ["What was revenue?"])


def test_chat_turn_answers_with_bold_figure_citation_passages_and_figures(hash_qa: QA) -> None:
    turn = handlers.chat_turn(hash_qa, "What was the total revenue?", 5, [], [])
    user, bot = turn.messages
    assert user == {"role": "user", "content": "What was the total revenue?"}
    assert bot["role"] == "assistant"
    assert bot["content"].startswith("**RMB1.42 billion**")
    assert "Source: *SenseTime Group Reports 2022 Interim Results" in bot["content"]
    assert turn.asked == ["What was the total revenue?"]
    assert '<mark class="fig"' in turn.passages and "RMB1.42 billion</mark>" in turn.passages
    assert turn.passages.count('<article class="passage"') == 5
    first_row = turn.figures.split("<tbody>")[1].split("</tr>")[0]
    assert 'class="answer"' in first_row and "RMB1.42 billion" in first_row
    assert turn.textbox == ""


def test_slider_value_sets_the_number_of_passages(hash_qa: QA) -> None:
    turn = handlers.chat_turn(hash_qa, "What was the total revenue?", 2.0, [], [])
    assert turn.passages.count('<article class="passage"') == 2


def test_follow_up_retrieves_the_net_loss_and_says_how_it_was_read(hash_qa: QA) -> None:
    first = handlers.chat_turn(hash_qa, "What was the total revenue?", 5, [], [])
    second = handlers.chat_turn(hash_qa, "And the net loss?", 5, first.messages, first.asked)
    assert len(second.messages) == 4
    reply = second.messages[-1]["content"]
    assert reply.startswith("**RMB3.21 billion**")
    assert "Read as a follow-up: “What was the net loss?”" in reply
    assert second.asked == ["What was the total revenue?", "What was the net loss?"]


def test_unanswerable_question_says_not_stated_with_closest_passages(hash_qa: QA) -> None:
    turn = handlers.chat_turn(hash_qa, "How many employees does SenseTime have?", 5, [], [])
    reply = turn.messages[-1]["content"]
    assert reply.startswith("The release does not state this.")
    assert "Closest passages:" in reply
    assert "The release does not state this." in turn.passages


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "The question is empty"),
        ("   ", "The question is empty"),
        ("x" * 5000, "the limit is 1,000"),
        ("?!?", "no words or numbers"),
    ],
)
def test_bad_questions_get_a_clear_reply_and_keep_the_panels(
    hash_qa: QA, message: str, expected: str
) -> None:
    turn = handlers.chat_turn(hash_qa, message, 5, [], [])
    reply = turn.messages[-1]
    assert reply["role"] == "assistant"
    assert expected in reply["content"] and "Traceback" not in reply["content"]
    assert _skipped(turn.passages) and _skipped(turn.figures)
    assert turn.asked == []


def test_a_long_question_is_echoed_shortened(hash_qa: QA) -> None:
    turn = handlers.chat_turn(hash_qa, "y" * 5000, 5, [], [])
    assert len(turn.messages[0]["content"]) <= handlers.ECHO_CHARS + 1


def test_hostile_question_is_shown_as_text(hash_qa: QA) -> None:
    turn = handlers.chat_turn(hash_qa, '<img src=x onerror="alert(1)"> revenue?', 5, [], [])
    assert turn.messages[0]["content"].startswith("&lt;img src=x onerror=")


class Broken:
    """Stands in for QA: every question fails with an unexpected error."""

    index = SimpleNamespace(documents={})

    def ask(self, question: str, k: int | None = None, **options: Any) -> Any:
        raise RuntimeError("index exploded")


def test_unexpected_errors_become_an_apology_not_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    turn = handlers.chat_turn(Broken(), "What was revenue?", 5, [], [])  # type: ignore[arg-type]
    assert turn.messages[-1]["content"] == handlers.APOLOGY
    assert "exploded" not in handlers.APOLOGY
    assert "answering 'What was revenue?' failed" in caplog.text


def test_clear_chat_forgets_the_conversation() -> None:
    messages, chatbot, asked, passages, _figures, table, download, textbox = handlers.clear_chat()
    assert messages == chatbot == asked == [] and textbox == ""
    assert "Ask a question" in passages
    assert table["visible"] is False and download["visible"] is False


def test_api_answer_is_answer_to_dict(hash_qa: QA) -> None:
    data = handlers.api_answer(hash_qa, "What was the total revenue?", 3)
    expected = hash_qa.ask("What was the total revenue?", 3).to_dict()
    data.pop("seconds"), expected.pop("seconds")
    assert data == expected
    assert data["figure"]["text"] == "RMB1.42 billion" and len(data["passages"]) == 3


@pytest.mark.parametrize(
    ("question", "k", "message"),
    [
        ("", 5, "the question is empty"),
        ("z" * 2000, 5, "the limit is 1,000"),
        (42, 5, "question must be a string"),
        ("What was revenue?", 0, "k must be an integer from 1 to 10"),
        ("What was revenue?", 11, "k must be an integer from 1 to 10"),
        ("What was revenue?", True, "k must be an integer"),
        ("What was revenue?", "5", "k must be an integer"),
        (None, 5, "question must be a string; it is missing or null"),
    ],
)
def test_api_answer_refuses_bad_input_with_a_clear_error(
    hash_qa: QA, question: Any, k: Any, message: str
) -> None:
    with pytest.raises(gr.Error, match=message):
        handlers.api_answer(hash_qa, question, k)


def test_api_refusals_log_one_line_without_a_traceback(
    hash_qa: QA, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING), pytest.raises(gr.Error) as raised:
        handlers.api_answer(hash_qa, "x" * 2000)
    assert raised.value.print_exception is False  # Gradio prints no traceback for it
    (record,) = [r for r in caplog.records if r.name == "qa.web.handlers"]
    assert "/ask refused: the question is 2,000 characters" in record.getMessage()
    assert record.exc_info is None


# --- many documents -----------------------------------------------------------------------

ACME = "Acme Robotics Reports 2023 Interim Results"


@pytest.fixture
def two_docs(tmp_path: Path) -> QA:
    """The shipped release plus a small Acme release, on the fake embedder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "acme-2023.md").write_text(markdown_release(), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    return QA(settings, embedder=HashEmbedder())


def _doc_id(system: QA, title: str) -> str:
    return next(i for i, d in system.index.documents.items() if d.title == title)


def test_document_menu_lists_the_indexed_documents_with_company_and_period(
    two_docs: QA,
) -> None:
    menu = handlers.document_menu(two_docs, ["not-a-doc"])
    labels = [label for label, _ in menu["choices"]]
    assert labels == sorted(labels) and len(labels) == 2
    assert ACME + " · 1H2023" in labels  # the period is not in the title; the company is
    assert dict(menu["choices"])[ACME + " · 1H2023"] == _doc_id(two_docs, ACME)
    assert menu["value"] == []  # a choice that is not indexed is dropped
    assert menu["info"] == "2 documents indexed · none chosen = all"


def test_chosen_documents_limit_the_answer_and_the_figures_table_names_them(
    two_docs: QA,
) -> None:
    acme = _doc_id(two_docs, ACME)
    turn = handlers.chat_turn(two_docs, "What was the total revenue?", 5, [], [], [acme])
    assert "RMB2.31 billion" in turn.messages[-1]["content"]
    assert "Source: *" + ACME in turn.messages[-1]["content"]
    assert "SenseTime" not in turn.passages
    assert "<th>Document</th>" in turn.figures
    first_row = turn.figures.split("<tbody>")[1].split("</tr>")[0]
    assert f'<td class="doc" title="{ACME}">{ACME}</td>' in first_row
    # None chosen = all documents: both releases can be retrieved.
    everything = handlers.chat_turn(two_docs, "What was the total revenue?", 10, [], [])
    assert "SenseTime" in everything.passages and "Acme" in everything.passages


def test_the_api_takes_documents_by_title_or_file_name(two_docs: QA) -> None:
    data = handlers.api_answer(two_docs, "What was the total revenue?", 5, ["acme-2023.md"])
    assert {p["doc_title"] for p in data["passages"]} == {ACME}
    data = handlers.api_answer(two_docs, "What was the total revenue?", 5, [ACME.lower()])
    assert data["figure"]["text"] == "RMB2.31 billion"
    assert handlers.api_answer(two_docs, "What was the total revenue?", 5, [])["found"]


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        (["nope.pdf"], r"unknown document\(s\) \['nope.pdf'\]"),
        ("acme-2023.md", "docs must be a list of document names"),
        ([1], "docs must be a list of document names"),
    ],
)
def test_the_api_refuses_unknown_or_malformed_documents(
    two_docs: QA, docs: Any, message: str
) -> None:
    with pytest.raises(gr.Error, match=message):
        handlers.api_answer(two_docs, "What was the total revenue?", 5, docs)


def test_reload_picks_up_added_and_removed_documents(two_docs: QA) -> None:
    corpus = two_docs.settings.corpus_dir
    acme = _doc_id(two_docs, ACME)
    assert handlers.reload_documents(two_docs, [acme])["info"].startswith("Up to date: 2 doc")
    (corpus / "acme-2023.md").unlink()
    (corpus / "zeta.md").write_text(markdown_release("Zeta Labs", revenue="9.87"), "utf-8")
    menu = handlers.reload_documents(two_docs, [acme])
    assert menu["info"] == "Reloaded: 1 new, 1 removed · 2 documents indexed · none chosen = all"
    assert menu["value"] == []  # Acme is gone
    assert any(label.startswith("Zeta Labs") for label, _ in menu["choices"])
    answer = handlers.api_answer(two_docs, "What was the total revenue?", 5, ["zeta.md"])
    assert answer["figure"]["text"] == "RMB9.87 billion"
    # A chat that still has the removed document chosen is told so, not answered.
    turn = handlers.chat_turn(two_docs, "What was the total revenue?", 5, [], [], [acme])
    assert turn.messages[-1]["content"] == handlers.GONE and _skipped(turn.passages)


def test_reload_lists_a_bad_file_with_its_reason_and_keeps_the_rest(two_docs: QA) -> None:
    corpus = two_docs.settings.corpus_dir
    two_docs.index  # noqa: B018 (load it first)
    (corpus / "deep.html").write_text("<div>" * 5000 + "Deep.", "utf-8")  # read, flattened
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    menu = handlers.reload_documents(two_docs, [])
    assert "3 documents indexed" in menu["info"]
    assert "1 file skipped: broken.pdf (is not a readable PDF" in menu["info"]


def test_an_unexpected_reload_error_keeps_the_page_up_and_is_logged(
    two_docs: QA, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    two_docs.index  # noqa: B018 (load it first)

    def broken(**_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(two_docs, "reindex", broken)
    menu = handlers.reload_documents(two_docs, [])
    assert menu["info"] == f"Reload failed: {handlers.APOLOGY_RELOAD}"
    assert "reloading documents failed" in caplog.text and "a bug" in caplog.text


def test_reload_while_another_writer_holds_the_index_says_so(two_docs: QA) -> None:
    from qa.index import store

    two_docs.index  # noqa: B018 (load it first)
    with store.writer_lock(two_docs.settings.index_dir, wait=False):
        menu = handlers.reload_documents(two_docs, [])
    assert menu["info"].startswith("Reload failed: another `qa index` is writing")
