"""The server's top ASGI app: a few routes of its own from the first moment (the JSON `/ask`),
and every other path through an app that is built later, on another thread, and mounted while
the server runs (the Gradio chat, whose import alone takes seconds). Until it is mounted those
paths get a small "loading" page (503, Retry-After: 1), so the chat's URL already says what is
happening, and readiness checks (`GET /` is 200) mean what they always meant.

Gradio starts its queue in its app's lifespan, which a server runs once, at start; an app
mounted later would never run it (a known Gradio limitation when mounting into a running app),
so `Lifespan` runs it the way a server does, on the server's event loop.
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from qa.web.guard import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

RETRY_SECONDS = 1


@dataclass(frozen=True)
class Mounted:
    """An app built to be mounted, and how to end its long-lived responses (event streams)
    when the server begins to stop, so stopping waits for none of them."""

    app: ASGIApp
    close: Callable[[], None]


class Lifespan:
    """An ASGI app's lifespan, driven as a server drives it: `start()` sends the startup event
    and waits for the app's reply; `stop()` sends the shutdown event and waits for it to end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._replies: asyncio.Queue[Message] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run the app's startup; raise RuntimeError if it fails."""
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}}
        self._task = asyncio.ensure_future(self.app(scope, self._inbox.get, self._replies.put))
        await self._inbox.put({"type": "lifespan.startup"})
        reply = await self._reply()
        if reply.get("type") != "lifespan.startup.complete":
            done, _ = await asyncio.wait([self._task], timeout=5)
            if done:
                self._task.exception()  # retrieved: it is reported below, and logged
            # Starlette's message is a traceback; its last line names the error.
            lines = str(reply.get("message") or reply).strip().splitlines()
            raise RuntimeError(f"startup failed: {lines[-1] if lines else reply}")

    async def stop(self) -> None:
        """Run the app's shutdown (a no-op if it never started)."""
        if self._task is None or self._task.done():
            return
        await self._inbox.put({"type": "lifespan.shutdown"})
        await self._reply()
        await asyncio.wait([self._task], timeout=5)

    async def _reply(self) -> Message:
        """The app's next message, or a failure if the app ended without one."""
        assert self._task is not None
        getting = asyncio.ensure_future(self._replies.get())
        done, _ = await asyncio.wait([getting, self._task], return_when=asyncio.FIRST_COMPLETED)
        if getting in done:
            return getting.result()
        getting.cancel()
        error = self._task.exception()
        return {"type": "lifespan.failed", "message": repr(error) if error else "app ended"}


class Dispatcher:
    """ASGI app: `routes` (path -> app) from the start; everything else through the app that
    `build` returns once it is built (on a thread started at server startup) and started.
    The server calls `closing()` when it begins to stop.

    `build` runs off the event loop and may take seconds; if it raises, the failure is logged
    and the other paths answer 500 with a message, while `routes` keep answering."""

    def __init__(
        self,
        routes: Mapping[str, ASGIApp],
        build: Callable[[], Mounted] | None = None,
        *,
        title: str = "",
    ) -> None:
        self.routes = dict(routes)
        self.build = build
        self.title = title
        self.ui: ASGIApp | None = None
        self._close: Callable[[], None] | None = None
        self.failed = ""
        self.ready = threading.Event()  # set once the UI is mounted or has failed
        self.on_ready: Callable[[], None] | None = None  # called then, on the loader thread
        self.ready_seconds: float | None = None
        self._lifespan: Lifespan | None = None
        self._started = time.perf_counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._serve_lifespan(receive, send)
            return
        route = self.routes.get(str(scope.get("path", ""))) if scope["type"] == "http" else None
        if route is not None:
            await route(scope, receive, send)
        elif self.ui is not None:
            await self.ui(scope, receive, send)
        elif scope["type"] == "http":
            await self._loading(scope, send)
        else:  # a websocket before the UI exists: refuse it
            await send({"type": "websocket.close", "code": 1013})

    async def _serve_lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.build is not None:
                    loop = asyncio.get_running_loop()
                    threading.Thread(
                        target=self._load, args=(loop,), name="qa-ui-loader", daemon=True
                    ).start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._lifespan is not None:
                    await self._lifespan.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _load(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the loader thread: build the UI, then start and mount it on the server's loop."""
        try:
            if self.build is not None:
                mounted = self.build()
                asyncio.run_coroutine_threadsafe(self._mount(mounted), loop).result()
        except Exception as error:
            log.exception("the web chat failed to load; POST /ask still answers")
            self.failed = f"{type(error).__name__}: {error}"[:300]
        finally:
            self.ready.set()
            if self.on_ready is not None:
                self.on_ready()

    async def _mount(self, mounted: Mounted) -> None:
        lifespan = Lifespan(mounted.app)
        await lifespan.start()
        self._lifespan, self._close, self.ui = lifespan, mounted.close, mounted.app
        self.ready_seconds = time.perf_counter() - self._started

    def closing(self) -> None:
        """The server begins to stop: end the mounted app's event streams now."""
        if self._close is not None:
            self._close()

    async def _loading(self, scope: Scope, send: Send) -> None:
        if self.failed:
            status, text = 500, "The chat failed to load; the error is in the server log."
        else:
            status, text = 503, "The chat is loading; this page reloads by itself."
        if scope.get("path") == "/" and not self.failed:
            body = _loading_page(self.title, text).encode()
            kind = b"text/html; charset=utf-8"
        else:
            body, kind = text.encode(), b"text/plain; charset=utf-8"
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        if not self.failed:
            headers.append((b"retry-after", str(RETRY_SECONDS).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _loading_page(title: str, text: str) -> str:
    """A page that reloads itself every RETRY_SECONDS until the chat answers instead."""
    name = html.escape(title or "Loading")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='{RETRY_SECONDS}'><title>{name}</title></head>"
        "<body style='font-family:system-ui,sans-serif;margin:3rem;color:#334'>"
        f"<h1 style='font-size:1.4rem'>{name}</h1><p>{html.escape(text)}</p>"
        "<p>Questions are answered already: <code>POST /ask</code> with "
        '<code>{"question": "..."}</code>.</p></body></html>'
    )
