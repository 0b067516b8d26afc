"""The web chat in a real browser: `qa serve` in a subprocess (real model, the shipped release
plus a hostile document, temporary index) driven by headless Debian Chromium via Playwright.

One server and one page for the module; the tests run in file order and share the chat.
Screenshots go to artifacts/ (gitignored; CI keeps them).
"""

from __future__ import annotations

import http.client
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings
from qa.pipeline import QA
from tests.browser_helpers import (
    CHROMIUM,
    ROOT,
    ask_in_page,
    chromium_page,
    json_ready,
    running_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

ARTIFACTS = ROOT / "artifacts"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_DOC = f"""# Northwind Markup Notes

## <b>Security</b> review

The zebra crossing budget was USD7 million {SCRIPT} for the year.

The audit note read {IMG} in full, with no figures.
"""


@dataclass(frozen=True)
class Served:
    url: str
    corpus: Path
    index: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped release plus a hostile document, served by `qa serve` on a free port."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make browser-deps` installs it"
    folder = tmp_path_factory.mktemp("served")
    corpus = folder / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "hostile-notes.md").write_text(HOSTILE_DOC, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(corpus, folder / "index", ARTIFACTS / "browser-server.log") as url:
        yield Served(url, corpus, folder / "index")


@pytest.fixture(scope="module")
def outside() -> list[str]:
    """URLs the page requested from anywhere but the server (filled in by `page`)."""
    return []


@pytest.fixture(scope="module")
def page(served: Served, outside: list[str]) -> Iterator[Any]:
    """One laptop-sized page on the app."""

    def record(request: Any) -> None:
        if not request.url.startswith((served.url, "data:", "blob:")):
            outside.append(request.url)

    with chromium_page() as page:
        page.on("request", record)
        page.goto(served.url)
        page.locator("#question textarea").wait_for()
        yield page


def last_reply(page: Any) -> Any:
    return page.locator('#chat [data-testid="bot"]').last


def test_revenue_question_shows_answer_highlighted_passage_and_figure_row(page: Any) -> None:
    ask_in_page(page, "What was the total revenue?", "RMB1.42 billion")
    assert last_reply(page).locator("strong", has_text="RMB1.42 billion").count() == 1
    assert "Source:" in last_reply(page).inner_text()
    mark = page.locator("#passages mark.fig", has_text="RMB1.42 billion").first
    mark.wait_for()
    assert mark.is_visible()
    sentence = page.locator("#passages .answer-sentence").first
    assert "total revenue" in sentence.inner_text()
    first_row = page.locator("#figures tbody tr").first
    assert "RMB1.42 billion" in first_row.inner_text()
    assert "answer" in (first_row.get_attribute("class") or "")
    page.screenshot(path=str(ARTIFACTS / "browser-revenue.png"))


def test_follow_up_retrieves_the_net_loss(page: Any) -> None:
    ask_in_page(page, "And the net loss?", "RMB3.21 billion")
    assert "What was the net loss?" in last_reply(page).inner_text()
    assert page.locator("#passages mark.fig", has_text="RMB3.21 billion").count() >= 1


def test_unanswerable_question_says_not_stated(page: Any) -> None:
    ask_in_page(page, "How many employees does SenseTime have?", "does not state")
    assert last_reply(page).inner_text().startswith("The release does not state this.")
    assert "does not state this" in page.locator("#passages").inner_text()
    page.screenshot(path=str(ARTIFACTS / "browser-not-stated.png"))


def test_hostile_document_is_shown_as_text_and_runs_nothing(page: Any) -> None:
    ask_in_page(page, "What was the zebra crossing budget?", "USD7 million")
    panel = page.locator("#passages")
    panel.locator("mark.fig", has_text="USD7 million").first.wait_for()
    assert SCRIPT in panel.inner_text()
    assert "<b>Security</b>" in panel.inner_text()  # the section title, literally
    assert panel.locator("script, img, b").count() == 0
    # The chat quotes the hostile sentence too, and shows it literally.
    assert SCRIPT in last_reply(page).inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.screenshot(path=str(ARTIFACTS / "browser-hostile.png"))


def test_hostile_question_is_shown_as_text(page: Any) -> None:
    question = f"{IMG} what does the audit note read?"
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    user = page.locator('#chat [data-testid="user"]').last
    user.filter(has_text="onerror").wait_for()
    last_reply(page).wait_for()
    assert IMG in user.inner_text()
    page.locator("#passages", has_text="audit note").wait_for()
    assert IMG in page.locator("#passages").inner_text()
    assert page.locator("#passages img, #chat .message-content img").count() == 0
    page.wait_for_timeout(300)  # give an injected handler the chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_clicking_an_example_asks_it(page: Any) -> None:
    # The examples are read from the corpus: its gross profit margin for its period.
    page.locator("#examples button", has_text="What was the gross profit margin in").click()
    last_reply(page).filter(has_text="66%").wait_for(timeout=30_000)


def test_the_clear_icon_starts_a_new_conversation(page: Any) -> None:
    page.locator('#chat button[aria-label="Clear"]').click()
    page.locator("#passages", has_text="Ask a question to see").wait_for(timeout=10_000)
    assert page.locator('#chat [data-testid="bot"]').count() == 0
    # No context is left, so an elliptical question is asked as typed.
    ask_in_page(page, "And the net loss?", "RMB3.21 billion")
    assert "Read as a follow-up" not in last_reply(page).inner_text()


ZETA = """# Zeta Labs Reports 2023 Interim Results

Zeta Labs today announced results for the six months ended 30 June 2023.

## Highlights

Total revenue was RMB9.87 billion.
"""


def test_documents_are_listed_chosen_and_reloaded(page: Any, served: Served) -> None:
    selector = page.locator("#documents")
    selector.filter(has_text="2 documents indexed").wait_for(timeout=10_000)
    (served.corpus / "zeta.md").write_text(ZETA, encoding="utf-8")  # as `qa add` would
    try:
        page.locator("#reload").click()
        selector.filter(has_text="Reloaded: 1 new, 0 removed").wait_for(timeout=60_000)
        selector.locator("input").click()
        page.get_by_role("option", name="Zeta Labs Reports 2023 Interim Results").click()
        page.keyboard.press("Escape")
        ask_in_page(page, "What was the total revenue?", "RMB9.87 billion")
        assert "Zeta Labs" in page.locator("#figures tbody tr").first.inner_text()
        assert "SenseTime" not in page.locator("#passages").inner_text()
    finally:
        (served.corpus / "zeta.md").unlink()
    page.locator("#reload").click()
    selector.filter(has_text="Reloaded: 0 new, 1 removed").wait_for(timeout=60_000)
    assert "Zeta" not in selector.inner_text()  # and the choice is dropped with it


def test_the_page_fetches_nothing_from_outside_the_server(page: Any, outside: list[str]) -> None:
    assert outside == []  # no Google fonts, no CDN, no telemetry


def test_gradio_client_returns_the_same_answer_as_ask(served: Served, real_embedder: Any) -> None:
    from gradio_client import Client

    client = Client(served.url, verbose=False)
    assert set(client.view_api(return_format="dict")["named_endpoints"]) == {"/ask"}
    remote = client.predict("What was the total revenue?", api_name="/ask")
    local = (
        QA(
            Settings(corpus_dir=served.corpus, index_dir=served.index, auto_rebuild=False),
            embedder=real_embedder,
        )
        .ask("What was the total revenue?")
        .to_dict()
    )
    remote.pop("seconds"), local.pop("seconds")
    assert remote == local
    assert remote["figure"]["text"] == "RMB1.42 billion"
    with pytest.raises(Exception, match="the limit is 1,000"):
        client.predict("x" * 5000, api_name="/ask")


def _get(url: str, path: str) -> tuple[int, bytes]:
    """GET a raw path (no client-side normalisation of ../ or %2e)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_file_routes_do_not_serve_local_files(served: Served) -> None:
    release = served.corpus / "sensetime-2022-interim-results.txt"
    probes = [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        f"/gradio_api/file={release}",
        f"/gradio_api/file={served.index}",
        "/gradio_api/file=../../../../../../etc/passwd",
        "/gradio_api/file=..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/gradio_api/file/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/../../../../../../etc/passwd",
        "/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        f"/gradio_api/file={ROOT / 'pyproject.toml'}",
        "/gradio_api/file=http://127.0.0.1:1/x",
    ]
    for path in probes:
        status, body = _get(served.url, path)
        assert status in (400, 403, 404, 405), (path, status)
        assert b"root:" not in body and b"RMB1.42" not in body, path


def test_oversized_request_body_is_refused(served: Served) -> None:
    host, port = served.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        body = b'{"data": ["' + b"x" * (2 << 20) + b'"]}'
        connection.request(
            "POST",
            "/gradio_api/queue/join",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_the_json_api_answers_as_the_chat_does(served: Served) -> None:
    import httpx
    from gradio_client import Client

    question = "What was the gross profit margin?"
    remote = Client(served.url, verbose=False).predict(question, 3, api_name="/ask")
    reply = httpx.post(f"{served.url}/ask", json={"question": question, "k": 3}, timeout=60)
    assert reply.status_code == 200
    data = reply.json()
    remote.pop("seconds"), data.pop("seconds")
    assert data == remote


def test_the_loading_page_becomes_the_chat_by_itself(served: Served, page: Any) -> None:
    """A second server on the same index: a page opened as soon as `POST /ask` answers shows
    the loading page (Gradio is still importing), then reloads into the chat."""
    log = ARTIFACTS / "browser-server-loading.log"
    fresh = page.context.browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        with running_server(served.corpus, served.index, log, ready=json_ready) as url:
            first = fresh.goto(url)
            assert first is not None and first.status == 503
            assert "The chat is loading" in fresh.content()
            fresh.screenshot(path=str(ARTIFACTS / "browser-loading.png"))
            fresh.locator("#question textarea").wait_for(timeout=120_000)
            ask_in_page(fresh, "What was the total revenue?", "RMB1.42 billion")
    finally:
        fresh.close()
