"""Pure chunking functions: a document's structure (headings, bullets, numbered items,
paragraphs) becomes chunks that each keep their exact character span in the source.

Invariant: `document.text[chunk.start:chunk.end] == chunk.text` for every chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from qa.ingest.corpus import is_debris
from qa.text.sentences import sentence_spans, split_long
from qa.types import Chunk, Document

# Bump when chunk boundaries change: the index manifest records it and a mismatch rebuilds.
CHUNKER_VERSION = 5
# A chunk of sentences is packed up to this many characters (about 100 word-piece tokens of
# English prose): small enough to pinpoint the answer, large enough to keep a claim whole.
DEFAULT_MAX_CHARS = 480
# all-MiniLM-L6-v2 silently truncates input beyond 256 word pieces.
DEFAULT_MAX_TOKENS = 256
# Headings are short lines without terminal punctuation.
MAX_HEADING_CHARS = 140
MAX_MARKDOWN_HEADING_CHARS = 400
# This many newlines between blocks (three blank lines) mark a section break without a heading.
UNMARKED_BREAK_NEWLINES = 5

TokenCounter = Callable[[str], int]

_BULLET = re.compile(r"^\s*(?:[●•▪◦‣∙·*-]|\(?[a-z]\))\s+")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+")
_FOOTNOTE = re.compile(r"^\s*\[\d+\]\s+")
_MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+")
_BLOCK_SEPARATOR = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines in the source, with its span and structural kind."""

    start: int
    end: int
    kind: str  # heading | bullet | numbered | footnote | paragraph | debris
    level: int = 0  # heading level: 1 top, 2 sub
    gap_before: int = 0  # newlines between this block and the previous one


def _classify(text: str) -> tuple[str, int]:
    if is_debris(text):
        return "debris", 0
    markdown = _MARKDOWN_HEADING.match(text)
    # A "# " line longer than any heading is text (a page that puts everything in one <h2>,
    # a 1 MB "# ..." line): read as a heading, all of it would be lost as a section label.
    if markdown and "\n" not in text.strip() and len(text) <= MAX_MARKDOWN_HEADING_CHARS:
        return "heading", min(len(markdown.group(1)), 2)
    if _BULLET.match(text):
        return "bullet", 0
    if _NUMBERED.match(text):
        return "numbered", 0
    if _FOOTNOTE.match(text):
        return "footnote", 0
    line = text.strip()
    if "\n" not in line and len(line) <= MAX_HEADING_CHARS and not re.search(r"[.!?”\"]$", line):
        words = line.rstrip(":").split()
        # "Business Review", "Strategic Outlook": a few capitalised words are top-level.
        top = len(words) <= 4 and all(w[:1].isupper() for w in words if w.isalpha())
        return "heading", 1 if top else 2
    return "paragraph", 0


def blocks(text: str) -> list[Block]:
    """Split text at blank lines into classified blocks (spans trimmed of whitespace).

    >>> [b.kind for b in blocks("Business Review\\n\\n● Revenue rose.\\n\\nIt grew.")]
    ['heading', 'bullet', 'paragraph']
    """
    found: list[Block] = []
    cursor = 0
    gap = 0
    for separator in [*_BLOCK_SEPARATOR.finditer(text), None]:
        end = separator.start() if separator else len(text)
        start = cursor
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            kind, level = _classify(text[start:stop])
            found.append(Block(start, stop, kind, level, gap + text.count("\n", cursor, start)))
        cursor = separator.end() if separator else len(text)
        gap = separator.group(0).count("\n") if separator else 0
    return found


def _heading_text(text: str) -> str:
    return " ".join(_MARKDOWN_HEADING.sub("", text).split()).rstrip(":").strip()


def _lead_in(text: str) -> str:
    """The topic of a bullet like "● Cloud Services accelerates commercialization: In the ..."."""
    body = _BULLET.sub("", text)
    head, colon, _ = body.partition(":")
    return " ".join(head.split()) if colon and 0 < len(head) <= 80 else ""


def sectioned_blocks(document: Document) -> Iterator[tuple[Block, str]]:
    """Yield each content block with its section label ("Business Review › Cloud Services ...").

    Headings set the section: a top-level heading starts a new one, a sub-heading nests under
    the current top level. Headings before any content are the document's title. A heading
    ending in ":" introduces a list and ends with it. A bullet with a lead-in ("Cloud Services
    achieves ...: ") labels the plain paragraphs that follow it, which continue its topic in
    press releases. A quotation that runs over several paragraphs labels each of them with
    its speaker ("Dr. Ann Lee, ... Chief Executive Officer of Zenith"), since the later
    paragraphs never name them. Four or more blank lines are an unmarked section break.
    Footnotes are labelled "Notes". Content with no heading is labelled with the title.
    """
    top, sub, topic = "", "", ""
    speaker = ""
    previous_kind = ""
    list_heading = False
    seen_content = False
    for block in blocks(document.text):
        body = document.text[block.start : block.end]
        if block.kind == "debris":
            continue
        if block.gap_before >= UNMARKED_BREAK_NEWLINES:
            top, sub, topic = "", "", ""
        if block.kind == "heading":
            # Plain-text headings above the first paragraph are the title; Markdown ones count.
            name = _heading_text(body)
            # The document's own title is not a section of it ("# Title" atop Markdown).
            if (seen_content or _MARKDOWN_HEADING.match(body)) and name != document.title:
                if block.level == 1:
                    top, sub = name, ""
                else:
                    sub = name
                list_heading = body.rstrip().endswith(":")
                topic = ""
            previous_kind = "heading"
            continue
        seen_content = True
        if list_heading and block.kind == "paragraph" and previous_kind in ("bullet", "numbered"):
            sub, list_heading = "", False  # the list under "Highlights:" has ended
        if block.kind == "bullet":
            topic = _lead_in(body)
        elif block.kind != "paragraph":
            topic = ""
        previous_kind = block.kind
        speaker, quoted = _quotation(body, speaker)
        if quoted:
            yield block, " › ".join(part for part in (top, sub, quoted) if part)
            continue
        if block.kind == "footnote":
            yield block, "Notes"
            continue
        label = " › ".join(part for part in (top, sub, topic) if part)
        yield block, label or document.title


_SAID = re.compile(r"^(.{3,160}?),?\s+(?:said|says|commented|added|noted|stated)\b")


def _quotation(body: str, speaker: str) -> tuple[str, str]:
    """Track a quotation across paragraphs: returns (speaker still quoting, label for this
    block). A paragraph that opens a quote it does not close and names who "said" it starts
    one; the paragraph that closes it ends it."""
    balance = body.count("“") - body.count("”")
    if speaker:
        return ("" if balance < 0 else speaker), speaker
    said = _SAID.match(body)
    if said and balance > 0:
        name = " ".join(said.group(1).split())
        return name, name
    return "", ""


def _pack(spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Pack consecutive sentence spans into as few windows of at most max_chars as possible,
    balanced in length (no 60-character tail after a 470-character window).

    Dynamic programming over sentence boundaries: each window costs max_chars**2 plus its
    length squared, so fewer windows always win and, among equals, even lengths win.
    A single sentence longer than max_chars is its own window (split later by `_fit`).
    """
    count = len(spans)
    best: list[float] = [0.0] + [float("inf")] * count
    cut: list[int] = [0] * (count + 1)
    for end in range(1, count + 1):
        for begin in range(end - 1, -1, -1):
            length = spans[end - 1][1] - spans[begin][0]
            if length > max_chars and begin < end - 1:
                break
            cost = best[begin] + max_chars**2 + length**2
            if cost < best[end]:
                best[end], cut[end] = cost, begin
    windows: list[tuple[int, int]] = []
    end = count
    while end > 0:
        begin = cut[end]
        windows.append((spans[begin][0], spans[end - 1][1]))
        end = begin
    return windows[::-1]


def _fit(
    text: str,
    start: int,
    end: int,
    max_chars: int,
    count_tokens: TokenCounter | None,
    max_tokens: int,
) -> list[tuple[int, int]]:
    """Split a span until every piece is within max_chars and the token limit."""
    if end - start <= max_chars and (
        count_tokens is None or count_tokens(text[start:end]) <= max_tokens
    ):
        return [(start, end)]
    if end - start <= 16:
        return [(start, end)]
    half = max(16, min(max_chars, end - start) // 2)
    pieces: list[tuple[int, int]] = []
    for a, b in split_long(text, start, end, half if end - start <= max_chars else max_chars):
        pieces.extend(_fit(text, a, b, max_chars, count_tokens, max_tokens))
    return pieces


def chunk_document(
    document: Document,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    count_tokens: TokenCounter | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> list[Chunk]:
    """Structure-aware chunks: one per bullet, numbered item or short paragraph; long ones
    become windows of whole sentences. Headings label sections and are not chunks.

    `count_tokens`, when given (the embedder's tokenizer), guarantees no chunk exceeds
    `max_tokens`; the character limit alone is a conservative proxy for English prose.
    """
    if max_chars < 32:
        raise ValueError(f"max_chars must be at least 32, got {max_chars}")
    text = document.text
    chunks: list[Chunk] = []
    for block, section in sectioned_blocks(document):
        windows = _pack(sentence_spans(text, block.start, block.end), max_chars)
        for window in windows:
            # One sentence may run to twice max_chars before it is cut: splitting a claim
            # mid-sentence costs more than a long chunk (the token limit still holds).
            for start, end in _fit(text, *window, 2 * max_chars, count_tokens, max_tokens):
                kind = block.kind if (start, end) == (block.start, block.end) else "sentences"
                chunks.append(Chunk(document.id, section, text[start:end], start, end, kind))
    return chunks


def chunk_paragraphs(
    document: Document,
    *,
    count_tokens: TokenCounter | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> list[Chunk]:
    """The plain baseline: every blank-line-separated block is one chunk, headings included,
    split only where it would exceed the model's token limit."""
    text = document.text
    chunks: list[Chunk] = []
    for block in blocks(text):
        if block.kind == "debris":
            continue
        limit = 4 * max_tokens  # characters; refined by count_tokens when given
        for start, end in _fit(text, block.start, block.end, limit, count_tokens, max_tokens):
            chunks.append(Chunk(document.id, "", text[start:end], start, end, "paragraph"))
    return chunks


def chunk_corpus(
    documents: list[Document], chunker: str = "structure", count_tokens: TokenCounter | None = None
) -> list[Chunk]:
    """Chunk every document with the named chunker ("structure" or "paragraph")."""
    chunks: list[Chunk] = []
    for document in documents:
        if chunker == "paragraph":
            chunks.extend(chunk_paragraphs(document, count_tokens=count_tokens))
        else:
            chunks.extend(chunk_document(document, count_tokens=count_tokens))
    return chunks


def embedding_text(chunk: Chunk, title: str = "") -> str:
    """The text the dense model sees for a chunk: its section label, then the chunk.

    Press-release sentences lean on their heading ("Revenue per customer increased by 11%"
    under "Cloud Services ..."); the label puts that context into the vector. The chunk's span
    and displayed text are unchanged.
    """
    label = chunk.section if chunk.section and chunk.section != title else ""
    return f"{label}: {chunk.text}" if label else chunk.text


def chunker_params(chunker: str) -> dict[str, object]:
    """What the manifest records about the chunker: a change to any of it rebuilds the index."""
    return {
        "name": chunker,
        "version": CHUNKER_VERSION,
        "max_chars": DEFAULT_MAX_CHARS,
        "max_tokens": DEFAULT_MAX_TOKENS,
    }
