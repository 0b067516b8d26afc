"""The words and phrasings questions use: which kind of figure a question asks for, finance
slang and the release's words for it, stop words, and the names that are not names.

Tables, not code: `qa.intent` reads a question with these, so teaching it "top line" or a new
metric is a one-line change here.
"""

from __future__ import annotations

import re

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
RELATIVE_PERIODS = (
    (
        re.compile(
            r"\b(?:last|previous|prior)\s+year\b|\b(?:a|one|the)\s+year\s+(?:earlier|before"
            r"|ago)\b|\byear[- ]earlier\b",
            _F,
        ),
        "last year",
    ),
    (re.compile(r"\b(?:this|current)\s+year\b", _F), "this year"),
    (re.compile(r"\b(?:next|coming|following)\s+year\b", _F), "next year"),
)
# Words that end the counted noun phrase: function words, auxiliaries, verbs, prepositions.
NOUN_STOP = STOPWORDS - {"company", "companys", "group", "business"} | frozenset(
    """use uses used serve serves served run runs operate work works sell sold ship shipped
    receive received employ employs exist installed deliver delivered launch launched
    connect connected deploy deployed carry carries outside inside across per via within
    without were are got getting""".split()  # noqa: SIM905
)
# "patent portfolio" counts patents: the container is not the thing counted.
CONTAINERS = frozenset({"portfolio", "base", "fleet", "network", "count", "tally"})
