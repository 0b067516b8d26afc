"""A question about a table itself ("What does the table show?") -> what its introducing
sentence says the table holds.

A report introduces a table in words: "The following table sets forth, for the periods
indicated, certain data derived from our statements of operations:", "Aggregate emoluments
of the Directors were as follows:". The answer is what that sentence says is shown: the part
after its verb of showing, or its subject when the table "follows". Retrieval's score means
little for such a question (it names no topic), so it is answered from the sentences of the
passages of the question's document, not refused under the evidence threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answer.spananswer import SpanAnswer
from qa.answer.spans import Span
from qa.text.question import Question
from qa.text.textspans import sentences
from qa.types import Passage

_F = re.IGNORECASE
# "What does the table show?", "What information does the table present?", "What is shown in
# the table?" -- not a question about one row or figure of it ("Other items in the table").
SUBJECT_RE = re.compile(
    r"^\W*what\s+(?:(?:\w+\s+){0,2}(?:information|data)\s+)?(?:does|do|did)\s+(?:the|this)\s+"
    r"tables?\s+(?:show|represent|present|provide|illustrate|depict|summari[sz]e|set\s+forth"
    r"|display|contain|detail|describe)\w*\s*\??\s*$"
    r"|^\W*what\s+(?:is|are)\s+(?:shown|presented|set\s+forth|summari[sz]ed|provided)\s+in\s+"
    r"(?:the|this)\s+tables?\s*\??\s*$",
    _F,
)
# A sentence that introduces a table, and where what it shows starts: after its verb of
# showing ("the following table sets forth X"), or its subject ("X were as follows:").
_SHOWS_RE = re.compile(
    r"\btables?\s+(?:below\s+|above\s+)?(?:sets?\s+forth|shows?|presents?|provides?|summari[sz]es"
    r"|illustrates?|details?|includes?|reflects?|displays?|represents?|contains?)[\s,]+",
    _F,
)
_FOLLOWS_RE = re.compile(
    r"\s+(?:(?:is|are|was|were)\s+(?:as\s+follows|set\s+out|shown|presented|summari[sz]ed)\b"
    r"|consist(?:s|ed)?\s+of\s+the\s+following\b)",
    _F,
)
_TAIL_RE = re.compile(r"\s*(?:\((?:in|amounts\s+in)\s[^)]*\))?\s*[:.]?\s*$", _F)


def asks_table_subject(question: str) -> bool:
    """Whether the question asks what a table shows.

    >>> asks_table_subject("What does the table show?"), asks_table_subject("What is revenue?")
    (True, False)
    """
    return bool(SUBJECT_RE.search(question))


def _shown(sentence: str) -> tuple[int, int] | None:
    """The extent of what an introducing sentence says the table shows, or None."""
    end = len(_TAIL_RE.sub("", sentence, count=1))
    shows = _SHOWS_RE.search(sentence)
    if shows and shows.end() < end:
        return shows.end(), end
    follows = _FOLLOWS_RE.search(sentence)
    if follows and follows.start() > 0:
        return 0, follows.start()
    return None


def table_subject(question: Question, passages: Sequence[Passage]) -> SpanAnswer | None:
    """What the table the question asks about shows, read from the first sentence of the
    top document's passages that introduces a table; None when no such question or sentence.

    >>> p = Passage("The following table shows assets by segment:", 0.3, "d", "D", "", 0, 44,
    ...             0, 0, 44)
    >>> from qa.text.question import parse_question
    >>> table_subject(parse_question("What does the table show?"), [p]).span.value
    'assets by segment'
    """
    if not passages or not asks_table_subject(question.text):
        return None
    doc = passages[0].doc
    for passage in sorted((p for p in passages if p.doc == doc), key=lambda p: p.start):
        for start, end in sentences(passage.text):
            sentence = passage.text[start:end].split("\n")[0]
            found = _shown(sentence)
            if found is None:
                continue
            a, b = found
            span = Span(sentence[a:b], sentence, a, b)
            at = passage.start + start
            return SpanAnswer(span, passage, at + a, at + b)
    return None
