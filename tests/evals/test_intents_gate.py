"""The quality gate: the held-out test set must meet the thresholds kept in evals/thresholds.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import intents as intent_eval
from intents.ner_en import SpacyPeople
from intents.parser import Parser
from intents.training import load_or_train
from retrieval.embedder import UseEmbedder

THRESHOLDS = json.loads((Path(intent_eval.__file__).with_name("thresholds.json")).read_text())["intents"]


@pytest.mark.slow
def test_held_out_intents_meet_the_thresholds(model_cache: Path) -> None:
    intents, kinds = load_or_train(UseEmbedder(), model_cache)
    report = intent_eval.evaluate(Parser(intents, kinds, SpacyPeople()), intent_eval.load_test())
    figures = {
        "accuracy_zh": report.accuracy_by_language["zh"],
        "accuracy_en": report.accuracy_by_language["en"],
        "slot_exact_match": report.slot_exact_match,
        "oos_recall": report.oos.recall,
    }
    failing = {k: (v, THRESHOLDS[k]) for k, v in figures.items() if v < THRESHOLDS[k]}
    assert not failing, f"below threshold (measured, required): {failing}"
