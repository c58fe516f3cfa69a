"""CI gate: theme discovery on BANKING77 stays at or above evals/thresholds.json (Qiao's method only; BERTopic's
side-by-side figures come from `python -m bench.themes`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.wiring import shared_embedder
from evals import themes

THRESHOLDS = json.loads(Path(themes.__file__).with_name("thresholds.json").read_text(encoding="utf-8"))["themes"]


@pytest.mark.slow
def test_theme_discovery_meets_the_thresholds_on_banking77(tmp_path: Path) -> None:
    runs, vectors = themes.evaluate(shared_embedder(1))
    themes.write(runs, "pytest tests/evals/test_themes_gate.py", tmp_path)

    assert vectors.shape == (3080, 512) and [r.seed for r in runs] == [0, 1, 2]
    summary = themes.summarise(runs)
    assert min(r.ari for r in runs) >= THRESHOLDS["ari_min"]
    assert min(r.nmi for r in runs) >= THRESHOLDS["nmi_min"]
    assert max(r.unthemed_share for r in runs) <= THRESHOLDS["unthemed_max"]
    assert summary.ari_spread <= THRESHOLDS["ari_spread_max"]
    assert all(THRESHOLDS["themes_min"] <= r.themes <= THRESHOLDS["themes_max"] for r in runs)
    assert json.loads((tmp_path / "themes.json").read_text(encoding="utf-8"))["summary"][0]["method"] == "qiao"
