"""Many documents, kept up to date incrementally: `qa index` embeds only new or changed text,
drops removed documents, stores identical content once; `qa add` / `qa remove` / `qa list`;
questions naming a period or company prefer the matching release."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.cli import main
from qa.config import Settings
from qa.index import core as index_module
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA

from .releases import markdown_release

MakeCorpus = Callable[[dict[str, str | bytes]], Path]


def _system(corpus: Path, index_dir: Path) -> tuple[QA, HashEmbedder]:
    embedder = HashEmbedder()
    return QA(Settings(corpus_dir=corpus, index_dir=index_dir), embedder=embedder), embedder


def _many(count: int) -> dict[str, str | bytes]:
    return {
        f"firm{i:02d}.md": markdown_release(
            company=f"Firm{i:02d} Robotics", revenue=f"{i + 1}.{i:02d}", patents=f"{100 + i}"
        )
        for i in range(count)
    }


def test_adding_one_document_to_fifty_embeds_only_that_one(
    make_corpus: MakeCorpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = make_corpus(_many(50))
    system, embedder = _system(corpus, tmp_path / "idx")
    started = time.perf_counter()
    first = system.reindex()
    full_seconds = time.perf_counter() - started
    assert embedder.texts_embedded == len(first.chunks)

    (corpus / "newcomer.md").write_text(
        markdown_release(company="Newcomer Labs", revenue="7.77", margin=47)
    )
    system, embedder = _system(corpus, tmp_path / "idx")
    started = time.perf_counter()
    second = system.reindex()
    seconds = time.perf_counter() - started
    new_chunks = [c for c in second.chunks if second.documents[c.doc_id].path == "newcomer.md"]
    assert embedder.texts_embedded == len(new_chunks) > 0
    assert second.stats["new"] == 1 and second.stats["unchanged"] == 50
    assert len(second.chunks) == len(first.chunks) + len(new_chunks)
    with capsys.disabled():
        print(
            f"\n[incremental] 50 docs: full build {len(first.chunks)} chunks embedded in "
            f"{full_seconds:.2f} s; +1 doc: {embedder.texts_embedded} embedded in {seconds:.2f} s"
        )
    assert system.ask("What was Newcomer Labs total revenue?").answer.startswith("RMB7.77 billion")


def test_a_changed_document_re_embeds_only_its_changed_text(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    corpus = make_corpus(_many(3))
    _system(corpus, tmp_path / "idx")[0].reindex()
    path = corpus / "firm01.md"
    path.write_text(path.read_text() + "\n## Outlook\n\nThe Company plans 12 new offices.\n")
    system, embedder = _system(corpus, tmp_path / "idx")
    updated = system.reindex()
    assert embedder.texts_embedded == 1
    assert updated.stats["changed"] == 1 and updated.stats["unchanged"] == 2
    assert "12 new offices" in system.ask("How many new offices are planned?").passages[0].text


def test_a_sidecar_change_updates_metadata_and_figures_without_re_embedding(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    corpus = make_corpus(_many(2))
    _system(corpus, tmp_path / "idx")[0].reindex()
    (corpus / "firm00.meta.json").write_text(json.dumps({"period": "FY2023"}))
    system, embedder = _system(corpus, tmp_path / "idx")
    updated = system.reindex()
    assert embedder.texts_embedded == 0
    document = next(d for d in updated.documents.values() if d.path == "firm00.md")
    assert document.meta("period") == "FY2023"
    periods = {f.period for c, fs in zip(updated.chunks, updated.chunk_figures, strict=True)
               for f in fs if c.doc_id == document.id and f.kind != "date"}  # fmt: skip
    assert periods == {"FY2023"}


def test_identical_content_added_twice_is_stored_once(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    text = markdown_release()
    corpus = make_corpus({"a.md": text, "copy-of-a.md": text})
    built = _system(corpus, tmp_path / "idx")[0].reindex()
    assert len(built.documents) == 1
    assert [s.reason for s in built.manifest.skipped] == ["duplicate of a document already loaded"]


def test_a_model_change_re_embeds_everything(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    corpus = make_corpus(_many(2))
    _system(corpus, tmp_path / "idx")[0].reindex()
    embedder = HashEmbedder(dim=32)
    rebuilt = QA(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "idx"), embedder=embedder
    ).reindex()
    assert embedder.texts_embedded == len(rebuilt.chunks)


@pytest.fixture
def two_periods(make_corpus: MakeCorpus) -> Path:
    """Two releases of one company for different periods, and one of another company."""
    return make_corpus(
        {
            "acme-2022.md": markdown_release(period="2022", revenue="1.42", margin=61),
            "acme-2023.md": markdown_release(period="2023", revenue="2.31", margin=52),
            "borealis-2023.md": markdown_release(
                company="Borealis Energy", period="2023", revenue="9.90", margin=35
            ),
        }
    )


@pytest.mark.parametrize(
    ("question", "document", "answer"),
    [
        ("What was Acme's total revenue in 1H2022?", "acme-2022.md", "RMB1.42 billion"),
        ("What was Acme's total revenue in 1H2023?", "acme-2023.md", "RMB2.31 billion"),
        ("What was the gross profit margin of Acme in the first half of 2022?", "acme-2022.md",
         "61%"),
        ("What was the gross profit margin in 2023 for Borealis Energy?", "borealis-2023.md",
         "35%"),
        ("What was Borealis's total revenue?", "borealis-2023.md", "RMB9.90 billion"),
    ],
)  # fmt: skip
def test_a_question_naming_a_period_or_company_prefers_that_release(
    two_periods: Path, tmp_path: Path, question: str, document: str, answer: str
) -> None:
    system, _ = _system(two_periods, tmp_path / "idx")
    reply = system.ask(question)
    assert reply.found and reply.answer.startswith(answer), reply.answer
    assert reply.passages[0].doc == document


def test_a_period_no_release_covers_is_not_stated(two_periods: Path, tmp_path: Path) -> None:
    system, _ = _system(two_periods, tmp_path / "idx")
    reply = system.ask("What was Acme's total revenue in 2019?")
    assert not reply.found


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_periods: Path) -> Path:
    monkeypatch.setenv("QA_MODEL", "hash")
    monkeypatch.setenv("QA_CORPUS_DIR", str(two_periods))
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "cli-idx"))
    return two_periods


def test_qa_list_shows_id_path_title_company_period_and_chunks(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "PATH", "TITLE", "COMPANY", "PERIOD", "CHUNKS"]
    row = next(line for line in lines if "acme-2022.md" in line)
    assert "Acme Robotics Limited" in row and "1H2022" in row
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["period"] for r in rows} == {"1H2022", "1H2023"} and all(r["chunks"] for r in rows)


def test_qa_add_copies_indexes_and_refuses_what_it_cannot_read(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "incoming"
    outside.mkdir()
    (outside / "notes.docx").write_bytes(b"PK\x03\x04")
    (outside / "zeta.md").write_text(markdown_release(company="Zeta Foods", revenue="3.33"))
    (outside / "zeta.meta.json").write_text(json.dumps({"period": "FY2023"}))
    (outside / "again.md").write_text((cli_env / "acme-2022.md").read_text())
    assert main(["index"]) == 0
    capsys.readouterr()

    assert main(["add", str(outside / "zeta.md"), str(outside / "notes.docx")]) == 1
    assert "unsupported file type .docx; supported: .htm, .html" in capsys.readouterr().err
    assert not (cli_env / "zeta.md").exists()  # nothing is copied when one file is refused

    assert main(["add", str(outside / "zeta.md"), str(outside / "again.md")]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "identical to acme-2022.md" in out
    assert "(1 new, 0 changed, 0 removed, 3 unchanged)" in out
    assert (cli_env / "zeta.md").exists() and (cli_env / "zeta.meta.json").exists()
    assert not (cli_env / "again.md").exists()
    assert main(["ask", "What was Zeta Foods total revenue?", "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["passages"][0]["doc"] == "zeta.md" and reply["figure"]["period"] == "FY2023"


def test_qa_remove_leaves_no_trace_in_answers(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "What was Acme's total revenue in 1H2023?", "--json"]) == 0
    assert "RMB2.31 billion" in capsys.readouterr().out
    assert main(["remove", "nope"]) == 1
    assert "no document 'nope'" in capsys.readouterr().err
    assert main(["remove", "Acme Robotics Reports 2023 Interim Results"]) == 0
    out = capsys.readouterr().out
    assert "removed" in out and "1 removed" in out and "0 embedded" in out
    assert not (cli_env / "acme-2023.md").exists()
    for question in ("What was Acme's total revenue in 1H2023?", "What was the gross margin?"):
        assert main(["ask", question, "--json", "-k", "10"]) == 0
        reply = json.loads(capsys.readouterr().out)
        shown = json.dumps([reply["answer"], reply["figures"], reply["passages"]])
        assert "acme-2023.md" not in shown and "2.31" not in shown and "52%" not in shown
    assert main(["list"]) == 0
    assert "acme-2023" not in capsys.readouterr().out


def test_qa_index_prints_a_summary_and_shows_progress(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index"]) == 0
    captured = capsys.readouterr()
    assert "index built: 3 documents (3 new, 0 changed, 0 removed, 0 unchanged)" in captured.out
    assert (
        "chunks (" in captured.out and "embedded)" in captured.out and "figures in" in captured.out
    )
    assert "indexing" in captured.err and "doc" in captured.err  # the per-document bar
    assert main(["index"]) == 0
    assert "index up to date: 3 documents" in capsys.readouterr().out


def test_an_old_index_without_a_loader_version_is_updated_not_re_embedded(
    two_periods: Path, tmp_path: Path
) -> None:
    built = _system(two_periods, tmp_path / "idx")[0].reindex()
    manifest = json.loads((built.folder / "manifest.json").read_text())
    del manifest["loader_version"]
    (built.folder / "manifest.json").write_text(json.dumps(manifest))
    system, embedder = _system(two_periods, tmp_path / "idx")
    assert index_module.load(tmp_path / "idx").manifest.fingerprint.loader_version is None
    system.reindex()
    assert embedder.texts_embedded == 0
