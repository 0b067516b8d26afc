"""RequestGuard: ASGI middleware in front of every route of the web server (the JSON `/ask`
route and Gradio's): body size limit, no uploads, no URL proxy, 404 for API names that are not
public, and a client error instead of a traceback when a Gradio API call fails on bad input.

Standard library only, so the server can guard its first route before Gradio is imported.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

# Questions are at most a few KB of JSON; 1 MiB leaves room for a 100,000-character question
# to reach the pipeline and get its clear "too long" message instead of a bare 413.
MAX_BODY_BYTES = 1 << 20

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
    """ASGI middleware in front of the server's routes (the JSON `/ask` and Gradio's):

    - request bodies over `max_bytes`: 413 (a JSON `{"error": ...}`);
    - Gradio's `/file=<http URL>` proxy: 403;
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
        limit = f"Request body too large: the limit is {max_bytes:,} bytes."
        self._too_large = json.dumps({"error": limit}).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and _declared(length) > self.max_bytes:
            await _reply(send, 413, self._too_large)
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
                await _reply(send, 413, self._too_large)
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
    kind = b"application/json" if body.startswith(b"{") else b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
