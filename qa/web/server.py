"""Serve the web chat (`qa serve`, `python app.py`): load the model and index once, answer one
warm-up question, then launch Gradio on settings.host:settings.port (127.0.0.1:7860 unless
QA_HOST / QA_PORT say otherwise).

Hardening, each a launch option below: no share link, no analytics, no MCP server, no server
side rendering, no run history; Gradio's file routes serve nothing from the corpus or index
(they are blocked paths, and `allowed_paths` is empty); request bodies over
`MAX_BODY_BYTES` are refused with 413; uploads with 403 (the UI takes none); API calls to any
name but the public ones with 404; basic auth from `QA_AUTH="user:password"`.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, Collection, Mapping, MutableMapping
from typing import Any

from qa.config import Settings, SettingsError

# Questions are at most a few KB of JSON; 1 MiB leaves room for a 100,000-character question
# to reach the pipeline and get its clear "too long" message instead of a bare 413.
MAX_BODY_BYTES = 1 << 20
# The UI has no upload component and RequestGuard refuses /upload; a limit all the same.
MAX_FILE_SIZE = "1mb"
# Questions answered at once. QA is thread-safe and torch runs one thread per query; on a
# 2-core machine a third concurrent query only adds latency to the other two.
CONCURRENCY = 2
# Waiting requests beyond this are told the queue is full instead of waiting for minutes.
QUEUE_SIZE = 64
AUTH_ENV = "QA_AUTH"

log = logging.getLogger(__name__)

# Gradio's HTTP API: POST .../call/[v2/]NAME starts a call, GET .../call/NAME/EVENT_ID streams it.
_API_CALL = re.compile(r"/gradio_api/call/(?:v2/)?([^/]+)")
_UPLOAD = re.compile(r"/gradio_api/upload/?$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class RequestGuard:
    """ASGI middleware in front of Gradio's routes:

    - request bodies over `max_bytes`: 413; Gradio's `/file=<http URL>` proxy: 403;
    - `POST /gradio_api/upload`: 403 (the UI has no upload component);
    - `/gradio_api/call/NAME` for a NAME not in `api_names` (when given): 404, instead of
      Gradio's 500 and traceback; private UI events are not callable this way either;
    - an exception on a `/call/` route is the client's bad request (e.g. a v2 call without a
      required value; an unknown event id, whose stream Gradio ends by raising): one log line,
      and a 400 if no response has started, instead of "Exception in ASGI application".
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY_BYTES,
        api_names: Collection[str] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.api_names = None if api_names is None else frozenset(api_names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and _declared(length) > self.max_bytes:
            await _reply(send, 413, b"Request body too large.")
            return
        refusal = self._refusal(str(scope.get("method", "")), str(scope.get("path", "")))
        if refusal is not None:
            await _reply(send, *refusal)
            return
        app = self._contained if _API_CALL.search(str(scope.get("path", ""))) else self.app
        if length is None:
            # A chunked body has no declared size: read it (it is small or refused) and
            # hand it on, so the app never sees a body over the limit.
            await self._buffered(app, scope, receive, send)
            return
        await app(scope, receive, send)

    def _refusal(self, method: str, path: str) -> tuple[int, bytes] | None:
        """(status, body) for a request refused by its method and path alone, else None."""
        lowered = path.lower()
        if "/file=http:" in lowered or "/file=https:" in lowered:
            return 403, b"File not allowed."
        if method == "POST" and _UPLOAD.search(path):
            return 403, b"This app takes no uploads."
        call = _API_CALL.search(path)
        if call and self.api_names is not None and call.group(1) not in self.api_names:
            names = ", ".join(f"/{name}" for name in sorted(self.api_names))
            detail = f"No API endpoint /{call.group(1)[:100]}; this app has {names}."
            return 404, json.dumps({"detail": detail}).encode()
        return None

    async def _contained(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = ended = False

        async def tracked(message: Message) -> None:
            nonlocal started, ended
            started = started or message["type"] == "http.response.start"
            ended = ended or (
                message["type"] == "http.response.body" and not message.get("more_body", False)
            )
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as error:
            reason = error.__cause__ or error  # Starlette wraps an HTTPException raised late
            log.warning(
                "%s %s: %s: %s",
                scope.get("method"),
                str(scope.get("path", ""))[:200],
                type(reason).__name__,
                str(reason)[:200],
            )
            log.debug("the exception in full", exc_info=True)
            if not started:
                detail = "Bad request for this endpoint; see /gradio_api/info for its parameters."
                await _reply(send, 400, json.dumps({"detail": detail}).encode())
            elif not ended:
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _buffered(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
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

        await app(scope, replay, send)


def _declared(length: bytes) -> int:
    """The Content-Length header's value; an unreadable one counts as too large."""
    try:
        return int(length)
    except ValueError:
        return 1 << 62


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

    from qa.web.app import API_NAME, CSS, theme

    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "auth": auth_from_env(env),
        "allowed_paths": [],
        "blocked_paths": [str(settings.corpus_dir.resolve()), str(settings.index_dir.resolve())],
        "max_file_size": MAX_FILE_SIZE,
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


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> None:
    """Warm up the QA system (model, index, one question), then serve the chat until stopped."""
    # Before gradio is imported: it reads this at import time.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from qa.pipeline import QA
    from qa.web.app import build_demo
    from qa.web.handlers import MAX_PASSAGES

    options = launch_options(settings, env)  # fail on a bad QA_AUTH before the slow part
    system = QA(settings).warm_up()
    demo = build_demo(system, default_k=min(settings.top_k, MAX_PASSAGES))
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE, api_open=False)
    demo.launch(**options)


if __name__ == "__main__":
    serve(Settings.from_env())
