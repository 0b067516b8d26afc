"""Helpers to run the web chat in a subprocess and drive it with headless Chromium.

Shared by tests/test_browser.py and scripts/screenshot.py. Chromium is the Debian package at
/usr/bin/chromium (never `playwright install`); the flags keep it offline and quiet.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Model load + index build + warm-up + Gradio start; generous for a busy 2-core CI machine.
START_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chat_ready(url: str) -> bool:
    """Whether the Gradio chat is mounted (its API info answers; 503 while it loads)."""
    try:
        with urllib.request.urlopen(url + "/gradio_api/info", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def json_ready(url: str) -> bool:
    """Whether the JSON route answers a question (it does before the chat is mounted)."""
    body = json.dumps({"question": "What was the total revenue?"}).encode()
    request = urllib.request.Request(url + "/ask", data=body)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_server(
    corpus: Path,
    index: Path,
    log: Path,
    env: dict[str, str] | None = None,
    ready: Callable[[str], bool] = chat_ready,
) -> Iterator[str]:
    """Run `qa serve` on a free port over `corpus`; yield its URL once `ready(url)` (by
    default: the chat is mounted); stop it afterwards.

    The server's output goes to `log`, which is quoted if it fails to start."""
    port = free_port()
    environment = {
        **os.environ,
        "QA_CORPUS_DIR": str(corpus),
        "QA_INDEX_DIR": str(index),
        "QA_HOST": "127.0.0.1",
        "QA_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "qa.cli", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not ready(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"server did not start (exit {process.poll()}):\n{tail}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@contextlib.contextmanager
def chromium_page(width: int = 1366, height: int = 768) -> Iterator[Any]:
    """A Playwright page in headless Debian Chromium, laptop-sized by default."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def ask_in_page(page: Any, question: str, expect: str, timeout_ms: int = 30_000) -> None:
    """Type a question into the chat, press Enter, and wait until the last bot message
    contains `expect`."""
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    bot = page.locator('#chat [data-testid="bot"]').last
    bot.filter(has_text=expect).wait_for(timeout=timeout_ms)
