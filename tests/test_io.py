"""The `Index` record and a build folder (qa/index/io.py): tables stored and read back, search,
and every inconsistency between the files of a build refused as corrupt, naming the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from qa import pipeline
from qa.config import Settings
from qa.index import store
from qa.index.core import build
from qa.index.embedding import HashEmbedder
from qa.index.io import Index, load

from .table_samples import GROUPS, SPANNING


def test_tables_and_cell_figures_round_trip_through_the_index(
    make_corpus: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    html = (
        "<html><head><title>Acme results</title></head>"
        f"<body><main>{SPANNING}{GROUPS}</main></body></html>"
    )
    corpus = make_corpus({"acme.html": html})
    settings_ = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    qa = pipeline.QA(settings_, embedder=HashEmbedder())
    built = qa.index
    doc_id = next(iter(built.documents))
    tables = built.tables_of(doc_id)
    assert [t.number for t in tables] == [1, 2] and all(t.doc_id == doc_id for t in tables)
    reloaded = pipeline.QA(settings_, embedder=HashEmbedder()).index
    assert reloaded.folder == built.folder and reloaded.tables_of(doc_id) == tables
    assert reloaded.table(doc_id, 2) == tables[1] and reloaded.table(doc_id, 3) is None
    cells = [f for figures in reloaded.chunk_figures for f in figures if f.cell is not None]
    assert {f.cell[0] for f in cells if f.cell} == {1, 2}
    text = reloaded.documents[doc_id].text
    for chunk, figures in zip(reloaded.chunks, reloaded.chunk_figures, strict=True):
        for figure in figures:
            assert chunk.start <= figure.start and figure.end <= chunk.end
            assert text[figure.start : figure.end] == figure.text


def test_an_index_built_before_tables_were_stored_still_loads(
    make_corpus: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    from qa.index import store
    from qa.index.io import load

    corpus = make_corpus({"acme.html": f"<html><body><main>{GROUPS}</main></body></html>"})
    settings_ = Settings(corpus_dir=corpus, index_dir=tmp_path / "idx", model="hash")
    built = pipeline.QA(settings_, embedder=HashEmbedder()).index
    assert any(built.tables_of(doc) for doc in built.documents)
    (built.folder / store.TABLES_FILE).unlink()
    old = load(settings_.index_dir)
    assert all(old.tables_of(doc) == () for doc in old.documents)
    assert len(old.chunks) == len(built.chunks)


@pytest.fixture
def built(hash_settings: Settings) -> Index:
    return build(hash_settings, HashEmbedder())


def test_search_returns_the_top_rows_best_first_and_at_most_every_chunk(built: Index) -> None:
    query = HashEmbedder().embed_query("What was the total revenue?")
    scores, rows = built.search(query, 5)
    assert len(rows) == 5 and list(scores) == sorted(scores, reverse=True)
    vectors = built.vectors.reconstruct_n(0, built.vectors.ntotal)
    assert np.allclose(scores, vectors[rows] @ query, atol=1e-5)
    _, every = built.search(query, 10_000)
    assert sorted(every.tolist()) == list(range(len(built.chunks)))


def test_the_rows_of_documents_are_their_chunks_in_order(built: Index) -> None:
    (doc_id,) = built.documents
    assert built.rows_of([doc_id]).tolist() == list(range(len(built.chunks)))
    assert built.rows_of(["nope"]).tolist() == built.rows_of([]).tolist() == []
    assert built.rows_of([doc_id, "nope"]).dtype == np.int64


def test_an_unknown_document_or_table_number_has_no_table(built: Index) -> None:
    (doc_id,) = built.documents
    assert built.tables_of("nope") == () and built.table(doc_id, 0) is None
    assert built.table(doc_id, len(built.tables_of(doc_id)) + 1) is None


def rewrite(path: Path, change: Callable[[list[dict[str, object]]], None]) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(rows)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("chunk field type", r"chunks\.jsonl does not fit its schema: record 1"),
        ("chunk of no document", r"chunks refer to documents that are not stored"),
        ("manifest count", r"manifest says 3 chunks, file has \d+"),
        ("bm25 params", r"params\.index\.json does not fit its schema"),
        ("bm25 arrays", r"unreadable BM25 index"),
    ],
)
def test_a_build_whose_files_disagree_is_corrupt(built: Index, damage: str, message: str) -> None:
    folder = built.folder
    if damage == "chunk field type":
        rewrite(folder / store.CHUNKS_FILE, lambda rows: rows[0].update(start="0"))
    elif damage == "chunk of no document":
        rewrite(folder / store.CHUNKS_FILE, lambda rows: rows[-1].update(doc_id="elsewhere"))
    elif damage == "manifest count":
        manifest = json.loads((folder / store.MANIFEST_FILE).read_text())
        manifest["counts"]["chunks"] = 3
        (folder / store.MANIFEST_FILE).write_text(json.dumps(manifest))
    elif damage == "bm25 params":
        (folder / store.BM25_DIR / "params.index.json").write_text("[]")
    else:
        (folder / store.BM25_DIR / "data.csc.index.npy").write_bytes(b"not numpy")
    with pytest.raises(store.IndexCorrupt, match=message):
        load(folder.parent)
