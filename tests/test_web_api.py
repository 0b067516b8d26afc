"""The JSON question API without Gradio (qa/web/api.py): `POST /ask` answers with
`Answer.to_dict()`, refuses bad requests with a JSON error and the right status, applies
basic auth from QA_AUTH, and bounds the questions waiting. Fake model: fast and exact."""

from __future__ import annotations

import base64
import json
import logging
import threading
from typing import Any

import pytest
from starlette.testclient import TestClient

from qa.index.store import IndexMissing
from qa.pipeline import QA
from qa.web import api
from qa.web.api import AskRoute, RequestError, answer_request, credentials_match, request_values
from qa.web.dispatch import Dispatcher

QUESTION = "What was the total revenue?"


def _client(system: QA, **options: Any) -> TestClient:
    settings: dict[str, Any] = {"concurrency": 2, "queue_size": 4, **options}
    return TestClient(AskRoute(system, **settings), raise_server_exceptions=False)


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_the_route_answers_with_answer_to_dict(hash_qa: QA) -> None:
    reply = _client(hash_qa).post("/ask", json={"question": QUESTION, "k": 3})
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    expected = hash_qa.ask(QUESTION, 3).to_dict()
    data = reply.json()
    data.pop("seconds"), expected.pop("seconds")
    assert data == expected
    assert data["figure"]["text"] == "RMB1.42 billion" and len(data["passages"]) == 3


def test_k_defaults_to_five_and_docs_limit_the_answer(hash_qa: QA) -> None:
    client = _client(hash_qa)
    assert len(client.post("/ask", json={"question": QUESTION}).json()["passages"]) == 5
    chosen = {"question": QUESTION, "docs": ["sensetime-2022-interim-results"]}
    assert client.post("/ask", json=chosen).json()["figure"]["text"] == "RMB1.42 billion"


def test_non_ascii_answers_are_utf8_json(hash_qa: QA) -> None:
    reply = _client(hash_qa).post("/ask", json={"question": "总收入是多少？"})
    assert reply.status_code == 200 and "总收入是多少？".encode() in reply.content


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"not json", 400, 'the body must be JSON: {"question": "...", "k": 5}'),
        (b"\xff\xfe\x00", 400, "the body must be JSON"),
        (b"", 400, "the body must be JSON"),
        (b'["What was revenue?"]', 400, 'the body must be a JSON object with a "question"'),
        (b'{"k": 3}', 400, 'the body must be a JSON object with a "question"'),
        (b'{"question": "q", "top_k": 3}', 400, "unknown field(s) ['top_k']; the fields are"),
        (b'{"question": ""}', 400, "the question is empty"),
        (b'{"question": null}', 400, "question must be a string; it is missing or null"),
        (b'{"question": 42}', 400, "question must be a string, not int"),
        (json.dumps({"question": "z" * 2000}).encode(), 400, "the limit is 1,000"),
        (b'{"question": "revenue", "k": 0}', 400, "k must be an integer from 1 to 10, got 0"),
        (b'{"question": "revenue", "k": "5"}', 400, "k must be an integer from 1 to 10"),
        (b'{"question": "revenue", "k": true}', 400, "k must be an integer from 1 to 10"),
        (b'{"question": "revenue", "k": null}', 400, "k must be an integer from 1 to 10"),
        (b'{"question": "revenue", "docs": "a.md"}', 400, "docs must be a list of document"),
        (b'{"question": "revenue", "docs": ["nope.pdf"]}', 400, "unknown document(s) ['nope.pdf']"),
    ],
)
def test_bad_requests_get_a_json_error_and_400(
    hash_qa: QA, body: bytes, status: int, message: str
) -> None:
    reply = _client(hash_qa).post("/ask", content=body)
    assert reply.status_code == status
    assert message in reply.json()["error"], reply.json()
    assert "Traceback" not in reply.text


def test_a_refusal_is_one_log_line_without_a_traceback(
    hash_qa: QA, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        _client(hash_qa).post("/ask", json={"question": ""})
    (record,) = [r for r in caplog.records if r.name == "qa.web.api"]
    assert record.getMessage().startswith("/ask refused: the question is empty")
    assert record.exc_info is None


def test_only_post_is_allowed(hash_qa: QA) -> None:
    reply = _client(hash_qa).get("/ask")
    assert reply.status_code == 405 and reply.headers["allow"] == "POST"
    assert "use POST" in reply.json()["error"]


def test_a_stale_index_is_a_server_error_that_says_so(
    hash_qa: QA, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise IndexMissing("no index in idx/; run `qa index`")

    monkeypatch.setattr(QA, "ask", missing)
    reply = _client(hash_qa).post("/ask", json={"question": QUESTION})
    assert reply.status_code == 500
    assert reply.json() == {"error": "no index in idx/; run `qa index`"}


def test_an_unexpected_error_is_an_apology_and_a_logged_traceback(
    hash_qa: QA, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("exploded")

    monkeypatch.setattr(QA, "ask", explode)
    with caplog.at_level(logging.ERROR):
        reply = _client(hash_qa).post("/ask", json={"question": QUESTION})
    assert reply.status_code == 500 and reply.json() == {"error": api.APOLOGY}
    assert "exploded" not in reply.text
    assert any(r.exc_info for r in caplog.records if r.name == "qa.web.api")


def test_basic_auth_is_required_when_set(hash_qa: QA) -> None:
    client = _client(hash_qa, auth=("analyst", "s3cret"))
    body = {"question": QUESTION}
    wrong = [{}, _basic("analyst", "wrong"), _basic("other", "s3cret"), {"Authorization": "B x"}]
    for headers in wrong:
        refused = client.post("/ask", json=body, headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["www-authenticate"].startswith('Basic realm="release-qa"')
        assert "user name and password" in refused.json()["error"]
    assert client.post("/ask", json=body, headers=_basic("analyst", "s3cret")).status_code == 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("Basic", False),
        ("Basic !!!notbase64", False),
        ("Basic " + base64.b64encode(b"ann:pw:x").decode(), True),  # a colon in the password
        ("basic " + base64.b64encode(b"ann:pw:x").decode(), True),  # the scheme is any case
        ("Basic " + base64.b64encode(b"ann:pw").decode(), False),
    ],
)
def test_credentials_match(header: str | None, expected: bool) -> None:
    assert credentials_match(header, ("ann", "pw:x")) is expected


def test_questions_past_the_queue_are_refused_at_once(
    hash_qa: QA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 1 answering and 1 waiting allowed, a third concurrent question gets 503."""
    entered, release = threading.Event(), threading.Event()
    real_ask = QA.ask

    def slow_ask(self: QA, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        assert release.wait(timeout=30)
        return real_ask(self, *args, **kwargs)

    monkeypatch.setattr(QA, "ask", slow_ask)
    route = AskRoute(hash_qa, concurrency=1, queue_size=1)
    route.pending = 1  # one question is being answered already (on another connection)
    with TestClient(Dispatcher({"/ask": route})) as client:  # one event loop for all
        statuses: list[int] = []

        def wait_in_line() -> None:
            statuses.append(client.post("/ask", json={"question": QUESTION}).status_code)

        waiting = threading.Thread(target=wait_in_line)
        waiting.start()
        assert entered.wait(timeout=30)
        busy = client.post("/ask", json={"question": QUESTION})
        release.set()
        waiting.join(timeout=30)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert "busy" in busy.json()["error"]
    assert statuses == [200]


def test_answer_request_and_request_values_raise_request_errors(hash_qa: QA) -> None:
    with pytest.raises(RequestError, match="k must be an integer") as raised:
        answer_request(hash_qa, QUESTION, 11)
    assert raised.value.status == 400
    assert request_values(b'{"question": "q", "k": 2, "docs": ["a"]}') == ("q", 2, ["a"])
