"""A seeded fuzz suite (issue 19): generated hostile HTML, PDF, Markdown, sidecars and index
files, each asserting the promise: every file is indexed or skipped with a reason, and the
corpus still answers; a damaged index is refused with a message or rebuilt. Never a crash
of the whole.

Seeds are fixed so CI is deterministic and bounded in time (about half a minute); set
QA_FUZZ_ROUNDS to run more rounds locally (each round is new seeds).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from qa.config import Settings
from qa.index import store
from qa.index.embedding import HashEmbedder
from qa.index.io import load
from qa.ingest.corpus import skipped_in
from qa.pipeline import QA
from tests.conftest import RELEASE

ROUNDS = int(os.environ.get("QA_FUZZ_ROUNDS", "1"))
FILES_PER_CASE = 12
QUESTION = "What was the gross profit margin?"
WORDS = (
    "Revenue", "gross", "profit", "margin", "RMB1,234.5", "million", "66%", "1H2022", "net",
    "loss", "(12.5)", "|", "#", "●", "increase", "—", "€3bn", "Q3", "FY2021", "年", "\u00ad",
    "\u200b", "\u202e", "&amp;", "&#0;", "&#x110000;", "<", ">", '"', "\\", "x" * 300,
)  # fmt: skip
TAGS = (
    "div", "span", "p", "table", "tr", "td", "th", "thead", "ul", "ol", "li", "h1", "h2", "h3",
    "main", "article", "nav", "script", "style", "br", "caption", "b", "svg", "template",
)  # fmt: skip


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def hostile_html(rng: random.Random) -> str:
    """Random tag soup: unbalanced tags, runs of deep nesting, huge spans, stray closers."""
    parts: list[str] = []
    open_tags: list[str] = []
    for _ in range(rng.randint(1, 300)):
        roll = rng.random()
        if roll < 0.05:
            depth = rng.choice((200, 1500, 6000))
            tag = rng.choice(("div", "li", "span", "table"))
            parts.append(f"<{tag}>" * depth + words(rng, 3))
        elif roll < 0.4:
            tag = rng.choice(TAGS)
            attrs = rng.choice(
                ("", ' class="nav"', ' role="main"', f' colspan="{rng.randint(-5, 10**12)}"',
                 ' colspan="²"', ' id="' + "a" * 500 + '"', " " + "x=" * 50)
            )  # fmt: skip
            parts.append(f"<{tag}{attrs}>")
            open_tags.append(tag)
        elif roll < 0.6 and open_tags:
            tag = open_tags.pop() if rng.random() < 0.8 else rng.choice(TAGS)
            parts.append(f"</{tag}>")
        elif roll < 0.65:
            parts.append(rng.choice(("<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE x>", "<?x?>")))
        else:
            parts.append(words(rng, rng.randint(1, 20)))
    return "".join(parts)


def hostile_markdown(rng: random.Random) -> str:
    """Random Markdown: headings, deep lists, pipe tables, fences, numbers, odd characters."""
    lines = []
    for _ in range(rng.randint(1, 150)):
        kind = rng.random()
        if kind < 0.1:
            lines.append("#" * rng.randint(1, 12) + " " + words(rng, 4))
        elif kind < 0.3:
            lines.append(" " * rng.randint(0, 400) + rng.choice("-*+") + " " + words(rng, 6))
        elif kind < 0.45:
            lines.append(" | ".join(words(rng, 2) for _ in range(rng.randint(1, 12))))
        elif kind < 0.5:
            lines.append(rng.choice(("```", "---", "", "\f", "\r", "\x1b[31m", "\x7f")))
        elif kind < 0.52:
            lines.append(words(rng, 5) * rng.randint(50, 400))  # one huge line
        else:
            lines.append(words(rng, rng.randint(1, 40)))
    return "\n".join(lines)


def base_pdf(rng: random.Random) -> bytes:
    pdf = FPDF()
    for _ in range(rng.randint(1, 3)):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "Gross profit margin was 61%. Revenue rose 12% to RMB1.2 billion.")
    return bytes(pdf.output())


def hostile_pdf(rng: random.Random) -> bytes:
    """A valid PDF broken by byte edits: flips, truncation, splices, deep brackets."""
    data = bytearray(base_pdf(rng))
    for _ in range(rng.randint(1, 4)):
        edit = rng.randrange(5)
        at = rng.randrange(len(data))
        if edit == 0:
            for _ in range(rng.randint(1, 30)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif edit == 1:
            del data[at:]
            if not data:
                data += b"%PDF-1.4\n"
        elif edit == 2:
            data[at:at] = rng.choice((b"[", b"<<", b"(")) * rng.choice((10, 3000, 8000))
        elif edit == 3:
            del data[at : at + rng.randint(1, 400)]
        else:
            data[at:at] = rng.choice((b" 0 R", b"/Font", b"endobj", b"xref", b"stream\n"))
    return bytes(data)


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON value (sometimes not an object, sometimes deep)."""
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice((None, True, 0, -1, 1.5, 10**30, "", "x" * rng.randint(0, 200), "1H2022"))
    if roll < 0.7:
        return {rng.choice(("company", "period", "title", "x", "")): random_json(rng, depth + 1)
                for _ in range(rng.randint(0, 5))}  # fmt: skip
    return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]


def hostile_sidecar(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.5:
        return json.dumps(random_json(rng)).encode()
    if roll < 0.65:
        depth = rng.choice((50, 5000, 40_000))
        return (rng.choice("[{") * depth).encode() if rng.random() < 0.5 else b"[" * depth
    if roll < 0.8:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    return json.dumps({"company": "Acme", "period": "x" * rng.choice((10, 70_000))}).encode()


GENERATORS: dict[str, Callable[[random.Random], str | bytes]] = {
    ".html": hostile_html,
    ".md": hostile_markdown,
    ".pdf": hostile_pdf,
}


def assert_every_file_accounted_for(corpus: Path, tmp_path: Path) -> None:
    """Index `corpus`; every document file is indexed or skipped with a reason, and the
    release in it still answers."""
    system = QA(Settings(corpus_dir=corpus, index_dir=tmp_path / "idx"), HashEmbedder())
    built = system.reindex()
    indexed = {d.path for d in built.documents.values()}
    skipped = {s.path: s.reason for s in skipped_in(built.manifest.skipped, corpus)}
    names = [p.name for p in corpus.iterdir() if not p.name.endswith(".meta.json")]
    for name in names:
        assert name in indexed or skipped.get(name), f"{name} neither indexed nor skipped"
    assert all(len(reason) > 3 for reason in skipped.values())
    assert "66%" in system.ask(QUESTION).answer


def corpus_with_release(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(RELEASE, corpus / RELEASE.name)
    return corpus


@pytest.mark.parametrize("suffix", list(GENERATORS))
@pytest.mark.parametrize("seed", range(2 * ROUNDS))
def test_fuzzed_documents_are_indexed_or_skipped_with_a_reason(
    suffix: str, seed: int, tmp_path: Path
) -> None:
    rng = random.Random(f"{suffix}-{seed}")
    corpus = corpus_with_release(tmp_path)
    for number in range(FILES_PER_CASE):
        content = GENERATORS[suffix](rng)
        data = content if isinstance(content, bytes) else content.encode("utf-8", "replace")
        (corpus / f"fuzz-{number}{suffix}").write_bytes(data)
    assert_every_file_accounted_for(corpus, tmp_path)


@pytest.mark.parametrize("seed", range(2 * ROUNDS))
def test_fuzzed_sidecars_skip_their_document_with_a_reason_or_apply(
    seed: int, tmp_path: Path
) -> None:
    rng = random.Random(f"sidecar-{seed}")
    corpus = corpus_with_release(tmp_path)
    for number in range(FILES_PER_CASE):
        (corpus / f"doc-{number}.txt").write_text(f"Acme revenue {number} was RMB{number} million.")
        (corpus / f"doc-{number}.meta.json").write_bytes(hostile_sidecar(rng))
    assert_every_file_accounted_for(corpus, tmp_path)


JSON_FILES = ("manifest.json", "bm25/params.index.json", "bm25/vocab.index.json")
LINE_FILES = ("chunks.jsonl", "documents.jsonl")


def mutate_json(rng: random.Random, value: Any) -> Any:
    """`value` with one randomly chosen node replaced by a random JSON value."""
    if not isinstance(value, (dict, list)) or not value or rng.random() < 0.25:
        return random_json(rng)
    if isinstance(value, dict):
        key = rng.choice(list(value))
        if rng.random() < 0.15:
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: mutate_json(rng, value[key])}
    at = rng.randrange(len(value))
    return [*value[:at], mutate_json(rng, value[at]), *value[at + 1 :]]


def damage(rng: random.Random, index_dir: Path) -> str:
    """Damage one file of the current build (or CURRENT) at random; say what was done."""
    build = store.current_build(index_dir)
    roll = rng.random()
    if roll < 0.4:
        path = build / rng.choice(JSON_FILES)
        path.write_text(json.dumps(mutate_json(rng, json.loads(path.read_text()))))
    elif roll < 0.75:
        path = build / rng.choice(LINE_FILES)
        lines = path.read_text().splitlines()
        at = rng.randrange(len(lines))
        lines[at] = json.dumps(mutate_json(rng, json.loads(lines[at])))
        path.write_text("\n".join(lines) + "\n")
    elif roll < 0.85:
        path = rng.choice(sorted((build / "bm25").glob("*.npy")))
        data = path.read_bytes()
        path.write_bytes(data[: rng.randrange(len(data))])
    else:
        path = index_dir / "CURRENT"
        path.write_bytes(rng.choice((b"", b"\xff\xfe", b"../x", build.name.encode() + b"\x00")))
    return f"{path.relative_to(index_dir)} damaged"


@pytest.fixture(scope="module")
def healthy_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("fuzz-index") / "index"
    QA(Settings(corpus_dir=RELEASE.parent, index_dir=index_dir), HashEmbedder()).reindex()
    return index_dir


@pytest.mark.parametrize("seed", range(12 * ROUNDS))
def test_fuzzed_index_files_are_refused_with_a_message_or_rebuilt(
    seed: int, healthy_index: Path, tmp_path: Path
) -> None:
    rng = random.Random(f"index-{seed}")
    index_dir = tmp_path / "index"
    shutil.copytree(healthy_index, index_dir)
    what = damage(rng, index_dir)
    settings = Settings(corpus_dir=RELEASE.parent, index_dir=index_dir)
    try:
        load(index_dir)
    except store.IndexError_ as error:
        assert "qa index" in str(error), what
        with pytest.raises(store.IndexError_, match="qa index"):
            QA(settings.with_(auto_rebuild=False), HashEmbedder()).ask(QUESTION)
    # Loaded as is (damage the checks cannot see, e.g. another title) or rebuilt: it answers.
    answer = QA(settings, HashEmbedder()).ask(QUESTION)
    assert answer.question == QUESTION, what
