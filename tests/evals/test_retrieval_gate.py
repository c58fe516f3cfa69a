"""CI gate: retrieval quality on the held-out test questions stays at or above evals/thresholds.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import retrieval

THRESHOLDS = json.loads((Path(retrieval.__file__).with_name("thresholds.json")).read_text(encoding="utf-8"))[
    "retrieval"
]


@pytest.mark.slow
def test_hybrid_retrieval_meets_the_thresholds_on_the_test_sets(tmp_path: Path) -> None:
    results = {r.corpus: r for r in retrieval.run("test")}
    retrieval.write(list(results.values()), "test", "pytest tests/evals/test_retrieval_gate.py", tmp_path)

    bundled = results["bundled"].methods["hybrid"]
    kanboard = results["kanboard"].methods["hybrid"]
    assert bundled.n == 70 and kanboard.n == 42
    assert bundled.recall_at_1 >= THRESHOLDS["bundled_recall_at_1"]
    assert bundled.recall_at_5 >= THRESHOLDS["bundled_recall_at_5"]
    assert kanboard.recall_at_1 >= THRESHOLDS["kanboard_recall_at_1"]
    assert kanboard.recall_at_5 >= THRESHOLDS["kanboard_recall_at_5"]

    threshold = results["bundled"].threshold
    assert threshold is not None
    assert threshold["unanswerable_rejection_rate"] >= THRESHOLDS["unanswerable_rejection_rate"]
    assert threshold["answerable_false_idk_rate"] <= THRESHOLDS["answerable_false_idk_rate_max"]
    assert (tmp_path / "retrieval_test.json").exists() and (tmp_path / "retrieval_test.md").exists()
