"""Question -> Intent: which kind of figure a question asks for, about what, and when.

Table-driven so paraphrases generalise: "How much money did they bring in?", "What's the top
line?" and "What was total revenue?" all land on kind "currency" with keyword "revenu" (words
are stemmed), because the tables map money words to currency and finance slang to the words a
release uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.periods import find_period_cues

_F = re.IGNORECASE
# (pattern, kind) in priority order; the first match decides. None = a sentence answer.
KIND_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(p, _F), kind)
    for p, kind in (
        (r"^\W*(?:who|whom|whose)\b", None),
        (r"\bwhen\b|\b(?:what|which)\s+(?:date|day|month|year)\b|\bon\s+what\s+date\b", "date"),
        (r"\bhow\s+long\b|\bhow\s+many\s+(?:consecutive\s+)?(?:years|months|weeks|days|hours)\b",
         "duration"),
        (r"\b(?:what|which)\s+(?:share|percentage|percent|proportion|portion|fraction)\b"
         r"|\bpercent(?:age)?\b|\bshare\s+of\b|%", "percent"),
        (r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b", "count"),
        (r"\bhow\s+powerful\b|\bcomput(?:e|ing)\s+(?:power|capacity)\b|\bflops\b|\bexaflops\b"
         r"|\bhow\s+much\s+compute\b|\bcapacity\b", "compute"),
        (r"\bwhat\s+(?:rank|position|place)\b|\bwhere\s+does\b.*\brank|\brank(?:ed|s|ing)?\b",
         "rank"),
        (r"\bhow\s+(?:big|large)\s+(?:an?\s+)?(?:area|space)\b|\bsquare\s+met(?:er|re)s?\b"
         r"|\bhow\s+much\s+(?:space|area)\b", "area"),
        (r"\bmarket\s+share\b|\bmargin\b|\brate\b|\bhow\s+fast\b"
         r"|\bby\s+how\s+much\b|\bgrowth\b|\bgr[eo]w\b|\bgrowing\b|\baccura(?:cy|te)\b"
         r"|\bcontribut\w*\b|\bbasis\s+points\b|\bpercentage\s+points\b"
         r"|\bhow\s+much\s+(?:did|does|has|have)\b.*\b(?:increase|rise|decline|drop|fall|change)",
         "percent"),
        (r"\bhow\s+much\b|\bmoney\b|\brevenues?\b|\bsales\b|\bturnover\b|\btop\s+line\b"
         r"|\bbottom\s+line\b|\bincome\b|\bprofits?\b|\bloss(?:es)?\b|\blos[et]\b|\bcash\b"
         r"|\bwar\s+chest\b|\bspen[dt]\b|\bspending\b|\bexpenditures?\b|\binvest\w*\b|\bcosts?\b"
         r"|\bvalue\b|\bworth\b|\bprice\b|\bdividends?\b|\bearn\w*\b|\bbring\s+in\b"
         r"|\bbrought\s+in\b|\brmb\b|\byuan\b|\bdollars?\b|\bfunding\b|\bper\s+share\b|\beps\b",
         "currency"),
    )
)  # fmt: skip
CHANGE_RE = re.compile(
    r"\b(?:gr[eo]w|grown|growth|growing|increas\w*|rise|rose|risen|jump\w*|decline\w*|drop\w*"
    r"|fall|fell|fallen|change\w*|by\s+how\s+much|how\s+fast|added|add|up|down|new)\b",
    _F,
)
# Finance slang and paraphrase -> words a release uses (before stemming).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sales": ("revenue",), "turnover": ("revenue",), "top line": ("revenue", "total"),
    "bring in": ("revenue",), "brought in": ("revenue",), "earn": ("revenue",),
    "earned": ("revenue",), "make": ("revenue",), "made": ("revenue",),
    "income": ("revenue", "profit"), "bottom line": ("net", "loss", "profit"),
    "abroad": ("overseas",), "international": ("overseas",), "foreign": ("overseas",),
    "outside china": ("overseas",), "overseas": ("overseas",),
    "lose": ("loss",), "lost": ("loss",), "losses": ("loss",), "war chest": ("cash", "reserve"),
    "liquidity": ("cash",), "in the bank": ("cash",), "margin": ("margin",),
    "spend": ("expenditure",), "spent": ("expenditure", "investment"),
    "spending": ("expenditure",), "research": ("r&d",), "development": ("r&d",),
    "invest": ("investment",), "invested": ("investment",),
    "computing power": ("computing", "power"), "powerful": ("computing", "power", "exaflops"),
    "supercomputer": ("supercomputing", "clusters"), "compute": ("computing",),
    "intellectual property": ("patents",), "ip": ("patents",),
    "staff": ("employees",), "headcount": ("employees",), "workforce": ("employees",),
    "people work": ("employees",), "smartphones": ("mobile", "phones"),
    "handsets": ("mobile", "phones"), "phones": ("mobile", "phones"),
    "clients": ("customers",), "growth": ("increase",), "grow": ("increase",),
    "grew": ("increase",), "rise": ("increase",), "rose": ("increase",),
    "announce": ("release",), "announced": ("release",), "go live": ("launch",),
    "went live": ("launch",), "start operation": ("launch",), "began operation": ("launch",),
    "gpu": ("chips",), "ai chips": ("chips",), "cities": ("cities",),
}  # fmt: skip
# Finance metrics that are not interchangeable with a neighbour: a question naming one is
# only answered by a figure whose metric or sentence names it too ("operating cash flow" is
# not "cash reserve"; "net profit" is not "net loss").
DISTINCT_METRICS = (
    "operating cash flow", "free cash flow", "cash flow", "ebitda", "ebit", "dividend",
    "earnings per share", "eps", "net profit", "operating profit", "operating loss",
    "gross profit", "net income", "capital expenditure", "capex", "debt", "market capitalization",
    "market cap", "share price", "valuation", "backlog", "order book", "arpu", "employees",
    "headcount", "workforce", "staff", "operating expenses", "opex", "interest", "tax",
    "inventory", "goodwill", "profit before tax",
)  # fmt: skip
# Words that carry no topic: question words, auxiliaries, pronouns, the company itself.
STOPWORDS = frozenset(
    """a an the of in on at for to from by with and or but is are was were be been being do
    does did has have had will would can could should may might what whats which who whom
    whose when where why how much many much long big large it its they them their we our you
    your he she his her this that these those there here as about into than then so if not
    no any all some company companys firm group sensetime sensetimes business overall total
    figure amount number value level year years half first second period last this current
    six months during report reported state stated said say get got own owns hold holds keep
    give tell me us did does please came come comes money percentage percent proportion
    portion fraction rate""".split()  # noqa: SIM905
)
_RELATIVE = (
    (re.compile(r"\b(?:last|previous|prior)\s+year\b", _F), "last year"),
    (re.compile(r"\b(?:this|current)\s+year\b", _F), "this year"),
)
_NOUN_STOP = STOPWORDS | frozenset(
    """use uses used serve serves served run runs operate work works sell sold ship shipped
    receive received employ employs exist installed deliver delivered launch launched
    connect connected deploy deployed""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Intent:
    """What a question asks for. `kind` None means the answer is a sentence, not a figure;
    `role` is "change" when it asks about growth; `noun` is what "how many" counts;
    `keywords` are stemmed topic words with finance synonyms added."""

    question: str
    kind: str | None
    role: str | None = None
    noun: str | None = None
    period: str | None = None
    keywords: tuple[str, ...] = ()
    named_metrics: tuple[str, ...] = ()  # DISTINCT_METRICS the question names

    @property
    def wants_figure(self) -> bool:
        return self.kind is not None


def stem(word: str) -> str:
    """A crude stem that only needs to agree with itself (question vs. release).

    >>> [stem(w) for w in ("Revenues", "revenue", "increased", "serving", "losses", "R&D")]
    ['revenu', 'revenu', 'increas', 'serv', 'loss', 'r&d']
    """
    w = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def tokens(text: str) -> set[str]:
    """Stemmed content words of `text` (stop words dropped).

    >>> sorted(tokens("The total number of patents"))
    ['patent']
    """
    words = re.findall(r"[A-Za-z][\w&]*(?:['’]s)?", text)
    bare = (re.sub(r"['’]s$", "", w.lower()) for w in words)
    return {stem(w) for w in bare if w not in STOPWORDS and len(w) > 1}


def keywords(question: str) -> tuple[str, ...]:
    """Stemmed topic words of a question, with synonyms from the finance table.

    >>> keywords("How much money did they bring in?")
    ('bring', 'revenu')
    """
    found = set(tokens(question))
    low = question.lower()
    for phrase, extra in SYNONYMS.items():
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            found |= {stem(w) for w in extra}
    return tuple(sorted(found))


def _noun(question: str) -> str | None:
    m = re.search(r"\b(?:how\s+many|number\s+of|count\s+of)\s+(.+)", question, _F)
    if not m:
        return None
    words = []
    for word in re.findall(r"[A-Za-z][\w&-]*", m.group(1))[:4]:
        if word.lower() in _NOUN_STOP:
            break
        words.append(word.lower())
    return " ".join(words) or None


def _period(question: str) -> str | None:
    cues = find_period_cues(question)
    if cues:
        return cues[0].label
    for pattern, label in _RELATIVE:
        if pattern.search(question):
            return label
    m = re.search(r"(?<![\w-])((?:19|20)[0-9]{2})(?![\w-])", question)
    return m.group(1) if m else None


def analyze(question: str) -> Intent:
    """Classify a question.

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
    role = "change" if kind in ("percent", "count") and CHANGE_RE.search(question) else None
    noun = _noun(question) if kind == "count" else None
    low = question.lower()
    named = tuple(m for m in DISTINCT_METRICS if re.search(rf"\b{re.escape(m)}\b", low))
    return Intent(question, kind, role, noun, _period(question), keywords(question), named)
