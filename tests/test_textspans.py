"""Paragraph, sentence, clause and code spans (qa/text/textspans.py): a figure's context as
offsets into the text, on the shipped release and on prose that hides names among numbers."""

from __future__ import annotations

import pytest

from qa.text.sentences import sentence_spans
from qa.text.textspans import clause_end, clause_start, code_spans, paragraphs, sentences


def test_bullets_under_a_heading_line_carry_that_heading(release_text: str) -> None:
    found = paragraphs(release_text)
    assert all(release_text[p.start : p.end].strip() for p in found)
    bullets = [p for p in found if p.bullet]
    assert len(bullets) > 10
    headed = [p for p in bullets if p.heading == "Business highlights in 1H2022:"]
    assert headed and release_text[headed[0].start : headed[0].end].startswith("●")


def test_a_sentence_ends_the_heading_of_the_bullets_below() -> None:
    text = "Highlights in 1H2022:\n● Revenue rose.\nIt was a good half.\n● Cash rose.\n\n"
    found = paragraphs(text)
    assert [(p.bullet, p.heading) for p in found] == [
        (False, ""), (True, "Highlights in 1H2022:"), (False, ""), (True, ""),
    ]  # fmt: skip
    assert [text[p.start : p.end] for p in found][2] == "It was a good half."


def test_sentences_are_the_chunkers_sentences(release_text: str) -> None:
    assert sentences(release_text) == sentence_spans(release_text)
    part = sentences(release_text, 100, 900)
    assert part and all(100 <= s < e <= 900 for s, e in part)


@pytest.mark.parametrize(
    ("sentence", "at", "clause"),
    [
        ("As of June 30, 2022, the number rose, up by 26%.", "26", "up by 26%."),
        ("Loss was RMB3 billion; cash was RMB19 billion.", "19", "cash was RMB19 billion."),
        ("Revenue – up 12% – beat guidance.", "12", "up 12% – beat guidance."),
        ("Revenue was RMB1.42 billion.", "1.42", "Revenue was RMB1.42 billion."),
    ],
)
def test_a_clause_starts_after_the_last_separator_but_not_inside_a_date(
    sentence: str, at: str, clause: str
) -> None:
    assert sentence[clause_start(sentence, 0, sentence.index(at)) :] == clause


def test_a_clause_ends_at_the_next_separator_or_the_sentence_end() -> None:
    text = "Loss was RMB3 billion; cash was RMB19 billion."
    assert text[: clause_end(text, 0, len(text))] == "Loss was RMB3 billion"
    assert clause_end(text, text.index("cash"), len(text)) == len(text)
    dated = "On June 30, 2022 cash was RMB19 billion, up 5%."
    assert dated[: clause_end(dated, 0, len(dated))] == "On June 30, 2022 cash was RMB19 billion"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ('<div id="a3" data-row="42">', ['<div id="a3" data-row="42">']),
        ("Read https://example.com/report2022/page3?id=5 now", ["https://example.com/report2022/page3?id=5"]),
        ("Write to ir2@example.com today", ["ir2@example.com"]),
        ("See /api/v2/items/17 and item_3", ["/api/v2/items/17", "item_3"]),
        ("Version 1.2.3 on host 10.0.0.1", ["1.2.3", "10.0.0.1"]),
        ("Set x=2 and colour #ff0033", ["x=2", "#ff0033"]),
        ("Revenue was RMB1.42 billion, up 2.5%.", []),  # prose only
    ],
)  # fmt: skip
def test_code_spans_mark_names_that_hold_numbers(text: str, codes: list[str]) -> None:
    assert [text[s:e] for s, e in code_spans(text)] == codes
