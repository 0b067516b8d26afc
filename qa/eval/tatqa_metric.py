"""TAT-QA's published scoring rules, written out: exact match and F1 over normalised tokens.

The rules (Zhu et al., 2021; the benchmark's evaluation script), as this module applies them:

- an answer is a list of strings (a span answer is a list of one); a number is written as a
  string first;
- each element that reads as a number is normalised to `%.4f` of its value: parentheses make it
  negative, a `%` sign divides it by 100, and otherwise the value is rounded to 2 decimals and
  multiplied by the scale (`1,496.5` in `million` -> `1496500000.0000`); an element that is not
  a number gets the scale word appended;
- the elements are sorted and joined into one string, which is compared token by token after
  lower-casing, removing punctuation (not inside numbers) and articles: exact match is equality
  of the normalised strings, F1 the DROP bag-of-tokens F1, rounded to 2 decimals. So a
  multi-span answer is aligned as one bag: the order of its spans never matters, and a missing
  or extra span lowers F1 by the tokens it carries (the evaluation script's behaviour, which the
  summary "aligned one to one" reduces to, since it always compares one joined string);
- a prediction of one bare number with no scale is also tried as a fraction (`0.2222` matches
  `22.22` in `percent`);
- for arithmetic and count questions F1 equals exact match; an empty prediction scores 0.

Pure functions; no dependency on the rest of the package.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

# Scale words and their multipliers, matched as substrings the way the benchmark does.
SCALES: tuple[tuple[str, float], ...] = (
    ("hundred", 100),
    ("thousand", 1000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
    ("percent", 0.01),
)
SCALE_NAMES: tuple[str, ...] = ("", "thousand", "million", "billion", "percent")
# Characters dropped from a token before it is read as a number.
_NUMBER_NOISE = frozenset("'\"\\$€£¥%(),[]")
_NUMBER = re.compile(r"([+-]?\d+(\.\d+)?)|([+-]?\.\d+)")
_NEGATIVE = re.compile(r"(\([\d.\s]+\))")
_PERCENT = re.compile(r"([\d.\s]+%)")
_WORD_SCALE = re.compile(r"([\d.]+\s?[a-zA-Z]+)")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = frozenset(string.punctuation)
Prediction = str | float | int | Sequence[str | float | int] | None


def scale_multiplier(scale: str) -> float:
    """The multiplier a scale word names, 1 for none.

    >>> scale_multiplier("million"), scale_multiplier("percent"), scale_multiplier("")
    (1000000, 0.01, 1)
    """
    lowered = scale.lower()
    for word, multiplier in SCALES:
        if word in lowered:
            return multiplier
    return 1


def _strip_noise(text: str) -> str:
    return "".join(ch for ch in str(text) if ch not in _NUMBER_NOISE)


def is_number(text: str) -> bool:
    """Whether `text` reads as a number (optionally followed by a scale word).

    >>> is_number("$1,496.5"), is_number("(134)"), is_number("12%"), is_number("2 years")
    (True, True, True, False)
    """
    words = " ".join(_strip_noise(w) for w in text.split()).split()
    if not words:
        return False
    try:
        number = float(words[0])
    except ValueError:
        return False
    if number != number:  # NaN
        return False
    return not (len(words) >= 2 and scale_multiplier(words[1]) == 1)


def _last_number(text: str) -> int | float | None:
    groups = _NUMBER.findall(_strip_noise(text))
    if not groups or not groups[-1][0]:
        return None
    number = groups[-1][0]
    return float(number) if "." in number else int(number)


def _word_scale(text: str) -> float:
    for match in _WORD_SCALE.finditer(text):
        return scale_multiplier(match.group(0).lower())
    return 1


def to_number(text: str) -> int | float | None:
    """The value a number string states: `(134)` -> -134, `12%` -> 0.12, `1.5 million` ->
    1500000.0; None when there is no number.

    >>> to_number("(134)"), to_number("12%"), to_number("$1,496.5")
    (-134, 0.12, 1496.5)
    """
    number = _last_number(text)
    if number is None:
        return None
    negative = -1 if _NEGATIVE.findall(text.strip()) else 1
    percent = 0.01 if _PERCENT.findall(text.strip()) else 1
    return round(number * _word_scale(text) * negative * percent, 4)


def _remove_punctuation(text: str) -> str:
    return text if is_number(text) else "".join(ch for ch in text if ch not in _PUNCTUATION)


def _normalize_token(token: str) -> str:
    token = _remove_punctuation(token.lower())
    if is_number(token):
        token = str(to_number(token))
    return " ".join(_ARTICLES.sub(" ", token).split())


def normalize_answer(text: str) -> str:
    """Lower case, punctuation (outside numbers) and articles removed, numbers normalised.

    >>> normalize_answer("The fixed-price type")
    'fixedprice type'
    >>> normalize_answer("1496500000.0000")
    '1496500000.0'
    """
    parts = [_normalize_token(token) for token in text.split(" ")]
    return " ".join(part for part in parts if part.strip()).strip()


def answer_string(answers: Sequence[str | float | int], scale: str) -> str:
    """The one comparable string for an answer list in a scale (see the module docstring).

    >>> answer_string(["$1,496.5"], "million")
    '1496500000.0000'
    >>> answer_string(["cost-plus type", "fixed-price type"], "")
    'cost-plus type fixed-price type'
    """
    texts = sorted(str(answer) for answer in answers)
    out = []
    for text in texts:
        number = to_number(text) if is_number(text) else None
        if number is None:
            out.append(f"{text} {scale}" if scale else text)
        elif "%" in text:
            out.append(f"{number:.4f}")
        else:
            out.append(f"{round(number, 2) * scale_multiplier(scale):.4f}")
    return " ".join(out)


def _bag_f1(predicted: set[str], gold: set[str]) -> float:
    common = len(gold & predicted)
    precision = common / len(predicted) if predicted else 1.0
    recall = common / len(gold) if gold else 1.0
    if precision == 0.0 and recall == 0.0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def exact_and_f1(predicted: str, gold: str) -> tuple[float, float]:
    """Exact match and F1 of two answer strings (one bag each), F1 rounded to 2 decimals.

    >>> exact_and_f1("cost-plus type", "cost-plus type fixed-price type")
    (0.0, 0.8)
    """
    pred_norm, gold_norm = normalize_answer(predicted), normalize_answer(gold)
    exact = 1.0 if pred_norm == gold_norm else 0.0
    f1 = _bag_f1(set(pred_norm.split()), set(gold_norm.split()))
    return exact, round(f1, 2)


@dataclass(frozen=True)
class Score:
    """One question's score under the benchmark's rules."""

    exact_match: float
    f1: float
    scale_correct: bool


def gold_answers(answer: object, answer_type: str) -> list[str]:
    """The gold answer as a list of strings (count answers as integers).

    >>> gold_answers(-12.6, "arithmetic"), gold_answers(2.0, "count"), gold_answers(["a"], "span")
    (['-12.6'], ['2'], ['a'])
    """
    if answer_type in ("span", "multi-span") and isinstance(answer, list):
        return [str(item) for item in answer]
    if answer_type == "count" and isinstance(answer, (int, float, str)):
        return [str(int(float(answer)))]
    return [str(answer)]


def score_prediction(
    prediction: Prediction, pred_scale: str, gold: object, answer_type: str, gold_scale: str
) -> Score:
    """Score one prediction `[answer, scale]` against a gold answer.

    >>> score_prediction(1496500000, "", ["$1,496.5"], "span", "million")
    Score(exact_match=1.0, f1=1.0, scale_correct=False)
    >>> score_prediction(-22.22, "percent", -22.22, "arithmetic", "percent")
    Score(exact_match=1.0, f1=1.0, scale_correct=True)
    >>> score_prediction(-0.2222, "", -22.22, "arithmetic", "percent").exact_match
    1.0
    """
    # The benchmark's script scores an empty prediction (None, "", [], or 0) as wrong, and
    # counts its scale as wrong too.
    if not prediction:
        return Score(0.0, 0.0, False)
    scale_correct = pred_scale == gold_scale
    items: list[str | float | int] = (
        list(prediction) if isinstance(prediction, (list, tuple)) else [prediction]  # type: ignore[list-item]
    )
    gold_string = answer_string(gold_answers(gold, answer_type), gold_scale)
    candidates = [answer_string(items, pred_scale)]
    if len(items) == 1 and not pred_scale:
        text = str(items[0])
        number = to_number(text) if "%" not in text and is_number(text) else None
        if number is not None:
            candidates.append(f"{number:.4f}")
    exact, f1 = max(exact_and_f1(candidate, gold_string) for candidate in candidates)
    if answer_type in ("arithmetic", "count"):
        f1 = exact
    return Score(exact, f1, scale_correct)
