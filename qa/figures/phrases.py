"""Noun phrases around a number: what a figure measures (its `metric`) and what it counts.

Heuristics over word tables rather than a parser: financial prose says "X was N", "X of N",
"N of X", "N X" and "served N X" almost every time, and each rule below is one of those
shapes. All offsets are into the full text.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[A-Za-z][\w&'’/-]*")

# Words that end a noun phrase read forwards or backwards.
STOP_WORDS = frozenset(
    """the a an of in on at for to from by with across into onto over under per than during
    among between through within without via as such and or but nor that which who whom
    whose while where when is are was were be been being has have had will would can could
    may might shall should do does did it its their our his her this these those we they
    respectively also only including covering accounting bringing making reaching increasing
    decreasing rising growing representing according comprising totaling totalling excluding
    following compared higher lower more less up down period-over-period year-over-year
    year-on-year quarter-over-quarter yoy additional further another extra about around
    nearly over approximately exceeding almost some""".split()  # noqa: SIM905
)
# Verbs that end a clause's subject: "<subject> was / reached / increased by ... N".
VERBS = frozenset(
    """was were is are be been reached reaches reach increased increases decreased decreases
    rose rise rises fell falls grew grows recorded records achieved achieves accounted
    accounts accounting contributed contributes contributing has have had exceeded exceeds
    added adds amounted amounts totaled totalled totals stood stands remained remains came
    comes declined declines dropped drops jumped climbed generated generates posted posts
    reported reports registered delivered served serving obtained launched covers covered
    includes included increasing decreasing expected saw sees hit surpassed topped""".split()  # noqa: SIM905
)
# Copulas: "the cumulative shipments are nearly 1 million units" -> metric is the subject.
COPULAS = frozenset(
    """is are was were reached reaches totaled totalled amounted stood""".split()  # noqa: SIM905
)
# "served 20 customers" -> "customers served".
PARTICIPLES: dict[str, str] = {
    "served": "served", "serving": "served", "serves": "served", "serve": "served",
    "added": "added", "adding": "added", "adds": "added", "delivered": "delivered",
    "delivering": "delivered", "received": "received", "receiving": "received",
    "hired": "hired", "shipped": "shipped", "sold": "sold", "signed": "signed",
    "opened": "opened", "launched": "launched", "acquired": "acquired",
}  # fmt: skip
# Nouns that measure a count ("population of 20 million") -> unit when none is written.
MEASURE_NOUNS: dict[str, str] = {
    "population": "people",
    "headcount": "employees",
    "workforce": "employees",
    "number": "",
}
CHANGE_NOUNS = frozenset(
    """increase growth rise gain jump decrease decline drop fall""".split()  # noqa: SIM905
)
# Praise that is not part of what is measured ("leading AI supercomputing clusters").
EVALUATIVE = frozenset(
    """leading industry-leading world-leading largest biggest top""".split()  # noqa: SIM905
)
PRONOUNS = frozenset(
    """it which that who we they this he she""".split()  # noqa: SIM905
)
# Past participles that do not end in -ed ("cash reserve held by the Company").
IRREGULAR_PARTICIPLES = frozenset(
    """held made built run sold owned given taken driven done kept paid led won brought""".split()  # noqa: SIM905
)
DETERMINERS = frozenset(
    """the a an its our their his her this these those""".split()  # noqa: SIM905
)


def _words(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(WORD_RE.finditer(text, start, end))


def _is_stop(word: str, first: bool) -> bool:
    """Stop words, -ly adverbs, and participles after the head ("devices connected by")."""
    low = word.lower()
    if low in STOP_WORDS or (low.endswith("ly") and len(low) > 4 and low != "supply"):
        return True
    return not first and low.endswith("ed") and len(low) > 4 and "-" not in low


def forward_np_span(
    text: str, pos: int, end: int, max_words: int = 4, of: bool = False
) -> tuple[str, int]:
    """The noun phrase starting at `pos` (after spaces), stopping at function words, and the
    offset where it ends (`pos` when there is none).

    With `of`, one "of <noun phrase>" continuation is kept ("pieces of digital collectibles").

    >>> t = "5 AI sensors with superior functions"
    >>> forward_np_span(t, 1, len(t))
    ('AI sensors', 12)
    >>> t = "15,000 pieces of limited-edition digital collectibles, which"
    >>> forward_np_span(t, 6, len(t), of=True)[0]
    'pieces of limited-edition digital collectibles'
    """
    words: list[str] = []
    cursor = pos
    while len(words) < max_words:
        at = cursor
        while at < end and text[at] in " \t\u00a0":
            at += 1
        m = WORD_RE.match(text, at)
        if not m or m.end() > end or _is_stop(m.group(0), not words):
            break
        words.append(m.group(0))
        cursor = m.end()
    if of and words:
        rest = re.match(r"\s+of\s+(?:the\s+)?(?=[A-Za-z])", text[cursor:end])
        if rest:
            tail, tail_end = forward_np_span(text, cursor + rest.end(), end, max_words + 4)
            if tail:
                words += ["of", tail]
                cursor = tail_end
    return " ".join(words), cursor


def forward_np(text: str, pos: int, end: int, max_words: int = 4, of: bool = False) -> str:
    """Just the phrase of `forward_np_span`.

    >>> forward_np("served 20 customers during the period", 9, 37)
    'customers'
    """
    return forward_np_span(text, pos, end, max_words, of)[0]


def backward_np(text: str, start: int, pos: int, max_words: int = 6) -> str:
    """The noun phrase ending right before `pos` (after spaces), stopping at function words,
    verbs and possessives; praise words are dropped from its front.

    >>> t = "one of the world's leading AI supercomputing clusters of"
    >>> backward_np(t, 0, t.rindex(" of"))
    'AI supercomputing clusters'
    """
    words = [w.group(0) for w in _words(text, start, pos)]
    tail = text[start:pos]
    if words and not tail.rstrip().endswith(words[-1]):
        return ""  # punctuation sits between the phrase and the figure
    taken: list[str] = []
    for word in reversed(words):
        low = word.lower()
        if (
            len(taken) >= max_words
            or low in STOP_WORDS
            or low in VERBS
            or low.endswith(("'s", "’s"))
            or (low.endswith("ly") and len(low) > 4)
        ):
            break
        taken.insert(0, word)
    while taken and taken[0].lower() in EVALUATIVE:
        taken.pop(0)
    return " ".join(taken)


def tidy(phrase: str) -> str:
    """Drop leading bullets, conjunctions, determiners and possessors, trailing adverbs and a
    passive tail ("held by the Company"); lower-case a capitalised common first word.

    >>> tidy("● The Company's total revenue"), tidy("Total cash reserve held by the Company")
    ('total revenue', 'total cash reserve')
    >>> tidy("revenue per customer also"), tidy("Cloud Services segment")
    ('revenue per customer', 'Cloud Services segment')
    """
    words = phrase.strip(" ●•▪-*,;:“”\"'").split()
    passive = next((i for i, w in enumerate(words) if i > 0 and w.lower() == "by" and i >= 2), None)
    if passive is not None:
        cut = next(
            (
                i
                for i in range(1, passive)
                if words[i].lower().endswith("ed") or words[i].lower() in IRREGULAR_PARTICIPLES
            ),
            passive - 1,
        )
        words = words[:cut]
    while words and (
        words[0].lower() in DETERMINERS | {"and", "or", "but", "while", "with"}
        or words[0].endswith(("'s", "’s"))
    ):
        words.pop(0)
    while words and (
        words[-1].lower() in {"also", "still", "further"}
        or (words[-1].lower().endswith("ly") and len(words[-1]) > 4)
    ):
        words.pop()
    capitalised = bool(words) and words[0][:1].isupper() and words[0][1:].islower()
    if capitalised and (len(words) == 1 or words[1][:1].islower()):
        words[0] = words[0].lower()
    return " ".join(words)


def subject(text: str, clause_start: int, pos: int) -> str:
    """The clause's subject: the words before its first verb (before `pos`); "" when the
    clause has no verb or its subject is a pronoun.

    >>> t = "the accumulated investment in R&D has exceeded RMB10 billion"
    >>> subject(t, 0, t.index("RMB"))
    'accumulated investment in R&D'
    """
    for w in _words(text, clause_start, pos):
        if w.group(0).lower() in VERBS:
            phrase = tidy(text[clause_start : w.start()])
            if any(p.lower() in PRONOUNS for p in phrase.split()):
                return ""
            return phrase
    return ""


def word_before(text: str, start: int, pos: int) -> str:
    """The word right before `pos` within text[start:pos], lower-cased ("" if none)."""
    words = _words(text, start, pos)
    if not words or text[words[-1].end() : pos].strip():
        return ""
    return words[-1].group(0).lower()


def number_of(text: str, start: int, pos: int) -> tuple[str, str] | None:
    """("total number of patents", "patents") for the last "number of X" before `pos`.

    >>> t = "bringing the total number of patents to 12,502"
    >>> number_of(t, 0, t.index("12"))
    ('total number of patents', 'patents')
    """
    found = None
    # \b: the optional word starts only at a word start (else a 300-letter word is quadratic).
    for m in re.finditer(r"(?:\b([A-Za-z][\w-]*)\s+)?number\s+of\s+", text[start:pos], re.I):
        found = m
    if found is None:
        return None
    counted = forward_np(text, start + found.end(), pos)
    if not counted:
        return None
    lead = found.group(1) or ""
    lead = "" if lead.lower() in STOP_WORDS | DETERMINERS else lead.lower() + " "
    return f"{lead}number of {counted}", counted
