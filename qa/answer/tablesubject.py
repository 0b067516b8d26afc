"""A question about a table itself -> what the table shows, or the unit its data is in.

"What does the table show?" is answered by what the sentence introducing the table says it
holds ("The following table sets forth, for the periods indicated, certain data derived from
our statements of operations:", "Aggregate emoluments of the Directors were as follows:"):
the part after its verb of showing, or its subject when the table "follows"
(qa/text/tableintro.py). Ingest makes such a sentence the caption of a table that has none,
and every block of a table starts with its caption line, so a table passage says it too;
when no sentence introduces the table, its caption is its title ("4) Professional services:"
-> "Professional services"). "What is the unit used in the table?" is answered by the scale
its data is in ("in thousands"). Retrieval's score means little for such a question (it names
no topic), so it is answered from the passages of the question's document, not refused under
the evidence threshold; a report without a table does not state it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.spananswer import SpanAnswer
from qa.answer.spans import Span
from qa.answer.tablecompute import TableAnswer
from qa.text.question import Question
from qa.text.tableintro import asks_table_subject, shown_extent, title_extent
from qa.text.textspans import sentences
from qa.types import Passage, Table

__all__ = ["asks_table_subject", "table_subject", "table_unit"]

# "What is the unit used for the data in the table?", "In what units are the amounts in the
# table?": the scale of the table's numbers (not "the unit price in the table").
_UNIT_RE = re.compile(
    r"^\W*(?:what|which|in\s+what|in\s+which)\s+(?:(?:is|are|was|were)\s+the\s+)?(?:units?|scale)"
    r"\s+(?:used|is|are|of\s+(?:measure|the\s+(?:data|amounts|figures|numbers|values)))\b"
    r".*\btables?\b",
    re.IGNORECASE,
)


def _span(passage: Passage, start: int, sentence: str, extent: tuple[int, int]) -> SpanAnswer:
    """The extent of a sentence that starts at `start` in `passage`'s text, as an answer."""
    a, b = extent
    at = passage.start + start
    return SpanAnswer(Span(sentence[a:b], sentence, a, b), passage, at + a, at + b)


def _introduced(passages: Sequence[Passage]) -> SpanAnswer | None:
    """What the first sentence of the passages (in document order) that introduces a table
    says it shows."""
    for passage in sorted(passages, key=lambda p: p.start):
        for start, end in sentences(passage.text):
            sentence = passage.text[start:end].split("\n")[0]
            found = shown_extent(sentence)
            if found is not None:
                return _span(passage, start, sentence, found)
    return None


def _titled(passages: Sequence[Passage], tables: Sequence[Table]) -> SpanAnswer | None:
    """The title of the first table a passage shows a block of: its caption line's words."""
    for table in tables:
        if not table.caption:
            continue
        for passage in sorted(passages, key=lambda p: p.start):
            if table.start <= passage.start < table.end:
                line = passage.text.split("\n")[0]
                found = title_extent(line)
                return _span(passage, 0, line, found) if found else None
    return None


def table_subject(
    question: Question, passages: Sequence[Passage], tables: Sequence[Table] = ()
) -> SpanAnswer | None:
    """What the table the question asks about shows: read from the first sentence of the top
    document's passages that introduces a table, else from the title of its table; None when
    no such question or no such sentence.

    >>> p = Passage("The following table shows assets by segment:", 0.3, "d", "D", "", 0, 44,
    ...             0, 0, 44)
    >>> from qa.text.question import parse_question
    >>> table_subject(parse_question("What does the table show?"), [p]).span.value
    'assets by segment'
    """
    if not passages or not asks_table_subject(question.text):
        return None
    doc = passages[0].doc
    own = [p for p in passages if p.doc == doc]
    return _introduced(own) or _titled(own, tables)


def table_unit(question: Question, tables: Sequence[Table]) -> TableAnswer | None:
    """For "What is the unit used for the data in the table?": the scale the first table's
    numbers are in, as a report writes it ("in thousands"); None for another question or a
    table without a scale.

    >>> from qa.text.question import parse_question
    >>> t = Table("d", 1, "", (), (), scale="thousand")
    >>> table_unit(parse_question("What is the units used for the data in the table?"), [t]).value
    'in thousands'
    """
    if not tables or not _UNIT_RE.search(question.text) or not tables[0].scale:
        return None
    return TableAnswer(f"in {tables[0].scale}s", None, (), "the scale of the table's numbers")
