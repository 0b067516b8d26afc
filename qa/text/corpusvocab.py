"""Words one corpus needs that are not general finance language: data next to the corpus
(`corpus/vocabulary.json`), loaded with it, never code.

The file maps question phrasings to the words the corpus's documents use ("Formula 1" ->
"F1" in a release that only writes "F1"). It is applied to the question after the general
finance jargon (qa/text/lexicon.py), so retrieval and answering read the corpus's own words:

    {"format": 1, "rewrites": [["\\\\bFormula (?:1|One)\\\\b", "F1"]]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

VOCABULARY_FILE = "vocabulary.json"
FORMAT_VERSION = 1


class VocabularyError(ValueError):
    """The corpus vocabulary file is malformed."""


@dataclass(frozen=True)
class CorpusVocabulary:
    """Question rewrites of one corpus, in file order."""

    rewrites: tuple[tuple[re.Pattern[str], str], ...] = ()

    def rewrite(self, question: str) -> str:
        """Apply every rewrite to `question`.

        >>> v = CorpusVocabulary(((re.compile(r"\\bACV\\b", re.I), "annual contract value"),))
        >>> v.rewrite("How did ACV grow?")
        'How did annual contract value grow?'
        """
        for pattern, replacement in self.rewrites:
            question = pattern.sub(replacement, question)
        return question


def load_vocabulary(corpus_dir: Path) -> CorpusVocabulary:
    """The corpus's vocabulary, or an empty one when the corpus has no vocabulary file."""
    path = corpus_dir / VOCABULARY_FILE
    if not path.is_file():
        return CorpusVocabulary()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise VocabularyError(f"{path}: not readable JSON ({err})") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise VocabularyError(f'{path}: expected an object with "format": {FORMAT_VERSION}')
    rewrites = data.get("rewrites", [])
    shape = f'{path}: "rewrites" must be a list of [pattern, replacement] string pairs'
    if not isinstance(rewrites, list):
        raise VocabularyError(shape)
    compiled = []
    for item in rewrites:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        ):
            raise VocabularyError(shape)
        try:
            compiled.append((re.compile(item[0], re.IGNORECASE), item[1]))
        except re.error as err:
            raise VocabularyError(f"{path}: bad pattern {item[0]!r}: {err}") from err
    return CorpusVocabulary(tuple(compiled))
