"""No import cycles between qa's modules: a stage imports only the stages before it.

Every import counts, wherever it is written: at module level, inside a function (a lazy
import is still a dependency, it only runs later) and under `if TYPE_CHECKING:` (a type the
module needs is a dependency too). Importing a submodule also runs its package's
`__init__`, but that edge is left out: `qa/__init__.py` names the public API and so refers
to modules below it by design, lazily.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

QA = Path(__file__).resolve().parent.parent / "qa"


def module_name(path: Path) -> str:
    """`qa/ingest/loaders/pdf.py` -> "qa.ingest.loaders.pdf"; a package's `__init__.py` -> the
    package."""
    parts = list(path.relative_to(QA.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(QA.rglob("*.py"))}


def _absolute(node: ast.ImportFrom, importer: str) -> str:
    """The absolute module of a `from X import ...`, relative imports resolved."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[importer].name == "__init__.py"
    base = importer.split(".")[: len(importer.split(".")) - node.level + is_package]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(name: str) -> Iterator[str]:
    """The qa modules that module `name` imports, at any depth of its code."""
    for node in ast.walk(ast.parse(MODULES[name].read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, name)
            # `from qa.index import store` imports the module qa.index.store; `from qa import ask` a
            # name.
            targets = [
                f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name and not name.startswith(f"{target}."):
                yield target


GRAPH = {name: sorted(set(imported_modules(name))) for name in MODULES if name != "qa"}


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None (depth-first).

    >>> find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c', 'a']
    >>> find_cycle({"a": ["b"], "b": []}) is None
    True
    """
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for nxt in graph.get(node, []):
            if cycle := visit(nxt):
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return None


def test_find_cycle_reports_the_cycle_it_finds() -> None:
    assert find_cycle({"x": ["y"], "y": ["z", "x"], "z": []}) == ["x", "y", "x"]
    assert find_cycle({"x": ["y"], "y": ["z"], "z": []}) is None


def test_the_walk_sees_module_function_and_type_checking_imports() -> None:
    # Known edges of each sort, so a walk that silently saw nothing would fail here.
    assert "qa.index.io" in GRAPH["qa.index.core"]  # module level
    assert "qa.pipeline" in GRAPH["qa.cli"]  # inside a function
    assert any("qa.index.io" in GRAPH[m] for m in GRAPH if m.endswith("reuse"))  # TYPE_CHECKING


def test_qa_has_no_import_cycles() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
