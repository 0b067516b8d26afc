"""Shared fixtures.

- Every test runs with QA_INDEX_DIR pointed at a temporary folder (autouse), so no test
  writes into the repository's index/ and the default `ask()` instance starts fresh.
- `release_corpus` is the shipped release; `hash_qa` a QA on the deterministic fake embedder.
- `real_embedder` / `real_qa` load the bundled all-MiniLM-L6-v2 once per session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from qa import pipeline
from qa.config import Settings
from qa.index.embedding import HashEmbedder, SentenceTransformerEmbedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RELEASE = CORPUS / "sensetime-2022-interim-results.txt"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Cluster tests run only inside the Ray suite's private network namespace
    (QA_RAY_INNER=1, started by tests/test_distributed.py); elsewhere they are deselected."""
    if os.environ.get("QA_RAY_INNER") == "1":
        return
    keep = [item for item in items if item.get_closest_marker("ray_inner") is None]
    dropped = [item for item in items if item.get_closest_marker("ray_inner") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _isolated_index(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path_factory.mktemp("index")))
    monkeypatch.setenv("QA_CORPUS_DIR", str(CORPUS))
    monkeypatch.setattr(pipeline, "_default", None)


@pytest.fixture(scope="module")
def one_faiss_thread() -> Iterator[None]:
    """FAISS on one thread, as the pipeline runs it (qa/pipeline.py): IVF-PQ training on every
    core spins for seconds on a shared 2-core host."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(threads)


@pytest.fixture(scope="session")
def release_text() -> str:
    """The shipped release, exactly as stored."""
    return RELEASE.read_text(encoding="utf-8")


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write a small corpus of {name: text or bytes} into a temporary folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / f"corpus-{len(list(tmp_path.glob('corpus-*')))}"
        folder.mkdir()
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def hash_settings(tmp_path: Path) -> Settings:
    """Settings on the shipped corpus with a fresh index folder and the fake model."""
    return Settings(corpus_dir=CORPUS, index_dir=tmp_path / "idx", model="hash")


@pytest.fixture
def hash_qa(hash_settings: Settings) -> pipeline.QA:
    """A QA over the shipped release with the deterministic fake embedder (fast)."""
    return pipeline.QA(hash_settings, embedder=HashEmbedder())


@pytest.fixture(scope="session")
def real_embedder() -> SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    embedder = SentenceTransformerEmbedder()
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the shipped release built with the real model, shared by the session."""
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_qa(
    real_embedder: SentenceTransformerEmbedder, real_index_dir: Path
) -> Iterator[pipeline.QA]:
    """A QA over the shipped release with the real model (integration tests)."""
    system = pipeline.QA(
        Settings(corpus_dir=CORPUS, index_dir=real_index_dir), embedder=real_embedder
    )
    system.warm_up()
    yield system
