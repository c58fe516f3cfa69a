"""The trained classifiers: cached and reloaded identically, calibrated, and rejecting by threshold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from intents.classifier import IntentClassifier, KindClassifier
from intents.training import TRAIN_FILE, load_or_train, read_examples
from intents.types import Intent
from retrieval.embedder import UseEmbedder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models(model_cache: Path) -> tuple[IntentClassifier, KindClassifier]:
    return load_or_train(UseEmbedder(), model_cache)


def test_cache_reload_gives_the_same_probabilities(
    models: tuple[IntentClassifier, KindClassifier], model_cache: Path
) -> None:
    intents, kinds = models
    again, kinds_again = load_or_train(UseEmbedder(), model_cache)
    texts = ["凤凰项目现在进度怎么样了", "book me a flight", "app老是闪退", "thanks!"]
    assert np.allclose(intents.probabilities(texts), again.probabilities(texts))
    assert [kinds.kind(t) for t in texts] == [kinds_again.kind(t) for t in texts]
    assert again.threshold == intents.threshold > 0


def test_probabilities_are_distributions(models: tuple[IntentClassifier, KindClassifier]) -> None:
    probs = models[0].probabilities(["帮我建个任务", "how do I add a swimlane", "今天天气怎么样"])
    assert probs.shape == (3, len(Intent)) and np.allclose(probs.sum(axis=1), 1.0)


def test_training_is_calibrated_out_of_fold(model_cache: Path) -> None:
    examples = read_examples(TRAIN_FILE)
    model = IntentClassifier(UseEmbedder())
    report = model.fit_intents([e.text for e in examples], [e.intent for e in examples])
    assert report.oof_accuracy > 0.9
    confidence = model.oof_probs.max(axis=1)
    correct = model.oof_probs.argmax(axis=1) == np.array([model.labels.index(e.intent) for e in examples])
    # Expected calibration error over ten confidence bins.
    bins = np.minimum((confidence * 10).astype(int), 9)
    ece = sum(
        abs(confidence[bins == b].mean() - correct[bins == b].mean()) * (bins == b).mean()
        for b in range(10)
        if (bins == b).any()
    )
    assert ece < 0.05
    assert abs(report.in_scope_false_reject - 0.02) < 0.01


def test_unsure_in_scope_reading_is_rejected_by_threshold(models: tuple[IntentClassifier, KindClassifier]) -> None:
    model = models[0]
    verdict = model.classify("嗯")
    if verdict.ranked[0].confidence < model.threshold:
        assert verdict.intent is Intent.out_of_scope and verdict.rejected_by_threshold
    else:
        assert not verdict.rejected_by_threshold
