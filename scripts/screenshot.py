"""Regenerate docs/screenshot.png: start the web chat, ask one question in headless Chromium
at laptop size (1366x768), and save the page.

    .venv/bin/python scripts/screenshot.py [--out docs/screenshot.png] [--question "..."]

Uses the shipped corpus and a temporary index, so the repository's index/ is untouched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the server and browser helpers live with the tests

from tests.browser_helpers import ask_in_page, chromium_page, running_server  # noqa: E402

QUESTION = "What was the total revenue?"
EXPECT = "RMB1.42 billion"


def main(argv: list[str] | None = None) -> int:
    """Start the server, ask, screenshot; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--expect", default=EXPECT, help="text the reply must contain")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-screenshot-") as tmp:
        folder = Path(tmp)
        log = folder / "server.log"
        with running_server(ROOT / "corpus", folder / "index", log) as url, chromium_page() as page:
            page.goto(url)
            ask_in_page(page, args.question, args.expect)
            page.locator("#passages mark.fig").first.wait_for()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
