"""Evaluation metrics: pure functions from (gold question, Answer) to numbers.

A gold question is answerable (it lists evidence substrings and maybe a figure) or
unanswerable (the release does not state it; the system should say "not stated").
Per question we record a `QuestionResult`; `summarize()` turns a list of them into the
metrics named in `METRICS`; `parse_threshold` reads the `qa eval --min/--max METRIC=VALUE`
bounds on them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qa.text.kinds import COUNT
from qa.types import Answer, Figure

# Relative tolerance for a figure's value: RMB1.42 billion matches 1.42e9 +/- 0.5%.
FIGURE_TOLERANCE = 0.005
# Passages scanned for a hit (MRR@10), figures scanned for figure@3, passages measured for length.
HIT_DEPTH = 10
FIGURE_DEPTH = 3
LENGTH_DEPTH = 3
# Unit spellings that mean the same currency.
UNIT_ALIASES = {"cny": "rmb", "yuan": "rmb", "us$": "usd", "hk$": "hkd"}


@dataclass(frozen=True)
class MetricSpec:
    """One reported metric: its name, whether higher is better, and what it measures."""

    name: str
    higher_is_better: bool
    description: str
    is_rate: bool = True  # a fraction in 0..1 (charted together); else chars or milliseconds


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hit@1", True, "top passage contains the evidence (answerable questions)"),
    MetricSpec("hit@3", True, "a top-3 passage contains the evidence"),
    MetricSpec("hit@5", True, "a top-5 passage contains the evidence"),
    MetricSpec("mrr@10", True, "mean reciprocal rank of the first hit in the top 10"),
    MetricSpec("passage_chars@3", False, "mean characters of the top-3 passages", is_rate=False),
    MetricSpec("figure@1", True, "answer's first figure matches the gold figure (when found)"),
    MetricSpec("figure@3", True, "one of the first 3 figures matches (when found)"),
    MetricSpec("not_stated", True, "unanswerable questions answered 'not stated'"),
    MetricSpec("false_not_found", False, "answerable questions wrongly answered 'not stated'"),
    MetricSpec("latency_p50_ms", False, "median wall time per question (ms)", is_rate=False),
    MetricSpec(
        "latency_p95_ms", False, "95th percentile wall time per question (ms)", is_rate=False
    ),
)
METRIC_NAMES: tuple[str, ...] = tuple(spec.name for spec in METRICS)
RATE_METRICS: tuple[str, ...] = tuple(spec.name for spec in METRICS if spec.is_rate)
HIGHER_IS_BETTER: dict[str, bool] = {spec.name: spec.higher_is_better for spec in METRICS}


@dataclass(frozen=True)
class GoldFigure:
    """The figure a correct answer states: value scaled like `qa.types.Figure.value`."""

    value: float
    unit: str


@dataclass(frozen=True)
class GoldItem:
    """One line of the gold file."""

    id: str
    q: str
    evidence: tuple[str, ...] = ()
    figure: GoldFigure | None = None
    unanswerable: bool = False


@dataclass(frozen=True)
class QuestionResult:
    """What the system did on one gold question, reduced to what the metrics need."""

    id: str
    question: str
    unanswerable: bool
    has_figure: bool
    found: bool
    hit_rank: int | None  # 1-based rank of the first passage with evidence, within HIT_DEPTH
    figure_rank: int | None  # 1-based rank of the first matching figure, within FIGURE_DEPTH
    passage_lengths: tuple[int, ...]  # lengths of the top LENGTH_DEPTH passages
    latency_ms: float
    top_passage: str = ""
    answer: str = ""
    expected: str = ""

    def failed(self) -> tuple[str, ...]:
        """Names of the per-question checks this question failed.

        >>> QuestionResult("x", "q?", True, False, True, None, None, (), 1.0).failed()
        ('not_stated',)
        """
        if self.unanswerable:
            return () if not self.found else ("not_stated",)
        failed = []
        if self.hit_rank != 1:
            failed.append("hit@1")
        if self.has_figure and self.figure_rank != 1:
            failed.append("figure@1")
        if not self.found:
            failed.append("false_not_found")
        return tuple(failed)


@dataclass(frozen=True)
class EvalResult:
    """Metrics and per-question results of one system on one gold set."""

    label: str
    metrics: Mapping[str, float | None]
    results: tuple[QuestionResult, ...]

    def failures(self) -> tuple[QuestionResult, ...]:
        """The questions that failed at least one per-question check."""
        return tuple(r for r in self.results if r.failed())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: metrics plus the failures with what was expected and given."""
        return {
            "label": self.label,
            "questions": len(self.results),
            "metrics": dict(self.metrics),
            "failures": [
                {
                    "id": r.id,
                    "question": r.question,
                    "failed": list(r.failed()),
                    "hit_rank": r.hit_rank,
                    "found": r.found,
                    "expected": r.expected,
                    "answer": r.answer,
                    "top_passage": r.top_passage[:200],
                }
                for r in self.failures()
            ],
        }


def normalize_space(text: str) -> str:
    """Collapse every whitespace run to one space and strip the ends.

    >>> normalize_space("RMB1.42\\n  billion ")
    'RMB1.42 billion'
    """
    return " ".join(text.split())


def first_hit_rank(
    texts: Sequence[str], evidence: Sequence[str], depth: int = HIT_DEPTH
) -> int | None:
    """1-based rank of the first text containing any evidence substring (whitespace-normalized).

    >>> first_hit_rank(["no", "revenue was RMB1.42  billion"], ["RMB1.42 billion"])
    2
    """
    needles = [normalize_space(e) for e in evidence if e.strip()]
    for rank, text in enumerate(texts[:depth], start=1):
        haystack = normalize_space(text)
        if any(needle in haystack for needle in needles):
            return rank
    return None


def canonical_unit(unit: str) -> str:
    """Case-folded unit with currency aliases merged: "CNY" -> "rmb", "%" -> "%"."""
    folded = unit.strip().casefold()
    return UNIT_ALIASES.get(folded, folded)


def units_compatible(figure: Figure, gold_unit: str) -> bool:
    """Gold "" accepts any count ("patents", "customers", ...); otherwise units must agree."""
    if gold_unit == "":
        return figure.kind == COUNT or figure.unit == ""
    return canonical_unit(figure.unit) == canonical_unit(gold_unit)


def figure_matches(figure: Figure, gold: GoldFigure, tolerance: float = FIGURE_TOLERANCE) -> bool:
    """True when the units are compatible and the value is within `tolerance` (relative).

    Percent figures compare as written: Figure(value=66, unit="%") matches gold 66 "%".
    """
    if not units_compatible(figure, gold.unit):
        return False
    return abs(figure.value - gold.value) <= tolerance * abs(gold.value)


def first_figure_rank(answer: Answer, gold: GoldFigure, depth: int = FIGURE_DEPTH) -> int | None:
    """1-based rank of the first matching figure; None when not found, since the user then
    reads "not stated" rather than the figure."""
    if not answer.found:
        return None
    for rank, figure in enumerate(answer.figures[:depth], start=1):
        if figure_matches(figure, gold):
            return rank
    return None


def format_figure(figure: GoldFigure) -> str:
    """A gold figure as a reader would say it.

    >>> format_figure(GoldFigure(1.951e10, "RMB")), format_figure(GoldFigure(66, "%"))
    ('19.51 billion RMB', '66 %')
    """
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(figure.value) >= scale:
            return f"{figure.value / scale:g} {word} {figure.unit}".strip()
    return f"{figure.value:g} {figure.unit}".strip()


def score_answer(item: GoldItem, answer: Answer, latency_ms: float) -> QuestionResult:
    """Reduce one Answer to the facts the metrics need."""
    texts = [passage.text for passage in answer.passages]
    expected = item.evidence[0] if item.evidence else "(not stated)"
    if item.figure is not None:
        expected = f"{format_figure(item.figure)} ({expected})"
    return QuestionResult(
        id=item.id,
        question=item.q,
        unanswerable=item.unanswerable,
        has_figure=item.figure is not None,
        found=answer.found,
        hit_rank=None if item.unanswerable else first_hit_rank(texts, item.evidence),
        figure_rank=None if item.figure is None else first_figure_rank(answer, item.figure),
        passage_lengths=tuple(len(text) for text in texts[:LENGTH_DEPTH]),
        latency_ms=latency_ms,
        top_passage=texts[0] if texts else "",
        answer=answer.answer,
        expected=expected,
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method); None for no values.

    >>> percentile([10.0, 20.0, 30.0, 40.0], 50)
    25.0
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(results: Sequence[QuestionResult]) -> dict[str, float | None]:
    """Every metric in METRICS; None where no question measures it (e.g. no gold figures)."""
    answerable = [r for r in results if not r.unanswerable]
    unanswerable = [r for r in results if r.unanswerable]
    with_figure = [r for r in answerable if r.has_figure]

    def hit_at(k: int) -> float | None:
        return _mean([float(r.hit_rank is not None and r.hit_rank <= k) for r in answerable])

    def figure_at(k: int) -> float | None:
        return _mean([float(r.figure_rank is not None and r.figure_rank <= k) for r in with_figure])

    latencies = [r.latency_ms for r in results]
    return {
        "hit@1": hit_at(1),
        "hit@3": hit_at(3),
        "hit@5": hit_at(5),
        "mrr@10": _mean([1.0 / r.hit_rank if r.hit_rank else 0.0 for r in answerable]),
        "passage_chars@3": _mean([float(n) for r in answerable for n in r.passage_lengths]),
        "figure@1": figure_at(1),
        "figure@3": figure_at(3),
        "not_stated": _mean([float(not r.found) for r in unanswerable]),
        "false_not_found": _mean([float(not r.found) for r in answerable]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }


class ThresholdError(ValueError):
    """A --min/--max argument is malformed or names an unknown metric."""


@dataclass(frozen=True)
class Threshold:
    """`--min hit@1=0.9` or `--max false_not_found=0.05`."""

    metric: str
    value: float
    bound: str = "min"  # or "max"

    def violation(self, metrics: Mapping[str, float | None]) -> str | None:
        """A message when the measured metric misses this bound, else None."""
        got = metrics.get(self.metric)
        if got is None:
            return f"{self.metric} was not measured (no question in the gold set measures it)"
        if self.bound == "min" and got < self.value:
            return f"{self.metric} = {got:.4g} is below the minimum {self.value:g}"
        if self.bound == "max" and got > self.value:
            return f"{self.metric} = {got:.4g} is above the maximum {self.value:g}"
        return None


def parse_threshold(
    text: str, bound: str = "min", known: Mapping[str, bool] = HIGHER_IS_BETTER
) -> Threshold:
    """Parse "METRIC=VALUE"; `--min` only on higher-is-better metrics, `--max` the reverse.

    >>> parse_threshold("hit@1=0.9")
    Threshold(metric='hit@1', value=0.9, bound='min')
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not raw.strip():
        raise ThresholdError(f"--{bound} expects METRIC=VALUE (e.g. hit@1=0.9), got {text!r}")
    if name not in known:
        raise ThresholdError(f"unknown metric {name!r}; known: {', '.join(known)}")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ThresholdError(f"--{bound} {name}: {raw.strip()!r} is not a finite number")
    if known[name] != (bound == "min"):
        other = "max" if bound == "min" else "min"
        better = "higher" if known[name] else "lower"
        raise ThresholdError(f"{name}: {better} is better, so bound it with --{other}")
    return Threshold(name, value, bound)
