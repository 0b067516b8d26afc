"""A question about a table itself, answered by the sentence that introduces the table
(qa/answer/tablesubject.py), on passages and on a small made-up report through the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qa.answer.compose import compose_answer
from qa.answer.tablesubject import asks_table_subject, table_subject, table_unit
from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA
from qa.text.question import parse_question
from qa.types import Passage, Table
from tests.table_samples import segment_tables


def passage(text: str, score: float = 0.3, start: int = 0) -> Passage:
    return Passage(text, score, "r", "Report", "", start, start + len(text), 0, start,
                   start + len(text))  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        (
            "The following table sets forth, for the periods indicated, certain data derived "
            "from our Consolidated Statements of Operations (in thousands):",
            "for the periods indicated, certain data derived from our Consolidated Statements "
            "of Operations",
        ),
        (
            "The following table shows assets allocated by reportable segment.",
            "assets allocated by reportable segment",
        ),
        (
            "Aggregate emoluments of the Directors of the Company were as follows:",
            "Aggregate emoluments of the Directors of the Company",
        ),
        (
            "The table below summarizes the activity in the allowance for doubtful accounts:",
            "the activity in the allowance for doubtful accounts",
        ),
    ],
)
def test_the_introducing_sentence_says_what_the_table_shows(sentence: str, shown: str) -> None:
    found = table_subject(parse_question("What does the table show?"), [passage(sentence)])
    assert found is not None
    assert found.span.value == shown
    assert sentence[found.start : found.end] == shown


def test_the_first_introducing_sentence_of_the_document_answers() -> None:
    later = passage("The following table shows the revenue by region.", 0.9, start=500)
    first = passage("Revenue grew. The following table shows the revenue by product line:", 0.2)
    found = table_subject(parse_question("What does the table represent?"), [later, first])
    assert found is not None
    assert found.span.value == "the revenue by product line"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does the table show?", True),
        ("What information does the table present?", True),
        ("What is shown in the table?", True),
        ("What does the table show us?", True),
        ("What is the table about?", True),
        ("What do Other items in the table represent?", False),
        ("What does the company's revenue include?", False),
    ],
)
def test_only_a_question_about_the_table_itself_is_one(question: str, asks: bool) -> None:
    assert asks_table_subject(question) is asks


def test_a_table_question_is_answered_under_the_evidence_threshold() -> None:
    text = "The following table sets forth the components of other income, net:"
    question = parse_question("What does the table show?")
    answer = compose_answer(question, [passage(text, score=0.1)], tables=segment_tables())
    assert answer.found, answer.answer
    assert answer.value == "the components of other income, net"


def test_no_introducing_sentence_gives_none() -> None:
    assert (
        table_subject(parse_question("What does the table show?"), [passage("Revenue grew by 5%.")])
        is None
    )


def test_a_release_without_a_table_does_not_state_what_the_table_shows() -> None:
    text = "The following income was as follows: interest of $5 million."
    answer = compose_answer(parse_question("What does the table show?"), [passage(text, 0.9)])
    assert not answer.found
    assert answer.answer == "The release does not state this. The release has no table."


def test_the_seed_release_has_no_table_to_describe(hash_qa: QA) -> None:
    answer = hash_qa.ask("What does the table show?")
    assert not answer.found
    assert "no table" in answer.answer


def test_a_table_caption_without_an_introducing_verb_is_its_title() -> None:
    line = "4) Deferred revenue by product line (USD thousand)"
    table = Table("r", 1, "4) Deferred revenue by product line", (), (), start=100, end=300)
    rows = passage(f"{line}\nLicences | 2019 | 1,204", start=100)
    found = table_subject(parse_question("What does the table show?"), [rows], [table])
    assert found is not None
    assert found.span.value == "Deferred revenue by product line"
    assert line[found.start - 100 : found.end - 100] == found.span.value


# A made-up note: its table is introduced three paragraphs before it (a footnote, a unit line
# and a paragraph of prose lie between), as reports and TAT-QA's pages often have it.
NOTE_PAGE = """<html><body><main><h1>Note 9. Provisions</h1>
<p>The movements in warranty provisions for the years ended 31 March were as follows:</p>
<p>(1) Includes provisions assumed on the acquisition of a subsidiary.</p>
<p>Warranty claims are settled within two years of the sale of the equipment they cover, and
the provision is reassessed at each balance sheet date against the claims history.</p>
<p>(in thousands)</p>
<table><thead><tr><th></th><th>2019</th><th>2018</th></tr></thead><tbody>
<tr><td>Balance at beginning of year</td><td>1,250</td><td>1,104</td></tr>
<tr><td>Provisions made</td><td>402</td><td>388</td></tr>
<tr><td>Provisions used</td><td>(310)</td><td>(242)</td></tr>
<tr><td>Balance at end of year</td><td>1,342</td><td>1,250</td></tr>
</tbody></table></main></body></html>"""


@pytest.fixture
def note_qa(make_corpus: Callable[[dict[str, str]], Path], tmp_path: Path) -> QA:
    folder = make_corpus({"note.html": NOTE_PAGE})
    settings = Settings(corpus_dir=folder, index_dir=tmp_path / "note-index", model="hash")
    return QA(settings, embedder=HashEmbedder())


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("What does the table show?", "The movements in warranty provisions for the years "
         "ended 31 March"),
        ("What does the table show us?", "The movements in warranty provisions for the years "
         "ended 31 March"),
        ("What are the years included in the table?", ("2019", "2018")),
        ("Which periods are shown in the table?", ("2019", "2018")),
        ("What is the unit used for the data in the table?", "in thousands"),
    ],
)  # fmt: skip
def test_questions_about_the_table_itself_are_answered_from_the_report(
    note_qa: QA, question: str, value: object
) -> None:
    answer = note_qa.ask(question)
    assert answer.found, answer.answer
    assert answer.value == value


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("What is the units used for the data in the table?", "in thousands"),
        ("In what units are the amounts in the table?", "in thousands"),
        ("What is the unit price in the table?", None),  # a figure of the table, not its unit
    ],
)
def test_the_unit_of_a_table_is_its_scale(question: str, unit: str | None) -> None:
    table = Table("r", 1, "", (), (), scale="thousand")
    found = table_unit(parse_question(question), [table])
    assert (found.value if found else None) == unit
