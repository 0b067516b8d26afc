"""`qa serve --ray ADDRESS`: the `/ask` API on Ray Serve replicas.

Each replica is one `QA` (model and index loaded once, in its constructor) and answers
`POST /ask {"question": ..., "k": 5, "docs": [...]}` with exactly `Answer.to_dict()`, the
JSON `qa ask --json` prints. The `X-QA-Replica` header names the replica (node/pid), so load
tests can see the split. Replicas read the index folder by its path: on a multi-host cluster
put `index/` (and `corpus/`) on a shared filesystem at the same path on every node.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

from qa.config import Settings
from qa.distributed.cluster import RayUnavailable, connect

log = logging.getLogger(__name__)

APP_NAME = "release-qa"
ROUTE = "/ask"
REPLICA_HEADER = "X-QA-Replica"
# Replicas by default: two, so one can fail while the other answers.
DEFAULT_REPLICAS = 2
# Questions one replica answers at once (as the single-machine server: one torch thread each,
# a third concurrent question only adds latency on a 2-CPU replica).
MAX_ONGOING = 2


class DeployFailed(RayUnavailable):
    """Serve could not start the replicas (`qa serve --ray` prints this and exits 1)."""


def answer_payload(system: Any, body: object) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON) for one request body, checked exactly as the web server's `POST
    /ask` checks it (`qa.web.api.answer_request`): 200 and `Answer.to_dict()`, or the
    request's error status and message.

    >>> answer_payload(None, ["not", "an", "object"])
    (400, {'error': 'the body must be a JSON object with a "question"'})
    """
    from qa.web.api import DEFAULT_PASSAGES, RequestError, answer_request

    if not isinstance(body, dict) or "question" not in body:
        return 400, {"error": 'the body must be a JSON object with a "question"'}
    try:
        k = body.get("k", DEFAULT_PASSAGES)
        return 200, answer_request(system, body["question"], k, body.get("docs"))
    except RequestError as error:
        return error.status, {"error": str(error)}


class AskReplica:
    """One Serve replica: its own QA, warmed up (model, index, one question) before serving."""

    def __init__(self, settings: Settings) -> None:
        import ray

        from qa.pipeline import QA

        started = time.perf_counter()
        self.system = QA(settings).warm_up()
        self.load_seconds = time.perf_counter() - started
        self.name = f"{ray.get_runtime_context().get_node_id()[:8]}/{os.getpid()}"

    async def __call__(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        try:
            body = await request.json()
        except ValueError:
            body = None
        # QA.ask is blocking and thread-safe; a thread keeps the replica's event loop free.
        status, payload = await asyncio.to_thread(answer_payload, self.system, body)
        return JSONResponse(payload, status_code=status, headers={REPLICA_HEADER: self.name})


def replica_settings(settings: Settings) -> Settings:
    """Settings a replica can use anywhere: absolute paths, and no rebuilding (N replicas
    must not rebuild one index N times; the driver makes it fresh first)."""
    return settings.with_(
        corpus_dir=settings.corpus_dir.resolve(),
        index_dir=settings.index_dir.resolve(),
        auto_rebuild=False,
    )


def check_index(settings: Settings) -> None:
    """Refuse, on the driver and with the usual message, an index the replicas would refuse
    (missing, corrupt or stale): Serve would only say "Failed to update the deployments"."""
    from qa.index import core as index_module
    from qa.index import store
    from qa.index.embedding import make_embedder
    from qa.index.manifest import read_manifest

    manifest = read_manifest(store.current_build(settings.index_dir))
    expected = index_module.expected_fingerprint(
        settings, make_embedder(settings.model), settings.corpus_dir
    )  # the model is not loaded: name and dimension are known without it
    reasons = index_module.stale_reasons(manifest, expected)
    if reasons:
        raise store.IndexStale(
            f"index in {settings.index_dir} is out of date: {'; '.join(reasons[:5])}; "
            "run `qa index --ray ADDRESS`"
        )


def deploy(
    settings: Settings,
    *,
    replicas: int = DEFAULT_REPLICAS,
    host: str | None = None,
    port: int | None = None,
) -> str:
    """Start (or update) the Serve application on the connected cluster; return its URL."""
    from ray import serve

    host = host or settings.host
    port = port or settings.port
    check_index(replica_settings(settings))
    serve.start(http_options={"host": host, "port": port})
    deployment = serve.deployment(
        name="ask",
        num_replicas=replicas,
        max_ongoing_requests=MAX_ONGOING,
        ray_actor_options={"num_cpus": settings.torch_threads},
    )(AskReplica)
    try:
        serve.run(deployment.bind(replica_settings(settings)), name=APP_NAME, route_prefix=ROUTE)
    except RuntimeError as error:  # Serve says only "Failed to update the deployments"
        raise DeployFailed(
            f"{error} The replicas' errors are in the Ray logs (serve/replica_*.log); the usual "
            "cause is an index, corpus or release-qa version that differs between nodes."
        ) from error
    url = f"http://{host}:{port}{ROUTE}"
    log.info("serving %d replicas at %s", replicas, url)
    return url


def serve_on_ray(
    settings: Settings, address: str, *, replicas: int = DEFAULT_REPLICAS, forever: bool = True
) -> str:
    """`qa serve --ray ADDRESS`: make the index fresh (on the cluster), deploy, and block."""
    from qa.distributed.ray_index import build_on_ray

    connect(address)
    build_on_ray(settings, address)
    url = deploy(settings, replicas=replicas)
    print(f"serving /ask on {replicas} Ray Serve replicas: POST {url}", flush=True)
    while forever:
        time.sleep(3600)
    return url


def shutdown() -> None:
    """Remove the application and Serve from the connected cluster."""
    from ray import serve

    serve.shutdown()  # type: ignore[no-untyped-call]
