"""Connecting to a Ray cluster, and a bounded local cluster for tests and benchmarks.

Ray claims every CPU and a third of the memory of a host unless told otherwise, and binds
every interface; on a shared host each node here is bounded (`num_cpus`,
`object_store_memory`), and tests run it in a private network namespace with only loopback
(`private_network_command`). `ray stop` would end every Ray process on the host, other
people's included: a cluster started here is stopped with its own `shutdown()` only.
"""

from __future__ import annotations

import logging
import os
import shutil
from typing import Any

log = logging.getLogger(__name__)

# The namespace our actors and Serve applications live in.
NAMESPACE = "release-qa"
# `--ray local`: a Ray instance on this machine with this much object store (the default, a
# third of memory, is more than embedding needs and more than a shared host can spare).
LOCAL_OBJECT_STORE_BYTES = 512 * 1024**2
# A test node: one CPU and 100 MB of object store (3,000 chunks of 384 floats are 4.6 MB).
TEST_NODE_CPUS = 1
TEST_OBJECT_STORE_BYTES = 100 * 1024**2


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


def import_ray() -> Any:
    """Import ray, or say how to install it."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never phone home
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "Ray is not installed: pip install 'release-qa[ray]' on this machine and every node"
        ) from None
    return ray


def connect(address: str) -> Any:
    """Join the cluster at `address` (or start a bounded one for "local"); return `ray`.

    A process already connected (a test's cluster, a Ray job) keeps its connection.
    """
    ray = import_ray()
    if ray.is_initialized():
        return ray
    options: dict[str, Any] = {"namespace": NAMESPACE, "log_to_driver": False}
    try:
        if address == "local":
            ray.init(
                num_cpus=os.cpu_count() or 1,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                include_dashboard=False,
                **options,
            )
        else:
            ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RayUnavailable(f"cannot connect to the Ray cluster at {address!r}: {first}") from None
    _quiet_ray_data()
    return ray


def _quiet_ray_data() -> None:
    from ray.data import DataContext

    context = DataContext.get_current()
    context.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)


def start_test_cluster(
    nodes: int = 2,
    cpus_per_node: int = TEST_NODE_CPUS,
    object_store_bytes: int = TEST_OBJECT_STORE_BYTES,
) -> Any:
    """A `ray.cluster_utils.Cluster` of `nodes` bounded nodes on this host, with the driver
    connected. Stop it with `stop_test_cluster(cluster)`, never `ray stop`."""
    ray = import_ray()
    from ray.cluster_utils import Cluster

    node: dict[str, Any] = {"num_cpus": cpus_per_node, "object_store_memory": object_store_bytes}
    cluster = Cluster(initialize_head=True, head_node_args={**node, "include_dashboard": False})
    for _ in range(nodes - 1):
        cluster.add_node(**node)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, namespace=NAMESPACE, log_to_driver=False)
    _quiet_ray_data()
    return cluster


def stop_test_cluster(cluster: Any) -> None:
    """Disconnect and stop exactly the processes of `cluster`."""
    ray = import_ray()
    ray.shutdown()
    cluster.shutdown()


def private_network_problem() -> str | None:
    """Why `private_network_command` cannot work here (None when it can)."""
    if os.geteuid() != 0:
        return "a private network namespace needs root (unshare -n)"
    missing = [tool for tool in ("unshare", "ip") if shutil.which(tool) is None]
    if missing:
        return f"missing {', '.join(missing)} (Debian packages util-linux and iproute2)"
    return None


def private_network_command(argv: list[str]) -> list[str]:
    """`argv` run in a new network namespace whose only interface is loopback (up).

    Ray rewrites 127.0.0.1 to the host's primary address and listens on all interfaces; in
    this namespace the only address is loopback, so nothing is reachable from outside.

    >>> private_network_command(["python", "-V"])[:3]
    ['unshare', '--net', 'sh']
    """
    return ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *argv]
