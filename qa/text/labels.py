"""The words of a table label or a metric phrase, as table matching compares them: stemmed,
in order, stop words dropped ("Total liabilities of IMFT" -> total, liability, imft). A
question's metric phrase is read with the same words (qa/text/question.py), so a row label and
the question that names it meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.text.lexicon import stem

# Words that never identify a row or column.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "for",
        "on",
        "at",
        "to",
        "from",
        "by",
        "and",
        "or",
        "with",
        "as",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "what",
        "which",
        "how",
        "much",
        "many",
        "did",
        "does",
        "do",
        "its",
        "their",
        "company",
        "company's",
        "group",
        "amount",
        "amounts",
        "value",
        "values",
        "respective",
        "respectively",
        "year",
        "years",
        "fiscal",
        "fy",
        "period",
        "during",
        "end",
        "total's",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9&'’-]*")


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """Stemmed content words of a label or phrase, in order, stop words dropped.

    >>> words("Total liabilities of IMFT")
    ('total', 'liability', 'imft')
    """
    found = (
        w.strip("'-").removesuffix("'s") for w in _WORD.findall(text.lower().replace("’", "'"))
    )
    stems = (stem(w) for w in found if w not in _STOP)  # "value" is a stop word, "valu" too
    return tuple(s for s in stems if s and s not in _STOP)
