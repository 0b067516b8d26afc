"""The server (qa/web/server.py): `POST /ask` answers before the Gradio chat exists, the chat
is mounted into the running app later with its queue started, hardening and QA_AUTH apply to
both, and `serve()` warms up before it listens. In-process (Starlette's TestClient, which runs
the lifespan as uvicorn does) with the fake model; tests/test_server_abuse.py and
tests/test_browser.py drive the real `qa serve` over HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from qa.config import Settings, SettingsError
from qa.pipeline import QA
from qa.web import server
from qa.web.dispatch import Dispatcher, Mounted
from qa.web.guard import MAX_BODY_BYTES

from .test_web_api import _basic

QUESTION = "What was the total revenue?"


def test_ui_options_are_local_private_and_serve_no_files(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    options = server.ui_options(settings, None)
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["auth"] is None and options["allowed_paths"] == []
    assert str((tmp_path / "corpus").resolve()) in options["blocked_paths"]
    assert str((tmp_path / "index").resolve()) in options["blocked_paths"]
    assert options["mcp_server"] is False and options["ssr_mode"] is False
    assert options["run_history"] is False and options["enable_monitoring"] is False
    assert options["max_file_size"] == server.MAX_FILE_SIZE


def test_host_and_port_come_from_settings() -> None:
    settings = Settings.from_env({"QA_HOST": "0.0.0.0", "QA_PORT": "8123"})
    options = server.ui_options(settings, ("u", "p"))
    assert (options["server_name"], options["server_port"]) == ("0.0.0.0", 8123)
    assert options["auth"] == ("u", "p")


def test_basic_auth_comes_from_qa_auth() -> None:
    assert server.auth_from_env({"QA_AUTH": "analyst:pa:ss"}) == ("analyst", "pa:ss")
    assert server.auth_from_env({"QA_AUTH": " "}) is None
    assert server.auth_from_env({}) is None
    for bad in ("analyst", "analyst:", ":secret"):
        with pytest.raises(SettingsError, match="QA_AUTH must look like"):
            server.auth_from_env({"QA_AUTH": bad})


def test_serve_warms_up_before_it_listens_and_refuses_a_bad_qa_auth_first(
    hash_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(QA, "warm_up", lambda self: calls.append("warm") or self)

    def fake_run(app: Any, dispatcher: Dispatcher, settings: Settings, *args: Any) -> None:
        calls.append(f"run {settings.port}")
        assert dispatcher.build is not None and dispatcher.on_ready is not None

    monkeypatch.setattr(server, "_run", fake_run)
    server.serve(hash_settings.with_(port=7999), env={"QA_AUTH": "u:p"})
    assert calls == ["warm", "run 7999"]
    with pytest.raises(SettingsError, match="QA_AUTH must look like"):
        server.serve(hash_settings, env={"QA_AUTH": "nocolon"})
    assert calls == ["warm", "run 7999"]  # refused before the slow warm-up


class HeldBuild:
    """`server.build_ui`, held back until the test releases it: the chat's slow import."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        real = server.build_ui

        def held(*args: Any) -> Mounted:
            assert self.release.wait(timeout=60)
            return real(*args)

        monkeypatch.setattr(server, "build_ui", held)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldBuild:
    return HeldBuild(monkeypatch)


def _running(
    system: QA, settings: Settings, env: dict[str, str]
) -> Iterator[tuple[TestClient, Dispatcher]]:
    app, dispatcher = server.make_app(system, settings, env)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, dispatcher


def _gradio_call(client: TestClient, data: list[Any]) -> tuple[str, Any]:
    """Gradio's HTTP API, as tests/load_helpers.py calls it: (event, data)."""
    posted = client.post("/gradio_api/call/ask", json={"data": data})
    assert posted.status_code == 200, posted.text
    stream = client.get(f"/gradio_api/call/ask/{posted.json()['event_id']}").text
    event, result = "", None
    for line in stream.splitlines():
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event in ("complete", "error"):
            result = json.loads(line.removeprefix("data: "))
            break
    return event, result


def test_json_ask_answers_first_then_the_chat_mounts_with_its_queue_running(
    hash_qa: QA, hash_settings: Settings, held: HeldBuild
) -> None:
    for client, dispatcher in _running(hash_qa, hash_settings, env={}):
        answered = client.post("/ask", json={"question": QUESTION})
        assert answered.status_code == 200
        assert answered.json()["figure"]["text"] == "RMB1.42 billion"
        assert client.get("/").status_code == 503  # the loading page
        assert client.get("/gradio_api/info").status_code == 503
        held.release.set()
        assert dispatcher.ready.wait(timeout=120) and dispatcher.failed == ""
        page = client.get("/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
        info = client.get("/gradio_api/info").json()
        assert set(info["named_endpoints"]) == {"/ask"}
        event, result = _gradio_call(client, [QUESTION, 3])  # needs the queue started
        assert event == "complete" and result[0]["figure"]["text"] == "RMB1.42 billion"
        again = client.post("/ask", json={"question": QUESTION, "k": 3}).json()
        assert {k: v for k, v in again.items() if k != "seconds"} == {
            k: v for k, v in result[0].items() if k != "seconds"
        }


def test_hardening_applies_before_and_after_the_chat_mounts(
    hash_qa: QA, hash_settings: Settings, held: HeldBuild
) -> None:
    over = json.dumps({"question": "x" * MAX_BODY_BYTES}).encode()
    for client, dispatcher in _running(hash_qa, hash_settings, env={}):
        for ready in (False, True):
            if ready:
                held.release.set()
                assert dispatcher.ready.wait(timeout=120)
            too_large = client.post("/ask", content=over)
            assert too_large.status_code == 413 and "too large" in too_large.json()["error"]
            upload = client.post("/gradio_api/upload", files={"files": ("x.html", b"<b>")})
            assert upload.status_code == 403
            unknown = client.post("/gradio_api/call/chat_submit", json={"data": ["x"]})
            assert unknown.status_code == 404 and "this app has /ask" in unknown.text
        assert client.post("/gradio_api/call/v2/ask", json={"k": 3}).status_code == 400


def test_qa_auth_guards_the_json_route_and_the_chat(
    hash_qa: QA, hash_settings: Settings, held: HeldBuild
) -> None:
    body = {"question": QUESTION}
    for client, dispatcher in _running(hash_qa, hash_settings, env={"QA_AUTH": "u:pw"}):
        assert client.post("/ask", json=body).status_code == 401
        assert client.post("/ask", json=body, headers=_basic("u", "pw")).status_code == 200
        held.release.set()
        assert dispatcher.ready.wait(timeout=120)
        assert client.post("/ask", json=body).status_code == 401
        assert client.get("/config").status_code == 401  # Gradio's login is required
        assert client.post("/gradio_api/call/ask", json={"data": [QUESTION]}).status_code == 401
        login = client.post("/login", data={"username": "u", "password": "pw"})
        assert login.status_code == 200
        event, result = _gradio_call(client, [QUESTION])
        assert event == "complete" and result[0]["found"] is True
