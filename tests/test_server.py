"""The server (qa/web/server.py): launch options that keep the chat local and private, QA_AUTH,
`serve()` warming up once before it launches, and the request guard in front of Gradio (body
limits, the URL proxy, API names that are not public, uploads, crashes on API calls).
In-process with Starlette's TestClient; tests/test_server_abuse.py drives a real `qa serve`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa.config import Settings, SettingsError
from qa.pipeline import QA
from qa.web import server


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


def _api_guarded(app: Any = None) -> TestClient:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{request.method} {request.url.path}")

    routes = [Route("/{path:path}", echo, methods=["GET", "POST"])]
    guarded = server.RequestGuard(app or Starlette(routes=routes), api_names={"ask"})
    return TestClient(guarded, raise_server_exceptions=False)


@pytest.mark.parametrize(
    "path", ["/gradio_api/call/nope", "/gradio_api/call/chat_submit", "/gradio_api/call/v2/x"]
)
def test_request_guard_answers_404_for_api_names_that_are_not_public(path: str) -> None:
    response = _api_guarded().post(path, json={"data": ["x"]})
    assert response.status_code == 404
    assert response.json() == {"detail": f"No API endpoint /{path.rsplit('/', 1)[1]}; "
                               "this app has /ask."}  # fmt: skip
    assert _api_guarded().get(f"{path}/abc123").status_code == 404


@pytest.mark.parametrize(
    "path", ["/gradio_api/call/ask", "/gradio_api/call/ask/", "/gradio_api/call/v2/ask"]
)
def test_request_guard_passes_the_public_api_on(path: str) -> None:
    assert _api_guarded().post(path, json={"data": ["x"]}).text == f"POST {path}"


def test_request_guard_refuses_uploads() -> None:
    client = _api_guarded()
    response = client.post("/gradio_api/upload", files={"files": ("x.txt", b"hi")})
    assert response.status_code == 403 and response.text == "This app takes no uploads."
    assert client.get("/gradio_api/upload").status_code == 200  # only POST is refused


def test_request_guard_turns_a_crash_on_an_api_call_into_a_400_and_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def crash(scope: Any, receive: Any, send: Any) -> None:  # as Gradio's router does
        raise TypeError("No value provided for required argument: question")

    with caplog.at_level(logging.WARNING, logger="qa.web.server"):
        response = _api_guarded(crash).post("/gradio_api/call/v2/ask", json={})
    assert response.status_code == 400 and "see /gradio_api/info" in response.json()["detail"]
    (record,) = caplog.records
    assert record.getMessage() == (
        "POST /gradio_api/call/v2/ask: TypeError: No value provided for required argument: question"
    )
    assert record.exc_info is None


def test_request_guard_ends_a_stream_that_fails_after_it_started(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def stream(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"event: error\n", "more_body": True})
        raise RuntimeError("Caught handled exception") from LookupError("404: Not Found")

    with caplog.at_level(logging.WARNING, logger="qa.web.server"):
        response = _api_guarded(stream).get("/gradio_api/call/ask/unknown-id")
    assert response.status_code == 200 and response.text == "event: error\n"
    assert "LookupError: 404: Not Found" in caplog.text


def test_request_guard_leaves_other_routes_errors_alone() -> None:
    async def crash(request: Request) -> PlainTextResponse:
        raise RuntimeError("a real bug")

    app = Starlette(routes=[Route("/{path:path}", crash)])
    with pytest.raises(RuntimeError, match="a real bug"):
        TestClient(server.RequestGuard(app, api_names={"ask"})).get("/gradio_api/info")
