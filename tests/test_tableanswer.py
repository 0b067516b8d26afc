"""Answers from tables (qa/answer/tableanswer.py, qa/answer/tablematch.py) on real TAT-QA reports,
parsed from their HTML the way the index parses them; the gold derivations are checked operand by
operand."""

from __future__ import annotations

import pytest

from qa.answer.tableanswer import table_answer
from qa.ingest.loaders.webpage import html_to_document
from qa.text.question import parse_question
from qa.types import Table
from tests.tatqa_pages import ask_tables, dev_tables

tables = dev_tables


@pytest.mark.parametrize(
    ("context", "question", "value", "operands"),
    [
        (0, "What is the change in Other in 2019 from 2018?", -12.6e6, ("44.1", "56.7")),
        (0, "What is the percentage change in Other in 2019 from 2018?", -22.22, ("44.1", "56.7")),
        (0, "What is the amount of total sales in 2019?", 1496.5e6, ("$1,496.5",)),
        (3, "What is the 2019 average defined contribution schemes?", 172e6, ("166", "178")),
    ],
)
def test_cells_and_derivations_match_the_gold(
    context: int, question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = table_answer(parse_question(question), tables(context))
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(value)
    assert tuple(cell.text for cell in found.cells) == operands


def test_superlative_answers_with_the_year() -> None:
    found = table_answer(
        parse_question("In which year is the amount of total sales the largest?"), tables(0)
    )
    assert found is not None and found.value == "2019"


def test_a_period_the_table_does_not_report_is_refused_with_what_is_missing() -> None:
    found = table_answer(
        parse_question("What is the change in Other from 2015 to 2016?"), tables(0)
    )
    assert found is not None and found.value is None
    assert found.missing == "the table gives Other for 2019, 2018, 2017, not 2015, 2016"


def test_text_questions_are_left_to_the_text() -> None:
    assert (
        table_answer(
            parse_question("What is the company paid on a cost-plus type contract?"), tables(0)
        )
        is None
    )
    assert (
        table_answer(parse_question("How is industry end market information presented?"), tables(1))
        is None
    )


def test_ratio_of_two_rows_in_one_year() -> None:
    found = table_answer(
        parse_question("What is the ratio of IMFT’s total assets to total liabilities in 2019?"),
        tables(5),
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(2.93)
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "2,664 / 909"


def test_the_difference_between_two_averages_matches_the_gold_derivation() -> None:
    # Gold: [(166+178)/2] - [(57+44)/2] = 121.5 (million).
    found = table_answer(
        parse_question(
            "What is the difference between 2019 average defined contribution schemes and 2019 "
            "average defined benefit schemes?"
        ),
        tables(3),
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(121.5e6)
    assert sorted(cell.text for cell in found.cells) == ["166", "178", "44", "57"]
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "((166 + 178) / 2) − ((57 + 44) / 2)"


def test_a_decrease_is_the_earlier_value_less_the_later() -> None:
    found = table_answer(
        parse_question("How much did Other decrease by from 2018 to 2019?"), tables(0)
    )
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(12.6e6)  # 56.7 - 44.1
    assert found.figure.derivation is not None
    assert found.figure.derivation.formula == "56.7 − 44.1"
    change = table_answer(
        parse_question("How much did Other change by from 2018 to 2019?"), tables(0)
    )
    assert change is not None and change.value == pytest.approx(-12.6e6)


@pytest.mark.parametrize(
    ("context", "question", "value", "operands"),
    [
        # A roll-forward: balances dated in their labels, movements between them.
        (34, "What is the number of shares outstanding as of September 30, 2018?", 2806364.0,
         ("2,806,364",)),
        (34, "What is the proportion of granted shares between 2017 and 2018 over outstanding "
         "shares at September 30, 2017?", 0.11, ("299,397", "2,845,866")),
        (23, "What is the total number of nonvested shares as of December 31, 2019 and 2018?",
         12122e3, ("6,148", "5,974")),
        # Period group headings ("December 31, 2019" over its rows), a column naming the rest.
        (125, "What was the total Allowance for Losses in 2018?", -168e3, ("$(168)",)),
        (125, "What was the change in the total gross accounts receivable between 2018 and "
         "2019?", 4163e3, ("$19,731", "$15,568")),
        # Stacked blocks, each under its own header rows, read as one table.
        (13, "How much is the percentage change of total goodwill amount from 2017 to 2018?",
         0.51, ("$24,513", "$24,389")),
        (64, "What is the difference between the total fair value amount and total amortized "
         "amount at 2018?", 7979e3, ("$179,000", "$171,021")),
        # Quarters, and days, finer than a year.
        (97, "What is the change in revenues between the second and first quarter in the fiscal "
         "year 2019?", 1149e3, ("$ 96,037", "$ 94,888")),
        (97, "What was the gross margin in the fiscal 2019 second quarter?", 41.5, ("41.5%",)),
        (97, "How much is the Revenue in the first quarter of Fiscal 2018 as a percentage of the "
         "total revenue that year?", 24.07, ("$88,081", "$365,912")),
        (97, "What is the change in the Total Gross Margin between Fiscal 2018 and 2019?", -0.6,
         ("40.6%", "41.2%")),
        (107, "What is the percentage increase in the high price from July 7, 2019 to September "
         "29, 2019?", 3.94, ("$91.30", "$87.84")),
        # A fiscal year written by the calendar years it spans.
        (66, "What was the change in Earnings before interest and taxes EBIT in 2018/2019 from "
         "2017/2018?", 115e6, ("828", "713")),
        # A 52/53-week year that ended on January 3, 2020, asked as 2020 and as fiscal 2019.
        (54, "What was the change in the Pre-contract costs from 2018 to 2020?", -35e6,
         ("6", "41")),
        (68, "What was the average Net cash used in financing activities between fiscal years "
         "2017-2019?", -615e6, ("(429)", "(707)", "(709)")),
        # The part named after the whole ("what percentage of X is made up of Y").
        (64, "What percentage of the total amortized cost is made up of foreign government "
         "obligations in 2018?", 43.15, ("$73,798", "$171,021")),
        # "The average life expectancy" names a row, not balances to average.
        (130, "What was the change in the average life expectancy for a male member aged 65 in "
         "2019 from 2018?", -0.5, ("86.8", "87.3")),
    ],
)  # fmt: skip
def test_periods_read_from_rows_blocks_quarters_and_days(
    context: int, question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = ask_tables(question, tables(context))
    assert found is not None and found.figure is not None, found
    assert found.value == pytest.approx(value)
    assert sorted(cell.text for cell in found.cells) == sorted(operands)


def test_a_label_beats_a_name_it_gives_in_parentheses() -> None:
    # "Free cash flow (pre-spectrum)" comes before "Free cash flow" in the table.
    found = ask_tables("How much is the 2019 free cash flow ?", tables(7))
    assert found is not None and found.value == pytest.approx(4411e6)
    scope = ask_tables("In which year were the Scope 1 emissions larger?", tables(120))
    assert scope is not None and scope.value == "2019"  # "... facilities (Scope 1)"


def test_years_of_a_table_whose_rows_carry_them() -> None:
    found = ask_tables("Which years does the table show?", tables(125))
    assert found is not None and found.value == ("2019", "2018")


def test_a_quarter_the_table_does_not_report_is_refused() -> None:
    found = ask_tables("What is the change in revenues between the second and first quarter "
                         "in the fiscal year 2017?", tables(97))  # fmt: skip
    assert found is not None and found.value is None
    assert "not 2Q2017" in found.missing


@pytest.mark.parametrize(
    ("context", "question", "value", "unit", "scale"),
    [
        # "100.0 %" first, "7.2 %" last, bare numbers between: a column of percentages.
        (123, "What was the percentage of sales represented by gross profit in 2018?", 50.9, "%",
         None),
        # A per-share column of a table "in thousand NT dollars" is not scaled.
        (41, "What was the cash dividend per share in 2019?", 0.75, "TWD", None),
        # "Current year1": a footnote digit glued to the label; the row under its group named
        # in full beats the group's subtotal.
        (22, "How much is the 2019 United Kingdom corporation current year tax expense?", 21e6,
         "EUR", "million"),
        # "Change (%)" asks for the stated percentage change.
        (21, "What is the change (%) for order intake between 2018 and 2019?", 13.2, "%", None),
    ],
)  # fmt: skip
def test_cells_read_with_the_unit_and_scale_the_table_gives(
    context: int, question: str, value: float, unit: str, scale: str | None
) -> None:
    found = ask_tables(question, tables(context))
    assert found is not None and found.figure is not None
    assert found.value == pytest.approx(value)
    assert (found.figure.unit, found.figure.scale) == (unit, scale)


def test_ties_go_to_the_row_named_by_the_head_noun() -> None:
    # The rewrite "gross margin" -> "gross profit margin" names both "Gross profit" and
    # "Gross margin" equally; a margin is asked.
    found = ask_tables("What was the gross profit margin in the fiscal 2019 second quarter?",
                         tables(97))  # fmt: skip
    assert found is not None and found.value == pytest.approx(41.5)


def test_which_financial_years_the_table_shows() -> None:
    found = ask_tables("Which financial years' information is shown in the table?", tables(22))
    assert found is not None and found.value == ("2019", "2018", "2017")


def _made_up(body: str) -> tuple[Table, ...]:
    return html_to_document(f"<html><body><main>{body}</main></body></html>")[2]


AWARDS = (
    "<table><tr><th>Non-vested awards</th><th>Shares</th><th>Fair Value</th></tr>"
    "<tr><td>Non-vested at December 31, 2018</td><td>1,187,586</td><td>$41.12</td></tr>"
    "<tr><td>Granted</td><td>473,550</td><td>$53.53</td></tr>"
    "<tr><td>Vested</td><td>(365,223)</td><td>$41.83</td></tr>"
    "<tr><td>Non-vested at December 31, 2019</td><td>1,295,913</td><td>$45.40</td></tr></table>"
)


def test_the_number_of_things_is_the_cell_of_the_column_that_counts_them() -> None:
    found = ask_tables("What is the number of non-vested shares vested in 2019?", _made_up(AWARDS))
    assert found is not None and found.figure is not None
    assert (found.figure.text, found.figure.kind) == ("(365,223)", "count")


RESTRUCTURING = (
    "<table><tr><th>Plan</th><th>Workforce reduction</th><th>Facility costs</th></tr>"
    "<tr><td>Balance payable as at June 30, 2018</td><td>$1,590</td><td>$3,431</td></tr>"
    "<tr><td>Cash payments</td><td>(213)</td><td>(1,290)</td></tr>"
    "<tr><td>Balance payable as at June 30, 2019</td><td>$1,046</td><td>$2,949</td></tr></table>"
)
LEASES = (
    "<table><tr><th>Fiscal Year</th><th>Ground Leases</th><th>Building Leases</th></tr>"
    "<tr><td>2020 – 2024</td><td>381</td><td>697</td></tr>"
    "<tr><td>2025 – 2029</td><td>198</td><td>270</td></tr></table>"
)


@pytest.mark.parametrize(
    ("body", "question", "value", "operands"),
    [
        # Two metrics that name columns, read in the row the rest of the question names.
        (RESTRUCTURING, "For Balance payable as at June 30, 2019, what is the difference "
         "between Workforce reduction and Facility costs?", 1046 - 2949, ("$1,046", "$2,949")),
        (RESTRUCTURING, "For Balance payable as at June 30, 2019, what is Workforce reduction "
         "expressed as a percentage of Facility costs?", 35.47, ("$1,046", "$2,949")),
        # A printed range is one period: two metrics of it, not one metric over five years.
        (LEASES, "From fiscal year 2020 - 2024, what is the difference in the number of ground "
         "leases and building leases expiring?", 381 - 697, ("381", "697")),
    ],
)  # fmt: skip
def test_two_metrics_of_one_period_are_the_cells_named(
    body: str, question: str, value: float, operands: tuple[str, ...]
) -> None:
    found = ask_tables(question, _made_up(body))
    assert found is not None and found.value == pytest.approx(value, abs=0.01)
    assert tuple(cell.text for cell in found.cells) == operands
