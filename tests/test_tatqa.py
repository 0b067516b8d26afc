"""TAT-QA files as a corpus (qa/eval/tatqa.py): reading, header rows, HTML rendering, the work
folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.eval.tatqa import (
    TatqaError,
    header_rows,
    load_tatqa,
    looks_like_tatqa,
    render_html,
    work_folder,
    write_corpus,
)
from qa.ingest.loaders.webpage import html_to_text

SAMPLE = Path(__file__).resolve().parent / "data" / "tatqa_sample.json"


def test_a_tatqa_file_is_recognised_and_a_gold_file_is_not(tmp_path: Path) -> None:
    assert looks_like_tatqa(SAMPLE)
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "q": "Q?"}\n', encoding="utf-8")
    assert not looks_like_tatqa(gold)
    assert not looks_like_tatqa(tmp_path / "missing.json")


def test_load_reads_contexts_questions_and_paragraph_order() -> None:
    contexts = load_tatqa(SAMPLE)
    assert [len(c.questions) for c in contexts] == [6, 6]
    first = contexts[0]
    assert first.paragraphs[0].startswith("Sales by Contract Type")
    assert first.questions[1].question == "What is the amount of total sales in 2019?"
    assert first.questions[1].scale == "million"
    assert first.questions[4].derivation == "44.1-56.7"
    assert load_tatqa(SAMPLE, limit=1) == contexts[:1]
    assert load_tatqa(SAMPLE, offset=1) == contexts[1:]
    with pytest.raises(TatqaError, match="no contexts after the first 2"):
        load_tatqa(SAMPLE, offset=2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read a TAT-QA file"),
        ("[]", "non-empty JSON list"),
        ('[{"table": {}}]', "a context needs the keys"),
        ('[{"table": {"uid": "a/b", "table": []}, "paragraphs": [], "questions": []}]',
         "not a usable file name"),
        ('[{"table": {"uid": "a", "table": []}, "paragraphs": [], "questions": [{}]}]',
         "question 1: a question needs the keys"),
    ],
)  # fmt: skip
def test_malformed_files_are_refused_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TatqaError, match=message):
        load_tatqa(path)


def test_header_rows_stop_before_data_and_group_headings() -> None:
    contexts = load_tatqa(SAMPLE)
    assert header_rows(contexts[0].table) == 2  # "Years Ended September 30," and the years
    # "Fiscal" / years / "(in millions)" head the table; "Transportation Solutions:" is a group.
    assert header_rows(contexts[1].table) == 3


def test_rendered_report_is_html_the_normal_loader_reads() -> None:
    context = load_tatqa(SAMPLE)[0]
    markup = render_html(context)
    assert markup.count("<p>") == len(context.paragraphs)
    assert "<thead><tr><th></th><th></th><th>Years Ended September 30,</th>" in markup
    text, title = html_to_text(markup)
    assert title == "Report 3ffd9053"
    assert "On a cost-plus type contract, we are paid" in text
    assert "1,496.5" in text


def test_write_corpus_touches_only_changed_files_and_removes_others(tmp_path: Path) -> None:
    contexts = load_tatqa(SAMPLE)
    corpus = tmp_path / "corpus"
    assert write_corpus(contexts, corpus) == 2
    stamp = (corpus / contexts[0].file_name).stat().st_mtime_ns
    assert write_corpus(contexts, corpus) == 0
    assert (corpus / contexts[0].file_name).stat().st_mtime_ns == stamp
    assert write_corpus(contexts[:1], corpus) == 0
    assert sorted(p.name for p in corpus.iterdir()) == [contexts[0].file_name]


def test_work_folder_changes_with_content_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "dev.json"
    path.write_text(json.dumps([]), encoding="utf-8")
    first = work_folder(path, None, tmp_path)
    assert work_folder(path, 60, tmp_path) != first
    assert work_folder(path, 60, tmp_path, offset=60).name.endswith("-61-120")
    path.write_text(json.dumps([1]), encoding="utf-8")
    assert work_folder(path, None, tmp_path) != first
