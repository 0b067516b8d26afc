"""The question API without Gradio: the checks both `/ask` endpoints share, and the JSON route
`POST /ask` that `qa serve` answers as soon as the model and index are loaded (Gradio, whose
import alone takes seconds, loads behind it: see qa/web/server.py).

Request: `{"question": "...", "k": 5, "docs": ["..."]}`; `k` (1-10, default 5) and `docs`
(ids, file names or titles; none = all) are optional. Reply: 200 and `Answer.to_dict()`, the
JSON `qa ask --json` prints, or a status and `{"error": message}`: 400 a malformed request or a
refused question, 401 missing or wrong credentials when QA_AUTH is set (HTTP basic auth), 405
not a POST, 413 a body over the limit (qa/web/guard.py), 503 too many questions waiting, 500
the server failed (the message when it says what to do, e.g. a stale index; else an apology,
with the traceback in the server log).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
from typing import Any

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from qa.config import MAX_TOP_K, MIN_TOP_K
from qa.index.embedding import ModelError
from qa.index.store import IndexError_
from qa.ingest.corpus import CorpusError
from qa.pipeline import QA, QuestionError, find_documents

log = logging.getLogger(__name__)

TITLE = "Release Q&A"
API_NAME = "ask"  # the one public API name, of both endpoints; RequestGuard 404s the others
DEFAULT_PASSAGES = 5
FIELDS = ("question", "k", "docs")
# Failures whose messages say what to do (rebuild the index, fix the corpus or the model):
# shown as they are. A refused question is the client's; these are the server's.
SERVER_ERRORS: tuple[type[Exception], ...] = (IndexError_, CorpusError, ModelError)
APOLOGY = "Sorry, answering that failed on the server; the error is in the server log."
REALM = b'Basic realm="release-qa", charset="UTF-8"'


class RequestError(ValueError):
    """A request refused with a message for the client; `status` is its HTTP status (400: the
    request is wrong; 500: the server cannot answer it, and the message says why)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def answer_request(
    system: QA, question: Any, k: Any = DEFAULT_PASSAGES, docs: Any = None
) -> dict[str, Any]:
    """`Answer.to_dict()` for one API request, its values as the client sent them (any JSON),
    or a RequestError that says what is wrong.

    >>> answer_request(None, "What was revenue?", k=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    qa.web.api.RequestError: k must be an integer from 1 to 10, got 0
    """
    if question is None:
        raise RequestError("question must be a string; it is missing or null")
    if not isinstance(question, str):
        raise RequestError(f"question must be a string, not {type(question).__name__}")
    if not isinstance(k, int) or isinstance(k, bool) or not MIN_TOP_K <= k <= MAX_TOP_K:
        raise RequestError(f"k must be an integer from {MIN_TOP_K} to {MAX_TOP_K}, got {k!r:.80}")
    if docs is not None and (
        not isinstance(docs, list) or not all(isinstance(name, str) for name in docs)
    ):
        raise RequestError(f"docs must be a list of document names, got {docs!r}"[:200])
    try:
        unknown = [name for name in docs or () if not find_documents(system.index, name)]
        if unknown:
            raise RequestError(
                f"unknown document(s) {unknown}; use ids, file names or titles"[:300]
            )
        return system.ask(question, k, docs=docs or None).to_dict()
    except QuestionError as error:
        raise RequestError(str(error)) from None
    except SERVER_ERRORS as error:
        raise RequestError(str(error), status=500) from None


def request_values(raw: bytes) -> tuple[Any, Any, Any]:
    """(question, k, docs) from a JSON request body, or a RequestError.

    >>> request_values(b'{"question": "What was revenue?"}')
    ('What was revenue?', 5, None)
    >>> request_values(b'{"question": "q", "top_k": 3}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    qa.web.api.RequestError: unknown field(s) ['top_k']; the fields are question, k, docs
    """
    try:
        body = json.loads(raw)
    except ValueError:
        raise RequestError('the body must be JSON: {"question": "...", "k": 5}') from None
    if not isinstance(body, dict) or "question" not in body:
        raise RequestError('the body must be a JSON object with a "question"')
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise RequestError(f"unknown field(s) {unknown[:5]}; the fields are {', '.join(FIELDS)}")
    return body["question"], body.get("k", DEFAULT_PASSAGES), body.get("docs")


def json_response(payload: dict[str, Any], status: int = 200, **headers: str) -> Response:
    """`payload` as JSON (UTF-8; ASCII escapes only for text that cannot be UTF-8, such as a
    lone surrogate a client sent)."""
    try:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        body = json.dumps(payload).encode("ascii")
    return Response(body, status, headers=headers or None, media_type="application/json")


def credentials_match(header: str | None, auth: tuple[str, str]) -> bool:
    """Whether an `Authorization: Basic ...` header carries `auth` (compared in constant time).

    >>> credentials_match("Basic " + base64.b64encode(b"ann:pw").decode(), ("ann", "pw"))
    True
    """
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = f"{auth[0]}:{auth[1]}".encode()
    return hmac.compare_digest(given, expected)


class AskRoute:
    """The ASGI app of `POST /ask`: at most `concurrency` questions answered at once (QA is
    thread-safe; each runs in a worker thread, so the event loop stays free), at most
    `queue_size` more waiting; past that, 503 at once instead of a wait of minutes."""

    def __init__(
        self,
        system: QA,
        *,
        concurrency: int,
        queue_size: int,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.system = system
        self.auth = auth
        self.limit = concurrency + queue_size
        self.pending = 0  # only touched on the event loop's thread
        self._limiter: anyio.CapacityLimiter | None = None
        self._concurrency = concurrency

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        if request.method != "POST":
            error = 'use POST with a JSON body {"question": "..."}'
            return json_response({"error": error}, 405, Allow="POST")
        if self.auth and not credentials_match(request.headers.get("authorization"), self.auth):
            return json_response(
                {"error": "this server needs a user name and password (HTTP basic auth)"},
                401,
                **{"WWW-Authenticate": REALM.decode()},
            )
        if self.pending >= self.limit:
            error = "the server is busy; try again in a moment"
            return json_response({"error": error}, 503, **{"Retry-After": "1"})
        self.pending += 1
        try:
            return await self._answer(await request.body())
        finally:
            self.pending -= 1

    async def _answer(self, raw: bytes) -> Response:
        if self._limiter is None:  # created on the event loop that uses it
            self._limiter = anyio.CapacityLimiter(self._concurrency)
        try:
            question, k, docs = request_values(raw)
            payload = await anyio.to_thread.run_sync(
                answer_request, self.system, question, k, docs, limiter=self._limiter
            )
        except RequestError as error:
            log.warning("/ask refused: %s", error)
            return json_response({"error": str(error)}, error.status)
        except Exception:
            log.exception("POST /ask failed")
            return json_response({"error": APOLOGY}, 500)
        return json_response(payload)
