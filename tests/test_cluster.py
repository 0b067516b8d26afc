"""Connecting to Ray and the private network the cluster tests run in
(qa/distributed/cluster.py), without starting a cluster: a stand-in `ray` records what
`connect` asks of it. The bounded test cluster itself runs in tests/test_distributed.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from qa.distributed import cluster
from qa.distributed.cluster import (
    LOCAL_OBJECT_STORE_BYTES,
    NAMESPACE,
    RayUnavailable,
    connect,
    import_ray,
    private_network_command,
    private_network_problem,
)


def test_without_ray_installed_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    with pytest.raises(RayUnavailable, match=r"pip install 'release-qa\[ray\]'"):
        import_ray()


@pytest.fixture
def fake_ray(monkeypatch: pytest.MonkeyPatch) -> Callable[..., SimpleNamespace]:
    """A stand-in `ray` that records init() calls, already connected or failing as told."""

    def install(connected: bool = False, error: Exception | None = None) -> SimpleNamespace:
        calls: list[dict[str, Any]] = []

        def init(**kwargs: Any) -> None:
            calls.append(kwargs)
            if error is not None:
                raise error

        progress = SimpleNamespace(enable_progress_bars=True)
        data = SimpleNamespace(DataContext=SimpleNamespace(get_current=lambda: progress))
        ray = SimpleNamespace(
            is_initialized=lambda: connected, init=init, calls=calls, data=data, progress=progress
        )
        monkeypatch.setitem(sys.modules, "ray", ray)
        monkeypatch.setitem(sys.modules, "ray.data", data)
        return ray

    return install


def test_connect_joins_an_address_in_our_namespace_quietly(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    ray = fake_ray()
    assert connect("head:6379") is ray
    assert ray.calls == [{"address": "head:6379", "namespace": NAMESPACE, "log_to_driver": False}]
    assert ray.progress.enable_progress_bars is False


def test_local_starts_a_ray_bounded_to_this_machine(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    ray = fake_ray()
    connect("local")
    (call,) = ray.calls
    assert call["object_store_memory"] == LOCAL_OBJECT_STORE_BYTES
    assert call["num_cpus"] >= 1 and call["include_dashboard"] is False


def test_a_process_already_connected_keeps_its_connection(
    fake_ray: Callable[..., SimpleNamespace],
) -> None:
    ray = fake_ray(connected=True)
    assert connect("head:6379") is ray and ray.calls == []


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (ConnectionError("Could not find any running Ray instance.\nPlease ..."),
         "Could not find any running Ray instance."),
        (RuntimeError(""), "RuntimeError"),
    ],
)  # fmt: skip
def test_an_unreachable_cluster_is_named_with_the_first_line_of_why(
    fake_ray: Callable[..., SimpleNamespace], error: Exception, said: str
) -> None:
    fake_ray(error=error)
    with pytest.raises(
        RayUnavailable, match=rf"cannot connect to the Ray cluster at 'h:1': {said}$"
    ):
        connect("h:1")


def test_the_private_network_needs_root_and_two_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster.os, "geteuid", lambda: 1000)
    assert private_network_problem() == "a private network namespace needs root (unshare -n)"
    monkeypatch.setattr(cluster.os, "geteuid", lambda: 0)
    monkeypatch.setattr(cluster.shutil, "which", lambda tool: None if tool == "ip" else tool)
    assert private_network_problem() == "missing ip (Debian packages util-linux and iproute2)"
    monkeypatch.setattr(cluster.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    assert private_network_problem() is None


def test_a_command_in_the_private_network_sees_only_loopback() -> None:
    problem = private_network_problem()
    if problem:
        pytest.skip(problem)
    code = "import socket; print(sorted(name for _, name in socket.if_nameindex()))"
    run = subprocess.run(
        private_network_command([sys.executable, "-c", code]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.strip() == "['lo']"
