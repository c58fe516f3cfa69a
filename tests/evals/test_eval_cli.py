"""`qiao eval intents --split`: the dev sets for tuning, the test set for reporting, anything else refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cli import eval_app
from evals.intents import TEST_FILE, load_test


@pytest.mark.slow
def test_a_dev_split_is_measured_and_written_under_its_own_name(tmp_path: Path, model_cache: Path) -> None:
    result = CliRunner().invoke(
        eval_app, ["intents", "--split", "dev2", "--out", str(tmp_path), "--cache-dir", str(model_cache)]
    )
    assert result.exit_code == 0, result.output
    assert "second dev set" in result.output
    report = json.loads((tmp_path / "intents_dev2.json").read_text(encoding="utf-8"))
    assert report["n"] == len(load_test(TEST_FILE.with_name("dev2.jsonl")))
    assert not (tmp_path / "intents.json").exists()


def test_an_unknown_split_is_refused_in_both_languages(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_app, ["intents", "--split", "train", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "dev2" in result.output
    assert not any(tmp_path.iterdir())
