"""HTML -> the release's main text: no navigation, scripts, styles, forms or footers.

Headings become Markdown "#" lines (so the chunker labels sections), list items bullets,
tables "row label | column header | value" lines (qa.ingest.loaders.tables). The main content is
<main>, else the longest <article>, else [role=main], else <body>.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qa.ingest.loaders import Extracted
from qa.ingest.loaders.tablegrid import Grid
from qa.ingest.loaders.tableplace import place_tables
from qa.ingest.loaders.tables import render_table
from qa.ingest.loaders.tablestack import structures
from qa.types import Table

# Elements that are never release text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "form", "button",
    "nav", "header", "footer", "aside", "select", "input", "object", "embed", "head", "title",
    "meta", "link",
)  # fmt: skip
# class/id words that mark page furniture.
FURNITURE = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "sidebar", "footer", "breadcrumb", "breadcrumbs",
        "cookie", "cookies", "cookie-banner", "share", "social", "skip-link", "subscribe",
        "newsletter", "related",
    }
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure",
     "figcaption", "dd", "dt", "dl", "li"}
)  # fmt: skip
# Nested blocks read as structure; deeper ones are flattened (real pages nest a few dozen).
MAX_DEPTH = 120
# The HTML standard caps colspan at 1000; a bigger one would allocate that many cells. Spans
# fill a row up to this many columns, no further.
MAX_COLSPAN = 1000
_NOT_TEXT = ("Comment", "Doctype", "Declaration", "ProcessingInstruction")
_HEADING = re.compile(r"^h([1-6])$")


def _furniture(tag: Any) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    words = {str(w).lower() for w in (attrs.get("class") or [])}
    words.add(str(attrs.get("id") or "").lower())
    role = str(attrs.get("role") or "").lower()
    return bool(words & FURNITURE) or role in ("navigation", "banner", "contentinfo", "search")


def _inline(tag: Any) -> str:
    return " ".join(tag.get_text(" ").split())


def _main(soup: Any) -> Any:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None:
        return main
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    return soup.body or soup


def table_grid(tag: Any) -> Grid:
    """An HTML <table> as a Grid: its own rows (not those of a nested table), colspans
    expanded (a header cell repeated over the columns it spans, a body cell once), the rows
    of <thead> (or the leading all-<th> rows) as header rows, and its <caption>."""
    caption_tag = tag.find("caption")
    caption = _inline(caption_tag) if caption_tag else ""
    rows: list[tuple[str, ...]] = []
    marked = 0
    for tr in tag.find_all("tr"):
        if tr.find_parent("table") is not tag:
            continue
        cells = tr.find_all(["th", "td"], recursive=False)
        header = tr.find_parent("thead") is not None or all(c.name == "th" for c in cells)
        if header and marked == len(rows):
            marked += 1
        values: list[str] = []
        for cell in cells:
            text = _inline(cell)
            span = str(cell.get("colspan") or "1")
            digits = span.isascii() and span.isdigit()  # not "²", not 10,000 digits
            width = min(int(span[:6]), MAX_COLSPAN) if digits else 1
            extra = max(0, min(width, MAX_COLSPAN - len(values)) - 1)
            values.append(text)
            values.extend([text if header else ""] * extra)
        rows.append(tuple(values))
    return Grid(tuple(rows), marked or None, caption)


def _table(tag: Any) -> str:
    return "\n\n".join(render_table(table)[0] for table in structures(table_grid(tag)))


def _walk(node: Any, out: list[str], list_depth: int = 0, shift: int = 0, depth: int = 0) -> None:
    """Append blocks of text (paragraphs, headings, items, tables) to `out`, in order.

    Below MAX_DEPTH nested blocks the rest of the subtree is one paragraph of its text (read
    without recursion), so a page of 100,000 nested <div>s is read, not a RecursionError."""
    if depth >= MAX_DEPTH:
        text = _inline(node)
        if text:
            out.append(text)
        return
    buffer: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(buffer).split())
        if text:
            out.append(text)
        buffer.clear()

    for child in node.children:
        name = getattr(child, "name", None)
        if name is None:  # a string
            if type(child).__name__ in _NOT_TEXT:
                continue
            buffer.append(str(child))
            continue
        if name in DROP_TAGS or _furniture(child):
            continue
        if heading := _HEADING.match(name):
            flush()
            text = _inline(child)
            if text:
                level = max(1, int(heading.group(1)) - shift)
                out.append("#" * min(level, 3) + " " + text)
        elif name == "table":
            flush()
            text = _table(child)
            if text:
                out.append(text)
        elif name == "li":
            flush()
            ordered = child.parent is not None and child.parent.name == "ol"
            marker = f"{len(child.find_previous_siblings('li')) + 1}." if ordered else "●"
            inner: list[str] = []
            _walk(child, inner, list_depth + 1, shift, depth + 1)
            if inner:
                out.append(f"{marker} {inner[0]}")
                out.extend(inner[1:])
        elif name == "br":
            buffer.append("\n")
        elif name in BLOCK_TAGS or name in ("ul", "ol"):
            flush()
            _walk(child, out, list_depth, shift, depth + 1)
        else:
            buffer.append(child.get_text(" ") if not child.find(BLOCK_TAGS | {"table"}) else "")
            if child.find(BLOCK_TAGS | {"table"}):
                flush()
                _walk(child, out, list_depth, shift, depth + 1)
    flush()


def html_to_text(markup: str) -> tuple[str, str]:
    """(main text, title) of an HTML page.

    >>> html_to_text("<title>T</title><nav>Home</nav><h2>Results</h2><p>Revenue rose.</p>")
    ('## Results\\n\\nRevenue rose.', 'T')
    """
    text, title, _ = html_to_document(markup)
    return text, title


def html_to_document(markup: str) -> tuple[str, str, tuple[Table, ...]]:
    """(main text, title, tables) of an HTML page; each table spans its rendering in the text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title_tag = soup.find("title")
    title = _inline(title_tag) if title_tag else ""
    og = soup.find("meta", attrs={"property": "og:title"})
    if og is not None and og.get("content"):
        title = " ".join(str(og["content"]).split())
    blocks: list[str] = []
    main = _main(soup)
    # A page with one <h1> uses it as the title: its <h2>s are the top-level sections.
    _walk(main, blocks, shift=1 if len(main.find_all("h1")) == 1 else 0)
    if not title:
        title = next((b.lstrip("# ") for b in blocks if b.startswith("# ")), "")
    tables = [table for tag in main.find_all("table") for table in structures(table_grid(tag))]
    text, placed = place_tables("\n\n".join(blocks), tables)
    return text, title, placed


def load_html(path: Path) -> Extracted:
    """An .html/.htm file's main text (charset from the bytes; UTF-8 assumed otherwise)."""
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ValueError("looks like a binary file (contains NUL bytes)")
    from bs4 import UnicodeDammit

    markup = UnicodeDammit(raw, ["utf-8"], is_html=True).unicode_markup
    if markup is None:
        raise ValueError("cannot decode the HTML (unknown character set)")
    text, title, tables = html_to_document(markup)
    return Extracted(text, title=title, format="html", tables=tables)
