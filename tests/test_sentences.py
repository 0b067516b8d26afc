"""The sentence splitter's hard cases, on real sentences from the release."""

from __future__ import annotations

import pytest

from qa.text.sentences import sentence_spans, split_long


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%.",
            ["The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%."],
        ),
        (
            "Dr. Xu Li, Executive Chairman of the Board, said so. We agree.",
            ["Dr. Xu Li, Executive Chairman of the Board, said so.", "We agree."],
        ),
        (
            'SenseTime Group Inc. ("SenseTime") today announced results. Revenue rose.',
            ['SenseTime Group Inc. ("SenseTime") today announced results.', "Revenue rose."],
        ),
        (
            "Shenzhen Co. Ltd. reported 1.745 exaFLOPS. It grew.",
            ["Shenzhen Co. Ltd. reported 1.745 exaFLOPS.", "It grew."],
        ),
        (
            "Margins, e.g. gross margin, rose. Costs fell.",
            ["Margins, e.g. gross margin, rose.", "Costs fell."],
        ),
        ("Mr. J. Smith joined. He left.", ["Mr. J. Smith joined.", "He left."]),
        (
            "museums, airports, etc. SenseMARS has driven more than 200 APPs.",
            ["museums, airports, etc.", "SenseMARS has driven more than 200 APPs."],
        ),
        (
            "a position which it has held for five consecutive years.[1] Next sentence.",
            ["a position which it has held for five consecutive years.[1]", "Next sentence."],
        ),
        (
            "It said, “We continued.” Then it stopped.",
            ["It said, “We continued.”", "Then it stopped."],
        ),
        ("Growth was 9.5%! Really? Yes.", ["Growth was 9.5%!", "Really?", "Yes."]),
        (
            "version 2.0 shipped in the U.S. market today.",
            ["version 2.0 shipped in the U.S. market today."],
        ),
        ("", []),
        ("   ", []),
    ],
)
def test_sentence_splitter_hard_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_original_text(release_text: str) -> None:
    spans = sentence_spans(release_text)
    assert len(spans) > 80
    for start, end in spans:
        piece = release_text[start:end]
        assert piece == piece.strip() and piece


def test_split_long_cuts_at_spaces_and_hard_cuts_unbroken_runs() -> None:
    text = "word " * 50 + "x" * 300
    pieces = split_long(text, 0, len(text), 100)
    assert all(b - a <= 100 for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces).replace(" ", "") == text.replace(" ", "")
