"""Plain text and Markdown files (qa/ingest/loaders/text.py): UTF-8 with line endings and the
byte-order mark normalised, binary and non-UTF-8 files refused with a reason, and tables parsed
(pipe tables in both, aligned columns only in .txt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.ingest.corpus import load_corpus
from qa.ingest.loaders.text import decode_text, load_text

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


def test_crlf_and_bom_are_normalised(make_corpus: MakeCorpus) -> None:
    (doc,) = load_corpus(make_corpus({"a.txt": "\ufeffLine one.\r\nLine two."}))[0]
    assert doc.text == "Line one.\nLine two."


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"One.\rTwo.\r\nThree.\n", "One.\nTwo.\nThree.\n"),  # old Mac, Windows and Unix ends
        ("\ufeffRevenue rose.".encode(), "Revenue rose."),
        ("Revenue \ufeff rose.".encode(), "Revenue \ufeff rose."),  # only a leading BOM goes
        ("RMB1.42 billion — 66%".encode(), "RMB1.42 billion — 66%"),
    ],
)
def test_decode_text_normalises_line_ends_and_the_bom(raw: bytes, text: str) -> None:
    assert decode_text(raw) == text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"Revenue\x00rose.", r"looks like a binary file \(contains NUL bytes\)"),
        ("Café".encode("latin-1"), r"is not UTF-8 text \(byte 3\); re-save it as UTF-8"),
    ],
)
def test_decode_text_refuses_what_is_not_utf8_text(raw: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        decode_text(raw)


ALIGNED = """Key figures

            2019      2018
Revenue    1,420.5   1,652.0
Margin       66%       70%
"""


def test_aligned_columns_are_a_table_in_text_but_not_in_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ALIGNED, encoding="utf-8")
    (tmp_path / "a.md").write_text(ALIGNED, encoding="utf-8")
    text, markdown = load_text(tmp_path / "a.txt"), load_text(tmp_path / "a.md")
    assert (text.format, markdown.format) == ("text", "markdown")
    assert len(text.tables) == 1 and "Revenue | 2019 | 1,420.5" in text.text
    assert markdown.tables == () and markdown.text == ALIGNED


def test_pipe_tables_are_read_in_both(tmp_path: Path) -> None:
    pipes = "| | 2019 |\n|---|--:|\n| Revenue | 1,420 |\n"
    for name in ("p.txt", "p.MD"):
        (tmp_path / name).write_text(pipes, encoding="utf-8")
        extracted = load_text(tmp_path / name)
        assert len(extracted.tables) == 1 and "Revenue | 2019 | 1,420" in extracted.text
