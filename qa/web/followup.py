"""Conversation context for follow-up questions in the chat.

The retriever answers one self-contained question at a time, so a follow-up such as
"And the net loss?" is rewritten into a full question before it is asked. The rule is small,
pure and predictable, so a user can tell what was asked (the chat shows the rewritten form):

1. Without a previous question, or when the question is complete, it stands alone.
   Complete means: it starts with a question word or an auxiliary ("What …", "How …",
   "Did …"), or it contains a verb from `VERBS`, or it is longer than `MAX_FRAGMENT_WORDS`.
2. A leading follow-up opener ("and", "what about", "how about", "also", …) is removed; if
   what is left is a complete question, that is asked ("And what was the net loss?").
3. What is left is a fragment. A fragment that starts with a preposition ("in 2021",
   "for the Retail segment") is appended to the previous question; any other fragment ("the net
   loss") replaces the subject of the previous question, i.e. it is asked with the previous
   question's frame: its words up to and including the first auxiliary verb ("What was",
   "How much did … grow" keeps "How much did"), else "What was".

History holds the questions as they were asked *after* this rewriting, most recent last, so
chains of follow-ups keep working.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w&'’-]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Openers that mark an elliptical follow-up, longest first so "and what about" wins over "and".
OPENERS = (
    "and what about",
    "and how about",
    "what about",
    "how about",
    "and also",
    "same for",
    "and",
    "also",
)
# Words that start a complete question.
QUESTION_WORDS = _word_set(
    "what how which who whom whose when where why did does do is was were are has have had can "
    "could will would should tell show give list"
)
# Auxiliaries that end a question's frame ("What was" | "the total revenue").
AUXILIARIES = _word_set("was were is are did does do has have had")
# Verbs that make a short question complete even without a question word.
VERBS = AUXILIARIES | _word_set(
    "rose fell grew increased decreased declined reached reported achieved contributed earned "
    "spent accounted added remained held ranked"
)
PREPOSITIONS = _word_set("in for during at over by from of as compared versus vs")
# Longer questions without a question word are treated as complete.
MAX_FRAGMENT_WORDS = 5
DEFAULT_FRAME = "What was"


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _strip_opener(question: str) -> tuple[str, bool]:
    lowered = question.lower()
    for opener in OPENERS:
        if re.match(rf"{re.escape(opener)}\b", lowered):
            rest = question[len(opener) :].lstrip(" ,;:—–-")
            return rest, True
    return question, False


def is_complete(question: str) -> bool:
    """True if the question can be asked on its own (rule 1 above).

    >>> is_complete("What was the net loss?"), is_complete("the net loss?")
    (True, False)
    """
    words = _words(question)
    if not words:
        return False
    return (
        words[0] in QUESTION_WORDS
        or any(word in VERBS for word in words)
        or len(words) > MAX_FRAGMENT_WORDS
    )


def frame(question: str) -> str:
    """The previous question's frame: its text up to and including the first auxiliary verb.

    >>> frame("What was the total revenue?")
    'What was'
    >>> frame("Tell me the revenue")
    'What was'
    """
    for match in _WORD.finditer(question):
        if match.group().lower() in AUXILIARIES:
            return question[: match.end()]
    return DEFAULT_FRAME


def contextualize(question: str, history: list[str]) -> str:
    """Rewrite a follow-up into a self-contained question using the previous question.

    >>> contextualize("And the net loss?", ["What was the total revenue?"])
    'What was the net loss?'
    >>> contextualize("And in 2021?", ["What was the total revenue?"])
    'What was the total revenue in 2021?'
    >>> contextualize("What was the gross margin?", ["What was the total revenue?"])
    'What was the gross margin?'
    >>> contextualize("And the net loss?", [])
    'And the net loss?'
    """
    text = " ".join(question.split())
    if not history or not text:
        return text
    previous = " ".join(history[-1].split()).rstrip(" ?")
    rest, had_opener = _strip_opener(text)
    if not had_opener and is_complete(text):
        return text
    if had_opener and is_complete(rest):
        return rest[:1].upper() + rest[1:]
    fragment = rest.rstrip(" ?.!")
    if not _words(fragment):
        return previous + "?"
    if _words(fragment)[0] in PREPOSITIONS:
        return f"{previous} {fragment}?"
    return f"{frame(previous)} {fragment}?"
