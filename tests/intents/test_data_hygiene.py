"""The training data shares no utterance with any set it is measured on: our dev and test files, and the test
splits of CLINC150 and xSID in ../shared/benchmarks (their validation splits are for tuning)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.cli import SHARED_BENCHMARKS
from evals.intents import TEST_FILE
from intents.training import KINDS_FILE, TRAIN_FILE, read_examples


def _key(text: str) -> str:
    """Case, width and spacing do not make a different utterance (xSID's Chinese is space-separated)."""
    return "".join(text.casefold().split())


TRAIN = {_key(e.text) for path in (TRAIN_FILE, KINDS_FILE) for e in read_examples(path)}


@pytest.mark.parametrize("name", ["test", "dev", "dev2", "dev3", "dev4", "dev5"])
def test_no_training_line_is_in_a_measured_set(name: str) -> None:
    shared = sorted({e.text for e in read_examples(TEST_FILE.with_name(f"{name}.jsonl")) if _key(e.text) in TRAIN})
    assert not shared, f"in intents/data/train.jsonl or kinds.jsonl and {name}.jsonl: {shared}"


def test_no_training_line_is_a_public_benchmark_test_utterance() -> None:
    clinc = json.loads((SHARED_BENCHMARKS / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    texts = [t for split in ("test", "oos_test") for t, _ in clinc[split]]
    for path in sorted((SHARED_BENCHMARKS / "xsid").glob("*.test.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 6_000  # CLINC150 test + oos_test (5,500) and both xSID test files were read
    shared = sorted({t for t in texts if _key(t) in TRAIN})
    assert not shared, f"benchmark utterances in intents/data/train.jsonl: {shared}"


def test_the_key_ignores_only_case_and_spacing() -> None:
    assert _key("今天 会 下雪 吗") == _key("今天会下雪吗")
    assert _key("Hello There") == _key("hello there")
    assert _key("hello there") != _key("hello, there")
    assert Path(TRAIN_FILE).is_file()
