"""The web chat's page: a Gradio Blocks UI wired to the plain handler functions in
qa/web/handlers.py (a thin layer over `QA`).

The only public HTTP endpoint is `/ask` (question: str, k: int = 5, docs: list[str] | None =
None) -> `Answer.to_dict()`; values a client leaves out take these defaults (see `ApiBlocks`).
The UI's own events are private.

Many documents: a selector lists the indexed documents (none chosen = all) and the figures
table names each figure's document. A running server does not watch the corpus; the "Reload
documents" button runs `QA.reindex()`, which embeds only new or changed files, so `qa add` /
`qa remove` from another terminal show up after one click.

No `from __future__ import annotations` here: `gr.api` reads the endpoint's type hints at
runtime to publish its schema, and string annotations would hide them.
"""

from collections.abc import Callable
from typing import Any

import gradio as gr
from gradio.components.api_component import Api

from qa.pipeline import QA, default_qa
from qa.web import render, tableview
from qa.web.api import API_NAME, DEFAULT_PASSAGES, TITLE
from qa.web.examples import EXAMPLE_COUNT
from qa.web.handlers import (
    ALL_DOCUMENTS,
    MAX_PASSAGES,
    MIN_PASSAGES,
    Message,
    api_answer,
    chat_turn,
    clear_chat,
    document_menu,
    example_menu,
    reload_documents,
)

DESCRIPTION = (
    "Ask about the financial press releases in the corpus: every answer cites the passage "
    "and the figure it is read from, or says plainly that the release does not state it."
)

# System fonts only: the theme's default web fonts ship without all weights, and a
# GoogleFont would be fetched from the internet. Generic families come last.
FONTS = (
    "Segoe UI",
    "Roboto",
    "Helvetica Neue",
    "Arial",
    "Liberation Sans",
    "DejaVu Sans",
    "sans-serif",
)
MONO_FONTS = (
    "SFMono-Regular",
    "Menlo",
    "Consolas",
    "Liberation Mono",
    "DejaVu Sans Mono",
    "monospace",
)

# A UI event's outputs: chat state, chatbot, asked questions, passages, figures, source
# table, CSV download, textbox.
Outputs = tuple[list[Message], list[Message], list[str], Any, Any, Any, Any, str]


def theme() -> Any:
    """The app's theme: Gradio's Soft with a local font stack."""
    return gr.themes.Soft(
        primary_hue="indigo", neutral_hue="slate", font=FONTS, font_mono=MONO_FONTS
    )


class ApiBlocks(gr.Blocks):
    """`gr.Blocks` whose `gr.api` endpoints take trailing values as optional.

    Gradio refuses a request with fewer values than the endpoint has parameters with a bare
    error event (and a ValueError traceback in the log), so `{"data": [question]}` would fail
    and adding a parameter would break every old client. Here the missing values are the
    parameters' defaults (each `Api` input holds its default; None for a required one, which
    the handler refuses with a message). UI events, whose inputs are components, are left as
    Gradio checks them."""

    def validate_inputs(self, block_fn: Any, inputs: list[Any]) -> None:
        expected = block_fn.inputs
        if expected and all(isinstance(block, Api) for block in expected):
            inputs.extend(block.value for block in expected[len(inputs) :])
        super().validate_inputs(block_fn, inputs)


def _header() -> str:
    return (
        f'<div id="app-header"><h1>{render.escape(TITLE)}</h1>'
        f"<p>{render.escape(DESCRIPTION)}</p></div>"
    )


def build_demo(system: QA | None = None, default_k: int = DEFAULT_PASSAGES) -> gr.Blocks:
    """Build the UI. Cheap: nothing loads until the first question (or `serve()` warms up).

    `system` defaults to the process-wide `qa.pipeline.default_qa()` (settings from `QA_*`).
    Theme and CSS are launch() options in Gradio 6: see `theme()`, `CSS` and qa.web.server."""
    get: Callable[[], QA] = (lambda: system) if system is not None else default_qa

    def respond(
        message: str, k: float, docs: list[str], messages: list[Message], asked: list[str]
    ) -> Outputs:
        turn = chat_turn(get(), message, k, messages, asked, docs)
        return (turn.messages, *turn)

    def ask(
        question: str, k: int = DEFAULT_PASSAGES, docs: list[str] | None = None
    ) -> dict[str, Any]:
        """Answer a question about the corpus, optionally within some documents (ids, file
        names or titles; none = all). Returns the answer as JSON: answer, found, citation,
        confidence, figure, figures and the ranked passages."""
        return api_answer(get(), question, k, docs)

    def list_documents(chosen: list[str]) -> Any:
        return document_menu(get(), chosen)

    def reload(chosen: list[str]) -> Any:
        return reload_documents(get(), chosen)

    def list_examples() -> Any:
        return example_menu(get())

    with ApiBlocks(title=TITLE, analytics_enabled=False, fill_width=True) as demo:
        messages = gr.State([])
        asked = gr.State([])  # questions as asked (after follow-up rewriting), for context
        with gr.Row(equal_height=False, elem_id="top"):
            with gr.Column(scale=3, min_width=420):
                gr.HTML(_header(), js_on_load=None)
            with gr.Column(scale=2, min_width=300):
                # Filled in when the page loads (the index is not loaded at build time).
                documents = gr.Dropdown(
                    [],
                    value=[],
                    multiselect=True,
                    label="Documents",
                    info=ALL_DOCUMENTS,
                    elem_id="documents",
                )
            refresh = gr.Button(
                "Reload documents", size="sm", scale=0, min_width=140, elem_id="reload"
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=420):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height=290,
                    placeholder="Ask a question, or pick an example below.",
                    buttons=["copy"],
                    feedback_options=None,
                    latex_delimiters=[],  # "$" in a release is money, not maths
                    allow_tags=False,
                    group_consecutive_messages=False,
                )
                with gr.Row(equal_height=True):
                    textbox = gr.Textbox(
                        elem_id="question",
                        show_label=False,
                        placeholder="e.g. What was the total revenue?  Then: And the net loss?",
                        scale=6,
                        autofocus=True,
                        max_lines=3,
                    )
                    button = gr.Button(
                        "Ask", variant="primary", scale=1, min_width=80, elem_id="ask"
                    )
                # Read from the corpus when the page loads (qa/web/examples.py); hidden until
                # then. The blank sample makes the textbox the examples' input column (with
                # none, Gradio gives the examples no column to fill).
                examples = gr.Examples(
                    [[""]],
                    inputs=[textbox],
                    label="Examples",
                    elem_id="examples",
                    examples_per_page=EXAMPLE_COUNT + 1,
                    visible=False,
                    api_name="load_example",
                    api_visibility="private",
                )
                slider = gr.Slider(
                    MIN_PASSAGES,
                    MAX_PASSAGES,
                    value=default_k,
                    step=1,
                    label="Passages to retrieve",
                    elem_id="k",
                )
            with gr.Column(scale=6, min_width=420):
                # The table an answer was read from, its cell highlighted (hidden otherwise).
                table = gr.HTML(
                    "",
                    label="Source table",
                    show_label=True,
                    container=True,
                    visible=False,
                    elem_id="source-table",
                    js_on_load=None,
                )
                passages = gr.HTML(
                    render.passages_html(None),
                    label="Passages · latest question",
                    show_label=True,
                    container=True,
                    elem_id="passages",
                    js_on_load=None,
                )
                figures = gr.HTML(
                    render.figures_html(None),
                    label="Figures · answer first",
                    show_label=True,
                    container=True,
                    elem_id="figures",
                    js_on_load=None,
                )
                download = gr.DownloadButton(
                    "Download figures (CSV)",
                    value=None,
                    visible=False,
                    size="sm",
                    elem_id="download-figures",
                )

        inputs = [textbox, slider, documents, messages, asked]
        # The chat is kept in `messages` (plain strings) and shown in `chatbot`; reading the
        # Chatbot back would return Gradio's normalised content blocks instead.
        outputs = [messages, chatbot, asked, passages, figures, table, download, textbox]
        private: dict[str, Any] = {"api_visibility": "private", "show_progress": "minimal"}
        textbox.submit(respond, inputs, outputs, api_name="chat_submit", **private)
        button.click(respond, inputs, outputs, api_name="chat_click", **private)
        examples.load_input_event.then(respond, inputs, outputs, api_name="chat_example", **private)
        # The Chatbot's trash icon starts a new conversation: it forgets the follow-up context.
        chatbot.clear(clear_chat, None, outputs, api_name="clear", **private)
        demo.load(list_documents, documents, documents, api_name="documents", **private)
        demo.load(list_examples, None, examples.dataset, api_name="examples", **private)
        # One reload at a time; a second click meanwhile waits for the first.
        refresh.click(
            reload, documents, documents, api_name="reload", concurrency_limit=1, **private
        ).then(list_examples, None, examples.dataset, api_name="reload_examples", **private)
        gr.api(ask, api_name=API_NAME)  # type: ignore[attr-defined]
    return demo  # type: ignore[no-any-return]


# Page layout; the look of passages and figures is render.CSS. The panels scroll inside their
# labelled blocks, so the labels stay put.
CSS = (
    render.CSS
    + tableview.CSS
    + """
#app-header { padding: 0 2px; }
#top { align-items: center; }
#reload { align-self: center; }
#app-header h1 { font-size: 1.45rem; font-weight: 700; margin: 0; line-height: 1.2; }
#app-header p { margin: 2px 0 0; color: var(--body-text-color-subdued); font-size: .92rem; }
#passages .html-container, #figures .html-container { margin-top: 30px; padding-top: 0; }
#passages .html-container { max-height: 42vh; overflow-y: auto; padding-right: 4px; }
#figures .html-container { max-height: 26vh; overflow: auto; }
#source-table .html-container { margin-top: 30px; max-height: 46vh; overflow: auto; }
#chat .message-content { font-size: .95rem; }
#examples .gallery-item { padding: 1px 8px; }
#examples .gallery-item * { font-size: .82rem; }
"""
)
