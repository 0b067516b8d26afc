"""The records between stages (qa/types.py): frozen, their JSON forms (integral numbers as
ints, ranges, cells and derivations), a table's round trip through its dict, pages of a
document and the answering sentence of a passage."""

from __future__ import annotations

import dataclasses
import json

import pytest

from qa.types import Answer, Derivation, Document, Figure, Passage, table_from_dict

from .table_samples import GROUPS, parse


def test_a_table_record_round_trips_through_its_dict() -> None:
    _, table = parse(GROUPS)
    assert table_from_dict(json.loads(json.dumps(table.to_dict()))) == table


REVENUE = Figure("RMB1.42 billion", 1.42e9, "RMB", "currency", 32, 47, metric="total revenue")
RANGE = Figure("10–15%", 10.0, "%", "percent", 0, 6, high=15.0, role="change")
CELL = Figure("$ 1,305", 1.305e9, "USD", "currency", 5, 12, cell=(1, 8, 1))


def test_records_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        REVENUE.value = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("figure", "value", "high", "cell"),
    [(REVENUE, 1420000000, None, None), (RANGE, 10, 15, None), (CELL, 1305000000, None, [1, 8, 1]),
     (Figure("1.5x", 1.5, "x", "multiplier", 0, 4), 1.5, None, None)],
)  # fmt: skip
def test_a_figure_in_json_keeps_integral_numbers_as_ints(
    figure: Figure, value: float, high: float | None, cell: list[int] | None
) -> None:
    data = json.loads(json.dumps(figure.to_dict()))
    assert (data["value"], data["high"], data["cell"]) == (value, high, cell)
    assert type(data["value"]) is type(value)


def test_a_computed_figure_carries_its_derivation_in_json() -> None:
    later = Figure("44.1", 44.1e6, "USD", "currency", 0, 4)
    earlier = Figure("56.7", 56.7e6, "USD", "currency", 5, 9)
    derivation = Derivation("difference", "44.1 − 56.7", (later, earlier), "Other, 2019 and 2018")
    change = dataclasses.replace(later, text="-12.6", value=-12.6e6, derivation=derivation)
    data = json.loads(json.dumps(change.to_dict()))["derivation"]
    assert data["operation"] == "difference" and data["formula"] == "44.1 − 56.7"
    assert [o["text"] for o in data["operands"]] == ["44.1", "56.7"]
    assert data["basis"] == "Other, 2019 and 2018"


TEXT = "Loss fell. The Company's total revenue was RMB1.42 billion."


def test_a_passage_spells_out_its_answering_sentence() -> None:
    passage = Passage(TEXT, 0.8, "d.txt", "D", "Highlights", 100, 100 + len(TEXT), 0, 111,
                      100 + len(TEXT), figures=(REVENUE,))  # fmt: skip
    assert passage.sentence == "The Company's total revenue was RMB1.42 billion."
    data = passage.to_dict()
    assert data["sentence"] == passage.sentence and data["figures"] == [REVENUE.to_dict()]


def test_an_answer_figure_is_its_first_figure_only_when_found() -> None:
    found = Answer("q", "RMB1.42 billion", True, figures=(REVENUE, CELL), value=1.42e9)
    assert found.figure is REVENUE
    assert Answer("q", "not stated", False, figures=(REVENUE,)).figure is None
    data = json.loads(json.dumps(found.to_dict()))
    assert data["value"] == 1420000000 and data["figure"]["text"] == "RMB1.42 billion"
    spans = Answer("q", "a; b", True, value=("fixed-price", "cost-plus")).to_dict()
    assert spans["value"] == ["fixed-price", "cost-plus"] and spans["figure"] is None


@pytest.mark.parametrize(("offset", "page"), [(0, 1), (99, 1), (100, 2), (250, 3), (10**6, 3)])
def test_a_document_says_which_page_holds_an_offset(offset: int, page: int) -> None:
    document = Document("d", "d.pdf", "D", "x" * 300, page_starts=(0, 100, 250))
    assert document.page_at(offset) == page


def test_a_document_without_pages_has_none_and_metadata_has_defaults() -> None:
    document = Document("d", "d.txt", "D", "text", metadata=(("company", "Acme"),))
    assert document.page_at(5) is None
    assert document.meta("company") == "Acme" and document.meta("period") == ""
    assert document.meta("period", "FY2023") == "FY2023"
