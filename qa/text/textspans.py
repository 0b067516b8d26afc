"""Paragraph, sentence and clause spans of a text, for reading a figure's context.

Offsets are always into the text given, so callers can slice. Sentences come from the
chunker's splitter (qa/text/sentences.py), so a figure's sentence is the one retrieval marks;
this module adds paragraphs, clauses, the heading that governs a bullet, and code spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.sentences import sentence_spans

BULLET_CHARS = "●•▪◦‣-*"
# Clause boundaries inside a sentence: ; : and commas, but not the comma in "June 30, 2022".
_CLAUSE_RE = re.compile(r"[;:]\s|,(?!\s?(?:19|20)\d{2}\b)(?=\s)|\s[–—]\s")

# Text that is not prose: a number inside it is part of a name, never a quantity.
_CODE_RE = re.compile(
    r"</?[A-Za-z][^<>\n]*>"  # a markup tag: <div id="a3">, <img width=100>
    r"|\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"']+|\bwww\.[^\s<>\"']+"  # a URL
    r"|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # an e-mail address
    r"|(?<![\w/])/[\w.-]+(?:/[\w.%-]*)+"  # a path: /api/v2/items/17
    r"|\b0x[0-9A-Fa-f]+\b|#[0-9A-Fa-f]{3,8}\b"  # hex: 0x1F3, #ff0033
    r"|[A-Za-z_$][\w$.]*={1,3}[\"']?[^\s\"'<>;,&]*"  # an assignment: x=2, window.__pwned=1
    r"|\w*_\w*"  # an identifier with an underscore: item_3, file_2022_v3
    r"|(?<![\w.])[0-9]+(?:\.[0-9]+){2,}(?![\w.]*[0-9])"  # a version or address: 1.2.3, 10.0.0.1
)


@dataclass(frozen=True)
class Paragraph:
    """One non-empty line of text. `heading` is the nearest preceding heading-like line when
    this paragraph is a bullet directly under it (else "")."""

    start: int
    end: int
    bullet: bool
    heading: str


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines, with the heading ("... in 1H2022:") that governs a run of bullets.

    >>> [(p.bullet, p.heading) for p in paragraphs("Highlights in 1H2022:\\n● a\\n● b\\nText.")]
    [(False, ''), (True, 'Highlights in 1H2022:'), (True, 'Highlights in 1H2022:'), (False, '')]
    """
    result: list[Paragraph] = []
    heading = ""
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        if not line:
            continue
        bullet = line[0] in BULLET_CHARS
        if bullet:
            result.append(Paragraph(m.start(), m.end(), True, heading))
            continue
        # A short line that does not read as a sentence heads the bullets below it.
        heading = line if len(line) < 120 and not line.endswith((".", "”", '"')) else ""
        result.append(Paragraph(m.start(), m.end(), False, ""))
    return result


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]: the chunker's splitter (qa/text/sentences.py), so a
    figure's sentence is the sentence retrieval marks.

    >>> t = "Dr. Ann Lee said revenue was RMB1.42 billion. Loss fell. Cash rose"
    >>> [t[s:e] for s, e in sentences(t)]
    ['Dr. Ann Lee said revenue was RMB1.42 billion.', 'Loss fell.', 'Cash rose']
    """
    return sentence_spans(text, start, end)


def clause_start(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause that holds `pos`: after the last ; : or comma before it.

    >>> t = "As of June 30, 2022, the number rose, up by 26%."
    >>> t[clause_start(t, 0, t.index("26")):]
    'up by 26%.'
    """
    begin = sent_start
    for m in _CLAUSE_RE.finditer(text, sent_start, pos):
        begin = m.end()
    while begin < pos and text[begin].isspace():
        begin += 1
    return begin


def clause_end(text: str, pos: int, sent_end: int) -> int:
    """End of the clause that holds `pos` (the next ; : or comma, or the sentence end).

    >>> t = "Loss was RMB3 billion; cash was RMB19 billion."
    >>> t[:clause_end(t, 0, len(t))]
    'Loss was RMB3 billion'
    """
    m = _CLAUSE_RE.search(text, pos, sent_end)
    return m.start() if m else sent_end


def code_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans inside text[start:end] that are markup, URLs, e-mail addresses, paths, hex
    literals, assignments or identifiers rather than prose.

    >>> t = 'Set window.__pwned=1 at <a href="https://x.io/3">ir@x.io</a> or 0x1F.'
    >>> [t[s:e] for s, e in code_spans(t)]
    ['window.__pwned=1', '<a href="https://x.io/3">', 'ir@x.io', '</a>', '0x1F']
    """
    end = len(text) if end is None else end
    return [m.span() for m in _CODE_RE.finditer(text, start, end)]
