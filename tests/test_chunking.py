"""Structure-aware chunking of the shipped release: exact spans, full coverage, sections."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.ingest.chunking import blocks, chunk_document, chunk_paragraphs
from qa.ingest.corpus import content_id
from qa.text.sentences import sentence_spans
from qa.types import Document


def document(text: str) -> Document:
    return Document(content_id(text), "doc.txt", "Doc", text)


@pytest.fixture(scope="module")
def release(release_text: str) -> Document:
    return document(release_text)


def test_every_chunk_is_an_exact_slice_of_the_source(release: Document) -> None:
    chunks = chunk_document(release)
    assert len(chunks) > 30
    for chunk in chunks:
        assert release.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip() == chunk.text and chunk.text


def test_every_sentence_of_the_release_lands_in_a_chunk(release: Document) -> None:
    chunks = chunk_document(release)
    covered = [(c.start, c.end) for c in chunks]
    content = [b for b in blocks(release.text) if b.kind not in ("heading", "debris")]
    sentences = [s for b in content for s in sentence_spans(release.text, b.start, b.end)]
    assert len(sentences) > 90
    for start, end in sentences:
        assert any(a <= start and end <= b for a, b in covered), release.text[start:end]


def test_chunks_do_not_overlap_and_keep_document_order(release: Document) -> None:
    chunks = chunk_document(release)
    for before, after in itertools.pairwise(chunks):
        assert before.end <= after.start


@pytest.mark.parametrize(
    ("needle", "section"),
    [
        ("total revenue was RMB1.42 billion", "Business highlights in 1H2022"),
        (
            "one of the world's leading AI supercomputing clusters",
            "Business Review › Industry leading AI",
        ),
        ("Alfa Romeo F1 team", "Smart Auto accelerates commercialization"),
        ("75 hospitals", "Smart Life achieves strategic upgrade and expansion"),
        ("640 stations", "Smart Business sees robust growth"),
        ("maintain the market leading position", "Strategic Outlook"),
        ("China Artificial Intelligence Market 2021H2", "Notes"),
    ],
)
def test_headings_and_bullet_lead_ins_become_section_labels(
    release: Document, needle: str, section: str
) -> None:
    chunk = next(c for c in chunk_document(release) if needle in c.text)
    assert section in chunk.section


def test_the_ceo_quote_is_not_filed_under_the_highlights_list(release: Document) -> None:
    chunk = next(c for c in chunk_document(release) if "Dr. Xu Li" in c.text)
    assert "highlights" not in chunk.section


def test_web_page_debris_is_not_a_chunk(release: Document) -> None:
    assert not any("Apply for Trial" in c.text for c in chunk_document(release))
    assert not any("Apply for Trial" in c.text for c in chunk_paragraphs(release))


def test_bullets_and_numbered_items_are_their_own_chunks(release: Document) -> None:
    chunks = chunk_document(release)
    patents = next(c for c in chunks if "12,502" in c.text)
    assert patents.kind == "bullet" and patents.text.startswith("●")
    numbered = [c for c in chunks if c.kind == "numbered"]
    assert [c.text[:2] for c in numbered] == ["1.", "2.", "3.", "4.", "5."]


def test_long_paragraphs_become_balanced_sentence_windows(release: Document) -> None:
    chunks = chunk_document(release, max_chars=300)
    windows = [c for c in chunks if c.kind == "sentences"]
    assert windows
    for chunk in windows:
        # Windows end at sentence ends unless one sentence alone is over the limit.
        assert re.search(r"[.!?”\]:]$", chunk.text) or len(chunk.text) > 300


def test_max_chars_must_leave_room_for_a_sentence(release: Document) -> None:
    with pytest.raises(ValueError, match="max_chars must be at least 32"):
        chunk_document(release, max_chars=10)


def test_token_limit_is_respected_with_a_tokenizer() -> None:
    text = "一二三四五六七八九十" * 300 + "。"  # CJK: about one token per character
    doc = document(text)
    chunks = chunk_document(doc, count_tokens=lambda t: len(t) + 2, max_tokens=256)
    assert all(len(c.text) + 2 <= 256 for c in chunks)
    assert "".join(c.text for c in chunks) == text


def test_a_one_megabyte_single_line_chunks_within_limits() -> None:
    text = ("revenue grew " * 80_000)[:1_000_000]
    chunks = chunk_document(document(text))
    assert all(len(c.text) <= 960 for c in chunks)
    assert sum(len(c.text) for c in chunks) >= len(text.replace(" ", "")) * 0.9


def test_deeply_nested_bullets_chunk_within_limits() -> None:
    lines = [
        f"{'  ' * depth}● level {depth} item with RMB{depth}.5 million." for depth in range(200)
    ]
    text = "\n".join(lines)
    chunks = chunk_document(document(text))
    assert all(len(c.text) <= 960 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_markdown_headings_label_sections() -> None:
    text = "# Results\n\nRevenue was RMB5 billion.\n\n## Outlook\n\nWe expect growth."
    chunks = chunk_document(document(text))
    assert [(c.section, c.text) for c in chunks] == [
        ("Results", "Revenue was RMB5 billion."),
        ("Results › Outlook", "We expect growth."),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000))
def test_chunker_fuzz_spans_exact_no_empty_chunks(text: str) -> None:
    doc = document(text)
    chunks = chunk_document(doc, max_chars=64)
    for chunk in chunks:
        assert chunk.text and doc.text[chunk.start : chunk.end] == chunk.text
    # Coverage: every non-space character outside headings/debris is in some chunk.
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    skipped = set()
    for block in blocks(text):
        if block.kind in ("heading", "debris"):
            skipped.update(range(block.start, block.end))
    missing = [
        i for i, ch in enumerate(text) if not ch.isspace() and i not in covered and i not in skipped
    ]
    assert not missing


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Revenue rose.", "● Item one.", "1. First.", "Heading", "", "RMB1.42 billion."]
        ),
        max_size=40,
    )
)
def test_chunker_fuzz_structured_documents(parts: list[str]) -> None:
    text = "\n\n".join(parts)
    for chunk in chunk_document(document(text)):
        assert text[chunk.start : chunk.end] == chunk.text
