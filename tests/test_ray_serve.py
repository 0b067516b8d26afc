"""`/ask` on Ray Serve (qa/distributed/ray_serve.py) without a cluster: the handler's payloads,
the settings replicas get, the index check the driver makes before deploying, and one replica's
request handling. Serving on real replicas is in the cluster suite (tests/test_distributed.py).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from qa.config import Settings
from qa.distributed.ray_serve import (
    REPLICA_HEADER,
    AskReplica,
    answer_payload,
    check_index,
    replica_settings,
)
from qa.index import store
from qa.index.core import build
from qa.index.embedding import HashEmbedder
from qa.pipeline import QA


def test_the_serve_handler_returns_ask_to_dict_or_a_400(hash_qa: QA) -> None:
    status, payload = answer_payload(hash_qa, {"question": "What was the total revenue?", "k": 3})
    expected = hash_qa.ask("What was the total revenue?", 3).to_dict()
    assert status == 200
    assert {**payload, "seconds": 0} == {**expected, "seconds": 0}
    assert answer_payload(hash_qa, {"question": "   "})[0] == 400
    assert "empty" in answer_payload(hash_qa, {"question": "   "})[1]["error"]
    assert answer_payload(hash_qa, {"question": 42})[0] == 400
    assert answer_payload(hash_qa, {"q": "revenue"}) == (
        400,
        {"error": 'the body must be a JSON object with a "question"'},
    )
    # The same checks as the web server's POST /ask, not a weaker copy of them.
    assert answer_payload(hash_qa, {"question": "revenue?", "k": 0}) == (
        400,
        {"error": "k must be an integer from 1 to 10, got 0"},
    )
    status, payload = answer_payload(hash_qa, {"question": "revenue?", "docs": ["nope"]})
    assert status == 400 and "unknown document(s) ['nope']" in payload["error"]


def test_replicas_get_absolute_paths_and_never_rebuild() -> None:
    settings = Settings(corpus_dir=Path("corpus"), index_dir=Path("index"), top_k=3)
    replica = replica_settings(settings)
    assert replica.corpus_dir.is_absolute() and replica.corpus_dir == Path("corpus").resolve()
    assert replica.index_dir == Path("index").resolve()
    assert replica.auto_rebuild is False
    assert replica.with_(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir,
                         auto_rebuild=True) == settings  # fmt: skip


def test_the_driver_accepts_a_fresh_index(hash_settings: Settings) -> None:
    build(hash_settings, HashEmbedder())
    check_index(replica_settings(hash_settings))  # no exception: the replicas can load it


def test_the_driver_refuses_a_missing_index_as_the_replicas_would(hash_settings: Settings) -> None:
    with pytest.raises(store.IndexMissing, match="no index"):
        check_index(replica_settings(hash_settings))


def test_the_driver_refuses_a_stale_index_saying_what_to_run(
    corpus_copy: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "idx", model="hash")
    build(settings, HashEmbedder())
    (corpus_copy / "other.txt").write_text("Another release. Revenue was RMB9 billion.")
    with pytest.raises(store.IndexStale, match=r"out of date: .*run `qa index --ray ADDRESS`"):
        check_index(replica_settings(settings))


class _Request:
    """What a replica reads of a Starlette request: its JSON body."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def json(self) -> object:
        return json.loads(self.body)


@pytest.mark.parametrize(
    ("body", "status"),
    [(b'{"question": "What was the total revenue?", "k": 2}', 200), (b"{not json", 400)],
)
def test_a_replica_answers_json_with_its_name_in_a_header(
    hash_qa: QA, body: bytes, status: int
) -> None:
    replica = AskReplica.__new__(AskReplica)  # its __init__ loads a QA on a Ray node
    replica.system, replica.name = hash_qa, "node1234/42"
    response = asyncio.run(replica(_Request(body)))
    assert response.status_code == status
    assert response.headers[REPLICA_HEADER] == "node1234/42"
    payload = json.loads(response.body)
    if status == 200:
        assert payload["found"] and len(payload["passages"]) == 2
    else:
        assert payload == {"error": 'the body must be a JSON object with a "question"'}
