"""Scoring the system on TAT-QA: ask each question of its own report, score it by the
benchmark's rules (qa/eval/tatqa_metric.py), and break the figures down the way the paper does.

The prediction for a question is made from `Answer.value`, `Answer.unit` and `Answer.scale`
alone (`to_prediction`): no benchmark-specific answer logic, only the format conversion the
benchmark's script reads — a number in the scale its figure was written in ("1,496.5",
"million"), a percentage in "percent", a span as a string, a multi-span answer as a list.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from qa.answer.derived import as_written
from qa.eval.metrics import percentile
from qa.eval.tatqa import TatqaContext, TatqaQuestion
from qa.eval.tatqa_metric import Score, score_prediction
from qa.text.kinds import BASIS_POINT_UNIT, PERCENT_UNIT, PERCENTAGE_POINT_UNIT
from qa.text.numerals import scale_factor
from qa.types import Answer

ANSWER_TYPES = ("span", "multi-span", "arithmetic", "count")
ANSWER_SOURCES = ("text", "table", "table-text")
# The benchmark's name for a scale factor (a figure's scale word as written: "bn", "million").
SCALE_NAMES = {1e3: "thousand", 1e6: "million", 1e9: "billion"}
PERCENT_UNITS = frozenset({PERCENT_UNIT, PERCENTAGE_POINT_UNIT, "percentage points"})
BASIS_POINT_UNITS = frozenset({BASIS_POINT_UNIT, "bps", "basis points"})

PredictedAnswer = str | list[str]


class Asker(Protocol):
    """Anything that answers a question restricted to some documents (`qa.pipeline.QA`)."""

    def ask(
        self, question: str, k: int | None = None, *, docs: Iterable[str] | None = None
    ) -> Answer: ...


def plain_number(value: float) -> str:
    """A number as plain decimal text, never in exponent form, at most 6 decimals.

    >>> plain_number(1496.5), plain_number(-12.6), plain_number(3e9), plain_number(2.0)
    ('1496.5', '-12.6', '3000000000', '2')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_prediction(answer: Answer) -> tuple[PredictedAnswer, str]:
    """`[answer, scale]` as the benchmark's script reads it, from the answer's value alone.

    >>> to_prediction(Answer("q", "", True, value=1.4965e9, unit="USD", scale="million"))
    ('1496.5', 'million')
    >>> to_prediction(Answer("q", "", True, value=-22.22, unit="%"))
    ('-22.22', 'percent')
    >>> to_prediction(Answer("q", "", True, value=("fixed-price", "cost-plus")))
    (['fixed-price', 'cost-plus'], '')
    >>> to_prediction(Answer("q", "not stated", False))
    ('', '')
    """
    value = answer.value
    if value is None or not answer.found:
        return "", ""
    if isinstance(value, tuple):
        return list(value), SCALE_NAMES.get(scale_factor(answer.scale), "")
    if isinstance(value, str):
        return value, ""
    if answer.unit in PERCENT_UNITS:
        return plain_number(value), "percent"
    if answer.unit in BASIS_POINT_UNITS:
        return plain_number(value / 100.0), "percent"
    multiplier = scale_factor(answer.scale)
    name = SCALE_NAMES.get(multiplier, "")
    return plain_number(value / multiplier if name else value), name


@dataclass(frozen=True)
class TatqaResult:
    """What the system did on one benchmark question."""

    question: TatqaQuestion
    prediction: PredictedAnswer
    predicted_scale: str
    score: Score
    found: bool
    answer: str
    latency_ms: float
    operands: tuple[float, ...] = ()  # a derived answer's operands, as written

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the failure list."""
        q = self.question
        return {
            "uid": q.uid,
            "context": q.context,
            "question": q.question,
            "answer_type": q.answer_type,
            "answer_from": q.answer_from,
            "gold": q.answer,
            "gold_scale": q.scale,
            "derivation": q.derivation,
            "predicted": self.prediction,
            "predicted_scale": self.predicted_scale,
            "em": self.score.exact_match,
            "f1": self.score.f1,
            "found": self.found,
            "answer": self.answer,
            "operands": list(self.operands),
        }


_GOLD_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def operands_of(answer: Answer) -> tuple[float, ...]:
    """The operands of a derived answer as its sources write them (scale not applied)."""
    figure = answer.figure
    if figure is None or figure.derivation is None:
        return ()
    return tuple(abs(as_written(f)) for f in figure.derivation.operands)


def gold_operands(derivation: str) -> tuple[float, ...]:
    """The numbers of a gold derivation ("(44.1-56.7)/56.7" -> 44.1, 56.7, 56.7), constants
    such as the 2 of an average and the 100 of a percentage left out.

    >>> gold_operands("(44.1-56.7)/56.7"), gold_operands("(166+178)/2")
    ((44.1, 56.7, 56.7), (166.0, 178.0))
    """
    formula = re.sub(r"\*\s*100\s*%?\s*$", "", derivation.strip())
    numbers = [float(n.replace(",", "")) for n in _GOLD_NUMBER.findall(formula)]
    if re.search(r"/\s*[2-9]\s*\)?\s*$", formula) and "+" in formula:
        numbers = numbers[:-1]  # the divisor of an average
    return tuple(numbers)


def operands_agree(result: TatqaResult) -> bool | None:
    """For a derived answer, whether its operands are the gold derivation's numbers (as a
    set, to the second decimal); None when there is nothing to compare."""
    gold = gold_operands(result.question.derivation)
    if not result.operands or not gold:
        return None
    return {round(n, 2) for n in result.operands} == {round(n, 2) for n in gold}


Progress = Callable[[Iterable[TatqaQuestion], str, int], Iterable[TatqaQuestion]]


def run_questions(
    system: Asker,
    contexts: Sequence[TatqaContext],
    k: int,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[TatqaResult, ...]:
    """Ask every question of its own report (`docs=[uid]`) and score it."""
    questions = [q for context in contexts for q in context.questions]
    results = []
    shown = progress(questions, "tatqa", len(questions)) if progress else questions
    for q in shown:
        started = clock()
        answer = system.ask(q.question, k, docs=[q.context])
        latency_ms = (clock() - started) * 1000.0
        prediction, scale = to_prediction(answer)
        score = score_prediction(prediction, scale, q.answer, q.answer_type, q.scale)
        results.append(
            TatqaResult(
                q,
                prediction,
                scale,
                score,
                answer.found,
                answer.answer,
                latency_ms,
                operands_of(answer),
            )
        )
    return tuple(results)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Cell:
    """EM and F1 over one group of questions (a type, a source or both)."""

    count: int
    em: float | None
    f1: float | None


def _cell(results: Sequence[TatqaResult]) -> Cell:
    return Cell(
        len(results),
        _mean([r.score.exact_match for r in results]),
        _mean([r.score.f1 for r in results]),
    )


def breakdown(results: Sequence[TatqaResult]) -> dict[str, dict[str, Cell]]:
    """EM/F1 by answer type (rows) and source (columns), with "all" margins."""
    table: dict[str, dict[str, Cell]] = {}
    for answer_type in (*ANSWER_TYPES, "all"):
        row = {}
        for source in (*ANSWER_SOURCES, "all"):
            chosen = [
                r
                for r in results
                if answer_type in ("all", r.question.answer_type)
                and source in ("all", r.question.answer_from)
            ]
            row[source] = _cell(chosen)
        table[answer_type] = row
    return table


def summarize(results: Sequence[TatqaResult]) -> dict[str, float | None]:
    """The headline metrics: em, f1, scale accuracy, the "not stated" rate, latency."""
    latencies = [r.latency_ms for r in results]
    correct_derived = [
        agree
        for r in results
        if r.question.answer_type == "arithmetic"
        and r.score.exact_match == 1.0
        and (agree := operands_agree(r)) is not None
    ]
    return {
        "em": _mean([r.score.exact_match for r in results]),
        "f1": _mean([r.score.f1 for r in results]),
        "scale_accuracy": _mean([float(r.score.scale_correct) for r in results]),
        "not_stated": _mean([float(not r.found) for r in results]),
        "operands_match": _mean([float(agree) for agree in correct_derived]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }


# metric -> higher is better (for --min/--max)
TATQA_METRICS: Mapping[str, bool] = {
    "em": True, "f1": True, "scale_accuracy": True, "not_stated": False, "operands_match": True,
    "latency_p50_ms": False, "latency_p95_ms": False,
}  # fmt: skip


def breakdown_metrics(results: Sequence[TatqaResult]) -> dict[str, float | None]:
    """Every type x source cell as flat metric names ("em:span:table"), for --min/--max."""
    flat: dict[str, float | None] = {}
    for answer_type, row in breakdown(results).items():
        for source, cell in row.items():
            flat[f"em:{answer_type}:{source}"] = cell.em
            flat[f"f1:{answer_type}:{source}"] = cell.f1
    return flat


def predictions(results: Sequence[TatqaResult]) -> dict[str, list[Any]]:
    """`{uid: [answer, scale]}`, the benchmark script's prediction file."""
    return {r.question.uid: [r.prediction, r.predicted_scale] for r in results}
