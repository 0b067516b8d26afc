"""The grammar of questions: which kind of figure a question asks for, which words name a
change, a count, a title or a relative period, and the names that are not names. The words
themselves (stop words, finance synonyms, spellings, stems) are in qa/text/lexicon.py.

Tables, not code: `qa.text.intent` reads a question with these, so teaching it "top line" or a new
metric is a one-line change here.
"""

from __future__ import annotations

import re

from qa.text.kinds import (
    AREA,
    BASIS_POINTS,
    COMPUTE,
    COUNT,
    CURRENCY,
    DATE,
    DURATION,
    MEASURE,
    PERCENT,
    PERCENTAGE_POINTS,
    RANK,
)
from qa.text.lexicon import STOPWORDS

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
         DATE),
        (r"\bhow\s+long\b|\bhow\s+many\s+(?:consecutive\s+)?(?:years|months|weeks|days|hours)\b",
         DURATION),
        (r"\bbasis\s+points?\b|\bbps\b|\bpercentage\s+points?\b|\bppts?\b", PERCENT),
        (r"\b(?:exa|peta|tera)?flops\b", COMPUTE),
        (r"\bsquare\s+(?:met(?:er|re)s?|feet|kilomet(?:er|re)s?)\b|\bsq\.?\s?m\b|\bhectares?\b"
         r"|\bhow\s+(?:much|big|large)\s+(?:an?\s+)?(?:\w+\s+)?(?:area|space|floor\s*space|land)\b"
         r"|\b(?:what|which)\s+(?:\w+\s+)?(?:area|space)\s+(?:did|does|do|has|have|is|was|will)\b"
         r"[^?]*\bcover", AREA),
        (r"\b(?:what|which)\s+(?:share|percentage|percent|proportion|portion|fraction|slice|part"
         r"|piece|chunk)\b|\bpercent(?:age)?\b|\bproportion\b|\bshare\s+of\b|%|\bhow\s+much\s+of\s+(?:the|its|their"
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
         r"|slump\w*|plung\w*|gain\w*|boost\w*|accelerat\w*)", PERCENT),
        # "dividend based on the number of shares" asks for the dividend, not a count.
        (r"\bhow\s+many\b|(?<!\bon\sthe\s)(?<!\bby\sthe\s)\bnumber\s+of\b|\bcount\s+of\b|\b[a-z]+\s+(?:count|tally)\b"
         r"|\b(?:size\s+of|how\s+(?:big|large)\s+is)\b.*\b(?:portfolio|base|fleet|network)\b",
         COUNT),
        (r"\bhow\s+powerful\b|\bcomput(?:e|ing)\s+(?:power|capacity)\b|\bcompute\b"
         r"|\bcapacity\b", COMPUTE),
        (r"\bwhat\s+(?:rank|position|place)\b|\bwhere\s+does\b.*\brank|\brank(?:ed|s|ing)?\b",
         RANK),
        (r"\bhow\s+much\b|\bmoney\b|\brev(?:enues?)?\b|\bsales\b|\bturnover\b|\btop\s+line\b"
         r"|\bbottom\s+line\b|\bincome\b|\bprofits?\b|\bloss(?:es)?\b|\blos[et]\b|\bcash\b"
         r"|\bwar\s+chest\b|\bspen[dt]\b|\bspending\b|\bexpenditures?\b|\binvest\w*\b|\bcosts?\b"
         r"|\bvalue\b|\bworth\b|\bprice\b|\bdividends?\b|\bearn\w*\b|\bbring\s+in\b"
         r"|\bbrought\s+in\b|\brmb\b|\byuan\b|\bdollars?\b|\bfunding\b|\bper\s+share\b|\beps\b"
         r"|\bebitda\b|\bdebt\b|\bborrowings?\b|\bcapex\b|\bexpenses?\b|\bmarket\s+cap\w*\b"
         r"|\bvaluation\b|\bbuy\s?backs?\b|\brepurchases?\b|\bliabilities\b|\bassets\b",
         CURRENCY),
        (r"\bhow\s+(?:popular|big|large|widely|extensive|far|well|successful|strong)\b",
         MEASURE),
    )
)  # fmt: skip
# A unit the question names -> the figure kind written in it ("by how many basis points").
UNIT_KINDS = tuple(
    (re.compile(p, _F), kind)
    for p, kind in (
        (r"\bbasis\s+points?\b|\bbps\b", BASIS_POINTS),
        (r"\bpercentage\s+points?\b|\bppts?\b", PERCENTAGE_POINTS),
        (r"\bper\s?cent\b|%", PERCENT),
    )
)
CHANGE_RE = re.compile(
    r"\b(?:gr[eo]w|grown|growth|growing|increas\w*|decreas\w*|rise|rose|risen|jump\w*|decline\w*|drop\w*"
    r"|fall|fell|fallen|change\w*|by\s+how\s+much|how\s+fast|how\s+quickly|added|add|new"
    r"|(?:go|goes|went|gone|going|move[sd]?|moving|be|been|is|was|were|are)\s+(?:up|down)"
    r"|(?:up|down)\s+by|improv\w*|climb\w*|expand\w*|gain\w*|surg\w*|soar\w*|higher|lower"
    r"|above|below)\b",
    _F,
)
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
# "kinds of chips" counts chips: a classifier names the counting, not the thing counted.
CLASSIFIERS = frozenset(
    """kinds kind types type sorts sort varieties variety categories category forms form
    classes class""".split()  # noqa: SIM905
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
