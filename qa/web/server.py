"""Serve the web chat and its JSON API (`qa serve`, `python app.py`) on
settings.host:settings.port (127.0.0.1:7860 unless QA_HOST / QA_PORT say otherwise).

Start-up, fastest answer first: the model and index load and answer one warm-up question; the
server starts (uvicorn with a plain Starlette route, qa/web/api.py) and answers `POST /ask`;
then Gradio is imported and the chat built on a background thread and mounted in the running
server (qa/web/dispatch.py), after which `/` is the chat and `/gradio_api/call/ask` its API.
Importing Gradio alone takes 4-8 s on a 2-core machine; until the chat is mounted, its paths
answer 503 with a small page that reloads itself.

Hardening: no share link, no analytics, no MCP server, no server side rendering, no run
history; Gradio's file routes serve nothing from the corpus or index (they are blocked paths,
and `allowed_paths` is empty); RequestGuard (qa/web/guard.py) in front of every route refuses
request bodies over `MAX_BODY_BYTES` with 413, uploads with 403 (the UI takes none) and API
calls to any name but the public ones with 404; `QA_AUTH="user:password"` is Gradio's login
for the chat and HTTP basic auth for `POST /ask`.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping
from typing import Any

from qa.config import Settings, SettingsError
from qa.pipeline import QA
from qa.web.api import API_NAME, TITLE, AskRoute
from qa.web.dispatch import Dispatcher, Mounted
from qa.web.guard import MAX_BODY_BYTES, ASGIApp, RequestGuard

# The UI has no upload component and RequestGuard refuses /upload; a limit all the same.
MAX_FILE_SIZE = "1mb"
# Questions answered at once, by each API. QA is thread-safe and the ONNX encoder runs one
# thread per question; on a 2-core machine a third concurrent question only adds latency.
CONCURRENCY = 2
# Waiting requests beyond this are told the queue is full instead of waiting for minutes.
QUEUE_SIZE = 64
# Seconds a stopping server waits for open connections (a chat's event stream) to finish.
GRACEFUL_SHUTDOWN_S = 3
AUTH_ENV = "QA_AUTH"


def auth_from_env(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """Basic-auth credentials from QA_AUTH="user:password" (None when unset).

    >>> auth_from_env({"QA_AUTH": "analyst:s3cret:x"})
    ('analyst', 's3cret:x')
    """
    raw = (os.environ if env is None else env).get(AUTH_ENV, "").strip()
    if not raw:
        return None
    user, sep, password = raw.partition(":")
    if not sep or not user or not password:
        raise SettingsError(f'{AUTH_ENV} must look like "user:password"')
    return user, password


def ui_options(settings: Settings, auth: tuple[str, str] | None) -> dict[str, Any]:
    """Keyword arguments for `gr.mount_gradio_app()`; see the module docstring for why each."""
    from starlette.middleware import Middleware

    from qa.web.app import CSS, theme

    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": auth,
        "allowed_paths": [],
        "blocked_paths": [str(settings.corpus_dir.resolve()), str(settings.index_dir.resolve())],
        "max_file_size": MAX_FILE_SIZE,
        # Inside Gradio's app as well as in front of the server: only there does it see an
        # exception of Gradio's API routes before Gradio's error middleware answers 500.
        "app_kwargs": {
            "middleware": [Middleware(RequestGuard, max_bytes=MAX_BODY_BYTES, api_names=[API_NAME])]
        },
        "show_error": False,  # errors the user should see are gr.Error messages
        "footer_links": ["api"],  # the /ask HTTP API is documented there
        "run_history": False,
        "mcp_server": False,
        "ssr_mode": False,
        "pwa": False,
        "enable_monitoring": False,
        "theme": theme(),
        "css": CSS,
    }


def build_ui(system: QA, settings: Settings, auth: tuple[str, str] | None) -> Mounted:
    """Import Gradio and build the chat over `system`: an ASGI app whose lifespan starts
    Gradio's queue (qa/web/dispatch.py runs it). Slow: importing Gradio takes seconds."""
    import gradio as gr
    from fastapi import FastAPI
    from gradio.routes import App

    from qa.web.app import build_demo
    from qa.web.handlers import MAX_PASSAGES

    demo = build_demo(system, default_k=min(settings.top_k, MAX_PASSAGES))
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE, api_open=False)
    parent = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    gr.mount_gradio_app(parent, demo, path="/", **ui_options(settings, auth))
    served = parent.routes[-1].app  # type: ignore[attr-defined]  # the Mount just added
    if not isinstance(served, App):
        raise TypeError(f"expected Gradio's app mounted at /, found {type(served).__name__}")

    def close() -> None:  # what Blocks.close() does for a launched app
        demo.is_running = False  # ends the /queue/data streams
        served.stop_event.set()  # ends the heartbeat streams

    return Mounted(parent, close)


def make_app(
    system: QA, settings: Settings, env: Mapping[str, str] | None = None, *, ui: bool = True
) -> tuple[ASGIApp, Dispatcher]:
    """The server's ASGI app and its dispatcher: `POST /ask` at once; with `ui`, the chat
    built on a thread at server startup and mounted when ready (`dispatcher.ready`)."""
    auth = auth_from_env(env)
    route = AskRoute(system, concurrency=CONCURRENCY, queue_size=QUEUE_SIZE, auth=auth)
    build = (lambda: build_ui(system, settings, auth)) if ui else None
    dispatcher = Dispatcher({"/ask": route}, build, title=TITLE)
    return RequestGuard(dispatcher, max_bytes=MAX_BODY_BYTES, api_names=[API_NAME]), dispatcher


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> None:
    """Warm up the QA system (model, index, one question), answer `POST /ask` at once, mount
    the chat when Gradio has loaded, and serve until stopped (Ctrl-C, SIGTERM)."""
    # Before gradio is imported: it reads this at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    started = time.perf_counter()
    auth_from_env(env)  # fail on a bad QA_AUTH before the slow part
    system = QA(settings).warm_up()
    app, dispatcher = make_app(system, settings, env)
    url = f"http://{_url_host(settings.host)}:{settings.port}"

    def announce() -> None:  # on the loader thread, once the chat is mounted or has failed
        if dispatcher.failed:
            print(f"* The chat failed to load: {dispatcher.failed}", flush=True)
        else:
            seconds = time.perf_counter() - started
            print(f"* Running on local URL:  {url} (the chat, {seconds:.1f} s)", flush=True)

    dispatcher.on_ready = announce
    banner = f"* Answering POST {url}/ask (JSON); the chat is loading"
    _run(app, dispatcher, settings, banner, started)


def _run(
    app: ASGIApp, dispatcher: Dispatcher, settings: Settings, banner: str, started: float
) -> None:
    """Run uvicorn in this thread (it handles Ctrl-C and SIGTERM); print `banner` once it
    listens; end the chat's event streams as soon as it begins to stop."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                print(f"{banner} ({time.perf_counter() - started:.1f} s)", flush=True)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            dispatcher.closing()
            await super().shutdown(sockets)

    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    Server(config).run()


def _url_host(host: str) -> str:
    """How a browser on this machine reaches `host`: a wildcard bind is reached on loopback."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


if __name__ == "__main__":
    serve(Settings.from_env())
