"""Retrieval: hybrid ranking, calibrated scores, figure awareness, the answering sentence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.index.embedding import HashEmbedder
from qa.index.lexical import lexical_text, rewrite_question
from qa.pipeline import QA
from qa.retrieval import Scored, calibrate_cosine, figure_match, rank, with_table
from qa.text.question import parse_question
from qa.types import Figure


def figure(kind: str, unit: str, metric: str) -> Figure:
    return Figure(text="x", value=1.0, unit=unit, kind=kind, start=0, end=1, metric=metric)


def test_calibrated_cosine_is_clipped_to_unit_interval() -> None:
    values = calibrate_cosine(np.array([-1.0, 0.0, 0.5, 1.0], dtype=np.float32))
    assert values.min() >= 0.0 and values.max() <= 1.0
    assert list(values) == sorted(values)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_ranks_every_chunk_with_scores_in_unit_range(hash_qa: QA, mode: str) -> None:
    index = hash_qa.index
    vector = hash_qa.embedder.embed_query("total revenue")
    ranked = rank(index, parse_question("total revenue"), vector, mode=mode)
    assert ranked and all(0.0 <= s.score <= 1.0 for s in ranked)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert len({s.row for s in ranked}) == len(ranked)


def test_a_question_kept_to_a_document_still_reads_it_when_no_chunk_scores(hash_qa: QA) -> None:
    index = hash_qa.index
    docs = frozenset(index.documents)
    nothing = parse_question("zzzz qqqq")
    assert rank(index, nothing, None, mode="lexical") == []
    ranked = rank(index, nothing, None, mode="lexical", allowed_docs=docs)
    assert len(ranked) == len(index.chunks) and all(s.score == 0.0 for s in ranked)


def test_exact_number_questions_find_the_sentence_with_that_number(hash_qa: QA) -> None:
    answer = hash_qa.ask("Which segment grew 98%?")
    assert "98%" in answer.passages[0].text
    answer = hash_qa.ask("What came to 1,420 million?")
    assert "RMB1.42 billion" in answer.passages[0].text


def test_the_answering_sentence_is_marked_inside_the_passage(hash_qa: QA) -> None:
    passage = hash_qa.ask("What was the adjusted net loss?").passages[0]
    assert "adjusted net loss" in passage.sentence
    assert passage.sentence in passage.text


def test_neighbouring_context_is_available_for_display(hash_qa: QA) -> None:
    passages = hash_qa.ask("Alfa Romeo F1 team", k=1).passages
    assert passages[0].context_before and passages[0].context_after


def test_figure_match_prefers_the_asked_kind_and_noun() -> None:
    question = parse_question("How many hospitals does SenseCare serve?")
    hospitals = figure("count", "hospitals", "hospitals served")
    modules = figure("count", "AI modules", "AI modules")
    money = figure("currency", "RMB", "total revenue")
    assert figure_match(question, [hospitals]) == 1.0
    assert 0.4 <= figure_match(question, [modules]) < 1.0
    assert figure_match(question, [money]) == 0.0
    assert figure_match(parse_question("Who is the CEO?"), [hospitals]) == 0.0


def test_section_periods_reach_the_lexical_index() -> None:
    assert lexical_text("Revenue was RMB1.42 billion.", "Business highlights in 1H2022").endswith(
        "half1 half1y2022"
    )
    assert lexical_text("Revenue.", "Strategic Outlook") == "Revenue."


@pytest.mark.parametrize(
    ("question", "rewritten"),
    [
        ("What was the top line?", "What was the revenue?"),
        ("How much did they lose?", "How much did they make a net loss of?"),
        ("How big is the war chest?", "How big is the cash reserve?"),
        ("What share of sales came from abroad?", "What share of sales came from overseas?"),
    ],
)
def test_jargon_is_rewritten_into_the_release_wording(question: str, rewritten: str) -> None:
    assert rewrite_question(question) == rewritten


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("What was the top line for the six months?", "RMB1.42 billion"),
        ("How big is the war chest?", "RMB19.51 billion"),
        ("Which segment grew 98%?", "98%"),
        ("How many hospitals are using SenseCare?", "75 hospitals"),
        ("What mission did the chief executive reaffirm?", "mission"),
        ("Which Formula 1 team is SenseTime working with?", "Alfa Romeo"),
    ],
)
def test_real_model_finds_the_passage_in_the_top_three(
    real_qa: QA, question: str, evidence: str
) -> None:
    passages = real_qa.ask(question, k=3).passages
    assert any(evidence in p.text for p in passages)


def test_a_document_restricted_question_scores_its_chunks_outside_the_global_top(
    make_corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus(
        {
            "alpha.txt": "Alpha Corp revenue was RMB5 billion in 2019.",
            "beta.txt": "Beta Ltd opened three plants.",
        }
    )
    settings = Settings(corpus_dir=folder, index_dir=tmp_path / "i", model="hash")
    system = QA(settings, embedder=HashEmbedder())
    index = system.index
    vector = system.embedder.embed_query("Alpha Corp revenue grew. Beta Ltd opened plants.")
    top = int(index.search(vector, 1)[1][0])
    # Only one dense candidate overall, which one document's chunk wins: the other
    # document's chunks must still get their dense scores when the question is kept to it.
    monkeypatch.setattr("qa.retrieval.DENSE_CANDIDATES", 1)
    other = frozenset(c.doc_id for c in index.chunks) - {index.chunks[top].doc_id}
    ranked = rank(index, parse_question("plants"), vector, mode="dense", allowed_docs=other)
    assert ranked and all(index.chunks[s.row].doc_id in other for s in ranked)
    assert ranked[0].dense > 0.0


PROSE_THEN_TABLE = (
    "".join(
        f"<p>Paragraph {i}: the committee reviewed warranty claims in region {i} this year.</p>\n"
        for i in range(8)
    )
    + """<p>Warranty provisions were as follows:</p>
<table><thead><tr><th></th><th>2019</th><th>2018</th></tr></thead><tbody>
<tr><td>Provisions made</td><td>402</td><td>388</td></tr></tbody></table>"""
)


def test_a_question_about_the_table_itself_reads_the_first_table_block(
    make_corpus, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = make_corpus(
        {"note.html": f"<html><body><main>{PROSE_THEN_TABLE}</main></body></html>"}
    )
    system = QA(Settings(corpus_dir=folder, index_dir=tmp_path / "i", model="hash"),
                embedder=HashEmbedder())  # fmt: skip
    index = system.index
    (table,) = index.tables_of(index.chunks[0].doc_id)
    block = next(r for r, c in enumerate(index.chunks) if c.start == table.start)
    prose = [Scored(r, 0.5, 0.5, 0.5) for r in range(len(index.chunks)) if r != block]
    asked = with_table(index, parse_question("What does the table show?"), prose, 5)
    assert [s.row for s in asked[:2]] == [prose[0].row, block]
    other = with_table(index, parse_question("What were provisions made?"), prose, 5)
    assert other == prose  # any other question keeps its ranking
