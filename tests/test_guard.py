"""RequestGuard (qa/web/guard.py), the middleware in front of every route of the web server,
on small Starlette apps that echo what reaches them."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa.web.guard import RequestGuard


def _guarded() -> TestClient:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    routes = [Route("/{path:path}", echo, methods=["GET", "POST"])]
    return TestClient(RequestGuard(Starlette(routes=routes), max_bytes=1000))


def test_request_guard_refuses_large_bodies() -> None:
    client = _guarded()
    assert client.post("/gradio_api/queue/join", content=b"x" * 1000).text == "1000"
    refused = client.post("/gradio_api/queue/join", content=b"x" * 1001)
    assert refused.status_code == 413
    assert refused.json() == {"error": "Request body too large: the limit is 1,000 bytes."}


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
    guarded = RequestGuard(app or Starlette(routes=routes), api_names={"ask"})
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

    with caplog.at_level(logging.WARNING, logger="qa.web.guard"):
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

    with caplog.at_level(logging.WARNING, logger="qa.web.guard"):
        response = _api_guarded(stream).get("/gradio_api/call/ask/unknown-id")
    assert response.status_code == 200 and response.text == "event: error\n"
    assert "LookupError: 404: Not Found" in caplog.text


def test_request_guard_leaves_other_routes_errors_alone() -> None:
    async def crash(request: Request) -> PlainTextResponse:
        raise RuntimeError("a real bug")

    app = Starlette(routes=[Route("/{path:path}", crash)])
    with pytest.raises(RuntimeError, match="a real bug"):
        TestClient(RequestGuard(app, api_names={"ask"})).get("/gradio_api/info")
