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
# Units named in the question beat "how many" ("by how many basis points" is a percent
# change); a rate or share beats "number of" ("how fast did the number of X grow").
KIND_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(p, _F), kind)
    for p, kind in (
        (r"^\W*(?:who|whom|whose)\b", None),
        (r"^\W*when\b|\bwhen\s+(?:did|was|were|is|are|will|does|do|has|have|had)\b"
         r"|\b(?:what|which)\s+(?:date|day|month|year)\b|\bon\s+what\s+date\b|\bwhat\s+time\b",
         "date"),
        (r"\bhow\s+long\b|\bhow\s+many\s+(?:consecutive\s+)?(?:years|months|weeks|days|hours)\b",
         "duration"),
        (r"\bbasis\s+points?\b|\bbps\b|\bpercentage\s+points?\b|\bppts?\b", "percent"),
        (r"\b(?:exa|peta|tera)?flops\b", "compute"),
        (r"\bsquare\s+(?:met(?:er|re)s?|feet|kilomet(?:er|re)s?)\b|\bsq\.?\s?m\b|\bhectares?\b"
         r"|\bhow\s+(?:much|big|large)\s+(?:an?\s+)?(?:\w+\s+)?(?:area|space|floor\s*space|land)\b"
         r"|\b(?:what|which)\s+(?:\w+\s+)?(?:area|space)\s+(?:did|does|do|has|have|is|was|will)\b"
         r"[^?]*\bcover", "area"),
        (r"\b(?:what|which)\s+(?:share|percentage|percent|proportion|portion|fraction|slice|part"
         r"|piece|chunk)\b|\bpercent(?:age)?\b|\bshare\s+of\b|%|\bhow\s+much\s+of\s+(?:the|its|their"
         r"|our)\b|\baccount(?:s|ed)?\s+for\b|\bmake\s+up\b|\bmade\s+up\b|\bmarket\s+share\b"
         r"|\bmargin\b|\brate\b|\bhow\s+fast\b|\bhow\s+quickly\b|\bby\s+how\s+much\b"
         r"|\bby\s+what\s+(?:factor|amount)\b|\bgrowth\b|\bgr[eo]w(?:n|s)?\b|\bgrowing\b"
         r"|\baccura(?:cy|te)\b|\bcontribut\w*\b|\bhow\s+much\s+(?:higher|lower|more|less|above"
         r"|below|bigger|larger|greater|smaller|better|worse|faster|slower)\b"
         r"|\b(?:jump|increase|rise|change|decline|drop|gain|improvement|decrease|uplift|fall"
         r"|surge|swing)\s+(?:in|of)\b"
         r"|\bhow\s+much\s+(?:did|does|has|have|had|will|was|were|is|are)\b.*\b(?:increas\w*|ris\w*"
         r"|rose|declin\w*|drop\w*|f[ae]ll\w*|chang\w*|go(?:ne)?\s+up|went\s+up|go(?:ne)?\s+down"
         r"|went\s+down|improv\w*|climb\w*|jump\w*|expand\w*|shr[iau]nk\w*|soar\w*|surg\w*"
         r"|slump\w*|plung\w*|gain\w*|boost\w*|accelerat\w*)", "percent"),
        (r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b|\b[a-z]+\s+(?:count|tally)\b"
         r"|\b(?:size\s+of|how\s+(?:big|large)\s+is)\b.*\b(?:portfolio|base|fleet|network)\b",
         "count"),
        (r"\bhow\s+powerful\b|\bcomput(?:e|ing)\s+(?:power|capacity)\b|\bcompute\b"
         r"|\bcapacity\b", "compute"),
        (r"\bwhat\s+(?:rank|position|place)\b|\bwhere\s+does\b.*\brank|\brank(?:ed|s|ing)?\b",
         "rank"),
        (r"\bhow\s+much\b|\bmoney\b|\brev(?:enues?)?\b|\bsales\b|\bturnover\b|\btop\s+line\b"
         r"|\bbottom\s+line\b|\bincome\b|\bprofits?\b|\bloss(?:es)?\b|\blos[et]\b|\bcash\b"
         r"|\bwar\s+chest\b|\bspen[dt]\b|\bspending\b|\bexpenditures?\b|\binvest\w*\b|\bcosts?\b"
         r"|\bvalue\b|\bworth\b|\bprice\b|\bdividends?\b|\bearn\w*\b|\bbring\s+in\b"
         r"|\bbrought\s+in\b|\brmb\b|\byuan\b|\bdollars?\b|\bfunding\b|\bper\s+share\b|\beps\b"
         r"|\bebitda\b|\bdebt\b|\bborrowings?\b|\bcapex\b|\bexpenses?\b|\bmarket\s+cap\w*\b"
         r"|\bvaluation\b|\bbuy\s?backs?\b|\brepurchases?\b|\bliabilities\b|\bassets\b",
         "currency"),
        (r"\bhow\s+(?:popular|big|large|widely|extensive|far|well|successful|strong)\b",
         "measure"),
    )
)  # fmt: skip
# A unit the question names -> the figure kind written in it ("by how many basis points").
UNIT_KINDS = tuple(
    (re.compile(p, _F), kind)
    for p, kind in (
        (r"\bbasis\s+points?\b|\bbps\b", "basis_points"),
        (r"\bpercentage\s+points?\b|\bppts?\b", "percentage_points"),
        (r"\bper\s?cent\b|%", "percent"),
    )
)
CHANGE_RE = re.compile(
    r"\b(?:gr[eo]w|grown|growth|growing|increas\w*|rise|rose|risen|jump\w*|decline\w*|drop\w*"
    r"|fall|fell|fallen|change\w*|by\s+how\s+much|how\s+fast|how\s+quickly|added|add|new"
    r"|(?:go|goes|went|gone|going|move[sd]?|moving|be|been|is|was|were|are)\s+(?:up|down)"
    r"|(?:up|down)\s+by|improv\w*|climb\w*|expand\w*|gain\w*|surg\w*|soar\w*|higher|lower"
    r"|above|below)\b",
    _F,
)
# Finance slang and paraphrase -> words a release uses (before stemming).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sales": ("revenue",), "turnover": ("revenue",), "top line": ("revenue", "total"),
    "rev": ("revenue",), "bring in": ("revenue",), "brought in": ("revenue",),
    "earn": ("revenue",), "earned": ("revenue",), "make": ("revenue",),
    "income": ("revenue", "profit"), "bottom line": ("net", "loss", "profit"),
    "abroad": ("overseas",), "international": ("overseas",), "foreign": ("overseas",),
    "outside china": ("overseas",), "outside the country": ("overseas",),
    "overseas": ("overseas",), "lose": ("loss",), "lost": ("loss",), "losses": ("loss",),
    "war chest": ("cash", "reserve"), "cash pile": ("cash", "reserve"),
    "cash on hand": ("cash", "reserve"), "liquidity": ("cash",), "in the bank": ("cash",),
    "margin": ("margin",), "spend": ("expenditure", "investment"),
    "spent": ("expenditure", "investment"), "spending": ("expenditure", "investment"),
    "cost": ("expenditure",), "research": ("r&d",),
    "development": ("r&d",), "invest": ("investment",), "invested": ("investment",),
    "poured": ("investment",), "computing power": ("computing", "power"),
    "powerful": ("computing", "power", "exaflops"), "compute": ("computing", "capacity"),
    "supercomputer": ("supercomputing", "clusters"), "intellectual property": ("patents",),
    "ip": ("patents",), "patent portfolio": ("patents",), "staff": ("employees",),
    "headcount": ("employees",), "workforce": ("employees",), "people work": ("employees",),
    "smartphones": ("mobile", "phones"), "smartphone": ("mobile", "phone"),
    "handsets": ("mobile", "phones"), "handset": ("mobile", "phone"),
    "phones": ("mobile", "phones"), "clients": ("customers",), "client": ("customer",),
    "growth": ("increase",), "grow": ("increase",), "grew": ("increase",),
    "rise": ("increase",), "rose": ("increase",), "go up": ("increase",),
    "went up": ("increase",), "jump": ("increase",), "improve": ("increase", "rose"),
    "improved": ("increase", "rose"), "announce": ("release",), "announced": ("release",),
    "go live": ("launch",), "went live": ("launch",), "start operation": ("launch",),
    "began operation": ("launch",), "opened": ("launched",), "gpu": ("chips",),
    "ai chips": ("chips",), "homegrown": ("domestic",), "home-grown": ("domestic",),
    "domestically": ("domestic",), "metro": ("subway",), "underground": ("subway",),
    "ticker": ("stock", "code"), "target": ("expected", "planned"),
    "bounce back": ("recovered",), "bounced back": ("recovered",), "rebound": ("recovered",),
    "rebounded": ("recovered",), "quickly": ("rapidly",), "games": ("rounds", "game"),
    "shipped": ("shipments",), "sold": ("shipments", "sold"), "licences": ("licenses",),
    "certificate": ("certification",), "certified": ("certification",),
    "medical": ("health", "clinical"), "healthcare": ("health",), "apps": ("app",),
    "operating": ("operation",), "opened up": ("opened",), "made available": ("opened",),
    "automotive": ("auto",), "car": ("auto",), "cars": ("auto", "vehicles"),
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
    "inventory", "goodwill", "profit before tax", "buyback", "buybacks", "repurchase",
    "administrative expenses", "selling expenses", "guidance", "liabilities", "borrowings",
    "equity", "payroll", "salaries", "operating activities", "investing activities",
    "financing activities", "net cash", "forecast", "projection", "outlook", "consensus",
    "shares outstanding", "share count", "book value", "operating margin", "net margin",
    "ebitda margin", "operating income", "net profit margin",
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
    portion fraction rate now there size count""".split()  # noqa: SIM905
)
# British spellings -> the American ones releases in this corpus use (before stemming).
SPELLING = {
    "licence": "license", "licences": "licenses", "centre": "center", "centres": "centers",
    "metre": "meter", "metres": "meters", "programme": "program", "programmes": "programs",
    "organisation": "organization", "organisations": "organizations", "utilisation":
    "utilization", "authorised": "authorized", "recognised": "recognized",
}  # fmt: skip
# "kinds of chips" counts chips: a classifier names the counting, not the thing counted.
CLASSIFIERS = frozenset(
    """kinds kind types type sorts sort varieties variety categories category forms form
    classes class""".split()  # noqa: SIM905
)
IRREGULAR_PLURALS = frozenset(
    """people children staff personnel media data men women police cattle""".split()  # noqa: SIM905
)
# Capitalised words that are not names the answer must mention.
NOT_ENTITIES = frozenset(
    """i a an the what whats which who whom whose when where why how is are was were do does
    did has have had will would can could should please tell give january february march
    april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday q1 q2 q3 q4 h1 h2 fy ceo cfo cto coo chief executive
    officer financial technology operating ai rmb us hk usd hkd ok yoy""".split()  # noqa: SIM905
)
# Job titles: a "who is the chief financial officer" question needs that title in the text.
TITLE_RE = re.compile(
    r"\bchief\s+\w+\s+officer\b|\bc[a-z]o\b|\bpresident\b|\bchairman\b|\bchairwoman\b"
    r"|\bchairperson\b|\bfounder\b|\bco-founder\b|\bcompany\s+secretary\b|\bauditor\b",
    _F,
)
_RELATIVE = (
    (re.compile(r"\b(?:last|previous|prior)\s+year\b", _F), "last year"),
    (re.compile(r"\b(?:this|current)\s+year\b", _F), "this year"),
    (re.compile(r"\b(?:next|coming|following)\s+year\b", _F), "next year"),
)
# Words that end the counted noun phrase: function words, auxiliaries, verbs, prepositions.
_NOUN_STOP = STOPWORDS - {"company", "companys", "group", "business"} | frozenset(
    """use uses used serve serves served run runs operate work works sell sold ship shipped
    receive received employ employs exist installed deliver delivered launch launched
    connect connected deploy deployed carry carries outside inside across per via within
    without were are got getting""".split()  # noqa: SIM905
)
_WORD_RE = re.compile(r"[A-Za-z][\w&/-]*(?:['’]s)?")
_COUNT_TRIGGER_RE = re.compile(
    r"\b(?:how\s+many|number\s+of|count\s+of|size\s+of)\s+(?:the\s+|their\s+|its\s+|our\s+)?", _F
)
_CONTAINERS = frozenset({"portfolio", "base", "fleet", "network", "count", "tally"})
_X_COUNT_RE = re.compile(r"\b([A-Za-z][\w-]*)\s+(?:count|tally|portfolio|base)\b", _F)
_SUBSET_RE = re.compile(r"^of\s+(?:the|these|those|their|its)\s+.+?\s+(?:are|were|is|was)\s+", _F)
_EMPLOYEES_RE = re.compile(
    r"\b(?:people|persons|staff)\b.*\b(?:work|works|working|employed|employ|on\s+payroll)\b"
    r"|\bemploy(?:s|ed)?\b.*\bhow\s+many\b|\bhow\s+many\b.*\bemploy(?:s|ed)?\b",
    _F,
)


@dataclass(frozen=True)
class Intent:
    """What a question asks for. `kind` None means the answer is a sentence, not a figure
    ("measure" = a figure of any kind, for vague "how popular / how big" questions);
    `role` is "change" when it asks about growth; `noun` is what "how many" counts and
    `nouns` its stemmed head words with synonyms; `keywords` are stemmed topic words with
    finance synonyms added, and `topics` the same words grouped (one group per word of the
    question, holding its synonyms), so coverage counts each asked word once; `entities` are
    the names the question mentions ("Smart Business", "EBITDA"), which an answer must too;
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


def stem(word: str) -> str:
    """A crude stem that only needs to agree with itself (question vs. release).

    >>> [stem(w) for w in ("Revenues", "revenue", "increased", "serving", "losses", "R&D")]
    ['revenu', 'revenu', 'increas', 'serv', 'loss', 'r&d']
    >>> [stem(w) for w in ("shipped", "shipments", "licences", "megacities")]
    ['ship', 'ship', 'licens', 'megacity']
    """
    w = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    w = SPELLING.get(w, w)
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # shipped -> ship, planned -> plan (but not "called", "passed")
            break
    if w.endswith("ment") and len(w) >= 8:
        w = w[:-4]  # shipment -> ship, investment -> invest
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def tokens(text: str) -> set[str]:
    """Stemmed content words of `text` (stop words dropped).

    >>> sorted(tokens("The total number of patents"))
    ['patent']
    """
    words = re.findall(r"[A-Za-z][\w&]*(?:['’]s)?", text)
    bare = (re.sub(r"['’]s$", "", w.lower()) for w in words)
    return {stem(w) for w in bare if w not in STOPWORDS and len(w) > 1}


def _synonym_spans(question: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, release words) for each finance phrase of the question, longest first,
    without overlaps."""
    low = question.lower()
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    for phrase in sorted(SYNONYMS, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w&]){re.escape(phrase)}(?![\w&])", low):
            if not any(m.start() < e and s < m.end() for s, e, _ in spans):
                spans.append((m.start(), m.end(), SYNONYMS[phrase]))
    return spans


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
    blank = [(s, e) for s, e, _ in spans] + [(c.start, c.end) for c in find_period_cues(question)]
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
    return tuple(sorted(set().union(*topic_groups(question))))


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
        if low in _NOUN_STOP or len(words) >= 4:
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
        if phrase and (alt := re.match(r"\s*(?:or|/)\s*([A-Za-z]+)", rest[end:])):
            alternatives.append(alt.group(1).lower())  # "patients or people"
    if not phrase and (xm := _X_COUNT_RE.search(question)) and xm.group(1).lower() not in STOPWORDS:
        phrase = [xm.group(1).lower()]  # "patent count", "customer base"
    if len(phrase) > 1 and phrase[-1] in _CONTAINERS:
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


def _period(question: str) -> str | None:
    cues = find_period_cues(question)
    if cues:
        return cues[0].label
    for pattern, label in _RELATIVE:
        if pattern.search(question):
            return label
    m = re.search(r"(?<![\w-])((?:19|20)[0-9]{2})(?![\w-])", question)
    return m.group(1) if m else None


def _entities(question: str) -> tuple[str, ...]:
    """Names the question mentions: runs of capitalised words ("Smart Business"), words with
    inner capitals or all capitals ("ImageNet", "EBITDA"). A capitalised first word counts
    only as part of a longer name; finance phrases and period words are not names.

    >>> _entities("What was Smart Business revenue in 1H2022?")
    ('Smart Business',)
    """
    blanked = list(question)
    for start, end, _ in _synonym_spans(question):
        blanked[start:end] = " " * (end - start)
    for cue in find_period_cues(question):
        blanked[cue.start : cue.end] = " " * (cue.end - cue.start)
    text = "".join(blanked)
    names: list[str] = []
    for run in re.finditer(r"[A-Z][\w&/-]*(?:['’]s)?(?:\s+[A-Z][\w&/-]*(?:['’]s)?)*", text):
        words = [re.sub(r"['’]s$", "", w) for w in run.group(0).split()]
        while words and (words[0].lower() in NOT_ENTITIES or any(c.isdigit() for c in words[0])):
            words.pop(0)
        while words and (words[-1].lower() in NOT_ENTITIES or any(c.isdigit() for c in words[-1])):
            words.pop()
        first = run.start() == len(text) - len(text.lstrip())
        inner = any(any(c.isupper() for c in w[1:]) for w in words)
        if words and (len(words) > 1 or inner or not first):
            names.append(" ".join(words))
    return tuple(names)


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
    change = kind in ("percent", "count", "measure") and CHANGE_RE.search(question)
    role = "change" if change else None
    noun, heads = (
        _noun(question) if kind in ("count", "percent", "measure") else (None, frozenset())
    )
    if kind != "count":
        noun = None  # "how fast did the number of X grow" asks a rate; X stays a topic
    low = question.lower()
    named = [m for m in DISTINCT_METRICS if re.search(rf"\b{re.escape(m)}\b", low)]
    if noun == "employees" and "employees" not in named:
        named.append("employees")
    groups = topic_groups(question)
    titles = tuple(t.group(0).lower() for t in TITLE_RE.finditer(question))
    unit_kind = next((k for pattern, k in UNIT_KINDS if pattern.search(question)), None)
    return Intent(
        question, kind, role, noun, _period(question), keywords(question), tuple(named),
        groups, heads, _entities(question), titles, unit_kind,
    )  # fmt: skip
