"""Span answers: the part of a sentence that answers a words question (qa/answer/spans.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.answer.spans import extract_span
from qa.text.forms import question_form, question_stems, words_form
from qa.text.question import parse_question

# (question, sentence, expected span) from real annual-report prose (TAT-QA calibration slice
# and the seed release's style); each exercises one question form.
CASES = [
    (
        "How is the discount rate for domestic plans determined?",
        "For domestic plans, the discount rate was determined by comparison against the FTSE "
        "pension liability index for AA rated corporate instruments.",
        "by comparison against the FTSE pension liability index for AA rated corporate instruments",
    ),
    (
        "What is the company paid on a cost-plus type contract?",
        "On a cost-plus type contract, we are paid our allowable incurred costs plus a profit.",
        "our allowable incurred costs plus a profit",
    ),
    (
        "In which countries are defined benefit indemnity plans operated?",
        "The Group operates defined benefit schemes in Germany, Ghana and the UK and the Group "
        "operates defined benefit indemnity plans in Greece and Turkey.",
        "Greece and Turkey",
    ),
    (
        "Why would the weighted-average grant date fair value of stock options fluctuate?",
        "The weighted-average grant date fair value of stock options can fluctuate from period "
        "to period primarily due to higher valued options assumed through business combinations.",
        "primarily due to higher valued options assumed through business combinations",
    ),
    (
        "When did trading commence?",
        "Trading commenced on March 29, 1988.",
        "March 29, 1988",
    ),
    (
        "Who approved the financial statements?",
        "The financial statements were approved by the Board of Directors on 6 June 2019.",
        "the Board of Directors",
    ),
    (
        "How often are the actuarial assumptions reviewed?",
        "The obligations are based on actuarial assumptions that are reviewed on an annual basis.",
        "on an annual basis",
    ),
    (
        "When is goodwill considered impaired?",
        "Goodwill is considered impaired if the carrying value of the unit is greater than its "
        "value in use.",
        "if the carrying value of the unit is greater than its value in use",
    ),
    (
        "Which product offerings were acquired with the EIS Business in 2017?",
        "Two of the product offerings acquired with the EIS Business in 2017, Horizon Clinicals "
        "and Series2000 Revenue Cycle, were sunset after March 31, 2018.",
        "Horizon Clinicals and Series2000 Revenue Cycle",
    ),
    (
        "What is excluded when calculating revenue?",
        "Taxes collected on behalf of customers relating to product sales and remitted to "
        "governmental authorities, principally sales taxes, are excluded from revenue.",
        "Taxes collected on behalf of customers relating to product sales and remitted to "
        "governmental authorities, principally sales taxes",
    ),
    (
        "Are there any requirements to gain access to the performance rights?",
        "Participants are required to meet a service condition and other performance measures "
        "to gain access to the performance rights.",
        "Participants are required to meet a service condition and other performance measures",
    ),
    (
        "What is aggregate intrinsic value?",
        "Aggregate intrinsic value represents the value of the closing stock price in excess of "
        "the weighted-average exercise price.",
        "the value of the closing stock price in excess of the weighted-average exercise price",
    ),
    (
        "What is lease related and other charges?",
        "Lease related and other charges primarily related to exiting certain redundant "
        "facilities.",
        "exiting certain redundant facilities",
    ),
    (
        "What was the Tax Cuts and Jobs Act of 2017 (the “Act”)?",
        "In December 2017, the President signed into law the Tax Cuts and Jobs Act of 2017 (the "
        "“Act”), which among other matters reduced the corporate tax rate from 35% to 21%.",
        "among other matters reduced the corporate tax rate from 35% to 21%",
    ),
    (
        "What was the maturity date of the swap agreements?",
        "The swap agreements on $300 million of the loans had a maturity date of August 2022 "
        "and fixed interest rates of 1.66%.",
        "August 2022",
    ),
    (
        "In which period did the transfer business provide services to the terminal?",
        "During 2019, the transfer business provided operational services to the terminal.",
        "2019",
    ),
]


@pytest.mark.parametrize(("question", "sentence", "expected"), CASES)
def test_span_is_the_part_of_the_sentence_that_answers(
    question: str, sentence: str, expected: str
) -> None:
    span = extract_span(parse_question(question), sentence)
    assert span.value == expected
    assert sentence[span.start : span.end] == expected


def test_a_question_for_several_things_gets_a_list() -> None:
    span = extract_span(
        parse_question("What is taken into account when considering expected credit losses?"),
        "When considering expected credit losses, management has taken into account days past "
        "due, credit status of the counterparty and historical evidence of collection.",
    )
    assert span.value == (
        "days past due",
        "credit status of the counterparty",
        "historical evidence of collection",
    )


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Why did revenue fall?", "why"),
        ("What was the reason for the increase in orders?", "why"),
        ("How is EBITDA calculated?", "how"),
        ("How often is goodwill tested?", "how_often"),
        ("What are strategic evaluation costs primarily related to?", "what_does"),
        ("Who is the chief executive?", "who"),
        ("What is Trade receivables?", "what_is"),
        ("What are Distribution customers?", "what_is"),
        ("What is aggregate intrinsic value?", "what_is"),
        ("What do capital leases reflect?", "what_does"),
        ("What is represented by allowance for expected credit losses?", "what_does"),
        ("What is excluded when calculating revenue?", "what_does"),
        ("What is taken into account when considering expected credit losses?", "what_does"),
        ("What were the disposed investments mainly engaged in?", "what_does"),
        ("What is the plan for the losing investments?", "what_is"),
        ("What was the objective of the hedging instruments?", "what_is"),
    ],
)
def test_words_questions_are_recognised_whatever_figure_words_they_hold(
    question: str, form: str
) -> None:
    assert words_form(question) == form


@pytest.mark.parametrize(
    "question",
    [
        "How much revenue was there in 2019?",
        "How many stores opened?",
        "What was total revenue?",
        "What is the company's headcount?",
        "What is revenue in 2019?",
        "What are the contract types?",
        "What was the expected term in 2019 in years?",
    ],
)
def test_figure_questions_are_not_words_questions(question: str) -> None:
    assert words_form(question) is None
    assert question_form(question) != "when"


@given(st.text(max_size=80), st.text(max_size=200))
def test_a_span_always_points_into_its_sentence(question: str, sentence: str) -> None:
    span = extract_span(parse_question(question), sentence)
    assert 0 <= span.start <= span.end <= len(sentence)
    assert span.sentence == sentence


def test_a_question_for_years_gets_every_year_of_the_sentence() -> None:
    span = extract_span(
        parse_question("In which years were the revised mortality tables adopted?"),
        "In 2019, 2018 and 2017, we adopted the revised mortality tables, which decreased the "
        "obligation by $4 million, $38 million and $113 million, respectively.",
    )
    assert span.value == ("2019", "2018", "2017")


def test_the_words_that_ask_for_a_reason_are_not_topic_words() -> None:
    assert question_stems("What was the reason for the unrealized losses?") == {"unrealiz", "loss"}
    assert question_stems("What caused the increase in orders?") == {"increas", "order"}
