"""The one language layer: function words, stop words, finance synonyms and jargon, British
spellings and irregular forms, and the stemmer every stage compares words with.

General finance English only: nothing here names one company or its products. A corpus that
needs words of its own ships them as data next to it (see `load_corpus_vocabulary`).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Grammatical words: they join a sentence but say nothing of its topic. A span never starts
# with one and the question-echo search gives them no weight.
FUNCTION_WORDS = frozenset(
    """a an the of in on at for to from by with and or but nor as is are was were be been
    being do does did done has have had having will would shall should can could may might
    must it its they them their theirs we our ours us you your he she his her him i me my
    this that these those there here what whats which who whom whose when where why how
    than then so such not no if into about over under up out off also just only very too
    each both either neither any all some other same own per via vs s t""".split()  # noqa: SIM905
)

# How a question asks for an explanation ("What was the reason for ...", "What caused ..."):
# the answering sentence says "due to", not these words, so they count for no sentence.
EXPLANATION_WORDS = frozenset(
    """reason reasons cause caused causes causing explain explains explained explanation
    factor factors driver drivers drove led""".split()  # noqa: SIM905
)

# --- stop words -------------------------------------------------------------------------

# What BM25 leaves out of every text it indexes and every question it searches.
INDEX_STOPWORDS = frozenset(
    """
    a an the and or of to in on at by for from with as is are was were be been being it its
    this that these those there their they them we our us you your he she his her i me my
    what which who whom whose when where why how do does did done has have had having will
    would shall should can could may might must than then so such not no nor but if into
    about over under up down out off also just only very more most much many any all each
    both few other some same own too s t don now during before after above below between
    through again further once here via per vs company's make made making get got give gave
    take took say said tell know think want need
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Words that carry no topic: question words, auxiliaries, pronouns, the company as a word.
STOPWORDS = frozenset(
    """a an the of in on at for to from by with and or but is are was were be been being do
    does did has have had will would can could should may might what whats which who whom
    whose when where why how much many much long big large it its they them their we our you
    your he she his her this that these those there here as about into than then so if not
    no any all some company companys firm group business overall total
    figure amount number value level year years half first second period last this current
    six months during report reported state stated said say get got own owns hold holds keep
    give tell me us did does please came come comes money percentage percent proportion
    portion fraction rate now there size count between versus vs compared comparison
    respectively respective both each against""".split()  # noqa: SIM905
)

# --- spellings and forms ---------------------------------------------------------------

# British spellings -> the American ones releases mostly use (before stemming).
SPELLING = {
    "licence": "license", "licences": "licenses", "centre": "center", "centres": "centers",
    "metre": "meter", "metres": "meters", "programme": "program", "programmes": "programs",
    "organisation": "organization", "organisations": "organizations", "utilisation":
    "utilization", "authorised": "authorized", "recognised": "recognized",
}  # fmt: skip
# Plurals without an s, and singular words that read as plural.
IRREGULAR_PLURALS = frozenset(
    """people children staff personnel media data men women police cattle""".split()  # noqa: SIM905
)
# Irregular forms the Snowball stemmer leaves apart from their verb ("drove" vs "driving").
IRREGULAR = {
    "drove": "drive",
    "driven": "drive",
    "grew": "grow",
    "grown": "grow",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "made": "make",
    "brought": "bring",
    "spent": "spend",
    "sold": "sell",
    "led": "lead",
    "built": "build",
    "won": "win",
    "bought": "buy",
    "paid": "pay",
    "held": "hold",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "began": "begin",
    "begun": "begin",
    "saw": "see",
    "seen": "see",
    "met": "meet",
    "kept": "keep",
    "lost": "lose",
    "hit": "hit",
    "cut": "cut",
}


# --- finance synonyms and jargon -------------------------------------------------------

# Words for revenue and for employees that both the index and the question rewrite read.
REVENUE_WORDS = r"top[- ]?line|turnover"
EMPLOYEE_WORDS = r"head\s?count|workforce|staff"

# Finance slang and paraphrase -> words a release uses (before stemming).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sales": ("revenue",), "turnover": ("revenue",), "top line": ("revenue", "total"),
    "rev": ("revenue",), "bring in": ("revenue",), "brought in": ("revenue",),
    "earn": ("revenue",), "earned": ("revenue",), "make": ("revenue",),
    "income": ("revenue", "profit"), "bottom line": ("net", "loss", "profit"),
    "abroad": ("overseas",), "international": ("overseas",), "foreign": ("overseas",),
    "outside the country": ("overseas",), "overseas": ("overseas",), "lose": ("loss",),
    "lost": ("loss",), "losses": ("loss",), "war chest": ("cash", "reserve"),
    "cash pile": ("cash", "reserve"), "cash on hand": ("cash", "reserve"),
    "liquidity": ("cash",), "in the bank": ("cash",), "margin": ("margin",),
    "spend": ("expenditure", "investment"), "spent": ("expenditure", "investment"),
    "spending": ("expenditure", "investment"), "cost": ("expenditure",), "research": ("r&d",),
    "development": ("r&d",), "invest": ("investment",), "invested": ("investment",),
    "poured": ("investment",), "intellectual property": ("patents",), "ip": ("patents",),
    "patent portfolio": ("patents",), "staff": ("employees",), "headcount": ("employees",),
    "workforce": ("employees",), "people work": ("employees",), "clients": ("customers",),
    "client": ("customer",), "growth": ("increase",), "grow": ("increase",),
    "grew": ("increase",), "rise": ("increase",), "rose": ("increase",), "go up": ("increase",),
    "went up": ("increase",), "jump": ("increase",), "improve": ("increase", "rose"),
    "improved": ("increase", "rose"), "announce": ("release",), "announced": ("release",),
    "go live": ("launch",), "went live": ("launch",), "start operation": ("launch",),
    "began operation": ("launch",), "opened": ("launched",), "homegrown": ("domestic",),
    "home-grown": ("domestic",), "domestically": ("domestic",), "ticker": ("stock", "code"),
    "target": ("expected", "planned"), "bounce back": ("recovered",),
    "bounced back": ("recovered",), "rebound": ("recovered",), "rebounded": ("recovered",),
    "quickly": ("rapidly",), "shipped": ("shipments",), "sold": ("shipments", "sold"),
    "licences": ("licenses",), "certificate": ("certification",),
    "certified": ("certification",), "operating": ("operation",),
}  # fmt: skip
# Phrases rewritten before tokenizing, on documents and questions alike (order matters:
# longer phrases first). The right-hand side is a single concept token.
PHRASES: tuple[tuple[str, str], ...] = (
    (r"research and development|r\s*&\s*d|r and d", " rnd "),
    (rf"{REVENUE_WORDS}|sales", " revenue "),
    (r"bottom[- ]line", " net profit "),
    # Periods: "1H2022", "first half of 2022" and "six months ended 30 June 2022" are one token,
    # and each also yields the bare "half1" so "the first half" matches without a year.
    (r"(?:first half|1h|h1)(?: of| year)?\s*(?:of\s*)?(\d{4})", r" half1 half1y\1 "),
    (r"(?:second half|2h|h2)(?: of| year)?\s*(?:of\s*)?(\d{4})", r" half2 half2y\1 "),
    (r"six months ended (?:30 june|june 30,?) (\d{4})", r" half1 half1y\1 "),
    (r"first half(?: of the year)?|six months|interim|h1\b|1h\b", " half1 "),
    (r"second half(?: of the year)?|h2\b|2h\b", " half2 "),
    (r"year[- ]on[- ]year|period[- ]over[- ]period|yoy", " growth "),
    (EMPLOYEE_WORDS, " employees "),
    (r"abroad|international|overseas|foreign", " overseas "),
    (r"intellectual property", " patents "),
    (r"chief executive officer|\bceo\b", " ceo chief executive "),
    (r"cash (?:reserves?|position|balance|holdings?)|war chest", " cash reserve "),
)
# "Workforce reduction", "staff costs": an employee word that heads another noun phrase (a
# row label) is that phrase's word; one followed by a function word, a verb of change or
# nothing is the employees.
_EMPLOYEES_ALONE = (
    rf"\b(?:{EMPLOYEE_WORDS})\b(?!\s+(?!(?:{'|'.join(sorted(FUNCTION_WORDS))})\b"
    r"|(?:increas|decreas|gr[eo]w|ris|rose|f[ae]ll|declin|chang|expand|shr[iau]nk|drop|jump)\w*)"
    r"[a-z])"
)
# Analyst jargon -> the plain words a release uses. Applied to questions only, before both
# embedding and tokenizing: the small embedding model does not know that "top line" means
# revenue, and a question is short enough that one rewrite changes its vector a lot.
JARGON: tuple[tuple[str, str], ...] = (
    (r"\brevs?\b", "revenue"),
    (r"\bticker(?: symbol)?\b|\bstock symbol\b", "stock code"),
    (r"\bhow (?:deep|far) in the red\b", "how much net loss"),
    (r"\bin the red\b|\bunprofitable\b", "at a net loss"),
    (r"\bin the black\b", "profitable"),
    (r"\bopex\b", "operating expenses"),
    (r"\bcapex\b", "capital expenditure"),
    (rf"\b(?:{REVENUE_WORDS})\b", "revenue"),
    (r"\b(?:bring|brought|bringing|take|took|rake|raked) in\b", "make in revenue"),
    (r"\bbottom[- ]?line\b", "net profit or loss"),
    (r"\b(?:lose|lost|losing)\b", "make a net loss of"),
    (r"\bwar chest\b|\bcash pile\b|\bcash on hand\b|\bcash in the bank\b", "cash reserve"),
    # A headcount is a number: "What is the headcount?" asks how many, not what they are.
    (
        r"\bhead\s?count\b|\bworkforce size\b|\bsize of (?:the|its) workforce\b",
        "number of employees",
    ),
    (_EMPLOYEES_ALONE, "employees"),
    (r"\b(?:IP|patent) portfolio\b", "number of patents"),
    (r"\bintellectual property\b", "patents"),
    (r"\bgross margin\b|\bGM\b", "gross profit margin"),
    (
        r"\babroad\b|\binternational(?:ly)?\b|\boutside\s+(?:of\s+)?(?:the\s+)?(?:home\s+)?"
        r"(?:country|market|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b",
        "overseas",
    ),
    (r"\bR&D spend(?:ing)?\b|\bresearch spend(?:ing)?\b", "R&D expenditure"),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem that only needs to agree with itself (question vs. release).

    >>> [stem(w) for w in ("Revenues", "revenue", "increased", "serving", "losses", "R&D")]
    ['revenu', 'revenu', 'increas', 'serv', 'loss', 'r&d']
    >>> [stem(w) for w in ("shipped", "shipments", "licences", "megacities", "employees")]
    ['ship', 'ship', 'licens', 'megacity', 'employe']
    """
    w = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    w = SPELLING.get(w, w)
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if suffix == "es" and w.endswith("ees"):
            continue  # employees -> employee, like the singular (not "employ")
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # shipped -> ship, planned -> plan (but not "called", "passed")
            break
    if w.endswith("ment") and len(w) >= 8:
        w = w[:-4]  # shipment -> ship, investment -> invest
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


# Words that ask for a change rather than a level (stemmed below, like every word compared).
CHANGE_WORDS = frozenset(
    stem(w)
    for w in """increase decrease change growth grow grew rise rose decline drop fall fell jump
    improve difference gain""".split()  # noqa: SIM905
)
# Words that name a part of a company: a figure whose metric says one measures a part (a
# segment, a region, a share of the total), not the whole.
SEGMENT_WORDS = frozenset(
    stem(w)
    for w in """segment segments division divisions overseas domestic international region
    regional subsidiary subsidiaries geographic contribution share""".split()  # noqa: SIM905
)
# A forecast or projection is a statement about the future, not a line item: a release says
# it as "we expect", "is anticipated to", "is projected to". "guidance" and "outlook" stay
# strict (a company's own stated targets, named as such).
FORWARD_LOOKING_RE = re.compile(
    r"\b(?:expect\w*|anticipat\w*|forecast\w*|project(?:ed|ion|ions)\b|predict\w*)", re.IGNORECASE
)
METRIC_EVIDENCE: dict[str, re.Pattern[str]] = {
    "forecast": FORWARD_LOOKING_RE,
    "projection": FORWARD_LOOKING_RE,
}
# Finance metric concepts and their true synonyms. A question naming one is answered only
# by evidence naming the same concept: "cash generated by operations" is operating cash
# flow, a neighbour of the cash reserve but not it.
METRIC_CONCEPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("operating cash flow",
         r"\boperating\s+cash\s+flows?\b|\bcash\s+flows?\s+(?:from|provided\s+by)\s+operati\w+"
         r"|\bcash\s+(?:generated|provided|used|earned)\s+(?:by|in|from)\s+(?:its\s+|our\s+|the\s+)?"
         r"(?:operati\w+|business)|\bcash\s+from\s+operati\w+|\boperating\s+activities\b"
         r"|\b(?:generat\w*|provided)\s+(?:by|from|in)\s+(?:its\s+|our\s+|the\s+)?operations\b"),
        ("free cash flow", r"\bfree\s+cash\s+flows?\b"),
        ("cash reserve",
         r"\bcash\s+(?:reserves?|position|balance|holdings?|on\s+hand|pile)\b|\bwar\s+chest\b"
         r"|\bcash\s+and\s+(?:cash\s+)?equivalents\b"),
        ("gross profit", r"\bgross\s+(?:profit|margin)s?\b"),
        ("operating profit",
         r"\boperating\s+(?:profit|income)\b|\bprofit\s+from\s+operations\b|\bebit\b"),
        ("operating loss", r"\boperating\s+loss(?:es)?\b|\bloss(?:es)?\s+from\s+operations\b"),
        ("ebitda", r"\bebitda\b"),
        ("earnings per share",
         r"\bearnings\s+per\s+share\b|\beps\b|\b(?:profit|loss)\s+per\s+share\b"),
        ("dividend", r"\bdividends?\b"),
        ("capital expenditure", r"\bcapital\s+expenditures?\b|\bcapex\b"),
    )
)  # fmt: skip


def concepts(text: str) -> frozenset[str]:
    """The metric concepts `text` names.

    >>> sorted(concepts("How much cash was generated by operations?"))
    ['operating cash flow']
    >>> sorted(concepts("Total cash reserve held by the Company was RMB19.51 billion."))
    ['cash reserve']
    """
    return frozenset(name for name, pattern in METRIC_CONCEPTS if pattern.search(text))
