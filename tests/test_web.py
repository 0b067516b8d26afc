"""The web layer without a browser: app import, handler structure, the API surface and the
server's launch options (qa/web.py, qa/server.py, app.py)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa import pipeline, server, web
from qa.config import Settings, SettingsError
from qa.pipeline import QA


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
        "ask": "public",
    }
    info = demo.get_api_info()
    assert set(info["named_endpoints"]) == {"/ask"}
    parameters = info["named_endpoints"]["/ask"]["parameters"]
    assert [
        (p["parameter_name"], p["parameter_default"] if p["parameter_has_default"] else None)
        for p in parameters
    ] == [("question", None), ("k", 5)]


def test_chat_turn_answers_with_bold_figure_citation_passages_and_figures(hash_qa: QA) -> None:
    turn = web.chat_turn(hash_qa, "What was the total revenue?", 5, [], [])
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
    turn = web.chat_turn(hash_qa, "What was the total revenue?", 2.0, [], [])
    assert turn.passages.count('<article class="passage"') == 2


def test_follow_up_retrieves_the_net_loss_and_says_how_it_was_read(hash_qa: QA) -> None:
    first = web.chat_turn(hash_qa, "What was the total revenue?", 5, [], [])
    second = web.chat_turn(hash_qa, "And the net loss?", 5, first.messages, first.asked)
    assert len(second.messages) == 4
    reply = second.messages[-1]["content"]
    assert reply.startswith("**RMB3.21 billion**")
    assert "Read as a follow-up: “What was the net loss?”" in reply
    assert second.asked == ["What was the total revenue?", "What was the net loss?"]


def test_unanswerable_question_says_not_stated_with_closest_passages(hash_qa: QA) -> None:
    turn = web.chat_turn(hash_qa, "How many employees does SenseTime have?", 5, [], [])
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
    turn = web.chat_turn(hash_qa, message, 5, [], [])
    reply = turn.messages[-1]
    assert reply["role"] == "assistant"
    assert expected in reply["content"] and "Traceback" not in reply["content"]
    assert _skipped(turn.passages) and _skipped(turn.figures)
    assert turn.asked == []


def test_a_long_question_is_echoed_shortened(hash_qa: QA) -> None:
    turn = web.chat_turn(hash_qa, "y" * 5000, 5, [], [])
    assert len(turn.messages[0]["content"]) <= web.ECHO_CHARS + 1


def test_hostile_question_is_shown_as_text(hash_qa: QA) -> None:
    turn = web.chat_turn(hash_qa, '<img src=x onerror="alert(1)"> revenue?', 5, [], [])
    assert turn.messages[0]["content"].startswith("&lt;img src=x onerror=")


class Broken:
    """Stands in for QA: every question fails with an unexpected error."""

    def ask(self, question: str, k: int | None = None) -> Any:
        raise RuntimeError("index exploded")


def test_unexpected_errors_become_an_apology_not_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    turn = web.chat_turn(Broken(), "What was revenue?", 5, [], [])  # type: ignore[arg-type]
    assert turn.messages[-1]["content"] == web.APOLOGY
    assert "exploded" not in web.APOLOGY
    assert "answering 'What was revenue?' failed" in caplog.text


def test_clear_chat_forgets_the_conversation() -> None:
    messages, chatbot, asked, passages, _figures, textbox = web.clear_chat()
    assert messages == chatbot == asked == [] and textbox == ""
    assert "Ask a question" in passages


def test_api_answer_is_answer_to_dict(hash_qa: QA) -> None:
    data = web.api_answer(hash_qa, "What was the total revenue?", 3)
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
    ],
)
def test_api_answer_refuses_bad_input_with_a_clear_error(
    hash_qa: QA, question: Any, k: Any, message: str
) -> None:
    with pytest.raises(gr.Error, match=message):
        web.api_answer(hash_qa, question, k)


# --- qa/server.py -------------------------------------------------------------------------


def test_launch_options_are_local_private_and_serve_no_files(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    options = server.launch_options(settings, env={})
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["share"] is False and options["auth"] is None
    assert options["allowed_paths"] == []
    assert str((tmp_path / "corpus").resolve()) in options["blocked_paths"]
    assert options["mcp_server"] is False and options["ssr_mode"] is False
    assert options["max_file_size"] == server.MAX_FILE_SIZE


def test_host_and_port_come_from_settings() -> None:
    settings = Settings.from_env({"QA_HOST": "0.0.0.0", "QA_PORT": "8123"})
    options = server.launch_options(settings, env={})
    assert (options["server_name"], options["server_port"]) == ("0.0.0.0", 8123)


def test_basic_auth_comes_from_qa_auth() -> None:
    assert server.auth_from_env({"QA_AUTH": "analyst:pa:ss"}) == ("analyst", "pa:ss")
    assert server.auth_from_env({"QA_AUTH": " "}) is None
    assert server.auth_from_env({}) is None
    for bad in ("analyst", "analyst:", ":secret"):
        with pytest.raises(SettingsError, match="QA_AUTH must look like"):
            server.auth_from_env({"QA_AUTH": bad})


def test_serve_warms_up_once_queues_and_launches(
    hash_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, Any] = {}
    monkeypatch.setattr(QA, "warm_up", lambda self: calls.setdefault("warm", self) or self)

    def fake_launch(self: gr.Blocks, **options: Any) -> None:
        calls["demo"], calls["options"] = self, options

    monkeypatch.setattr(gr.Blocks, "launch", fake_launch)
    server.serve(hash_settings.with_(port=7999), env={"QA_AUTH": "u:p"})
    assert isinstance(calls["warm"], QA)
    queue = calls["demo"]._queue
    assert queue.default_concurrency_limit == server.CONCURRENCY
    assert queue.max_size == server.QUEUE_SIZE
    assert calls["options"]["server_port"] == 7999 and calls["options"]["auth"] == ("u", "p")


def _guarded() -> TestClient:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    routes = [Route("/{path:path}", echo, methods=["GET", "POST"])]
    return TestClient(server.RequestGuard(Starlette(routes=routes), max_bytes=1000))


def test_request_guard_refuses_large_bodies() -> None:
    client = _guarded()
    assert client.post("/gradio_api/queue/join", content=b"x" * 1000).text == "1000"
    assert client.post("/gradio_api/queue/join", content=b"x" * 1001).status_code == 413


def test_request_guard_cuts_off_large_chunked_bodies() -> None:
    client = _guarded()

    def chunks() -> Any:
        for _ in range(5):
            yield b"y" * 400

    assert client.post("/gradio_api/queue/join", content=chunks()).status_code == 413
    assert client.post("/gradio_api/queue/join", content=iter([b"ab", b"cd"])).text == "4"


def test_request_guard_refuses_the_url_proxy() -> None:
    client = _guarded()
    assert client.get("/gradio_api/file=https://example.com/x.png").status_code == 403
    assert client.get("/gradio_api/file=/tmp/x.png").status_code == 200  # Gradio decides
