"""`qa eval FILE.json` on a TAT-QA file (qa/eval/tatqa_cli.py, reached through `qa eval`):
argument checks, the work folder, predictions and thresholds — once with the fake embedder end
to end, else with a stand-in system so no index is built."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

import qa.eval.evaluate as ev
from qa.config import Settings
from qa.eval.tatqa import load_tatqa
from qa.eval.tatqa_metric import score_prediction
from qa.types import Answer

from .eval_helpers import SAMPLE, TableAsker


@pytest.mark.slow
def test_qa_eval_on_a_tatqa_file_indexes_asks_and_writes_predictions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_MODEL", "hash")
    out = tmp_path / "pred.json"
    args = [str(SAMPLE), "--work", str(tmp_path / "work"), "--json", "--predictions", str(out)]
    assert ev.main([*args, "--min", "em=0.0", "--max", "not_stated=1.0"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["questions"] == 12
    assert set(payload["breakdown"]) == {"span", "multi-span", "arithmetic", "count", "all"}
    assert "(2 written)" in captured.err
    # The official script's view of the predictions file gives the same EM as the report.
    written = json.loads(out.read_text(encoding="utf-8"))
    gold = [q for c in load_tatqa(SAMPLE) for q in c.questions]
    rescored = [
        score_prediction(*written[q.uid], q.answer, q.answer_type, q.scale).exact_match
        for q in gold
    ]
    assert sum(rescored) / len(gold) == pytest.approx(payload["metrics"]["em"])
    # A second run on the unchanged file writes nothing and reuses the index.
    assert ev.main(args) == 0
    assert "(0 written)" in capsys.readouterr().err


def test_qa_eval_refuses_bad_tatqa_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.main([str(SAMPLE), "--limit", "0"]) == 2
    assert "--limit must be at least 1" in capsys.readouterr().err
    assert ev.main([str(SAMPLE), "--min", "hit@1=0.9"]) == 2
    assert "unknown metric 'hit@1'" in capsys.readouterr().err
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "q": "Q?", "evidence": ["x"]}\n', encoding="utf-8")
    assert ev.main([str(gold), "--limit", "3"]) == 2
    assert "apply to TAT-QA files" in capsys.readouterr().err


class StandInQA(TableAsker):
    """Stands in for qa.pipeline.QA in `qa eval`: answers the sample's total-sales question."""

    built: ClassVar[list[StandInQA]] = []

    def __init__(self, settings: Settings, embedder: object = None) -> None:
        total = load_tatqa(SAMPLE)[0].questions[1].question
        super().__init__({total: Answer("", "", True, value=1.4965e9, unit="USD", scale="million")})
        self.settings = settings
        StandInQA.built.append(self)

    def warm_up(self) -> StandInQA:
        return self


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[StandInQA]:
    monkeypatch.setitem(sys.modules, "qa.pipeline", SimpleNamespace(QA=StandInQA))
    monkeypatch.setattr(StandInQA, "built", [])
    return StandInQA.built


def test_a_slice_is_written_to_its_own_work_folder_and_asked_there(
    stand_in: list[StandInQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(SAMPLE), "--work", str(tmp_path), "--limit", "1", "--json"]
    assert ev.main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    (system,) = stand_in
    work = Path(payload["work"])
    assert work.parent == tmp_path and system.settings.index_dir == work / "index"
    assert [p.suffix for p in (work / "corpus").iterdir()] == [".html"]
    assert payload["questions"] == 6 and payload["source"].endswith("(contexts first1)")
    assert payload["metrics"]["em"] == pytest.approx(1 / 6)


def test_a_missed_minimum_exits_1_naming_the_metric(
    stand_in: list[StandInQA], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(SAMPLE), "--work", str(tmp_path), "--min", "em=0.5", "--min", "em:span:all=0"]
    assert ev.main([*argv, "--max", "not_stated=1.0"]) == 1
    err = capsys.readouterr().err
    assert "qa eval: em = 0.08333 is below the minimum 0.5" in err
    assert "not_stated" not in err.split("index ready")[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offset", "-1"], "--offset must be at least 0, got -1"),
        (["-k", "0"], "-k must be at least 1, got 0"),
        (["--min", "em:span=0.5"], "unknown metric 'em:span'"),
        (["--offset", "5"], "no contexts"),
    ],
)
def test_bad_tatqa_arguments_exit_2_before_anything_is_built(
    stand_in: list[StandInQA], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert ev.main([str(SAMPLE), *args]) == 2
    assert message in capsys.readouterr().err
    assert stand_in == []
