"""Scoring the system on TAT-QA (qa/eval/tatqa_eval.py): predictions from answers, each question
asked of its own report, the breakdowns and the operands check. `qa eval` on a TAT-QA file is in
tests/test_tatqa_cli.py, the report in tests/test_tatqa_report.py."""

from __future__ import annotations

import pytest

from qa.eval.tatqa import load_tatqa
from qa.eval.tatqa_eval import (
    breakdown,
    plain_number,
    predictions,
    run_questions,
    summarize,
    to_prediction,
)
from qa.eval.tatqa_report import format_failures, format_summary
from qa.types import Answer

from .eval_helpers import SAMPLE, TableAsker


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer("q", "", True, value=1.4965e9, unit="USD", scale="million"), ("1496.5", "million")),
        (Answer("q", "", True, value=5687000.0, unit="USD", scale="'000"), ("5687", "thousand")),
        (Answer("q", "", True, value=2.93, unit=""), ("2.93", "")),
        (Answer("q", "", True, value=-22.22, unit="%"), ("-22.22", "percent")),
        (Answer("q", "", True, value=150.0, unit="bp"), ("1.5", "percent")),
        (Answer("q", "", True, value="2019"), ("2019", "")),
        (Answer("q", "", True, value=("a", "b")), (["a", "b"], "")),
        (Answer("q", "The release does not state this.", False), ("", "")),
    ],
)
def test_prediction_is_made_from_value_unit_and_scale(
    answer: Answer, expected: tuple[object, str]
) -> None:
    assert to_prediction(answer) == expected


def test_plain_numbers_never_use_exponents() -> None:
    assert plain_number(1e16) == "10000000000000000"
    assert plain_number(-0.0000001) == "0"


def test_each_question_is_asked_of_its_own_report_and_scored() -> None:
    contexts = load_tatqa(SAMPLE)
    first = contexts[0].questions
    asker = TableAsker(
        {
            first[1].question: Answer("", "", True, value=1.4965e9, unit="USD", scale="million"),
            first[4].question: Answer("", "", True, value=-12.6e6, unit="USD", scale="million"),
            first[2].question: Answer(
                "", "", True, value=("fixed-price type", "cost-plus type", "time-and-material type")
            ),
        }
    )
    results = run_questions(asker, contexts, k=5)
    assert len(results) == 12
    assert asker.docs[0] == [contexts[0].uid] and asker.docs[-1] == [contexts[1].uid]
    assert [r.score.exact_match for r in results[:6]] == [0.0, 1.0, 1.0, 0.0, 1.0, 0.0]
    metrics = summarize(results)
    assert metrics["em"] == pytest.approx(3 / 12)
    assert metrics["not_stated"] == pytest.approx(9 / 12)
    table = breakdown(results)
    assert table["arithmetic"]["table-text"].count == 2
    assert table["arithmetic"]["table-text"].em == 0.5
    assert table["all"]["all"].count == 12
    written = predictions(results)
    assert written[first[1].uid] == ["1496.5", "million"]
    assert written[first[0].uid] == ["", ""]
    text = format_summary(results, "sample")
    assert "EM 25.0" in text and "multi-span" in text
    assert "[23801627] span/text" in format_failures(results)


def test_operands_of_a_correct_derived_answer_are_compared_with_the_gold_derivation() -> None:
    from qa.answer.derived import combine
    from qa.eval.tatqa_eval import gold_operands, operands_agree
    from qa.types import Figure

    later = Figure("44.1", 44.1e6, "USD", "currency", 0, 4, scale="million", period="2019")
    earlier = Figure("56.7", 56.7e6, "USD", "currency", 5, 9, scale="million", period="2018")
    derived = combine("difference", [later, earlier])
    answer = Answer("q", "", True, figures=(derived,), value=derived.value, unit="USD",
                    scale="million")  # fmt: skip
    question = load_tatqa(SAMPLE)[0].questions[4]  # "change in Other", derivation 44.1-56.7
    result = run_questions(TableAsker({question.question: answer}), load_tatqa(SAMPLE), k=5)[4]
    assert result.operands == pytest.approx((44.1, 56.7))
    assert operands_agree(result) is True
    assert summarize([result])["operands_match"] == 1.0
    assert gold_operands("((1,911 + 1,812) / 2) * 100") == (1911.0, 1812.0)
