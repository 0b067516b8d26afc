"""The source-table view in a real browser: `qa serve` over a release with a table (real
model, temporary index) driven by headless Debian Chromium via Playwright. An answer read
from a table cell shows the table with that cell highlighted, a chart of its row, and a
"Download figures (CSV)" button whose file holds the cell."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import CHROMIUM, ROOT, ask_in_page, chromium_page, running_server
from tests.test_tables import IMFT

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

ARTIFACTS = ROOT / "artifacts"
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Micron IMFT notes</title>
</head><body><main><h1>Micron IMFT notes</h1>{IMFT}</main></body></html>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A laptop-sized page on `qa serve` over the one-table release."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make browser-deps` installs it"
    folder = tmp_path_factory.mktemp("tables")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "imft.html").write_text(PAGE, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "browser-tables-server.log"
    with running_server(folder / "corpus", folder / "index", log) as url, chromium_page() as page:
        page.goto(url)
        page.locator("#question textarea").wait_for()
        yield page


def test_a_table_answer_shows_the_table_with_the_cell_highlighted_and_a_row_chart(
    page: Any,
) -> None:
    assert not page.locator("#source-table").is_visible()
    ask_in_page(page, "What were the total liabilities of IMFT in 2018?", "1,305")
    view = page.locator("#source-table")
    view.locator("td.cell-answer").wait_for()
    answer = view.locator("td.cell-answer")
    assert answer.count() == 1 and answer.inner_text() == "$ 1,305"
    row = view.locator("tr:has(td.cell-answer)")
    assert "Total liabilities" in row.inner_text()
    assert view.locator("thead th", has_text="2018").count() == 1
    chart = view.locator("figure.row-chart svg")
    assert chart.is_visible() and chart.locator("rect").count() == 2
    assert answer.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(253, 224, 71)"
    page.screenshot(path=str(ARTIFACTS / "browser-table.png"))


def test_download_figures_csv_holds_the_answering_cell(page: Any) -> None:
    button = page.locator("#download-figures")
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    rows = list(csv.DictReader(Path(download.value.path()).read_text("utf-8").splitlines()))
    cell = next(r for r in rows if r["cell"] == "table 1, row 9, column 2")
    assert (cell["value"], cell["unit"], cell["metric"], cell["period"]) == (
        "1305000000", "USD", "total liabilities", "2018",
    )  # fmt: skip
    assert cell["document"] == "Micron IMFT notes"


def test_an_answer_not_read_from_a_table_hides_the_table(page: Any) -> None:
    ask_in_page(page, "What is the weather forecast for Paris?", "does not state")
    page.locator("#source-table").wait_for(state="hidden")
