"""The gold set itself: schema, coverage and every evidence string taken from the release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.eval.evaluate import load_gold
from qa.eval.metrics import GoldItem

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "gold.jsonl"
RELEASE = ROOT / "corpus" / "sensetime-2022-interim-results.txt"
UNITS = {"RMB", "%", "bp", "exaFLOPS", "square meters", ""}
# One id prefix per part of the release; each must have at least one question.
PARTS = ("hdr", "intro", "rev", "gm", "seg", "ovs", "rd", "pat", "fin", "mkt", "fn", "ceo",
         "core", "aidc", "model", "auto", "life", "mars", "health", "robot", "biz", "city",
         "csr", "priv", "out", "na")  # fmt: skip
SCALES = {"": 1.0, "million": 1e6, "billion": 1e9}
WORDS = {"three": 3.0, "five": 5.0}
NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion)?", re.IGNORECASE)


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def release() -> str:
    return RELEASE.read_text(encoding="utf-8")


def numbers_in(text: str) -> set[float]:
    """Every number the text states, scaled ("RMB1.42 billion" -> 1.42e9, "Five types" -> 5)."""
    found = {
        float(m[1].replace(",", "")) * SCALES[(m[2] or "").lower()] for m in NUMBER.finditer(text)
    }
    return found | {value for word, value in WORDS.items() if word in text.lower()}


def test_gold_set_is_large_enough(gold: list[GoldItem]) -> None:
    assert len(gold) >= 75
    assert sum(item.unanswerable for item in gold) >= 14


def test_ids_are_unique(gold: list[GoldItem]) -> None:
    ids = [item.id for item in gold]
    assert len(ids) == len(set(ids))


def test_every_evidence_string_occurs_in_the_release(gold: list[GoldItem], release: str) -> None:
    missing = [(item.id, e) for item in gold for e in item.evidence if e not in release]
    assert missing == []


def test_answerable_questions_have_evidence_and_unanswerable_have_none(
    gold: list[GoldItem],
) -> None:
    for item in gold:
        if item.unanswerable:
            assert item.evidence == () and item.figure is None, item.id
        else:
            assert item.evidence, item.id


def test_figure_units_are_canonical(gold: list[GoldItem]) -> None:
    assert {item.figure.unit for item in gold if item.figure} <= UNITS


def test_every_gold_figure_is_stated_in_its_evidence(gold: list[GoldItem]) -> None:
    for item in gold:
        if item.figure is not None:
            stated = set().union(*(numbers_in(e) for e in item.evidence))
            assert any(abs(v - item.figure.value) <= 1e-9 * item.figure.value for v in stated), (
                item.id,
                stated,
            )


def test_every_part_of_the_release_has_questions(gold: list[GoldItem]) -> None:
    prefixes = {item.id.rsplit("-", 1)[0] for item in gold}
    assert set(PARTS) <= prefixes


def test_questions_are_not_copied_sentences(gold: list[GoldItem], release: str) -> None:
    flat = " ".join(release.split()).lower()
    copied = [item.id for item in gold if item.q.rstrip("?").lower() in flat]
    assert copied == []
