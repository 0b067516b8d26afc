"""Adding and removing documents (qa/ingest/library.py, behind `qa add` and `qa remove`): what
is refused and why, copies that never write through links, names kept free, identical content
stored once, sidecars carried along, and removal of twins. (`qa add` through the command line
is in tests/test_hostile_inputs.py and tests/test_incremental.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.corpus import content_id, load_document
from qa.ingest.library import add_files, check_addable, remove_files

from .releases import markdown_release


@pytest.fixture
def corpus(corpus_copy: Path) -> Path:
    """A writable copy of the shipped corpus (one release)."""
    return corpus_copy


def test_add_refuses_a_corpus_file_that_links_out_of_the_corpus(
    corpus: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret margin was 99%.")
    (corpus / "link.txt").symlink_to(secret)
    with pytest.raises(ValueError, match="outside the corpus"):
        add_files([corpus / "link.txt"], corpus, {})


def test_add_copies_a_named_link_from_outside_the_corpus(corpus: Path, tmp_path: Path) -> None:
    real = tmp_path / "downloads" / "acme.txt"
    real.parent.mkdir()
    real.write_text("Acme revenue was RMB5 million.")
    (tmp_path / "acme-link.txt").symlink_to(real)
    [added] = add_files([tmp_path / "acme-link.txt"], corpus, {})
    assert added.target == corpus / "acme-link.txt" and not added.target.is_symlink()
    assert added.target.read_text() == real.read_text()


def test_add_never_writes_through_a_broken_link_in_the_corpus(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"  # does not exist yet: the link is broken
    (corpus / "acme.txt").symlink_to(outside)
    source = tmp_path / "incoming" / "acme.txt"
    source.parent.mkdir()
    source.write_text("Acme revenue was RMB5 million.")
    [added] = add_files([source], corpus, {})
    assert added.target == corpus / "acme-2.txt" and not outside.exists()


def incoming(tmp_path: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Files outside the corpus, as a user names them to `qa add`."""
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths.append(path)
    return paths


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("acme.meta.json", "{}", r"is a metadata sidecar; add the document it describes"),
        (".acme.txt", "Revenue rose.", r"hidden names \(starting with '.'\) are never indexed"),
        ("acme.docx", "PK", r"unsupported file type \.docx; supported: "),
        ("README", "Revenue rose.", r"unsupported file type \(no suffix\)"),
    ],
)
def test_check_addable_refuses_what_the_indexer_would_skip_by_name(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (path,) = incoming(tmp_path, {name: content})
    with pytest.raises(ValueError, match=message):
        check_addable(path)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not a file"):
        check_addable(tmp_path)


def test_a_release_and_its_sidecar_are_copied_under_a_free_name(
    corpus: Path, tmp_path: Path
) -> None:
    release, _ = incoming(
        tmp_path, {"acme.md": markdown_release(), "acme.meta.json": '{"company": "Acme"}'}
    )
    (corpus / "acme.md").write_text("Another release entirely.", encoding="utf-8")
    [added] = add_files([release], corpus, {})
    assert added.target == corpus / "acme-2.md" and added.note == ""
    assert added.target.read_text(encoding="utf-8") == markdown_release()
    assert (corpus / "acme-2.meta.json").read_text() == '{"company": "Acme"}'
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]  # no temporary left


def test_identical_content_is_stored_once(corpus: Path, tmp_path: Path) -> None:
    first, second = incoming(tmp_path, {"a.md": markdown_release(), "b.md": markdown_release()})
    results = add_files([first, second], corpus, {})
    assert [r.target for r in results] == [corpus / "a.md", None]
    assert results[1].note == "identical to a.md; not added"
    known = {content_id(load_document(corpus / "a.md", corpus).text): "a.md"}
    (third,) = incoming(tmp_path, {"c.md": markdown_release()})
    assert add_files([third], corpus, known)[0].target is None


def test_one_unreadable_file_adds_nothing(corpus: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in corpus.iterdir())
    good, bad = incoming(tmp_path, {"a.md": markdown_release(), "b.txt": b"\xff\xfe oops"})
    with pytest.raises(ValueError, match=r"cannot add b.txt: it is not UTF-8 text"):
        add_files([good, bad], corpus, {})
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_remove_takes_the_sidecar_and_byte_identical_twins(corpus: Path) -> None:
    (corpus / "a.md").write_text(markdown_release(), encoding="utf-8")
    (corpus / "a.meta.json").write_text('{"company": "Acme"}', encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "copy.md").write_text(markdown_release(), encoding="utf-8")
    (corpus / "other.md").write_text(markdown_release(company="Borealis"), encoding="utf-8")
    removed = remove_files(["a.md"], corpus)
    assert sorted(p.relative_to(corpus).as_posix() for p in removed) == [
        "a.md", "a.meta.json", "sub/copy.md",
    ]  # fmt: skip
    assert (corpus / "other.md").exists()
    assert remove_files(["a.md"], corpus) == []  # already gone
