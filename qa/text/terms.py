"""The tokens lexical search (BM25) reads: normalized, finance phrases rewritten ("top line"
-> revenue), numbers canonical ("1.42 billion", "1,420 million" and "1.42bn" are one token),
stop words dropped, words stemmed. The index tokenizes chunks with them and a question is
tokenized once, into `qa.text.question.Question.terms`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from qa.text.lexicon import INDEX_STOPWORDS, IRREGULAR, PHRASES

# Bump when tokens change: the manifest records it and a mismatch rebuilds the index.
TOKENIZER_VERSION = 6

_PHRASES = tuple((re.compile(pattern, re.IGNORECASE), repl) for pattern, repl in PHRASES)

# Scale words after a number; their value multiplies it.
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(thousand|million|billion|trillion|mn|bn|tn|[kmb])?(?![a-z])",
    re.IGNORECASE,
)
_WORD = re.compile(r"n\d[\d.e-]*|[a-z0-9_]+(?:'[a-z]+)?|[%$¥€£]")
# Currency prefixes glued to a number ("RMB1.42") are split from it.
_GLUED_CURRENCY = re.compile(r"(?<![a-z])(rmb|cny|usd|hkd|us\$|hk\$|eur|gbp|jpy|[$¥€£])(?=\d)")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def number_token(text: str) -> str | None:
    """Canonical token for a number with optional scale word.

    >>> number_token("1.42 billion") == number_token("1,420 million") == number_token("1.42bn")
    True
    >>> number_token("66")
    'n66'
    """
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        return None
    return _format_number(match)


def _format_number(match: re.Match[str]) -> str:
    value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
    scale = (match.group(3) or "").lower()
    value *= SCALES.get(scale, 1.0)
    # %g with 6 significant digits: 1.42e9 and 1420e6 print the same.
    return "n" + f"{value:.6g}".replace("+", "")


def _numbers_to_tokens(text: str) -> str:
    return _NUMBER.sub(lambda m: f" {_format_number(m)} ", text)


def normalize(text: str) -> str:
    """Lower-case, NFKC, concept phrases rewritten, numbers canonical.

    >>> normalize("Sales were RMB1,420 million")
    ' revenue  were rmb  n1.42e09 '
    """
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    text = _GLUED_CURRENCY.sub(r"\1 ", text)  # "rmb1.42" -> "rmb 1.42"
    return _numbers_to_tokens(text)


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: normalized, stop words dropped, words stemmed, numbers canonical.

    >>> tokenize("Total revenue was RMB1.42 billion")
    ['total', 'revenu', 'rmb', 'n1.42e09']
    """
    return list(_tokenize(text))


# Chunk sentences are tokenized again for every question that retrieves them; caching them
# keeps the answering-sentence pass far below the cost of embedding the question.
@lru_cache(maxsize=8192)
def _tokenize(text: str) -> tuple[str, ...]:
    words = [
        IRREGULAR.get(w, w) for w in _WORD.findall(normalize(text)) if w not in INDEX_STOPWORDS
    ]
    stems = _stemmer().stemWords([w for w in words if not _is_special(w)])
    out: list[str] = []
    it = iter(stems)
    for word in words:
        out.append(word if _is_special(word) else next(it))
    return tuple(out)


def _is_special(word: str) -> bool:
    return bool(re.fullmatch(r"n[\d.e-]+|half[12](?:y\d*)?|[%$¥€£]", word))
