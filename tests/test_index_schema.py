"""Every index file is checked by schema on load (issue 19, cases 4 and 5): a wrong-typed
field is "corrupt: rebuild", or a clear error under --no-rebuild; never a traceback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa.cli import main
from qa.config import Settings
from qa.index import store
from qa.index.embedding import HashEmbedder
from qa.index.io import load
from qa.index.schema import MANIFEST, problems
from qa.pipeline import QA
from tests.conftest import CORPUS


def edit_json(name: str, change: Callable[[Any], Any]) -> Callable[[Path, Path], None]:
    """Damage: rewrite a JSON file of the build with `change` (returning the new value)."""

    def harm(index_dir: Path, build: Path) -> None:
        path = build / name
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    return harm


def edit_first_line(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[..., None]:
    """Damage: change the first record of a JSON-lines file of the build."""

    def harm(index_dir: Path, build: Path) -> None:
        path = build / name
        lines = path.read_text().splitlines()
        record = json.loads(lines[0])
        change(record)
        path.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n")

    return harm


def with_(**values: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: {**data, **values}


def _current_folder(index_dir: Path, build: Path) -> None:
    (index_dir / "CURRENT").unlink()
    (index_dir / "CURRENT").mkdir()


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "model null": edit_json("manifest.json", with_(model=None)),
    "counts a string": edit_json("manifest.json", with_(counts="many")),
    "corpus_files null": edit_json("manifest.json", with_(corpus_files=None)),
    "corpus file hash a number": edit_json("manifest.json", with_(corpus_files={"a.txt": 1})),
    "documents a dict": edit_json("manifest.json", with_(documents={})),
    "skipped entry without reason": edit_json("manifest.json", with_(skipped=[{"path": "x"}])),
    "dim a string": edit_json(
        "manifest.json", lambda m: {**m, "model": {**m["model"], "dim": "64"}}
    ),
    "version a bool": edit_json("manifest.json", with_(loader_version=True)),
    "bm25 params empty": edit_json("bm25/params.index.json", lambda _: {}),
    "bm25 params a list": edit_json("bm25/params.index.json", lambda _: [1, 2]),
    "bm25 vocab of strings": edit_json("bm25/vocab.index.json", lambda v: dict.fromkeys(v, "x")),
    "chunk start a string": edit_first_line("chunks.jsonl", lambda r: r.update(start="0")),
    "chunk figures a string": edit_first_line("chunks.jsonl", lambda r: r.update(figures="x")),
    "figure value null": edit_first_line(
        "chunks.jsonl", lambda r: r["figures"].append({**FIGURE, "value": None})
    ),
    "document text null": edit_first_line("documents.jsonl", lambda r: r.update(text=None)),
    "document metadata a list": edit_first_line("documents.jsonl", lambda r: r.update(metadata=[])),
    "CURRENT not utf-8": lambda i, b: (i / "CURRENT").write_bytes(b"\xff\xfebuild\n"),
    "CURRENT with a control character": lambda i, b: (i / "CURRENT").write_text(b.name + "\x1b"),
    "CURRENT a folder": _current_folder,
}
FIGURE = {"text": "1", "value": 1, "unit": "", "kind": "count", "start": 0, "end": 1}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("schema") / "index"
    QA(Settings(corpus_dir=CORPUS, index_dir=index_dir), HashEmbedder()).reindex()
    return index_dir


@pytest.fixture
def damaged_dir(built: Path, tmp_path: Path) -> Callable[[str], Path]:
    def make(name: str) -> Path:
        index_dir = tmp_path / "index"
        shutil.copytree(built, index_dir)
        build = index_dir / (built / "CURRENT").read_text().strip()
        DAMAGE[name](index_dir, build)
        return index_dir

    return make


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_wrong_typed_index_file_is_corrupt_refused_or_rebuilt_never_a_traceback(
    name: str,
    damaged_dir: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index_dir = damaged_dir(name)
    with pytest.raises(store.IndexCorrupt, match=r"run `qa index"):
        load(index_dir)
    monkeypatch.setenv("QA_MODEL", "hash")
    flags = ["--index", str(index_dir), "--corpus", str(CORPUS)]
    assert main(["ask", "What was the revenue?", "--no-rebuild", *flags]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qa: error: ") and "run `qa index" in err and "Traceback" not in err
    assert main(["index", *flags]) == 0  # plain `qa index` repairs it (no --force needed)
    assert "index built" in capsys.readouterr().out
    assert main(["ask", "What was the gross profit margin?", "--no-rebuild", *flags]) == 0
    assert "66%" in capsys.readouterr().out


def test_a_damaged_index_is_rebuilt_by_ask(damaged_dir: Callable[[str], Path]) -> None:
    index_dir = damaged_dir("counts a string")
    system = QA(Settings(corpus_dir=CORPUS, index_dir=index_dir), HashEmbedder())
    assert "66%" in system.ask("What was the gross profit margin?").answer


def test_the_schema_names_every_problem_it_finds() -> None:
    found = problems({"format_version": 1, "model": {"name": 3}}, MANIFEST, "manifest")
    assert found == [
        "manifest.model.name is 3, expected str",
        "manifest.model.dim is missing",
        "manifest.chunker is missing",
    ]
