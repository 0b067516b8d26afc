"""The web chat, for `python app.py` (same as `qa serve`) and for tools that look for a
module-level `demo` (e.g. `gradio app.py` reload mode).

`demo` is built on first use (a module `__getattr__`), so `python app.py` answers `POST /ask`
before Gradio has even been imported (see qa/web/server.py). Building the UI loads nothing:
the model and index load on the first question, or at start when run as a script.
"""

import os
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from qa.config import Settings
from qa.web.server import serve


def __getattr__(name: str) -> Any:
    if name != "demo":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from qa.web.app import build_demo

    globals()["demo"] = built = build_demo()
    return built


if __name__ == "__main__":
    serve(Settings.from_env())
