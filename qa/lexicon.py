"""The one language layer: function words, stop words, finance synonyms and jargon, British
spellings and irregular forms, and the stemmer every stage compares words with.

General finance English only: nothing here names one company or its products. A corpus that
needs words of its own ships them as data next to it (see `load_corpus_vocabulary`).
"""

from __future__ import annotations

from functools import lru_cache

from qa.vocabulary import SPELLING

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


@lru_cache(maxsize=65536)
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
