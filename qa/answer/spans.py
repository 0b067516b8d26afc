"""Question + its best sentence -> the shortest span that answers it (a clause, a name, a
year, or a list of items).

A sentence that answers a question usually repeats the question ("the discount rate was
determined") and then says the answer ("by comparison against the FTSE index"). The repeat
is found as the run of the sentence's words that best matches the question's words (a
maximum-sum run: +1 for a question word, -1 for another content word, 0 for a function
word); the answer is what follows it up to where the sentence starts repeating the question
again, or, when nothing follows, what precedes it. The question's form then trims it: a
"why" keeps the clause from its cause word ("due to ..."), a "when" the date, a "who" the
name, a "how often" the frequency, and a question asking for several things splits a list.

Pure functions over strings; offsets are into the sentence, so a caller can mark the span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.text.forms import CAUSE_RE, DATE_RE, FREQUENCY_RE, WORD_RE, words
from qa.text.lexicon import FUNCTION_WORDS, stem
from qa.text.question import Question

_F = re.IGNORECASE
_YEAR_RE = re.compile(r"(?<![\w.,])(?:19|20)\d{2}(?![\w.,]\d)")
# A plural the question asks for several of: "What are the contract types?", "Which countries".
_LIST_RE = re.compile(
    r"^\W*(?:what|which)\s+(?:are|were)\b|^\W*which\s+\w+s\b|\bwhat\s+\w+s\s+(?:are|were|did)\b"
    r"|\b(?:types|kinds|components|factors|items|categories|classes|segments|elements)\b",
    _F,
)
# Where a "who" answer (a name) ends: a date, a place or a new clause.
_NAME_END_RE = re.compile(r"\s+(?:on|in|at|for|during|since|from|to|with|who|which|that)\s|[,;(]")
_CLAUSE_END_RE = re.compile(
    r";\s|,?\s+while\s|,\s+which\s|,\s+whereas\s|\s\((?:19|20)\d{2}(?:/\d{2})?:|\s\(in\s"
    r"|,\s+(?:and|but)\s+(?:we|our|it|its|the\s+company|is|are|was|were)\b"
    r"|\s+and\s+(?:is|are)\s+subject\b"
    # an appositive closes before its verb: "the offerings, A and B, were sunset in 2018"
    r"|,\s+(?:is|are|was|were|has|have|had)\b",
    _F,
)
# A name, symbol or term the question asks for, quoted in the sentence: under the symbol "X".
_NAMED_RE = re.compile(r"\b(?:symbol|ticker|called|known\s+as|referred\s+to\s+as|named)\b", _F)
_QUOTED_RE = re.compile(r"[“\"]([^”\"]{1,80}?)[.,]?[”\"]")
# "What are the respective amounts in 2019 and 2018?": a list of amounts answers it.
_RESPECTIVE_RE = re.compile(r"\brespective(?:ly)?\b", _F)
_AMOUNT_RE = re.compile(r"[$€£¥]?\(?-?\d[\d,.]*\)?%?(?:\s+(?:thousand|million|billion))?")
_DANGLING_RE = re.compile(
    r",\s+(?:then\s+|and\s+)?(?:we|it|they|the|this|which|then|our|its)(?:\s+the)?$", _F
)
# The preposition a question ends with ("What is it limited to?") starts the sentence's
# answer ("to the remittance of ..."); the answer is what follows it.
_END_PREPOSITION_RE = re.compile(r"\b(to|for|as|of|in|from|by|with|on|at)\s*\??\s*$", _F)
# Words a span never starts with: the verb or linker that joins it to the repeated question.
_LEAD_WORDS = frozenset(
    """is are was were be been being has have had will would can could may might shall should
    that which who whom as of also generally then and or but so thus there it""".split()  # noqa: SIM905
)
_LEAD_BY = frozenset({"by", "in", "at", "on", "from"})
# A verb that links a term to what it is ("X represents the value of ...", "X primarily
# related to exiting facilities"): the answer is what follows it.
_LINKER_RE = re.compile(
    r"(?:(?:primarily|mainly|largely|principally|generally)\s+)?(?:based\s+(?:up)?on"
    r"|represent(?:s|ed)?(?:\s+by)?|refer(?:s|red)?\s+to|result(?:s|ed)?\s+from"
    r"|relat(?:e|es|ed)\s+to|consist(?:s|ed)?\s+of|compris(?:e|es|ed)\s+of|defined\s+as"
    r"|assumed\s+that)\s+",
    _F,
)
_TRAIL = " \t\n.,;:"
# A span never ends on a preposition, article, conjunction or copula.
_TAIL_WORD_RE = re.compile(
    r"[\s,]+(?:to|for|of|as|by|with|and|or|the|an?|in|on|at|from|is|are|was|were|be|been|that"
    r"|which)$",
    _F,
)
# Question words in a row (function words between allowed) that start a second repeat.
REPEAT_RUN = 3
_MIN_CONTENT = 2  # content words a span needs; fewer and the other side of the repeat answers


@dataclass(frozen=True)
class Span:
    """The part of `sentence` that answers: `value` is the text (a tuple for a list), and
    `start`/`end` its extent in `sentence` (from the first item to the last)."""

    value: str | tuple[str, ...]
    sentence: str
    start: int
    end: int

    @property
    def text(self) -> str:
        """The answer as one line ("a; b; c" for a list)."""
        return "; ".join(self.value) if isinstance(self.value, tuple) else self.value


def _marks(sentence: str, asked: frozenset[str]) -> list[tuple[int, int, int]]:
    """(start, end, mark) per word: +1 a question word, -1 another content word, 0 a
    function word."""
    marks = []
    for m in WORD_RE.finditer(sentence):
        word = m.group(0).lower()
        mark = 0 if word in FUNCTION_WORDS else (1 if stem(word) in asked else -1)
        marks.append((m.start(), m.end(), mark))
    return marks


def _repeat(marks: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    """The word range [a, b] with the largest sum of marks (Kadane), or None if no run
    scores above zero. Ties keep the shorter, earlier run.

    >>> _repeat([(0, 1, -1), (2, 3, 1), (4, 5, 0), (6, 7, 1), (8, 9, -1)])
    (1, 3)
    """
    best, best_range = 0, None
    total, start = 0, 0
    for i, (_, _, mark) in enumerate(marks):
        if total <= 0:
            total, start = 0, i
        total += mark
        if total > best:
            best, best_range = total, (start, i)
    return best_range


def _cut_at_next_repeat(marks: list[tuple[int, int, int]], first: int, asked_run: int) -> int:
    """Index of the word where the text after the repeat starts repeating the question again
    (`asked_run` question words with only function words between), or len(marks)."""
    run, run_start = 0, first
    for i in range(first, len(marks)):
        mark = marks[i][2]
        if mark == 1:
            if run == 0:
                run_start = i
            run += 1
            if run >= asked_run:
                return _back_to_boundary(marks, first, run_start)
        elif mark == -1:
            run = 0
    return len(marks)


def _back_to_boundary(marks: list[tuple[int, int, int]], first: int, index: int) -> int:
    """Step back over the function words ("and the") before a repeated question phrase."""
    while index > first and marks[index - 1][2] == 0:
        index -= 1
    return index


def clause_end(text: str, start: int, end: int) -> int:
    """Where the answer clause starting at `start` ends: before "; ", ", while", ", which",
    a parenthesised comparative ("(2018: ...)"), or a new clause with its own subject."""
    m = _CLAUSE_END_RE.search(text, start, end)
    # A clause that says nothing yet ("”), which reduced ...") goes on to the next one.
    return m.start() if m and _content(text[start : m.start()]) else end


def _content(text: str) -> int:
    return sum(w.lower() not in FUNCTION_WORDS for w in words(text))


def _strip(
    sentence: str, start: int, end: int, form: str, lead: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """Trim linking words (and `lead`, the preposition the question ends with) and a
    parenthesised aside at the front, a dangling clause start and punctuation at the end."""
    while True:
        while start < end and sentence[start] in _TRAIL + "-–—)”’\"'":
            start += 1
        close = sentence.find(")", start) if sentence.startswith("(", start) else -1
        if close > 0 and close + 1 < end:
            start = close + 1  # "(“OEM”) are the end-customers" -> "are the end-customers"
            continue
        linker = _LINKER_RE.match(sentence, start, end) if form not in ("why", "how") else None
        if linker:
            start = linker.end()  # "represents the value of ..." -> "the value of ..."
            continue
        m = WORD_RE.match(sentence, start)
        word = m.group(0).lower() if m else ""
        by_form = form in ("who", "which") and word in _LEAD_BY
        drop = word in _LEAD_WORDS or by_form or word in lead
        if not m or m.end() > end or not drop:
            break
        start = m.end()
    while end > start and sentence[end - 1] in _TRAIL:
        end -= 1
    while (tail := _TAIL_WORD_RE.search(sentence, start, end)) and tail.start() > start:
        end = tail.start()  # "... measures to" / "... in this report for": cut mid-phrase
    dangling = _DANGLING_RE.search(sentence, start, end)
    if dangling and dangling.start() > start:
        end = dangling.start()  # "..., we" / "..., then the": a clause the sentence goes on with
    return start, end


def _split_list(text: str, respective: bool = False) -> tuple[str, ...]:
    """ "a, b and c" -> ("a", "b", "c") when each item is short; else (text,)."""
    parts = [p.strip(_TRAIL) for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p.split()) > 6 for p in parts):
        return (text,)
    years = all(re.fullmatch(r"(?:fiscal\s+)?(?:19|20)\d{2}", p) for p in parts)
    amounts = respective and all(_AMOUNT_RE.fullmatch(p) for p in parts)
    if not (years or amounts) and any(re.search(r"\d", p) for p in parts):
        return (text,)  # "$2.5 million, $2.6 million ... respectively" is one statement
    return tuple(parts)


def _answer_region(sentence: str, question: Question, form: str) -> tuple[int, int]:
    """Where in `sentence` the answer lies: after the repeated question, up to where the
    question is repeated again, or before it when nothing follows."""
    asked = question.span_stems
    marks = _marks(sentence, asked)
    found = _repeat(marks)
    if found is None:
        return 0, len(sentence)
    a, b = found
    after_end_word = _cut_at_next_repeat(marks, b + 1, REPEAT_RUN)
    after = (
        marks[b][1],
        marks[after_end_word][0] if after_end_word < len(marks) else len(sentence),
    )
    said = _content(sentence[after[0] : after[1]])
    if said >= _MIN_CONTENT or (said >= 1 and form in ("who", "how_often")):
        return after
    before = (0, marks[a][0])
    if _content(sentence[before[0] : before[1]]) >= 1:
        return before
    return 0, len(sentence)


def extract_span(question: Question, sentence: str) -> Span:
    """The shortest part of `sentence` that answers `question`.

    >>> from qa.text.question import parse_question as q
    >>> extract_span(q("How is the discount rate determined?"),
    ...     "The discount rate was determined by comparison against the FTSE index.").value
    'by comparison against the FTSE index'
    >>> extract_span(q("What are the contract types?"),
    ...     "Our contracts are of three types: fixed-price, cost-plus, and T&M.").value
    ('fixed-price', 'cost-plus', 'T&M')
    >>> extract_span(q("Who approved the financial statements?"),
    ...     "The financial statements were approved by the Board on 6 June 2019.").value
    'the Board'
    >>> extract_span(q("When did IMFT stop making NAND?"),
    ...     "In 2018, IMFT stopped making NAND.").value
    '2018'
    """
    form = question.span_form
    if form == "years":  # "In which years was it adopted?": every year the sentence names
        found = list(_YEAR_RE.finditer(sentence))
        years = tuple(dict.fromkeys(m.group(0) for m in found))
        if years:
            return Span(years, sentence, found[0].start(), found[-1].end())
    if form == "when":
        dates = list(DATE_RE.finditer(sentence))
        if dates:
            return Span(dates[0].group(0), sentence, dates[0].start(), dates[0].end())
    if _NAMED_RE.search(question.text) and (quoted := _QUOTED_RE.search(sentence)):
        return Span(quoted.group(1), sentence, quoted.start(1), quoted.end(1))
    start, end = _answer_region(sentence, question, form)
    if form not in ("why",):
        end = clause_end(sentence, start, end)
    start, end = _trim_by_form(sentence, start, end, form)
    ending = _END_PREPOSITION_RE.search(question.text)
    lead = frozenset({ending.group(1).lower()}) if ending else frozenset()
    start, end = _strip(sentence, start, end, form, lead)
    if start >= end:
        start, end = _strip(sentence, 0, len(sentence), "other")
    text = sentence[start:end]
    if form in ("which", "what_is", "other", "what_does"):
        items = _split_list(_after_colon(text), bool(_RESPECTIVE_RE.search(question.text)))
        if len(items) >= (2 if _LIST_RE.search(question.text) else 3):
            first = sentence.find(items[0], start)
            return Span(items, sentence, first if first >= 0 else start, end)
    return Span(text, sentence, start, end)


def _after_colon(text: str) -> str:
    """ "three types: a, b and c" -> "a, b and c" (the list after its announcement)."""
    _, colon, tail = text.partition(":")
    return tail.strip() if colon and tail.strip() else text


def _trim_by_form(sentence: str, start: int, end: int, form: str) -> tuple[int, int]:
    """Narrow the answer region by what the question form asks for."""
    region = sentence[start:end]
    if form == "why":
        m = CAUSE_RE.search(region)
        if m:
            return start + m.start(), end
    elif form == "how_often":
        m = FREQUENCY_RE.search(region) or FREQUENCY_RE.search(sentence)
        if m:
            base = start if FREQUENCY_RE.search(region) else 0
            return base + m.start(), base + m.end()
    elif form == "who":
        offset = 0
        lead = re.match(r"\s*(?:by|from)\s+", region, _F)
        if lead:
            offset = lead.end()
        m = _NAME_END_RE.search(region, offset)
        if m:
            return start, start + m.start()
    return start, end
