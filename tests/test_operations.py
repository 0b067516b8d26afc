"""Question -> operation (qa/text/operations.py), on questions as TAT-QA's analysts wrote them."""

from __future__ import annotations

import pytest

from qa.text.operations import Operation, clean_subject, parse_operation, question_years


@pytest.mark.parametrize(
    ("question", "kind", "subjects", "periods"),
    [
        ("What is the change in Other in 2019 from 2018?", "difference", ("Other",),
         ("2019", "2018")),
        ("What was the change in the Pre-contract costs from 2018 to 2020?", "difference",
         ("Pre-contract costs",), ("2018", "2020")),
        ("What is the percentage change in Other in 2019 from 2018?", "percent_change", ("Other",),
         ("2019", "2018")),
        ("What is the percentage increase / (decrease) of Research, development and engineering "
         "from 2018 to 2019?", "percent_change", ("Research development engineering",),
         ("2018", "2019")),
        ("What is the average accrued payroll and employee benefits for 2018 and 2019?", "average",
         ("accrued payroll employee benefits",), ("2018", "2019")),
        ("What is the 2019 average defined benefit schemes?", "average",
         ("defined benefit schemes",), ("2019",)),
        ("What is the average Gross Profit for 2017-2019?", "average", ("Gross Profit",),
         ("2017", "2018", "2019")),
        ("What is the ratio of IMFT’s total assets to total liabilities in 2019?", "ratio",
         ("IMFT’s total assets", "total liabilities"), ("2019",)),
        ("What was the difference between total net receivables and current net receivables?",
         "difference", ("total net receivables", "current net receivables"), ()),
        ("In which year was the amount for Sensors the largest?", "argmax", ("Sensors",), ()),
        ("In which year was Value added tax receivables, net, noncurrent larger?", "argmax",
         ("added tax receivables net noncurrent",), ()),
        ("What is the change from FY18 to FY19 in revenue?", "difference", ("revenue",),
         ("2018", "2019")),
    ],
)  # fmt: skip
def test_operations_subjects_and_periods(
    question: str, kind: str, subjects: tuple[str, ...], periods: tuple[str, ...]
) -> None:
    op = parse_operation(question)
    assert op is not None
    assert (op.kind, op.subjects, op.periods) == (kind, subjects, periods)


def test_a_percentage_of_a_total_is_a_ratio_in_percent() -> None:
    op = parse_operation(
        "What is the value of Kyocera resale products as a percentage of AVX's total sales in 2018?"
    )
    assert op == Operation(
        "ratio", ("Kyocera resale products", "AVX's total sales"), ("2018",), percent=True
    )


@pytest.mark.parametrize(
    "question",
    [
        "What is the company paid on a cost-plus type contract?",
        "What were the total liabilities of IMFT in 2018?",
        "How is industry end market information presented?",
    ],
)
def test_questions_that_ask_for_no_computation(question: str) -> None:
    assert parse_operation(question) is None


def test_years_in_order_with_fiscal_forms_and_ranges() -> None:
    assert question_years("fiscal 2018 and FY2019") == ("2018", "2019")
    assert question_years("between 2017 and 2019, and 2017 again") == ("2017", "2019")
    assert question_years("the 12.5% rate in 2,019 units") == ()


def test_clean_subject_drops_dates_and_filler() -> None:
    assert clean_subject(" in cash as at December 31, 2019?") == "cash"


@pytest.mark.parametrize(
    ("question", "subjects", "subject_periods"),
    [
        ("What percentage of the total amortized cost is made up of foreign government "
         "obligations in 2018?", ("foreign government obligations", "total amortized cost"), ()),
        ("What percentage of the total unrealized gain is generated from U.S. government "
         "obligations in 2018?", ("U.S. government obligations", "total unrealized gain"), ()),
        ("What is the proportion of granted shares between 2017 and 2018 over outstanding "
         "shares at September 30, 2017?", ("granted shares", "outstanding shares"),
         (("2017", "2018"), ("as of September 30, 2017",))),
        ("What is the ratio of total assets to total liabilities in 2019 and 2018?",
         ("total assets", "total liabilities"), ()),
    ],
)  # fmt: skip
def test_ratio_subjects_in_the_order_of_part_and_whole_with_their_own_periods(
    question: str, subjects: tuple[str, str], subject_periods: tuple[tuple[str, ...], ...]
) -> None:
    op = parse_operation(question)
    assert op is not None and op.kind == "ratio"
    assert op.subjects == subjects
    assert op.subject_periods == subject_periods


def test_a_fiscal_year_written_by_two_calendar_years_is_the_later() -> None:
    op = parse_operation("What was the change in EBIT in 2018/2019 from 2017/2018?")
    assert op is not None and op.periods == ("2019", "2018")
    assert op.subjects == ("EBIT",)


def test_a_difference_in_two_metrics_and_days_are_not_metric_words() -> None:
    op = parse_operation(
        "What is the difference in the high and low prices of the common stock in the fourth "
        "quarter of 2019?"
    )
    assert op is not None and op.kind == "difference"
    assert op.subjects == ("high", "low prices common stock")
    one = parse_operation(
        "What is the difference in the low prices between September 30, 2018 and July 8, 2018?"
    )
    assert one is not None and one.subjects == ("low prices",)
    pairs = parse_operation(
        "What is the change in the average total current tax expense between 2017-2018, and "
        "2018-2019?"
    )
    assert pairs is not None and pairs.inner == "average" and pairs.periods == ("2019", "2018")


@pytest.mark.parametrize(
    ("question", "kind", "subjects"),
    [
        ("What percentage did Sales increased by between F19 and F18?", "percent_change",
         ("Sales",)),
        ("What was the absolute percentage change in risk-free interest rate between 2018 and "
         "2019?", "difference", ("risk-free interest rate",)),
        ("What is the percentage constitution of Depreciation and Amortisation in EBITDA in F19?",
         "ratio", ("Depreciation Amortisation", "EBITDA")),
        ("What is the total income from continuing operations between 2017 to 2019?", "sum",
         ("total income continuing operations",)),
    ],
)  # fmt: skip
def test_how_analysts_phrase_percentages_and_totals(
    question: str, kind: str, subjects: tuple[str, ...]
) -> None:
    op = parse_operation(question)
    assert op is not None and (op.kind, op.subjects) == (kind, subjects)
