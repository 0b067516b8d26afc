"""The web chat: a Gradio Blocks UI and its plain handler functions, a thin layer over `QA`.

`chat_turn()` and `api_answer()` are ordinary functions (tested without a browser);
`build_demo()` wires them to components. The only public HTTP endpoint is `/ask`
(question: str, k: int = 5) -> `Answer.to_dict()`; the UI's own events are private.

No `from __future__ import annotations` here: `gr.api` reads the endpoint's type hints at
runtime to publish its schema, and string annotations would hide them.
"""

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

import gradio as gr

from qa import render
from qa.corpus import CorpusError
from qa.embedding import ModelError
from qa.followup import contextualize
from qa.pipeline import QA, QuestionError, default_qa
from qa.store import IndexError_

log = logging.getLogger(__name__)

TITLE = "Release Q&A"
DESCRIPTION = (
    "Ask about the financial press releases in the corpus: every answer cites the passage "
    "and the figure it is read from, or says plainly that the release does not state it."
)
EXAMPLES = (
    "What was the total revenue?",
    "What was the gross profit margin?",
    "How much did Smart Life revenue grow?",
    "What was the net loss?",
    "How much was spent on R&D?",
    "How many employees does SenseTime have?",
)
# Slider range for the number of passages; the API accepts the same range.
MIN_PASSAGES, MAX_PASSAGES = 1, 10
DEFAULT_PASSAGES = 5
# A pasted essay is echoed in the chat only this far (the pipeline refuses it anyway).
ECHO_CHARS = 400
# Errors whose messages say what to do (rephrase, rebuild the index, fix the corpus): shown
# as is. Anything else is a bug: logged with its traceback, shown as a short apology.
KNOWN_ERRORS: tuple[type[Exception], ...] = (QuestionError, IndexError_, CorpusError, ModelError)

APOLOGY = "Sorry, answering that failed on the server; the error is in the server log."

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

Message = dict[str, str]
# A UI event's outputs: chat state, chatbot, asked questions, passages, figures, textbox.
Outputs = tuple[list[Message], list[Message], list[str], Any, Any, str]


class Turn(NamedTuple):
    """What one chat turn updates, in the order of the event's outputs."""

    messages: list[Message]
    asked: list[str]
    passages: Any  # HTML, or gr.skip() to keep the last answer's panel after an error
    figures: Any
    textbox: str


def theme() -> Any:
    """The app's theme: Gradio's Soft with a local font stack."""
    return gr.themes.Soft(
        primary_hue="indigo", neutral_hue="slate", font=FONTS, font_mono=MONO_FONTS
    )


def _message(role: str, content: str) -> Message:
    return {"role": role, "content": content}


def _friendly(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"⚠️ {render.escape_markdown(text[:1].upper() + text[1:])}"


def chat_turn(
    system: QA,
    message: str,
    k: float | None,
    messages: list[Message] | None,
    asked: list[str] | None,
) -> Turn:
    """Answer one chat message: rewrite a follow-up with `contextualize`, ask, and return the
    new chat, the questions asked so far, the passages panel and the figures table.

    Errors never escape: a bad question gets a clear reply, anything else a short apology
    (the traceback goes to the server log)."""
    messages, asked = list(messages or []), list(asked or [])
    text = message if isinstance(message, str) else ""
    echo = text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"
    if text.strip():
        messages.append(_message("user", render.escape_markdown(echo)))
    question = contextualize(text, asked)
    try:
        answer = system.ask(question, _passages(k))
    except KNOWN_ERRORS as error:
        messages.append(_message("assistant", _friendly(error)))
        return Turn(messages, asked, gr.skip(), gr.skip(), text)
    except Exception:  # the UI must stay up whatever the pipeline does
        # Internals (paths, library errors) go to the log, not to whoever is chatting.
        log.exception("answering %r failed", question)
        messages.append(_message("assistant", APOLOGY))
        return Turn(messages, asked, gr.skip(), gr.skip(), text)
    read_as = answer.question if question != " ".join(text.split()) else None
    messages.append(_message("assistant", render.reply_markdown(answer, read_as)))
    return Turn(
        messages,
        [*asked, answer.question],
        render.passages_html(answer),
        render.figures_html(answer),
        "",
    )


def _passages(k: float | None) -> int:
    """The slider's value as a passage count within bounds."""
    if k is None:
        return DEFAULT_PASSAGES
    return max(MIN_PASSAGES, min(MAX_PASSAGES, round(k)))


def api_answer(system: QA, question: str, k: int = DEFAULT_PASSAGES) -> dict[str, Any]:
    """The `/ask` endpoint's work: `Answer.to_dict()`, or a `gr.Error` with a clear message
    (which gradio_client raises as an AppError carrying that message)."""
    # The endpoint skips Gradio's preprocessing, so the JSON values arrive as sent.
    if not isinstance(question, str):
        raise gr.Error(f"question must be a string, not {type(question).__name__}")
    if not isinstance(k, int) or isinstance(k, bool) or not MIN_PASSAGES <= k <= MAX_PASSAGES:
        raise gr.Error(f"k must be an integer from {MIN_PASSAGES} to {MAX_PASSAGES}, got {k!r}")
    try:
        return system.ask(question, k).to_dict()
    except KNOWN_ERRORS as error:
        raise gr.Error(str(error)) from None


def clear_chat() -> Outputs:
    """A new conversation: empty chat, no follow-up context, placeholder panels."""
    return [], [], [], render.passages_html(None), render.figures_html(None), ""


def _header() -> str:
    return (
        f'<div id="app-header"><h1>{render.escape(TITLE)}</h1>'
        f"<p>{render.escape(DESCRIPTION)}</p></div>"
    )


def build_demo(system: QA | None = None, default_k: int = DEFAULT_PASSAGES) -> gr.Blocks:
    """Build the UI. Cheap: nothing loads until the first question (or `serve()` warms up).

    `system` defaults to the process-wide `qa.pipeline.default_qa()` (settings from `QA_*`).
    Theme and CSS are launch() options in Gradio 6: see `theme()`, `CSS` and qa.server."""
    get: Callable[[], QA] = (lambda: system) if system is not None else default_qa

    def respond(message: str, k: float, messages: list[Message], asked: list[str]) -> Outputs:
        turn = chat_turn(get(), message, k, messages, asked)
        return (turn.messages, *turn)

    def ask(question: str, k: int = DEFAULT_PASSAGES) -> dict[str, Any]:
        """Answer a question about the corpus. Returns the answer as JSON: answer, found,
        citation, confidence, figure, figures and the ranked passages."""
        return api_answer(get(), question, k)

    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as demo:
        messages = gr.State([])
        asked = gr.State([])  # questions as asked (after follow-up rewriting), for context
        gr.HTML(_header(), js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=420):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height=340,
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
                examples = gr.Examples(
                    [[q] for q in EXAMPLES],
                    inputs=[textbox],
                    label="Examples",
                    elem_id="examples",
                    examples_per_page=len(EXAMPLES),
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

        inputs = [textbox, slider, messages, asked]
        # The chat is kept in `messages` (plain strings) and shown in `chatbot`; reading the
        # Chatbot back would return Gradio's normalised content blocks instead.
        outputs = [messages, chatbot, asked, passages, figures, textbox]
        private: dict[str, Any] = {"api_visibility": "private", "show_progress": "minimal"}
        textbox.submit(respond, inputs, outputs, api_name="chat_submit", **private)
        button.click(respond, inputs, outputs, api_name="chat_click", **private)
        examples.load_input_event.then(respond, inputs, outputs, api_name="chat_example", **private)
        # The Chatbot's trash icon starts a new conversation: it forgets the follow-up context.
        chatbot.clear(clear_chat, None, outputs, api_name="clear", **private)
        gr.api(ask, api_name="ask")  # type: ignore[attr-defined]
    return demo  # type: ignore[no-any-return]


# Page layout; the look of passages and figures is render.CSS. The panels scroll inside their
# labelled blocks, so the labels stay put.
CSS = (
    render.CSS
    + """
#app-header { padding: 0 2px; }
#app-header h1 { font-size: 1.45rem; font-weight: 700; margin: 0; line-height: 1.2; }
#app-header p { margin: 2px 0 0; color: var(--body-text-color-subdued); font-size: .92rem; }
#passages .html-container, #figures .html-container { margin-top: 30px; padding-top: 0; }
#passages .html-container { max-height: 42vh; overflow-y: auto; padding-right: 4px; }
#figures .html-container { max-height: 26vh; overflow: auto; }
#chat .message-content { font-size: .95rem; }
#examples .gallery-item { padding: 1px 8px; }
#examples .gallery-item * { font-size: .82rem; }
"""
)
