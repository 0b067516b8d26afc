"""The web chat (Gradio): `app` lays out the page, `handlers` are its events as plain
functions over a `QA`, `render`, `tableview` and `export` show an answer as HTML, Markdown and
CSV, `followup` carries a conversation's context, and `server` launches it all.
"""
