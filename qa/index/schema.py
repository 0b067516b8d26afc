"""The shapes of the index files, checked on load: a value of the wrong type anywhere makes
the build corrupt (rebuilt, or refused with what to run), never a traceback further on.

A shape is a Python type (int excludes bool; float accepts int), a tuple of shapes (any of
them), `Keys` (an object with these keys, more allowed), `MapOf` or `ListOf`. Keys that later
releases add are allowed, so an index stays readable by the checks of the release that wrote
it.

>>> problems({"dim": "384"}, Keys({"name": str, "dim": int}), "model")
['model.name is missing', "model.dim is '384', expected int"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NONE = type(None)


@dataclass(frozen=True)
class Keys:
    """A JSON object with these required keys (and `optional` ones checked when present)."""

    required: Mapping[str, Any]
    optional: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class MapOf:
    """A JSON object of string keys to values of one shape."""

    value: Any


@dataclass(frozen=True)
class ListOf:
    """A JSON array of values of one shape."""

    item: Any


COUNT = int
NUMBER = (int, float)
FIGURE = Keys(
    {"text": str, "value": NUMBER, "unit": str, "kind": str, "start": COUNT, "end": COUNT},
    {
        "qualifier": (str, NONE), "role": str, "direction": (str, NONE), "period": (str, NONE),
        "metric": (str, NONE), "scale": (str, NONE), "doc_id": str, "high": (*NUMBER, NONE),
    },
)  # fmt: skip
CHUNK = Keys(
    {"doc_id": str, "section": str, "text": str, "start": COUNT, "end": COUNT, "kind": str},
    {"figures": ListOf(FIGURE)},
)
DOCUMENT = Keys(
    {"id": str, "path": str, "title": str, "text": str},
    {"page_starts": ListOf(COUNT), "metadata": MapOf(str)},
)
# Stage versions and later additions are optional: a manifest written before a stage had a
# version is stale for that stage (qa/index/manifest.py), not corrupt.
MANIFEST = Keys(
    {
        "format_version": COUNT,
        "model": Keys({"name": str, "dim": COUNT}),
        "chunker": Keys({"name": str}),
        "corpus_files": MapOf(str),
        "documents": ListOf(Keys({"id": str, "path": str})),
        "counts": Keys({"documents": COUNT, "chunks": COUNT, "figures": COUNT}),
    },
    {
        "tokenizer_version": COUNT,
        "figures_version": COUNT,
        "docfigures_version": COUNT,
        "loader_version": COUNT,
        "index_type": str,
        "skipped": ListOf(Keys({"path": str, "reason": str})),
        "created": str,
        "update": MapOf(NUMBER),
    },
)
# bm25s's params.index.json and vocab.index.json.
BM25_PARAMS = Keys(
    {"k1": NUMBER, "b": NUMBER, "delta": NUMBER, "method": str, "idf_method": str,
     "dtype": str, "int_dtype": str, "num_docs": COUNT},
)  # fmt: skip
BM25_VOCAB = MapOf(COUNT)
# Problems listed per file before giving up (the first one is enough to rebuild).
MAX_PROBLEMS = 3


def problems(value: Any, shape: Any, where: str) -> list[str]:
    """What is wrong with `value` against `shape` (empty when it fits), naming where."""
    found: list[str] = []
    _check(value, shape, where, found)
    return found[:MAX_PROBLEMS]


def _check(value: Any, shape: Any, where: str, found: list[str]) -> None:
    if len(found) >= MAX_PROBLEMS:
        return
    if isinstance(shape, Keys):
        if not isinstance(value, dict):
            found.append(f"{where} is {_show(value)}, expected an object")
            return
        for key, inner in shape.required.items():
            if key not in value:
                found.append(f"{where}.{key} is missing")
            else:
                _check(value[key], inner, f"{where}.{key}", found)
        for key, inner in (shape.optional or {}).items():
            if key in value:
                _check(value[key], inner, f"{where}.{key}", found)
    elif isinstance(shape, MapOf):
        if not isinstance(value, dict):
            found.append(f"{where} is {_show(value)}, expected an object")
            return
        for key, inner in value.items():
            _check(inner, shape.value, f"{where}[{key!r:.40}]", found)
    elif isinstance(shape, ListOf):
        if not isinstance(value, list):
            found.append(f"{where} is {_show(value)}, expected a list")
            return
        for number, inner in enumerate(value):
            _check(inner, shape.item, f"{where}[{number}]", found)
    elif not _fits(value, shape):
        found.append(f"{where} is {_show(value)}, expected {_name(shape)}")


def _fits(value: Any, shape: Any) -> bool:
    options = shape if isinstance(shape, tuple) else (shape,)
    if isinstance(value, bool):
        return bool in options
    return isinstance(value, options)


def _name(shape: Any) -> str:
    options = shape if isinstance(shape, tuple) else (shape,)
    return " or ".join(dict.fromkeys("null" if o is NONE else o.__name__ for o in options))


def _show(value: Any) -> str:
    return "null" if value is None else f"{value!r:.40}"
