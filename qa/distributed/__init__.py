"""Optional: index and serve on a Ray cluster (`pip install release-qa[ray]`).

    qa index --ray ADDRESS     embedding on a Ray Data actor pool (qa/distributed/ray_index.py)
    qa serve --ray ADDRESS     `/ask` on Ray Serve replicas (qa/distributed/ray_serve.py)

The single-machine default never imports Ray: this package and its modules import it inside
functions only, and `import qa` / `from qa import ask` do not import this package at all.
ADDRESS is what `ray.init(address=...)` takes (`HOST:6379`, `ray://HOST:10001`, `auto`), or
`local` for a Ray instance on this machine bounded to its CPUs (benchmarks, trials).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# The environment variable a `--ray` flag falls back to.
RAY_ADDRESS_ENV = "QA_RAY_ADDRESS"


def ray_address(flag: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The Ray address to use: the flag, else QA_RAY_ADDRESS, else None (run embedded).

    >>> ray_address(None, {}), ray_address("10.0.0.5:6379", {"QA_RAY_ADDRESS": "auto"})
    (None, '10.0.0.5:6379')
    >>> ray_address(None, {"QA_RAY_ADDRESS": " auto "})
    'auto'
    """
    if flag:
        return flag.strip()
    value = (os.environ if env is None else env).get(RAY_ADDRESS_ENV, "").strip()
    return value or None
