"""Which files under the corpus folder may be read (qa/ingest/scan.py): the walk, what it
passes over silently, and what it skips with a reason — links out of the corpus, broken links,
loops, pipes, folders nested too deep. (tests/test_hostile_files.py runs the same cases end to
end through `qa index` and `qa ask`.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.ingest import scan
from qa.ingest.scan import BROKEN, OUTSIDE, inside, link_problem, scan_corpus

SUFFIXES = frozenset({".txt", ".md"})


def files(root: Path, *names: str) -> Path:
    """Create `names` (paths under root, parent folders made) holding a line of text."""
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Revenue was RMB1 million.\n", encoding="utf-8")
    return root


def test_documents_are_listed_sorted_from_every_folder(tmp_path: Path) -> None:
    root = files(tmp_path / "c", "b.txt", "A.MD", "sub/deeper/c.md", "sub/a.txt")
    listing = scan_corpus(root, SUFFIXES)
    assert [p.relative_to(root).as_posix() for p in listing.files] == [
        "A.MD", "b.txt", "sub/a.txt", "sub/deeper/c.md",
    ]  # fmt: skip
    assert listing.skipped == ()


def test_hidden_names_and_other_suffixes_are_passed_over_silently(tmp_path: Path) -> None:
    root = files(tmp_path / "c", "a.txt", ".draft.txt", ".hidden/b.txt", "notes.docx", "x.json")
    listing = scan_corpus(root, SUFFIXES)
    assert [p.name for p in listing.files] == ["a.txt"] and listing.skipped == ()


def test_links_are_read_only_when_they_stay_inside(tmp_path: Path) -> None:
    root = files(tmp_path / "c", "sub/inside.md")
    outside = files(tmp_path / "outside", "secret.txt", "folder/more.txt")
    (root / "alias.md").symlink_to(root / "sub" / "inside.md")
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "folder").symlink_to(outside / "folder", target_is_directory=True)
    (root / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    listing = scan_corpus(root, SUFFIXES)
    assert [p.name for p in listing.files] == ["alias.md", "inside.md"]
    reasons = {Path(s.path).name: s.reason for s in listing.skipped}
    assert reasons == {
        "folder": OUTSIDE.replace("link", "link (a folder)"),
        "gone.txt": BROKEN,
        "secret.txt": OUTSIDE,
    }


def test_a_loop_a_pipe_and_a_folder_too_deep_are_skipped_with_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "MAX_DEPTH", 2)
    root = files(tmp_path / "c", "a.txt", "one/two/b.txt", "one/two/three/c.txt")
    (root / "loop").symlink_to(root, target_is_directory=True)
    os.mkfifo(root / "pipe.txt")
    listing = scan_corpus(root, SUFFIXES)
    assert [p.name for p in listing.files] == ["a.txt", "b.txt"]
    reasons = {Path(s.path).name: s.reason for s in listing.skipped}
    assert reasons == {
        "loop": "links to a folder already indexed",
        "pipe.txt": "is not a regular file (a pipe or device?)",
        "three": "is nested over 2 folders deep",
    }


def test_link_problem_says_why_a_path_must_not_be_read(tmp_path: Path) -> None:
    root = files(tmp_path / "c", "a.txt")
    (root / "ok.txt").symlink_to(root / "a.txt")
    (root / "out.txt").symlink_to(tmp_path)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    assert link_problem(root / "a.txt", root) is None  # not a link
    assert link_problem(root / "ok.txt", root) is None
    assert link_problem(root / "out.txt", root) == OUTSIDE
    assert link_problem(root / "broken.txt", root) == BROKEN


def test_inside_resolves_links_and_dot_dots(tmp_path: Path) -> None:
    root = files(tmp_path / "c", "a.txt")
    (root / "up").symlink_to(tmp_path, target_is_directory=True)
    (root / "self").symlink_to(root / "self")  # a link to itself: a loop
    assert inside(root, root) and inside(root / "a.txt", root)
    assert not inside(root / "up" / "c" / ".." / "x.txt", root)
    assert not inside(root / "self", root)
