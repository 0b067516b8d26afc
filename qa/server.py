"""Serve the web chat (`qa serve`, `python app.py`): load the model and index once, answer one
warm-up question, then launch Gradio on settings.host:settings.port (127.0.0.1:7860 unless
QA_HOST / QA_PORT say otherwise).

Hardening, each a launch option below: no share link, no analytics, no MCP server, no server
side rendering, no run history; Gradio's file routes serve nothing from the corpus or index
(they are blocked paths, and `allowed_paths` is empty); request bodies over
`MAX_BODY_BYTES` are refused with 413; basic auth from `QA_AUTH="user:password"`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from qa.config import Settings, SettingsError

# Questions are at most a few KB of JSON; 1 MiB leaves room for a 100,000-character question
# to reach the pipeline and get its clear "too long" message instead of a bare 413.
MAX_BODY_BYTES = 1 << 20
# The UI has no upload component; Gradio's /upload route still exists, so keep it tiny.
MAX_FILE_SIZE = "1mb"
# Questions answered at once. QA is thread-safe and torch runs one thread per query; on a
# 2-core machine a third concurrent query only adds latency to the other two.
CONCURRENCY = 2
# Waiting requests beyond this are told the queue is full instead of waiting for minutes.
QUEUE_SIZE = 64
AUTH_ENV = "QA_AUTH"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class RequestGuard:
    """ASGI middleware: refuse request bodies over `max_bytes` (413) and Gradio's
    `/file=<http URL>` proxy (403), which this app never needs."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", "")).lower()
        if "/file=http:" in path or "/file=https:" in path:
            await _reply(send, 403, b"File not allowed.")
            return
        headers = dict(scope.get("headers") or [])
        if b"content-length" not in headers:
            # A chunked body has no declared size: read it (it is small or refused) and
            # hand it on, so the app never sees a body over the limit.
            await self._buffered(scope, receive, send)
            return
        try:
            declared = int(headers[b"content-length"])
        except ValueError:
            declared = self.max_bytes + 1
        if declared > self.max_bytes:
            await _reply(send, 413, b"Request body too large.")
            return
        await self.app(scope, receive, send)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_bytes:
                await _reply(send, 413, b"Request body too large.")
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _reply(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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


def launch_options(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch()`; see the module docstring for why each."""
    from starlette.middleware import Middleware

    from qa.web import CSS, theme

    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "auth": auth_from_env(env),
        "allowed_paths": [],
        "blocked_paths": [str(settings.corpus_dir.resolve()), str(settings.index_dir.resolve())],
        "max_file_size": MAX_FILE_SIZE,
        "app_kwargs": {"middleware": [Middleware(RequestGuard, max_bytes=MAX_BODY_BYTES)]},
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


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> None:
    """Warm up the QA system (model, index, one question), then serve the chat until stopped."""
    # Before gradio is imported: it reads this at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from qa.pipeline import QA
    from qa.web import MAX_PASSAGES, build_demo

    options = launch_options(settings, env)  # fail on a bad QA_AUTH before the slow part
    system = QA(settings).warm_up()
    demo = build_demo(system, default_k=min(settings.top_k, MAX_PASSAGES))
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE, api_open=False)
    demo.launch(**options)


if __name__ == "__main__":
    serve(Settings.from_env())
