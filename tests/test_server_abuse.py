"""The web server under abuse and load (issue 8): `qa serve` on loopback with the fake model,
driven over its HTTP API the way any client would (POST /gradio_api/call/ask, then read the
event stream).

Bounded: one server for the module; the load test sends `CI_REQUESTS` in CI and, under
`QA_SOAK=1` (`make soak`), `QA_SOAK_REQUESTS` (default 5,000). tests/test_browser.py covers
the main file-route probes, the 413 on /queue/join and gradio_client; these are the rest.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from qa.config import DEFAULT_MAX_QUESTION_CHARS
from qa.pipeline import clean_question
from qa.server import MAX_BODY_BYTES
from tests.browser_helpers import ROOT, running_server

from .conftest import CORPUS
from .load_helpers import ask_http, run_load
from .test_reliability import BAD_QUESTIONS

pytestmark = [pytest.mark.slow]

SOAK = os.environ.get("QA_SOAK", "") not in ("", "0")
CI_REQUESTS, CONCURRENCY = 400, 16
# A bound, not a target: on an idle 2-core machine the CI load takes about 15 s.
CI_DEADLINE = 90.0
LOAD_QUESTIONS = (
    "What was the total revenue?",
    "What was the gross profit margin?",
    "How many patents does SenseTime have?",
    "What was the net loss?",
    "How much did Smart Life revenue grow?",
    "How many employees does SenseTime have?",
    "What is the weather in Paris?",
    "总收入是多少？",
)


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    log: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`qa serve` with the fake model and no QA_HOST, i.e. the default bind address."""
    folder = tmp_path_factory.mktemp("abuse")
    log = folder / "server.log"
    env = {"QA_MODEL": "hash", "QA_HOST": ""}  # empty = unset: Settings uses the default
    with running_server(CORPUS, folder / "index", log, env=env) as url:
        yield Served(url, int(url.rsplit(":", 1)[1]), log)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as http:
        yield http


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:  # four little-endian 32-bit words
                    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def test_server_binds_loopback_only_by_default(served: Served) -> None:
    assert listening_addresses(served.port) == {"127.0.0.1"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [p for p in BAD_QUESTIONS if not isinstance(p.values[0], Path)],  # Path is not JSON
)
def test_bad_questions_through_the_http_api(
    served: Served, client: httpx.Client, question: Any, expected: tuple[type, str] | None
) -> None:
    reply = ask_http(client, served.url, question)
    if expected is None:
        assert reply.event == "complete", reply.data
        assert reply.data["question"] == clean_question(question, DEFAULT_MAX_QUESTION_CHARS)
        assert reply.data["answer"] and isinstance(reply.data["found"], bool)
    else:
        assert reply.event == "error" and reply.data["error"], reply.data
        assert "Traceback" not in reply.data["error"]
        pattern = expected[1].replace("a str", "a string")  # the API's wording for TypeError
        assert re.search(pattern, reply.data["error"]), reply.data
        assert reply.seconds < 10  # refused at once, even at 100,000 characters


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (0, "k must be an integer from 1 to 10"),
        (11, "k must be an integer from 1 to 10"),
        ("5", "k must be an integer from 1 to 10, got '5'"),
        (2.5, "k must be an integer from 1 to 10"),
        (True, "k must be an integer from 1 to 10"),
        (None, "k must be an integer from 1 to 10"),
        (10**100, "k must be an integer from 1 to 10"),
    ],
)
def test_bad_k_through_the_http_api(
    served: Served, client: httpx.Client, k: Any, message: str
) -> None:
    reply = ask_http(client, served.url, "What was the total revenue?", k)
    assert reply.event == "error" and message in reply.data["error"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"{}",
        b'{"data": "What was the revenue?"}',
        b'{"data": {"question": "revenue"}}',
        b'{"data": ["revenue", 5',
        b"\xff\xfe\x00",
    ],
)
def test_malformed_request_bodies_are_client_errors(
    served: Served, client: httpx.Client, body: bytes
) -> None:
    response = client.post(
        f"{served.url}/gradio_api/call/ask",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)  # a client error, not a crash


@pytest.mark.xfail(
    strict=True,
    reason="needs qa/web.py: with a value missing Gradio replies event 'error' with no message",
)
@pytest.mark.parametrize("data", [[], ["What was the total revenue?"]])
def test_missing_values_get_a_message_or_the_default_k(
    served: Served, client: httpx.Client, data: list[Any]
) -> None:
    posted = client.post(f"{served.url}/gradio_api/call/ask", json={"data": data})
    event_id = posted.json()["event_id"]
    text = client.get(f"{served.url}/gradio_api/call/ask/{event_id}").text
    assert "event: complete" in text or '"error": "' in text, text


@pytest.mark.xfail(
    strict=True, reason="Gradio answers an unknown api_name with 500; needs a guard in qa/server.py"
)
def test_an_unknown_endpoint_is_not_a_server_error(served: Served, client: httpx.Client) -> None:
    response = client.post(f"{served.url}/gradio_api/call/nope", json={"data": ["x"]})
    assert response.status_code in (404, 422)


def _raw_request(served: Served, method: str, path: str, body: bytes = b"") -> int:
    """Send a request as written (no client-side normalisation); return the status."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body else {}
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_body_over_the_limit_is_refused_and_a_long_question_is_answered(
    served: Served, client: httpx.Client
) -> None:
    over = json.dumps({"data": ["x" * MAX_BODY_BYTES, 5]}).encode()
    assert _raw_request(served, "POST", "/gradio_api/call/ask", over) == 413
    assert _raw_request(served, "POST", "/gradio_api/upload", over) == 413
    # 100,000 characters fit in the limit and get the pipeline's clear message, not a 413.
    reply = ask_http(client, served.url, "revenue " * 12_500)
    assert reply.event == "error" and "the limit is 1,000" in reply.data["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=app.py",
        "/gradio_api/file=README.md",
        "/gradio_api/file=.venv/pyvenv.cfg",
        "/gradio_api/file=corpus/sensetime-2022-interim-results.txt",
        f"/gradio_api/file={CORPUS / 'sensetime-2022-interim-results.txt'}",
        f"/gradio_api/file={ROOT / 'qa' / 'config.py'}",
        "/gradio_api/file=/proc/self/environ",
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=//etc/passwd",
        "/gradio_api/file=..%252F..%252F..%252Fetc%252Fpasswd",
        "/gradio_api/file=..\\..\\..\\..\\etc\\passwd",
        "/gradio_api/file=/etc/passwd%00.png",
        "/gradio_api/file=file:///etc/passwd",
        "/gradio_api/file=~/.bashrc",
        "/gradio_api/static/../../../../etc/passwd",
        "/gradio_api/file=/tmp/gradio/../../etc/passwd",
    ],
)
def test_file_routes_serve_nothing_from_outside_the_app(served: Served, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status in (403, 404), (path, response.status)
    assert b"root:" not in body and b"RMB1.42" not in body and b"PATH=" not in body


def test_an_uploaded_html_file_is_never_rendered_by_the_app(
    served: Served, client: httpx.Client
) -> None:
    files = {"files": ("x.html", b"<script>window.__pwned = 1</script>", "text/html")}
    uploaded = client.post(f"{served.url}/gradio_api/upload", files=files)
    assert uploaded.status_code == 200
    (path,) = uploaded.json()
    served_back = client.get(f"{served.url}/gradio_api/file={path}")
    assert "text/html" not in served_back.headers.get("content-type", "")
    assert served_back.headers.get("content-disposition", "").startswith("attachment")


@pytest.mark.load
def test_load_through_the_http_api_has_zero_errors(served: Served, client: httpx.Client) -> None:
    requests = int(os.environ.get("QA_SOAK_REQUESTS", "5000")) if SOAK else CI_REQUESTS
    deadline = max(CI_DEADLINE, requests / 4) if SOAK else CI_DEADLINE
    expected = {}
    for question in LOAD_QUESTIONS:  # each asked alone first: what every reply must equal
        reply = ask_http(client, served.url, question)
        assert reply.event == "complete", reply.data
        expected[question] = {k: v for k, v in reply.data.items() if k != "seconds"}
    log_before = served.log.stat().st_size
    report = run_load(
        served.url, expected, requests=requests, concurrency=CONCURRENCY, deadline=deadline
    )
    print(report.summary())
    assert report.failures == [], report.summary()
    assert report.events == {"complete": requests}, report.summary()
    with served.log.open("rb") as log:
        log.seek(log_before)
        assert b"Traceback" not in log.read()  # and nothing went wrong on the server side
