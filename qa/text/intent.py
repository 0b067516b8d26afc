"""Question -> Intent: which kind of figure a question asks for, about what, and when.

Table-driven so paraphrases generalise: "How much money did they bring in?", "What's the top
line?" and "What was total revenue?" all land on kind "currency" with keyword "revenu" (words
are stemmed), because the tables map money words to currency and finance slang to the words a
release uses (the words are in qa/text/lexicon.py, the question grammar in qa/text/vocabulary.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.text.lexicon import IRREGULAR_PLURALS, STOPWORDS, SYNONYMS, stem
from qa.text.periods import PeriodCue, find_period_cues
from qa.text.vocabulary import (
    CHANGE_RE,
    CLASSIFIERS,
    CONTAINERS,
    DISTINCT_METRICS,
    KIND_RULES,
    NOT_ENTITIES,
    NOUN_STOP,
    RELATIVE_PERIODS,
    TITLE_RE,
    UNIT_KINDS,
)

_F = re.IGNORECASE
_WORD_RE = re.compile(r"[A-Za-z][\w&/-]*(?:['’]s)?")
_COUNT_TRIGGER_RE = re.compile(
    r"\b(?:how\s+many|number\s+of|count\s+of|size\s+of)\s+(?:the\s+|their\s+|its\s+|our\s+)?", _F
)
_X_COUNT_RE = re.compile(r"\b([A-Za-z][\w-]*)\s+(?:count|tally|portfolio|base)\b", _F)
_SUBSET_RE = re.compile(r"^of\s+(?:the|these|those|their|its)\s+.+?\s+(?:are|were|is|was)\s+", _F)
_EMPLOYEES_RE = re.compile(
    r"\b(?:people|persons|staff)\b.*\b(?:work|works|working|employed|employ|on\s+payroll)\b"
    r"|\bemploy(?:s|ed)?\b.*\bhow\s+many\b|\bhow\s+many\b.*\bemploy(?:s|ed)?\b",
    _F,
)
# Compiled once (a question is analysed on every request).
_TOKEN_RE = re.compile(r"[A-Za-z][\w&]*(?:['’]s)?")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_NAME_RUN_RE = re.compile(r"[A-Z][\w&/-]*(?:['’]s)?(?:\s+[A-Z][\w&/-]*(?:['’]s)?)*")
_ALTERNATIVE_RE = re.compile(r"\s*(?:or|/)\s*([A-Za-z]+)")  # "patients or people"
_BARE_YEAR_RE = re.compile(r"(?<![\w-])((?:19|20)[0-9]{2})(?![\w-])")
# Longest phrase first, so "net loss" wins over "loss".
_SYNONYM_PATTERNS = tuple(
    (phrase, re.compile(rf"(?<![\w&]){re.escape(phrase)}(?![\w&])"))
    for phrase in sorted(SYNONYMS, key=len, reverse=True)
)
_METRIC_PATTERNS = tuple((m, re.compile(rf"\b{re.escape(m)}\b")) for m in DISTINCT_METRICS)


@dataclass(frozen=True)
class Intent:
    """What a question asks for. `kind` None means the answer is a sentence, not a figure
    ("measure" = a figure of any kind, for vague "how popular / how big" questions);
    `role` is "change" when it asks about growth; `noun` is what "how many" counts and
    `nouns` its stemmed head words with synonyms; `keywords` are stemmed topic words with
    finance synonyms added, and `topics` the same words grouped (one group per word of the
    question, holding its synonyms), so coverage counts each asked word once; `entities` are
    the names the question mentions ("Cloud Services", "EBITDA"), which an answer must too;
    `titles` are job titles a "who" question asks about."""

    question: str
    kind: str | None
    role: str | None = None
    noun: str | None = None
    period: str | None = None
    keywords: tuple[str, ...] = ()
    named_metrics: tuple[str, ...] = ()  # DISTINCT_METRICS the question names
    topics: tuple[frozenset[str], ...] = ()
    nouns: frozenset[str] = frozenset()
    entities: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    unit_kind: str | None = None  # the figure kind of a unit the question names

    @property
    def wants_figure(self) -> bool:
        return self.kind is not None


@lru_cache(maxsize=8192)
def tokens(text: str) -> frozenset[str]:
    """Stemmed content words of `text` (stop words dropped). Cached: answers ask about the
    same sentences many times.

    >>> sorted(tokens("The total number of patents"))
    ['patent']
    """
    lowered = (w.lower() for w in _TOKEN_RE.findall(text))
    bare = (w[:-2] if w.endswith(("'s", "’s")) else w for w in lowered)
    return frozenset(stem(w) for w in bare if w not in STOPWORDS and len(w) > 1)


@lru_cache(maxsize=1024)
def _synonym_spans(question: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """(start, end, release words) for each finance phrase of the question, longest first,
    without overlaps."""
    low = question.lower()
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for phrase, pattern in _SYNONYM_PATTERNS:
        if phrase not in low:  # a cheap test before the regex
            continue
        for m in pattern.finditer(low):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), SYNONYMS[phrase]))
    return tuple(spans)


@lru_cache(maxsize=1024)
def _period_cues(question: str) -> tuple[PeriodCue, ...]:
    return tuple(find_period_cues(question))


def topic_groups(question: str) -> tuple[frozenset[str], ...]:
    """One group of interchangeable stems per topic word or finance phrase of the question.

    >>> [sorted(g) for g in topic_groups("How much money did they bring in?")]
    [['bring', 'revenu']]
    """
    spans = _synonym_spans(question)
    groups: list[frozenset[str]] = []
    for start, end, extra in spans:
        words = tokens(question[start:end]) | {stem(w) for w in extra}
        groups.append(frozenset(words))
    blank = [(s, e) for s, e, _ in spans] + [(c.start, c.end) for c in _period_cues(question)]
    rest = "".join(
        " " if any(s <= i < e for s, e in blank) else ch for i, ch in enumerate(question)
    )
    groups += [frozenset({t}) for t in sorted(tokens(rest))]
    return tuple(g for g in groups if g)


def keywords(question: str) -> tuple[str, ...]:
    """Stemmed topic words of a question, with synonyms from the finance table.

    >>> keywords("How much money did they bring in?")
    ('bring', 'revenu')
    """
    return _union(topic_groups(question))


def _union(groups: tuple[frozenset[str], ...]) -> tuple[str, ...]:
    return tuple(sorted(set().union(*groups)))


def _is_plural(word: str) -> bool:
    low = word.lower()
    return low in IRREGULAR_PLURALS or (low.endswith("s") and not low.endswith(("ss", "us", "is")))


def _noun_words(rest: str) -> tuple[list[str], int]:
    """The counted noun phrase at the start of `rest` and where it ends: up to four words,
    ending at a function word or verb or right after the first plural; "kinds of X" counts X,
    "of the cities, how many were mega cities" counts mega cities."""
    sub = _SUBSET_RE.match(rest)
    offset = sub.end() if sub else 0
    words: list[str] = []
    end = offset
    for m in _WORD_RE.finditer(rest, offset):
        low = m.group(0).lower().removesuffix("'s").removesuffix("’s")
        if low == "of" and words and words[-1] in CLASSIFIERS:
            words = []  # "kinds of domestically made chips" -> the chips
            continue
        if low in NOUN_STOP or len(words) >= 4:
            break
        end = m.end()
        if (low.endswith(("ly", "ed")) and len(low) > 4) or low in ("made", "built"):
            continue  # "domestically made chips", "connected devices"
        words.append(low)
        if _is_plural(low) and low not in CLASSIFIERS:
            break
    return words, end


def _noun(question: str) -> tuple[str | None, frozenset[str]]:
    """What a count question counts, and its head words (stemmed, with synonyms).

    >>> _noun("How many phone models carry the algorithms?")[0]
    'phone models'
    >>> _noun("How many kinds of domestically made chips were adapted?")[0]
    'chips'
    >>> sorted(_noun("How many patients or people were served?")[1])
    ['patient', 'peopl']
    """
    phrase: list[str] = []
    alternatives: list[str] = []
    m = _COUNT_TRIGGER_RE.search(question)
    if m:
        rest = question[m.end() :]
        phrase, end = _noun_words(rest)
        if phrase and (alt := _ALTERNATIVE_RE.match(rest, end)):
            alternatives.append(alt.group(1).lower())  # "patients or people"
    if not phrase and (xm := _X_COUNT_RE.search(question)) and xm.group(1).lower() not in STOPWORDS:
        phrase = [xm.group(1).lower()]  # "patent count", "customer base"
    if len(phrase) > 1 and phrase[-1] in CONTAINERS:
        phrase = phrase[:-1]  # "patent portfolio" counts patents
    if not phrase:
        return None, frozenset()
    alternatives.insert(0, phrase[-1])
    if _EMPLOYEES_RE.search(question):
        phrase, alternatives = ["employees"], ["employees"]
    heads = {stem(w) for w in alternatives}
    for word in alternatives:
        heads |= {stem(w) for w in SYNONYMS.get(word, ())}
    return " ".join(phrase), frozenset(heads)


# "from 2018 to 2019": a change between two years is reported for the later one.
_FROM_TO_RE = re.compile(
    r"\bfrom\s+(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:19|20)\d{2}\s+(?:to|until|through)\s+"
    r"(?:fiscal\s+(?:year\s+)?|FY\s?)?((?:19|20)\d{2})\b",
    _F,
)


def change_period(intent: Intent) -> str | None:
    """The period a stated change between two years is reported for: the later year of
    "decreased from 2018 to 2019" (a table reads both years itself; this is for prose).

    >>> change_period(analyze("How much did costs decrease from 2018 to 2019?"))
    '2019'
    """
    span = _FROM_TO_RE.search(intent.question)
    if span is None or not CHANGE_RE.search(intent.question):
        return intent.period
    later = span.group(1)
    return next((c.label for c in _period_cues(intent.question) if later in c.label), later)


def _period(question: str) -> str | None:
    cues = _period_cues(question)
    if cues:
        return cues[0].label
    for pattern, label in RELATIVE_PERIODS:
        if pattern.search(question):
            return label
    m = _BARE_YEAR_RE.search(question)
    return m.group(1) if m else None


def _entities(question: str) -> tuple[str, ...]:
    """Names the question mentions: runs of capitalised words ("Cloud Services"), words with
    inner capitals or all capitals ("ImageNet", "EBITDA"). A capitalised first word counts
    only as part of a longer name; finance phrases and period words are not names.

    >>> _entities("What was Cloud Services revenue in 1H2022?")
    ('Cloud Services',)
    """
    blanked = list(question)
    for start, end, _ in _synonym_spans(question):
        blanked[start:end] = " " * (end - start)
    for cue in _period_cues(question):
        blanked[cue.start : cue.end] = " " * (cue.end - cue.start)
    text = "".join(blanked)
    names: list[str] = []
    for run in _NAME_RUN_RE.finditer(text):
        words = [_POSSESSIVE_RE.sub("", w) for w in run.group(0).split()]
        while words and (words[0].lower() in NOT_ENTITIES or any(c.isdigit() for c in words[0])):
            words.pop(0)
        while words and (words[-1].lower() in NOT_ENTITIES or any(c.isdigit() for c in words[-1])):
            words.pop()
        first = run.start() == len(text) - len(text.lstrip())
        inner = any(any(c.isupper() for c in w[1:]) for w in words)
        if words and (len(words) > 1 or inner or not first):
            names.append(" ".join(words))
    return tuple(names)


@lru_cache(maxsize=1024)
def analyze(question: str) -> Intent:
    """Classify a question (cached: an Intent is a frozen record of the question alone).

    >>> i = analyze("How many patents do they own?")
    >>> (i.kind, i.noun, i.period)
    ('count', 'patents', None)
    >>> i = analyze("What was revenue in 2019?")
    >>> (i.kind, i.period, i.keywords)
    ('currency', '2019', ('revenu',))
    >>> analyze("Who is the CEO?").kind is None
    True
    """
    kind: str | None = None
    for pattern, rule_kind in KIND_RULES:
        if pattern.search(question):
            kind = rule_kind
            break
    change = kind in ("percent", "count", "measure") and CHANGE_RE.search(question)
    role = "change" if change else None
    noun, heads = (
        _noun(question) if kind in ("count", "percent", "measure") else (None, frozenset())
    )
    if kind != "count":
        noun = None  # "how fast did the number of X grow" asks a rate; X stays a topic
    low = question.lower()
    named = [m for m, pattern in _METRIC_PATTERNS if m in low and pattern.search(low)]
    if noun == "employees" and "employees" not in named:
        named.append("employees")
    groups = topic_groups(question)
    titles = tuple(t.group(0).lower() for t in TITLE_RE.finditer(question))
    unit_kind = next((k for pattern, k in UNIT_KINDS if pattern.search(question)), None)
    return Intent(
        question, kind, role, noun, _period(question), _union(groups), tuple(named),
        groups, heads, _entities(question), titles, unit_kind,
    )  # fmt: skip
