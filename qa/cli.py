"""`qa`: a thin command-line layer over the package.

    qa index [--force]              build or refresh the index (only what changed)
    qa ask "QUESTION" [-k N] [--json] [--doc DOC ...]
    qa add PATH...                  copy releases into the corpus and index them
    qa remove DOC...                remove documents (by id, file name or title)
    qa list [--json]                the indexed documents
    qa serve [--host H] [--port P]  the web chat and POST /ask (JSON)
    qa eval [GOLD] ...              score the system on a gold question set

Imports stay inside the commands so `qa --help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.index.io import Index

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


def _ray_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--ray",
        metavar="ADDRESS",
        help=f"{what} (QA_RAY_ADDRESS; HOST:6379, ray://HOST:10001, auto, or local); "
        "needs pip install 'release-qa[ray]'",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="qa", description="Ask questions about financial press releases, offline."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or refresh the index of corpus/")
    _common(index)
    index.add_argument("--force", action="store_true", help="rebuild even if the index is fresh")
    _ray_flag(index, "embed on the Ray cluster at ADDRESS")
    index.add_argument("--actors", type=int, metavar="N", help="Ray actors (default: one per CPU)")

    ask = commands.add_parser("ask", help="answer one question")
    _common(ask)
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("-k", type=int, metavar="N", help="passages to return (QA_TOP_K; default 5)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument(
        "--doc", action="append", metavar="DOC", help="only this document (repeatable; see qa list)"
    )

    add = commands.add_parser("add", help="copy documents into the corpus and index them")
    _common(add)
    add.add_argument("paths", nargs="+", metavar="PATH", help=".txt .md .html .htm .pdf files")
    add.add_argument("--no-index", action="store_true", help="copy only; index later")

    remove = commands.add_parser("remove", help="remove documents from the corpus and index")
    _common(remove)
    remove.add_argument("docs", nargs="+", metavar="DOC", help="id, file name or title")
    remove.add_argument("--no-index", action="store_true", help="delete only; index later")

    listing = commands.add_parser("list", help="list the indexed documents")
    _common(listing)
    listing.add_argument("--json", action="store_true", help="print the list as JSON")

    serve = commands.add_parser("serve", help="start the web chat and its JSON API (POST /ask)")
    _common(serve)
    serve.add_argument("--host", help="bind address (QA_HOST; default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (QA_PORT; default 7860)")
    _ray_flag(serve, "serve /ask on Ray Serve replicas on the cluster at ADDRESS")
    serve.add_argument("--replicas", type=int, default=2, metavar="N", help="Serve replicas (2)")

    commands.add_parser(
        "eval", help="score the system on a gold set (see `qa eval --help`)", add_help=False
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "eval":
        from qa.eval.evaluate import main as evaluate_main

        return evaluate_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from qa.config import SettingsError
    from qa.distributed.cluster import RayUnavailable  # stdlib only; Ray loads on use
    from qa.index.embedding import ModelError
    from qa.index.store import IndexError_
    from qa.ingest.corpus import CorpusError
    from qa.pipeline import QuestionError

    try:
        return int(COMMANDS[args.command](args))
    except (
        IndexError_,
        RayUnavailable,
        CorpusError,
        ModelError,
        SettingsError,
        QuestionError,
        ValueError,
        OSError,  # a full disk or a permission problem: a message, not a traceback
    ) as error:
        print(f"qa: error: {error}", file=sys.stderr)
        return EXIT_ERROR if not isinstance(error, (SettingsError, QuestionError)) else EXIT_USAGE


def _cmd_index(args: argparse.Namespace) -> int:
    from qa.distributed import ray_address
    from qa.pipeline import QA

    address = ray_address(args.ray)
    if address:  # imports Ray only here
        from qa.distributed.ray_index import build_on_ray

        result = build_on_ray(_settings(args), address, force=args.force, actors=args.actors)
        _report(result.index)
        if result.built:
            print(f"embedded on Ray: rows per node {result.rows_per_node()}")
        return EXIT_OK
    system = QA(_settings(args))
    _report(system.reindex(force=args.force))
    return EXIT_OK


def _report(built: Index) -> None:
    """The summary line of an index run, and the files it skipped."""
    counts = built.manifest.counts
    stats = built.stats
    if "build_seconds" in stats:
        changes = ", ".join(
            f"{int(stats.get(key, 0))} {key}" for key in ("new", "changed", "removed", "unchanged")
        )
        print(
            f"index built: {counts.documents} documents ({changes}), "
            f"{counts.chunks} chunks ({int(stats.get('embedded', 0))} embedded), "
            f"{counts.figures} figures in {stats['build_seconds']:.1f} s -> {built.folder}"
        )
    else:
        print(
            f"index up to date: {counts.documents} documents, {counts.chunks} "
            f"chunks, {counts.figures} figures in {built.folder}"
        )
    for skipped in built.manifest.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)


def _stored_index(settings: Any) -> Any:
    """The current build even if stale (None when there is none): what the corpus holds."""
    from qa.index import core as index_module
    from qa.index.store import IndexError_

    try:
        return index_module.load(settings.index_dir)
    except IndexError_:
        return None


def _cmd_add(args: argparse.Namespace) -> int:
    from pathlib import Path

    from qa.ingest.library import add_files
    from qa.pipeline import QA

    settings = _settings(args)
    stored = _stored_index(settings)
    known = {d.id: d.path for d in stored.documents.values()} if stored else {}
    for added in add_files([Path(p) for p in args.paths], settings.corpus_dir, known):
        if added.target is None:
            print(f"skipped {added.source}: {added.note}")
        else:
            print(f"added {added.source} -> {added.target}")
    if not args.no_index:
        _report(QA(settings).reindex())
    return EXIT_OK


def _cmd_remove(args: argparse.Namespace) -> int:
    from qa.ingest.library import remove_files
    from qa.pipeline import QA, find_documents

    settings = _settings(args)
    stored = _stored_index(settings) or QA(settings).index
    paths: list[str] = []
    for name in args.docs:
        found = find_documents(stored, name)
        if not found:
            raise ValueError(f"no document {name!r} in the index; see `qa list`")
        if len(found) > 1:
            names = ", ".join(sorted(stored.documents[i].path for i in found))
            raise ValueError(f"{name!r} names several documents ({names}); use an id or path")
        paths.extend(stored.documents[i].path for i in found)
    for path in remove_files(paths, settings.corpus_dir):
        print(f"removed {path}")
    if not args.no_index:
        _report(QA(settings).reindex())
    return EXIT_OK


def _cmd_ask(args: argparse.Namespace) -> int:
    from qa.pipeline import QA

    answer = QA(_settings(args)).ask(args.question, args.k, docs=args.doc)
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
    from qa.ingest.corpus import skipped_in
    from qa.pipeline import QA

    settings = _settings(args)
    index = QA(settings).index
    skipped = skipped_in(index.manifest.skipped, settings.corpus_dir)
    chunks: dict[str, int] = {}
    for chunk in index.chunks:
        chunks[chunk.doc_id] = chunks.get(chunk.doc_id, 0) + 1
    rows = [
        {
            "id": d.id,
            "path": d.path,
            "title": d.title,
            "company": d.meta("company"),
            "period": d.meta("period"),
            "format": d.meta("format"),
            "pages": len(d.page_starts),
            "tables": len(d.tables),
            "chunks": chunks.get(d.id, 0),
        }
        for d in sorted(index.documents.values(), key=lambda d: d.path)
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        for item in skipped:  # the JSON on stdout stays a list of documents
            print(f"skipped {item.path}: {item.reason}", file=sys.stderr)
        return EXIT_OK
    columns = ("id", "path", "title", "company", "period", "chunks")
    table = [[str(row[c]) or "-" for c in columns] for row in rows]
    widths = [min(48, max(len(c), *(len(r[i]) for r in table))) for i, c in enumerate(columns)]
    print("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for cells in table:
        print("  ".join(_fit(x, w) for x, w in zip(cells, widths, strict=True)).rstrip())
    if skipped:
        print(f"\nSKIPPED ({len(skipped)} file{'s' * (len(skipped) != 1)} not indexed)")
        for item in skipped:
            print(f"  {item.path}: {item.reason}")
    return EXIT_OK


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def _cmd_serve(args: argparse.Namespace) -> int:
    from qa.distributed import ray_address
    from qa.web.server import serve

    settings = _settings(args)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    address = ray_address(args.ray)
    if address:
        from qa.distributed.ray_serve import serve_on_ray

        serve_on_ray(settings.with_(**overrides), address, replicas=args.replicas)
        return EXIT_OK
    serve(settings.with_(**overrides))
    return EXIT_OK


COMMANDS = {
    "index": _cmd_index,
    "ask": _cmd_ask,
    "add": _cmd_add,
    "remove": _cmd_remove,
    "list": _cmd_list,
    "serve": _cmd_serve,
}


if __name__ == "__main__":
    raise SystemExit(main())
