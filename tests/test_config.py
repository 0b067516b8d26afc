"""Settings (qa/config.py): environment variables, their parsing, validation with messages
that name the setting, and the README documenting every variable."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from qa.config import (
    DEFAULT_TOP_K,
    ENV_VARS,
    MAX_TOP_K,
    Settings,
    SettingsError,
    check_k,
)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for variable in ENV_VARS.values():
        assert variable in readme, f"{variable} is not documented in README.md"


def test_every_field_has_one_environment_variable() -> None:
    assert set(ENV_VARS) == {f.name for f in fields(Settings)}
    assert len(set(ENV_VARS.values())) == len(ENV_VARS)


def test_from_env_parses_each_type() -> None:
    settings = Settings.from_env(
        {
            "QA_CORPUS_DIR": "reports",
            "QA_TOP_K": " 7 ",
            "QA_NOT_STATED_THRESHOLD": "0.5",
            "QA_USE_FIGURES": "off",
            "QA_ONNX": "No",
            "QA_AUTO_REBUILD": "TRUE",
            "QA_INDEX_TYPE": "hnsw",
            "QA_MODEL": "hash",
        }
    )
    assert settings.corpus_dir == Path("reports") and settings.top_k == 7
    assert settings.not_stated_threshold == 0.5 and settings.index_type == "hnsw"
    assert (settings.use_figures, settings.onnx, settings.auto_rebuild) == (False, False, True)
    assert settings.model == "hash"


def test_blank_variables_keep_the_defaults() -> None:
    assert Settings.from_env({"QA_TOP_K": "  ", "QA_RETRIEVAL": ""}) == Settings()


def test_overrides_win_over_the_environment_and_none_is_no_override() -> None:
    env = {"QA_TOP_K": "7", "QA_INDEX_DIR": "from-env"}
    settings = Settings.from_env(env, top_k=3, index_dir=None, corpus_dir="docs")
    assert settings.top_k == 3
    assert settings.index_dir == Path("from-env")
    assert settings.corpus_dir == Path("docs")  # a string override becomes a Path


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"QA_TOP_K": "five"}, r"QA_TOP_K='five' is not a valid value for top_k"),
        ({"QA_TOP_K": "2.5"}, r"QA_TOP_K='2.5' is not a valid value"),
        ({"QA_USE_FIGURES": "maybe"}, r"QA_USE_FIGURES='maybe' is not a valid value"),
        ({"QA_NOT_STATED_THRESHOLD": "high"}, r"QA_NOT_STATED_THRESHOLD='high'"),
        ({"QA_TOP_K": "11"}, r"top_k \(QA_TOP_K, -k\) must be an integer from 1 to 10"),
        ({"QA_RETRIEVAL": "sparse"}, r"retrieval must be one of .*'sparse'"),
        ({"QA_CHUNKER": "sentence"}, r"chunker must be one of"),
        ({"QA_INDEX_TYPE": "ivf"}, r"index_type must be one of"),
        ({"QA_NOT_STATED_THRESHOLD": "1.5"}, r"not_stated_threshold must be between 0 and 1"),
        ({"QA_MAX_QUESTION_CHARS": "0"}, r"max_question_chars must be positive"),
        ({"QA_TORCH_THREADS": "0"}, r"torch_threads must be at least 1"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_with_changes_a_copy_and_validates_it() -> None:
    base = Settings()
    assert base.with_(top_k=2).top_k == 2 and base.top_k == DEFAULT_TOP_K
    with pytest.raises(SettingsError, match="retrieval must be one of"):
        base.with_(retrieval="none")


@pytest.mark.parametrize("k", [0, MAX_TOP_K + 1, -1, True, 2.0, "3", None])
def test_check_k_refuses_anything_but_an_int_in_range(k: object) -> None:
    with pytest.raises(SettingsError, match=f"k must be an integer from 1 to {MAX_TOP_K}"):
        check_k(k)


def test_check_k_names_the_interface_that_gave_it() -> None:
    assert check_k(MAX_TOP_K) == MAX_TOP_K
    with pytest.raises(SettingsError, match=r"^-k must be an integer from 1 to 10, got 0$"):
        check_k(0, "-k")
