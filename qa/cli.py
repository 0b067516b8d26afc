"""`qa`: a thin command-line layer over the package.

    qa index [--force]              build or refresh the index
    qa ask "QUESTION" [-k N] [--json]
    qa list                         the indexed documents
    qa serve [--host H] [--port P]  the web chat
    qa eval [GOLD] ...              score the system on a gold question set

Imports stay inside the commands so `qa --help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Any:
    from qa.config import Settings

    overrides: dict[str, Any] = {
        "corpus_dir": getattr(args, "corpus", None),
        "index_dir": getattr(args, "index", None),
        "model": getattr(args, "model", None),
        "top_k": getattr(args, "k", None),
    }
    if getattr(args, "no_rebuild", False):
        overrides["auto_rebuild"] = False
    return Settings.from_env(**overrides)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", metavar="DIR", help="corpus folder (QA_CORPUS_DIR; default corpus/)"
    )
    parser.add_argument(
        "--index", metavar="DIR", help="index folder (QA_INDEX_DIR; default index/)"
    )
    parser.add_argument("--model", metavar="DIR", help="embedding model folder (QA_MODEL)")
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="fail with a message instead of rebuilding a stale or missing index",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask questions about financial press releases, offline."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or refresh the index of corpus/")
    _common(index)
    index.add_argument("--force", action="store_true", help="rebuild even if the index is fresh")

    ask = commands.add_parser("ask", help="answer one question")
    _common(ask)
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("-k", type=int, metavar="N", help="passages to return (QA_TOP_K; default 5)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    listing = commands.add_parser("list", help="list the indexed documents")
    _common(listing)

    serve = commands.add_parser("serve", help="start the web chat")
    _common(serve)
    serve.add_argument("--host", help="bind address (QA_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (QA_PORT; default 7860)")

    commands.add_parser(
        "eval", help="score the system on a gold set (see `qa eval --help`)", add_help=False
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "eval":
        from qa.evaluate import main as evaluate_main

        return evaluate_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from qa.config import SettingsError
    from qa.corpus import CorpusError
    from qa.embedding import ModelError
    from qa.pipeline import QuestionError
    from qa.store import IndexError_

    try:
        return int(COMMANDS[args.command](args))
    except (
        IndexError_,
        CorpusError,
        ModelError,
        SettingsError,
        QuestionError,
        ValueError,
    ) as error:
        print(f"qa: error: {error}", file=sys.stderr)
        return EXIT_ERROR if not isinstance(error, (SettingsError, QuestionError)) else EXIT_USAGE


def _cmd_index(args: argparse.Namespace) -> int:
    import time

    from qa.pipeline import QA

    started = time.perf_counter()
    system = QA(_settings(args))
    built = system.reindex(force=args.force)
    counts = built.manifest.get("counts", {})
    fresh = "built" if "build_seconds" in built.stats else "up to date"
    print(
        f"index {fresh}: {counts.get('documents')} documents, {counts.get('chunks')} chunks, "
        f"{counts.get('figures')} figures in {built.folder} ({time.perf_counter() - started:.1f} s)"
    )
    for skipped in built.manifest.get("skipped", []):
        print(f"skipped {skipped['path']}: {skipped['reason']}", file=sys.stderr)
    return EXIT_OK


def _cmd_ask(args: argparse.Namespace) -> int:
    from qa.pipeline import QA

    answer = QA(_settings(args)).ask(args.question, args.k)
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(answer.answer)
    if answer.citation:
        print(f"  source: {answer.citation}")
    print()
    for number, passage in enumerate(answer.passages, start=1):
        print(f"[{number}] score {passage.score:.2f} · {passage.doc} · {passage.section}")
        print(f"    {passage.text}")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from qa.pipeline import QA

    index = QA(_settings(args)).index
    for document in index.manifest.get("documents", []):
        print(f"{document['id']}  {document['path']}  {document['title']}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from qa.server import serve

    settings = _settings(args)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    serve(settings.with_(**overrides))
    return EXIT_OK


COMMANDS = {"index": _cmd_index, "ask": _cmd_ask, "list": _cmd_list, "serve": _cmd_serve}


if __name__ == "__main__":
    raise SystemExit(main())
