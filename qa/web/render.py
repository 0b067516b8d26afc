"""HTML and Markdown views of an `Answer` for the web chat: the reply, the passages panel and
the figures table.

Safety rule: every character that comes from a document or a question passes through
`html.escape` before it reaches the page. Highlighting never edits the text: it cuts the text
at figure and sentence offsets, escapes each piece, and puts our own tags *between* the
pieces, so markup in a release (`<script>`, `<img onerror=…>`) is shown as text.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Collection, Mapping

from qa.answer.compose import NOT_STATED
from qa.types import Answer, Figure, Passage

# Columns of the figures table, in order.
FIGURE_COLUMNS = (
    "Figure", "Value", "Unit", "Kind", "Metric", "Period", "Qualifier", "Document", "Section",
)  # fmt: skip
# How much of a passage a "closest passages" line in the chat quotes.
SNIPPET_CHARS = 160
# Markdown punctuation that could start emphasis, links, code, tables or maths.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~$])")
# Line-start markers that would turn a quoted snippet into a list. (">" needs no escape: as
# "&gt;" it no longer starts a quote, and "\&gt;" would show the entity itself.)
_LEADING_MARKER = re.compile(r"^(\s*)([-+]|\d+[.)])", re.MULTILINE)

# Styles for the HTML below (the page layout is in qa/web/app.py). Figures are the strongest mark;
# the answering sentence a quieter tint, so both read at once.
CSS = """
.empty { color: var(--body-text-color-subdued); padding: 8px 2px; font-size: .9rem; }
.not-stated { font-weight: 600; margin: 0 0 6px; }
.passage { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 7px 11px; margin: 0 0 8px; background: var(--background-fill-primary); }
.passage header { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: center;
  font-size: .8rem; color: var(--body-text-color-subdued); }
.passage .rank { font-weight: 700; color: var(--body-text-color); }
.passage .score { position: relative; width: 60px; height: 16px; line-height: 16px;
  border-radius: 4px; background: #eef2ff; overflow: hidden; }
.passage .score .bar { position: absolute; top: 0; bottom: 0; left: 0; background: #a5b4fc; }
.passage .score .num { position: relative; padding-left: 5px; color: #1e1b4b;
  font-variant-numeric: tabular-nums; }
.passage .section { font-weight: 600; color: var(--body-text-color); }
.passage .doc { margin-left: auto; }
.passage .text { margin: 4px 0 2px; line-height: 1.5; font-size: .92rem; }
.answer-sentence { background: #e0f2fe; border-radius: 3px; box-decoration-break: clone;
  -webkit-box-decoration-break: clone; }
mark.fig.operand { outline: 2px solid #2563eb; }
mark.fig { background: #fde047; color: inherit; font-weight: 650; padding: 0 2px;
  border-radius: 3px; }
.context summary { cursor: pointer; font-size: .78rem; color: var(--body-text-color-subdued); }
.context p { font-size: .84rem; margin: 4px 0; }
.context .ctx { color: var(--body-text-color-subdued); }
table.figures { width: 100%; border-collapse: collapse; font-size: .8rem; margin: 0;
  border: none !important; }
table.figures tr { border: 0 !important; }
table.figures th, table.figures td { border: 0; border-top: 1px solid var(--border-color-primary);
  padding: 3px 5px; text-align: left; vertical-align: top; }
table.figures th { position: sticky; top: 0; background: var(--background-fill-secondary);
  font-weight: 600; }
table.figures tr.answer td { background: #fef9c3; font-weight: 600; }
table.figures td:first-child { min-width: 6em; }
table.figures td:last-child { min-width: 6em; }
table.figures td:nth-child(2) { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures td.doc { max-width: 6.5em; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
"""


def escape(text: str) -> str:
    """HTML-escape text (quotes too, so the result is safe inside attributes).

    >>> escape('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Make text display literally in the chat's Markdown: backslash-escape Markdown syntax,
    then HTML-escape `&`, `<` and `>` (in that order, so no escape is itself escaped).

    >>> escape_markdown("*RMB* <b>1</b>")
    '\\\\*RMB\\\\* &lt;b&gt;1&lt;/b&gt;'
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # After the line above, so these backslashes are not escaped again.
    text = _LEADING_MARKER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return html.escape(text, quote=False)


def format_value(figure: Figure) -> str:
    """The figure's normalised number for the table: thousands separators, ranges with "–".

    >>> format_value(Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 0, 15))
    '1,420,000,000'
    """

    def number(value: float) -> str:
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.4f}".rstrip("0").rstrip(".")

    text = number(figure.value)
    return text if figure.high is None else f"{text}–{number(figure.high)}"


def _figure_spans(passage: Passage) -> list[tuple[int, int, Figure]]:
    """Figure spans relative to the passage text, sorted; overlapping spans merged (the first
    figure names the merged span). Spans that do not point at the figure's text are dropped:
    a wrong highlight is worse than none."""
    spans: list[tuple[int, int, Figure]] = []
    for figure in sorted(passage.figures, key=lambda f: (f.start, -f.end)):
        start, end = figure.start - passage.start, figure.end - passage.start
        if not (0 <= start < end <= len(passage.text)) or passage.text[start:end] != figure.text:
            continue
        if spans and start < spans[-1][1]:
            first_start, first_end, first = spans[-1]
            spans[-1] = (first_start, max(first_end, end), first)
        else:
            spans.append((start, end, figure))
    return spans


def _figure_title(figure: Figure) -> str:
    parts = [figure.metric, figure.period, figure.qualifier]
    return " · ".join(part for part in parts if part) or figure.kind


def highlight(passage: Passage, operands: Collection[tuple[int, int]] = ()) -> str:
    """The passage text as HTML: figures in `<mark class="fig">`, the answering sentence in
    `<span class="answer-sentence">`, everything else escaped. Figures whose (start, end) is
    in `operands` (the stated figures a computed answer used) are marked `fig operand`.

    >>> p = Passage("Revenue was RMB1 bn. <b>", 1.0, "d", "D", "S", 10, 34, 0, 10, 30,
    ...             (Figure("RMB1 bn", 1e9, "RMB", "currency", 22, 29, metric="rev"),))
    >>> print(highlight(p))
    <span class="answer-sentence">Revenue was <mark class="fig" title="rev">RMB1 bn</mark>.</span>
    &lt;b&gt;
    """
    text = passage.text
    sentence = (
        max(0, passage.sentence_start - passage.start),
        min(len(text), passage.sentence_end - passage.start),
    )
    spans = _figure_spans(passage)
    # Cut points: every span edge, so each piece is wholly inside or outside each span.
    cuts = sorted({0, len(text), *sentence, *(edge for s in spans for edge in s[:2])})
    out: list[str] = []
    open_sentence, open_figure = False, -1  # -1: no <mark> open
    for left, right in itertools.pairwise(cuts):
        in_sentence = sentence[0] <= left < sentence[1]
        figure = next((i for i, (s, e, _) in enumerate(spans) if s <= left < e), -1)
        # Close inner before outer so the tags always nest properly; a figure that crosses
        # the sentence edge is closed and reopened.
        if open_figure >= 0 and (figure != open_figure or in_sentence != open_sentence):
            out.append("</mark>")
            open_figure = -1
        if open_sentence != in_sentence:
            out.append("</span>" if open_sentence else '<span class="answer-sentence">')
            open_sentence = in_sentence
        if figure >= 0 and open_figure < 0:
            marked = spans[figure][2]
            kind = "fig operand" if (marked.start, marked.end) in operands else "fig"
            out.append(f'<mark class="{kind}" title="{escape(_figure_title(marked))}">')
            open_figure = figure
        out.append(escape(text[left:right]))
    out.append("</mark>" * (open_figure >= 0) + "</span>" * open_sentence)
    return "".join(out)


def _source(passage: Passage) -> str:
    page = f" · p. {passage.page}" if passage.page is not None else ""
    return f"{passage.doc_title or passage.doc} · {passage.section}{page}"


def answering_passage(answer: Answer) -> Passage | None:
    """The passage holding the answer's figure, else the top passage."""
    figure = answer.figure
    for passage in answer.passages:
        if figure is not None and figure in passage.figures:
            return passage
    return answer.passages[0] if answer.passages else None


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _span_in_sentence(answer: Answer) -> str:
    """A span answer in bold, then its sentence quoted with the span (or each item of a
    list) in bold; "" when the answer is not a span of its sentence.

    >>> a = Answer("Who?", "the Board", True, value="the Board",
    ...            sentence="Approved by the Board in May.")
    >>> print(_span_in_sentence(a))
    **the Board**
    <BLANKLINE>
    > “Approved by **the Board** in May.”
    """
    sentence = answer.sentence
    value = answer.value
    items = value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()
    if not sentence or not items or sentence.strip() == answer.answer.strip():
        return ""
    pieces, at = [], 0
    for item in items:
        found = sentence.find(item, at)
        if not item or found < 0:
            return ""
        pieces += [escape_markdown(sentence[at:found]), f"**{escape_markdown(item)}**"]
        at = found + len(item)
    pieces.append(escape_markdown(sentence[at:]))
    head = "; ".join(f"**{escape_markdown(item)}**" for item in items)
    return f"{head}\n\n> “{''.join(pieces)}”"


def reply_markdown(answer: Answer, read_as: str | None = None) -> str:
    """The chat reply: the direct answer (figure in bold) and its citation, or the "not
    stated" line with the closest passages. `read_as` notes how a follow-up was understood."""
    lines: list[str] = []
    if answer.found:
        figure = answer.figure
        text = answer.answer
        quoted = _span_in_sentence(answer)
        if quoted:
            lines.append(quoted)
        elif figure is not None and figure.text in text:
            before, _, after = text.partition(figure.text)
            lines.append(
                f"{escape_markdown(before)}**{escape_markdown(figure.text)}**"
                f"{escape_markdown(after)}"
            )
        else:
            lines.append(escape_markdown(text))
        passage = answering_passage(answer)
        citation = answer.citation or (_source(passage) if passage else "")
        if passage is not None and passage.page is not None and "p. " not in citation:
            citation += f" · p. {passage.page}"
        if citation:
            lines.append(f"Source: *{escape_markdown(citation)}*")
    else:
        # A "not stated" answer of the pipeline explains why; any other unfound answer gets
        # the plain line.
        text = answer.answer if answer.reason is not None else NOT_STATED
        lines.append(escape_markdown(text))
        if answer.passages:
            closest = [
                f"{rank}. *{escape_markdown(p.section)}* ({p.score:.2f}): "
                f"“{escape_markdown(_snippet(p.text))}”"
                for rank, p in enumerate(answer.passages[:3], start=1)
            ]
            lines.append("Closest passages:\n" + "\n".join(closest))
    if read_as:
        lines.append(f"*Read as a follow-up: “{escape_markdown(read_as)}”*")
    return "\n\n".join(lines)


def passage_card(rank: int, passage: Passage, operands: Collection[tuple[int, int]] = ()) -> str:
    """One passage as an `<article>`: rank, score bar, section, document, highlighted text and
    the neighbouring text in a collapsed `<details>`."""
    percent = round(max(0.0, min(1.0, passage.score)) * 100)
    page = f" · p. {passage.page}" if passage.page is not None else ""
    context = ""
    if passage.context_before or passage.context_after:
        context = (
            '<details class="context"><summary>Surrounding text</summary>'
            f'<p class="ctx">{escape(passage.context_before)}</p>'
            f'<p class="ctx-current">{escape(passage.text)}</p>'
            f'<p class="ctx">{escape(passage.context_after)}</p></details>'
        )
    return (
        f'<article class="passage" data-rank="{rank}">'
        f'<header><span class="rank">#{rank}</span>'
        f'<span class="score" title="retrieval score, 0..1">'
        f'<span class="bar" style="width:{percent}%"></span><span class="num">'
        f"{passage.score:.2f}</span></span>"
        f'<span class="section">{escape(passage.section)}</span>'
        f'<span class="doc">{escape(passage.doc_title or passage.doc)}{page}</span></header>'
        f'<p class="text">{highlight(passage, operands)}</p>{context}</article>'
    )


def passages_html(answer: Answer | None) -> str:
    """The passages panel for the latest answer (a placeholder before the first question)."""
    if answer is None:
        return '<div class="empty">Ask a question to see the passages it is answered from.</div>'
    if not answer.passages:
        return '<div class="empty">No passages were retrieved.</div>'
    note = "" if answer.found else f'<p class="not-stated">{NOT_STATED} Closest passages:</p>'
    figure = answer.figure
    derivation = figure.derivation if figure is not None else None
    operands = {(f.start, f.end) for f in derivation.operands} if derivation else set()
    cards = "".join(
        passage_card(rank, p, operands) for rank, p in enumerate(answer.passages, start=1)
    )
    return f'<div class="passages">{note}{cards}</div>'


def figure_rows(answer: Answer) -> list[tuple[Figure, Passage | None]]:
    """Figures for the table: the answer's ranked figures first, then the other figures of the
    retrieved passages in passage order, each once, with the passage it came from."""
    home = {figure: p for p in reversed(answer.passages) for figure in p.figures}
    in_passages = (figure for p in answer.passages for figure in p.figures)
    ordered = list(dict.fromkeys([*answer.figures, *in_passages]))
    return [(figure, home.get(figure)) for figure in ordered]


def figures_html(answer: Answer | None, titles: Mapping[str, str] | None = None) -> str:
    """The figures table; the answer's figure row carries class "answer". The Document column
    is `titles[figure.doc_id]` (the index's document titles), else the passage's title."""
    if answer is None:
        return '<div class="empty">Figures in the retrieved passages will be listed here.</div>'
    rows = figure_rows(answer)
    if not rows:
        return '<div class="empty">No figures in the retrieved passages.</div>'
    head = "".join(f"<th>{name}</th>" for name in FIGURE_COLUMNS)
    body = []
    for figure, passage in rows:
        document = (titles or {}).get(figure.doc_id) or (passage.doc_title if passage else "")
        cells = [
            figure.text,
            format_value(figure),
            figure.unit,
            figure.kind.replace("_", " "),
            figure.metric or "",
            figure.period or "",
            figure.qualifier or "",
        ]
        # Long titles are cut short by CSS; the tooltip has them whole. The section names the
        # source; the full citation is in its tooltip.
        doc = f'<td class="doc" title="{escape(document)}">{escape(document)}</td>'
        source = (
            f'<td title="{escape(_source(passage))}">{escape(passage.section)}</td>'
            if passage
            else "<td></td>"
        )
        css = ' class="answer"' if figure == answer.figure else ""
        cells_html = "".join(f"<td>{escape(c)}</td>" for c in cells)
        body.append(f"<tr{css}>{cells_html}{doc}{source}</tr>")
    return (
        f'<table class="figures"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
