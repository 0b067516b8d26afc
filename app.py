"""The web chat, for `python app.py` (same as `qa serve`) and for tools that look for a
module-level `demo` (e.g. `gradio app.py` reload mode).

Importing this module builds the UI but loads nothing: the model and index load on the first
question, or at start when run as a script (see qa/web/server.py).
"""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from qa.config import Settings
from qa.web.app import build_demo
from qa.web.server import serve

demo = build_demo()

if __name__ == "__main__":
    serve(Settings.from_env())
