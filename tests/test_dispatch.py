"""The server's top ASGI app (qa/web/dispatch.py): its own routes at once, a loading page until
the app built on a thread is mounted, the mounted app's lifespan run, and a build that fails
leaves the routes answering. Small Starlette apps stand in for the JSON route and Gradio."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa.web.dispatch import RETRY_SECONDS, Dispatcher, Lifespan, Mounted


def _text(text: str) -> Starlette:
    async def reply(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{text} {request.method} {request.url.path}")

    return Starlette(routes=[Route("/{path:path}", reply, methods=["GET", "POST"])])


class FakeUI:
    """An app whose lifespan must run before it answers (as Gradio's queue must start), built
    only when the test lets the loader thread go on."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.events: list[str] = []
        self.closed = False

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.events.append("startup")
            yield
            self.events.append("shutdown")

        async def reply(request: Request) -> PlainTextResponse:
            assert self.events == ["startup"], "served before its lifespan started"
            return PlainTextResponse(f"ui {request.url.path}")

        routes = [Route("/{path:path}", reply, methods=["GET", "POST"])]
        self.app = Starlette(routes=routes, lifespan=lifespan)

    def build(self) -> Mounted:
        assert self.release.wait(timeout=30)
        return Mounted(self.app, self.close)

    def close(self) -> None:
        self.closed = True


@contextlib.contextmanager
def served(dispatcher: Dispatcher) -> Any:
    with TestClient(dispatcher) as client:  # runs the lifespan, as a server does
        yield client


def test_routes_answer_at_once_and_other_paths_get_the_loading_page() -> None:
    ui = FakeUI()
    dispatcher = Dispatcher({"/ask": _text("api")}, ui.build, title="Release <Q&A>")
    with served(dispatcher) as client:
        assert client.post("/ask").text == "api POST /ask"
        page = client.get("/")
        assert page.status_code == 503 and page.headers["retry-after"] == str(RETRY_SECONDS)
        assert page.headers["content-type"].startswith("text/html")
        assert "<title>Release &lt;Q&amp;A&gt;</title>" in page.text
        assert f"http-equiv='refresh' content='{RETRY_SECONDS}'" in page.text
        other = client.get("/gradio_api/info")
        assert other.status_code == 503 and "The chat is loading" in other.text
        assert not dispatcher.ready.is_set()
        ui.release.set()


def test_the_built_app_is_mounted_after_its_lifespan_started_and_stopped_with_the_server() -> None:
    ui = FakeUI()
    told: list[bool] = []
    dispatcher = Dispatcher({"/ask": _text("api")}, ui.build)
    dispatcher.on_ready = lambda: told.append(dispatcher.ui is not None)
    with served(dispatcher) as client:
        ui.release.set()
        assert dispatcher.ready.wait(timeout=30)
        assert told == [True] and dispatcher.failed == ""
        assert client.get("/gradio_api/info").text == "ui /gradio_api/info"
        assert client.get("/").text == "ui /"
        assert client.post("/ask").text == "api POST /ask"  # the route stays in front
        assert dispatcher.ready_seconds is not None and dispatcher.ready_seconds > 0
        dispatcher.closing()
        assert ui.closed
    assert ui.events == ["startup", "shutdown"]


def test_a_build_that_fails_is_logged_and_the_routes_keep_answering(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def build() -> Mounted:
        raise ImportError("no module named gradio")

    dispatcher = Dispatcher({"/ask": _text("api")}, build)
    with served(dispatcher) as client:
        assert dispatcher.ready.wait(timeout=30)
        assert dispatcher.failed == "ImportError: no module named gradio"
        page = client.get("/")
        assert page.status_code == 500 and "failed to load" in page.text
        assert "retry-after" not in page.headers
        assert client.post("/ask").text == "api POST /ask"
    assert "the web chat failed to load; POST /ask still answers" in caplog.text


def test_without_a_build_only_the_routes_answer() -> None:
    dispatcher = Dispatcher({"/ask": _text("api")})
    with served(dispatcher) as client:
        assert client.post("/ask").status_code == 200
        assert client.get("/").status_code == 503
    assert not dispatcher.ready.is_set()


def test_a_websocket_before_the_ui_is_mounted_is_closed() -> None:
    from starlette.websockets import WebSocketDisconnect

    dispatcher = Dispatcher({"/ask": _text("api")})
    with (
        served(dispatcher) as client,
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/gradio_api/queue/join"),
    ):
        pass
    assert closed.value.code == 1013  # "try again later"


def _lifespan_app(on_startup: Callable[[], None]) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        on_startup()
        yield

    return Starlette(lifespan=lifespan)


def test_lifespan_reports_a_failed_startup() -> None:
    import asyncio

    def boom() -> None:
        raise RuntimeError("queue would not start")

    async def start() -> None:
        await Lifespan(_lifespan_app(boom)).start()

    with pytest.raises(RuntimeError, match=r"startup failed: RuntimeError: queue would not start"):
        asyncio.run(start())
