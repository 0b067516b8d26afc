"""Tests mirror the modules: every module under qa/ has its own tests/test_<module>.py.

The convention, for a module qa/<packages>/<name>.py:
- its tests are in tests/test_<name>.py, or in a name qualified by the packages around it,
  innermost first: tests/test_<package>_<name>.py (qa/index/schema.py ->
  tests/test_index_schema.py), tests/test_<outer>_<package>_<name>.py, ...;
- a module has exactly one such file, and a file belongs to exactly one module: when two
  modules share a name (qa/a/core.py and qa/b/core.py), tests/test_core.py would be ambiguous,
  so each takes its qualified name (tests/test_a_core.py, tests/test_b_core.py).
`__init__.py` and `__main__.py` are left out: a package's public names are tested through the
modules that define them. Test files named after no module (tests/test_reliability.py,
tests/test_fuzz.py, ...) are suites that cross modules; they are allowed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_MODULES = frozenset({"__init__.py", "__main__.py"})
# Modules allowed to have no test file of their own, each with the reason. Empty: every
# module has one. An entry must name a module that exists and has no test file yet.
WITHOUT_TESTS: dict[str, str] = {}


def candidates(module: str) -> list[str]:
    """The test file names a module may use, plain name first.

    >>> candidates("ingest/loaders/pdf.py")
    ['test_pdf.py', 'test_loaders_pdf.py', 'test_ingest_loaders_pdf.py']
    """
    parts = module.removesuffix(".py").split("/")
    return ["test_" + "_".join(parts[-n:]) + ".py" for n in range(1, len(parts) + 1)]


def files_by_module(package: Path, tests: Path) -> dict[str, list[str]]:
    """Each module of `package` (its path below it) -> its existing test files in `tests`."""
    present = {p.name for p in tests.glob("test_*.py")}
    modules = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.name not in NOT_MODULES
    )
    return {m: [name for name in candidates(m) if name in present] for m in modules}


def problems(package: Path, tests: Path, allowed: Mapping[str, str]) -> list[str]:
    """What breaks the convention: modules without a test file, with two, files two modules
    claim, and allow-list entries that are stale."""
    files = files_by_module(package, tests)
    found = [
        f"{package.name}/{m} has no test file: add tests/{candidates(m)[0]}"
        for m, names in files.items()
        if not names and m not in allowed
    ]
    found += [
        f"{m} has {len(names)} test files: {names}" for m, names in files.items() if len(names) > 1
    ]
    claimed: dict[str, list[str]] = defaultdict(list)
    for module, names in files.items():
        for name in names:
            claimed[name].append(module)
    found += [
        f"{name} would test {modules}: give each its qualified name (test_<package>_<name>.py)"
        for name, modules in claimed.items()
        if len(modules) > 1
    ]
    found += [f"allow-list entry {m} is stale" for m in allowed if files.get(m, ["gone"])]
    return found


def test_every_module_under_qa_has_its_one_test_file() -> None:
    assert problems(ROOT / "qa", ROOT / "tests", WITHOUT_TESTS) == []


def test_the_real_tree_is_read() -> None:
    files = files_by_module(ROOT / "qa", ROOT / "tests")
    assert len(files) > 50 and "__init__.py" not in files
    assert files["index/schema.py"] == ["test_index_schema.py"]  # a qualified name
    assert files["answer/compose.py"] == ["test_compose.py"]


def tree(root: Path, modules: list[str], tests: list[str]) -> tuple[Path, Path]:
    """A package of empty `modules` and a tests folder of empty `tests` under `root`."""
    for name in [f"pkg/{m}" for m in modules] + [f"tests/{t}" for t in tests]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).touch()
    return root / "pkg", root / "tests"


def test_a_module_without_a_test_file_is_named_with_the_file_to_add(tmp_path: Path) -> None:
    package, tests = tree(tmp_path, ["__init__.py", "a/__init__.py", "a/core.py", "b.py"],
                          ["test_b.py"])  # fmt: skip
    assert problems(package, tests, {}) == [
        "pkg/a/core.py has no test file: add tests/test_core.py"
    ]
    assert problems(package, tests, {"a/core.py": "generated code"}) == []


def test_two_modules_of_one_name_need_qualified_test_names(tmp_path: Path) -> None:
    package, tests = tree(tmp_path, ["a/core.py", "b/core.py"], ["test_core.py"])
    assert problems(package, tests, {}) == [
        "test_core.py would test ['a/core.py', 'b/core.py']: give each its qualified name "
        "(test_<package>_<name>.py)"
    ]
    package, tests = tree(tmp_path / "fixed", ["a/core.py", "b/core.py"],
                          ["test_a_core.py", "test_b_core.py"])  # fmt: skip
    assert problems(package, tests, {}) == []


def test_one_module_has_one_test_file_and_the_allow_list_stays_current(tmp_path: Path) -> None:
    package, tests = tree(tmp_path, ["index/schema.py"], ["test_schema.py", "test_index_schema.py"])
    assert problems(package, tests, {}) == [
        "index/schema.py has 2 test files: ['test_schema.py', 'test_index_schema.py']"
    ]
    assert problems(package, tests, {"gone.py": "x"}) == [
        "index/schema.py has 2 test files: ['test_schema.py', 'test_index_schema.py']",
        "allow-list entry gone.py is stale",
    ]
