"""qa/web/render.py: escaping first, highlights at the right offsets, the figure table's order."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from qa.types import Answer, Figure, Passage
from qa.web import render

DOC_START = 100  # passages sit at a document offset, like the real ones


def make_passage(
    text: str,
    figures: tuple[tuple[str, str], ...] = (),
    sentence: str | None = None,
    **fields: object,
) -> Passage:
    """A passage at DOC_START whose figures are given as (text, metric) found in `text`."""
    made = []
    for figure_text, metric in figures:
        start = DOC_START + text.index(figure_text)
        made.append(
            Figure(
                figure_text,
                1.0,
                "RMB",
                "currency",
                start,
                start + len(figure_text),
                metric=metric,
                period="1H2022",
            )
        )
    sentence = sentence if sentence is not None else text
    s_start = DOC_START + text.index(sentence)
    values: dict[str, object] = {
        "score": 0.8,
        "doc": "release.txt",
        "doc_title": "The Release",
        "section": "Highlights",
        "chunk_id": 0,
        "page": None,
    }
    values.update(fields)
    return Passage(
        text=text,
        start=DOC_START,
        end=DOC_START + len(text),
        sentence_start=s_start,
        sentence_end=s_start + len(sentence),
        figures=tuple(made),
        **values,  # type: ignore[arg-type]
    )


class Collector(HTMLParser):
    """Parses rendered HTML: the tags it opens and the text inside each <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.marks: list[str] = []
        self._in_mark = 0
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_mark:
            self.marks[-1] += data


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    "${alert(1)} {{constructor.constructor('alert(1)')()}}",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_passage_text_comes_out_as_text(payload: str) -> None:
    passage = make_passage(
        f"Revenue was RMB1.42 billion. {payload} end.", figures=(("RMB1.42 billion", "revenue"),)
    )
    html = render.passage_card(1, passage)
    parsed = parse(html)
    assert payload in parsed.text  # shown literally ...
    assert not {"script", "img", "a", "svg"} & set(parsed.tags)  # ... and no element made of it
    assert not any(name.startswith("on") for name, _ in parsed.attributes)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_section_title_and_context_are_escaped(payload: str) -> None:
    passage = make_passage(
        "Plain text.",
        section=payload,
        doc_title=payload,
        context_before=payload,
        context_after=payload,
    )
    parsed = parse(render.passages_html(Answer("q", "a", True, (passage,))))
    assert parsed.text.count(payload) == 4
    assert not {"script", "img", "a", "svg"} & set(parsed.tags)


def test_figures_are_marked_exactly_at_their_offsets() -> None:
    text = "Net loss was RMB3.21 billion; adjusted net loss was RMB2.56 billion."
    passage = make_passage(
        text, figures=(("RMB3.21 billion", "net loss"), ("RMB2.56 billion", "adjusted net loss"))
    )
    parsed = parse(render.highlight(passage))
    assert parsed.marks == ["RMB3.21 billion", "RMB2.56 billion"]
    assert parsed.text == text  # highlighting adds tags, never text
    assert 'title="net loss · 1H2022"' in render.highlight(passage)


def test_highlight_of_escaped_characters_keeps_offsets() -> None:
    # "&" and "<" grow when escaped; the mark must still wrap exactly the figure.
    text = "R&D <costs> were RMB2.04 billion & rising."
    passage = make_passage(text, figures=(("RMB2.04 billion", "R&D"),))
    html = render.highlight(passage)
    assert '">RMB2.04 billion</mark>' in html
    assert "R&amp;D &lt;costs&gt;" in html
    assert parse(html).text == text


def test_answering_sentence_is_marked_and_figures_nest_inside() -> None:
    text = "Intro sentence here. Total revenue was RMB1.42 billion. Outro."
    passage = make_passage(
        text,
        figures=(("RMB1.42 billion", "revenue"),),
        sentence="Total revenue was RMB1.42 billion.",
    )
    html = render.highlight(passage)
    match = re.search(r'<span class="answer-sentence">(.*?)</span>', html)
    assert match is not None
    assert parse(match.group(1)).text == "Total revenue was RMB1.42 billion."
    assert "<mark" in match.group(1)
    assert html.startswith("Intro sentence here. ")


def test_figure_crossing_the_sentence_edge_keeps_tags_nested() -> None:
    text = "First part RMB1 billion. Second."
    passage = make_passage(
        text, figures=(("RMB1 billion. Second", "x"),), sentence="First part RMB1"
    )
    html = render.highlight(passage)
    # A stack check: every close tag closes the innermost open tag.
    stack: list[str] = []
    for closing, tag in re.findall(r"<(/?)(mark|span)\b", html):
        if closing:
            assert stack.pop() == tag
        else:
            stack.append(tag)
    assert stack == []
    assert parse(html).text == text


def test_figure_whose_offsets_do_not_match_its_text_is_not_highlighted() -> None:
    passage = make_passage("Revenue was RMB1.42 billion.", figures=(("RMB1.42 billion", "r"),))
    shifted = Figure("RMB1.42 billion", 1.0, "RMB", "currency", DOC_START, DOC_START + 15)
    bad = dataclasses.replace(passage, figures=(shifted,))
    assert "<mark" not in render.highlight(bad)


def _answer(found: bool = True) -> Answer:
    first = make_passage(
        "Net loss was RMB3.21 billion. Cash was RMB19.51 billion.",
        figures=(("RMB3.21 billion", "net loss"), ("RMB19.51 billion", "cash")),
    )
    second = make_passage(
        "Total revenue was RMB1.42 billion.",
        figures=(("RMB1.42 billion", "total revenue"),),
        section="Results",
    )
    answer_figure = second.figures[0]
    return Answer(
        question="What was the total revenue?",
        answer="RMB1.42 billion — total revenue, 1H2022"
        if found
        else "The release does not state this. Nothing about staff.",
        found=found,
        reason=None if found else "not_mentioned",
        passages=(first, second),
        figures=(answer_figure, first.figures[1]) if found else (),
        citation="The Release · Results",
    )


def test_figure_table_lists_the_answer_first_then_passage_order_without_duplicates() -> None:
    rows = render.figure_rows(_answer())
    assert [figure.text for figure, _ in rows] == [
        "RMB1.42 billion",
        "RMB19.51 billion",
        "RMB3.21 billion",
    ]
    assert rows[0][1] is not None and rows[0][1].section == "Results"


def test_figure_table_html_marks_the_answer_row_and_has_every_column() -> None:
    html = render.figures_html(_answer())
    parsed = parse(html)
    for column in render.FIGURE_COLUMNS:
        assert f"<th>{column}</th>" in html
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.startswith('<tr class="answer">')
    assert "RMB1.42 billion" in first_row
    assert len(parsed.tags) == html.count("<") - html.count("</")  # no stray "<" from data


def test_figure_table_names_each_figures_document() -> None:
    answer = _answer()
    rows = parse(render.figures_html(answer)).text
    assert rows.count(answer.passages[0].doc_title) >= 3  # one cell per figure
    first = answer.figures[0]
    titled = render.figures_html(answer, {first.doc_id: "Acme <Interim>"})
    first_row = titled.split("<tbody>")[1].split("</tr>")[0]
    assert '<td class="doc" title="Acme &lt;Interim&gt;">Acme &lt;Interim&gt;</td>' in first_row


def test_reply_puts_the_figure_in_bold_and_cites_the_source() -> None:
    reply = render.reply_markdown(_answer())
    assert reply.startswith("**RMB1.42 billion** — total revenue, 1H2022")
    assert "Source: *The Release · Results*" in reply


def test_reply_for_not_stated_leads_with_it_and_lists_closest_passages() -> None:
    reply = render.reply_markdown(_answer(found=False))
    assert reply.startswith(f"{render.NOT_STATED} Nothing about staff.")
    assert "Closest passages:" in reply and "1. *Highlights* (0.80)" in reply


def test_not_stated_is_read_from_the_reason_not_from_the_answer_text() -> None:
    explained = dataclasses.replace(
        _answer(found=False), answer="Not in this release: no staff figures."
    )
    assert render.reply_markdown(explained).startswith("Not in this release: no staff figures.")
    unexplained = dataclasses.replace(
        explained, reason=None
    )  # an unfound answer that says no reason
    assert render.reply_markdown(unexplained).startswith(f"{render.NOT_STATED}\n\n")


def test_reply_escapes_markdown_and_html_from_the_release() -> None:
    hostile = Answer("q", "<img src=x onerror=alert(1)> *bold* [link](javascript:x)", True)
    reply = render.reply_markdown(hostile)
    assert "<img" not in reply and "&lt;img" in reply
    assert "\\*bold\\*" in reply and "\\[link\\]" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- not a list", "\\- not a list"),
        ("1. not a list\n2) nor this", "\\1. not a list\n\\2) nor this"),
        ("> not a quote", "&gt; not a quote"),
        ("a \\ b", "a \\\\ b"),
        ("# no heading | no table", "\\# no heading \\| no table"),
    ],
)
def test_escape_markdown_neutralises_block_syntax_once(text: str, expected: str) -> None:
    assert render.escape_markdown(text) == expected


def test_reply_notes_how_a_follow_up_was_read() -> None:
    reply = render.reply_markdown(_answer(), read_as="What was the net loss?")
    assert reply.endswith("*Read as a follow-up: “What was the net loss?”*")


def test_panels_have_placeholders_before_the_first_question() -> None:
    assert "Ask a question" in render.passages_html(None)
    assert "figures" in render.figures_html(None).lower()


def test_format_value_writes_ranges_and_decimals() -> None:
    figure = Figure("10–15%", 10.0, "%", "percent", 0, 6, high=15.0)
    assert render.format_value(figure) == "10–15"
    assert render.format_value(Figure("2.5%", 2.5, "%", "percent", 0, 4)) == "2.5"


def test_a_computed_answer_marks_its_operands_in_the_passages() -> None:
    from qa.answer.derived import combine

    text = "The group added 2,136 patents, total is 12,502 and 99 more."

    def at(word: str, value: float, metric: str | None = None) -> Figure:
        start = text.index(word)
        return Figure(word, value, "", "count", start, start + len(word), metric=metric)

    total, added, other = at("12,502", 12502.0, "patents"), at("2,136", 2136.0), at("99", 99.0)
    passage = Passage(text, 0.9, "d", "D", "S", 0, len(text), 0, 0, len(text),
                      figures=(added, total, other))  # fmt: skip
    derived = combine("difference", [total, added])
    answer = Answer("q", "10,366 — computed", True, passages=(passage,), figures=(derived,))
    html = render.passages_html(answer)
    assert html.count('class="fig operand"') == 2
    assert '<mark class="fig" title="count">99</mark>' in html


def test_a_span_answer_is_bold_inside_its_quoted_sentence() -> None:
    sentence = "Our contracts are of three types: fixed-price, cost-plus and T&M."
    answer = Answer(
        "What are the contract types?",
        "fixed-price; cost-plus; T&M",
        True,
        value=("fixed-price", "cost-plus", "T&M"),
        sentence=sentence,
    )
    reply = render.reply_markdown(answer)
    assert reply.startswith("**fixed-price**; **cost-plus**; **T&amp;M**")
    assert "types: **fixed-price**, **cost-plus** and **T&amp;M**." in reply
