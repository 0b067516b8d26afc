"""The root app.py (`python app.py`): importing it builds the demo without launching it or
loading the model or index. The web package's modules have their own tests: tests/test_app.py,
test_handlers.py, test_server.py, test_render.py, test_tableview.py, test_export.py,
test_followup.py."""

from __future__ import annotations

import importlib

import gradio as gr

from qa import pipeline


def test_importing_app_builds_the_demo_without_launching_or_loading() -> None:
    app = importlib.import_module("app")
    assert isinstance(app.demo, gr.Blocks)
    assert not app.demo.is_running
    assert pipeline._default is None  # no model or index loaded by the import
