"""The Gradio app (qa/web/app.py, `build_demo`): every event named, only `/ask` public and its
parameters with their defaults, and the example questions. (The root app.py is in
tests/test_web.py; the handlers behind the events in tests/test_handlers.py.)"""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest

from qa.pipeline import QA
from qa.web import app as web


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
        "examples": "private",
        "reload": "private",
        "reload_examples": "private",
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


def test_the_ask_endpoint_answers_with_the_system_it_was_built_on(hash_qa: QA) -> None:
    ask = _fn(web.build_demo(hash_qa), web.API_NAME).fn
    data = ask("What was the total revenue?", 3)
    assert data["figure"]["text"] == "RMB1.42 billion" and len(data["passages"]) == 3
    assert ask("What was the total revenue?", 2, [])["found"]  # no documents chosen = all


def test_a_chat_event_fills_the_conversation_and_every_panel(hash_qa: QA) -> None:
    respond = _fn(web.build_demo(hash_qa), "chat_submit").fn
    outputs = respond("What was the total revenue?", 4, [], [], [])
    messages, chatbot, asked, passages, figures, _table, _download, textbox = outputs
    assert messages == chatbot and [m["role"] for m in messages] == ["user", "assistant"]
    assert asked == ["What was the total revenue?"] and textbox == ""
    assert passages.count('<article class="passage"') == 4 and "<table" in figures
    clear = _fn(web.build_demo(hash_qa), "clear").fn
    assert len(clear()) == len(outputs)  # the clear event fills the same panels


def test_the_title_is_escaped_into_the_header() -> None:
    header = web._header()
    assert header.startswith('<div id="app-header"><h1>Release Q&amp;A</h1>')
    assert web.DESCRIPTION in header
